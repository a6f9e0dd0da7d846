"""Figures for chapter 03's outage model: the reboot trigger, the login flood, the unknowns.

Each function draws results of :mod:`p2plib.outage` / :mod:`p2plib.sweep` (never runs a model)
and returns the axes (or the figure, for multi-panel views). The minimal chain reaction's
figures are in :mod:`p2plib.viz.chain_reaction`; both use the course clock defined here
(:func:`clock_axis`, :func:`clock_label`, :func:`step_at`: shared, not re-exported by ``viz``).
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import BoundaryNorm, ListedColormap

from p2plib.viz.style import (
    CYCLE,
    PALETTE,
    ROLE_COLOURS,
    cache_background,
    finish_axes,
    get_axes,
    new_figure,
)

__all__ = [
    "OutagePanels",
    "plot_bifurcation",
    "plot_ensemble",
    "plot_fix_hour",
    "plot_hysteresis",
    "plot_model_agreement",
    "plot_outage_panels",
    "plot_phase_diagram",
    "plot_pool",
    "plot_service",
    "plot_tornado",
    "table_outage",
]

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_LINES = ("-", "--", "-.", ":")


def _day_axis(ax, scenario, hours):
    """Ticks at midnight UTC, labelled with the weekday and the hour since the run start."""
    clock_axis(ax, hours, scenario.start_weekday)


def clock_axis(ax, hours, start_weekday: int = 1):
    """Ticks every 24 h from the run start, labelled with the weekday and the ``+h`` hour.

    One clock for the whole course: UTC, counted in hours from the run start (``+h``; for
    2007, Tuesday 14 August 00:00 UTC). ``hours`` are the run's step times (+h) and
    ``start_weekday`` the weekday of hour 0 (0 = Monday ... 6 = Sunday).
    """
    ticks = np.arange(0, hours[-1] + 1e-9, 24)
    ax.set_xticks(ticks)
    ax.set_xticklabels([f"{_DAYS[(start_weekday + int(t // 24)) % 7]}\n+{t:.0f} h"
                        for t in ticks])
    ax.set_xlim(0, hours[-1])
    ax.set_xlabel("time (UTC; +h = hours since the run start)")


def plot_fix_hour(fix_hours, lengths, ax=None, labels=None, documented=None, title=None):
    """Outage length against the hour of the operator's fix, one curve per setting.

    Parameters
    ----------
    fix_hours : array of float
        Fix hours (hours since the run start, +h).
    lengths : dict of label -> array of float, or one array
        Hours below the service level for each fix hour (``inf`` or ``nan``: never ended).
    ax : matplotlib.axes.Axes, optional
        Where to draw (default: a new figure).
    labels : list of str, optional
        Unused (the labels are the keys of ``lengths``); kept for symmetry with the other
        plots.
    documented : (low, high, label), optional
        A band of documented outage lengths, hours.
    title : str, optional
        Axes title.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = plot_fix_hour([72, 96], [31.0, 42.0], documented=(30, 72, "reported"),
    ...                    title="later fix, longer outage")
    >>> ax.get_xlabel()
    'hour of the fix (+h since Tue 14 Aug 00:00 UTC)'
    >>> plt.close(ax.figure)
    """
    ax = get_axes(ax)
    curves = lengths if isinstance(lengths, dict) else {"model": lengths}
    for i, (label, values) in enumerate(curves.items()):
        ax.plot(fix_hours, values, color=CYCLE[i % len(CYCLE)], marker="os^D"[i % 4],
                linestyle=_LINES[i % len(_LINES)], label=label)
    if documented is not None:
        low, high, label = documented
        ax.axhspan(low, high, color=PALETTE["grey"], alpha=0.25, label=label)
    ax.set_ylim(bottom=0)
    return finish_axes(ax, "hour of the fix (+h since Tue 14 Aug 00:00 UTC)",
                       "hours below 50% service", title,
                       legend=dict(loc="lower right", fontsize="small"))  # the curve rises


def plot_bifurcation(thresholds=None, ramps=(), labels=None, branches=None, ax=None, title=None,
                     load_range=None, path=None, legend=None, label_loads: bool = True):
    """The fluid model's two branches against the load, with runs drawn over them.

    Draws the stationary served fraction on the healthy and on the stuck branch
    (:func:`p2plib.outage.stationary_service`), the band where both exist, and slow load
    ramps (rising solid, falling dashed) or any run's path through (load, service).

    Parameters
    ----------
    thresholds : FluidThresholds, optional
        ``collapse_load`` and ``recovery_load`` (multiples of ``online_peers``) drawn as
        dotted lines; default: read off ``branches`` (their ``collapse_between`` and
        ``recovery_between`` midpoints).
    ramps : sequence of OutageResult
        Load ramps: service against the load (``demand / online_peers``), rising solid,
        falling dashed.
    labels : list of str, optional
        Legend names of ``ramps`` (default: their scenario names).
    branches : StationaryService or (loads, healthy, stuck), optional
        Stationary service on each branch (``nan`` where it does not exist), share in [0, 1].
    ax : matplotlib.axes.Axes, optional
        Where to draw (default: a new figure).
    title : str, optional
        Axes title.
    load_range : (low, high, label), optional
        A range of loads to shade (e.g. a normal week's night low to daily peak), multiples
        of ``online_peers``.
    path : (OutageResult, label) or (OutageResult, label, from_h), optional
        A run drawn as one thin line through (load, service), from hour ``from_h`` on.
    legend : dict or False, optional
        Keyword arguments of the legend (default: beside the axes, on the right); ``False``:
        no legend (e.g. on the first of two panels that share one).
    label_loads : bool
        Put the threshold loads into the legend entries (``False`` for a legend shared by
        panels with different thresholds: give them in the titles instead).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from p2plib.outage import FluidThresholds
    >>> ax = plot_bifurcation(FluidThresholds(1.36, 0.33, 0.005, 21.0),
    ...                       branches=([0.2, 0.8, 1.6], [1.0, 1.0, np.nan],
    ...                                 [np.nan, 0.04, 0.02]), title="two states")
    >>> ax.get_title()
    'two states'
    >>> plt.close(ax.figure)
    """
    ax = get_axes(ax)
    loads, healthy, stuck, low, high = _bifurcation_inputs(thresholds, branches)
    _draw_threshold_loads(ax, low, high, load_range, label_loads)
    if loads is not None:
        ax.plot(loads, healthy, color=ROLE_COLOURS["connected"], linewidth=6, alpha=0.45,
                solid_capstyle="butt", label="stationary: healthy branch")
        ax.plot(loads, stuck, color=PALETTE["vermillion"], linewidth=6, alpha=0.45,
                solid_capstyle="butt", label="stationary: stuck branch")
    _draw_load_paths(ax, ramps, labels, path)
    ax.set_ylim(-0.02, 1.05)
    return finish_axes(ax, "load (clients wanting service / mean online)",
                       "service (connected / demand)", title,
                       legend=legend if legend is not None else dict(
                           loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False,
                           fontsize="small"))


def _bifurcation_inputs(thresholds, branches):
    """The branches as arrays (``None`` without branches) and the recovery and collapse loads."""
    loads = healthy = stuck = None
    if branches is not None:
        if hasattr(branches, "healthy"):
            loads, healthy, stuck = branches.loads, branches.healthy, branches.stuck
        else:
            loads, healthy, stuck = (np.asarray(b, float) for b in branches)
    if thresholds is not None:
        low, high = thresholds.recovery_load, thresholds.collapse_load
    elif hasattr(branches, "recovery_between"):
        low = float(np.mean(branches.recovery_between))
        high = float(np.mean(branches.collapse_between))
    else:
        raise ValueError("plot_bifurcation needs thresholds or a StationaryService as branches")
    return loads, healthy, stuck, low, high


def _draw_threshold_loads(ax, low, high, load_range, label_loads):
    """The shaded range of loads, the band where both states exist, the two threshold loads."""
    if load_range is not None:
        lo, hi, label = load_range
        ax.axvspan(lo, hi, ymin=0.0, ymax=1.0, facecolor="none", edgecolor=PALETTE["blue"],
                   hatch="//", linewidth=0.0, alpha=0.6, label=label)
    if np.isfinite(low) and np.isfinite(high):
        ax.axvspan(low, high, color=PALETTE["yellow"], alpha=0.25,
                   label="both states exist" + (f" ({low:.2f} to {high:.2f})" if label_loads
                                                else ""))
    if np.isfinite(high):
        ax.axvline(high, color=ROLE_COLOURS["theory"], linewidth=1.5, linestyle=":",
                   label="collapse load" + (f" {high:.2f}" if label_loads else ""))
    if np.isfinite(low):
        ax.axvline(low, color=PALETTE["vermillion"], linewidth=1.5, linestyle=":",
                   label="recovery load" + (f" {low:.2f}" if label_loads else ""))


def _draw_load_paths(ax, ramps, labels, path):
    """Runs through (load, service): each ramp rising solid and falling dashed, then ``path``."""
    ramps = list(ramps)
    labels = labels or [r.scenario.name for r in ramps]
    for i, (r, label) in enumerate(zip(ramps, labels, strict=True)):
        load = r.demand / r.scenario.online_peers
        top = int(np.argmax(load))
        colour = ROLE_COLOURS["theory"] if i == 0 else CYCLE[i % len(CYCLE)]
        service = _service(r)
        ax.plot(load[: top + 1], service[: top + 1], color=colour, linewidth=1.8,
                label=f"{label}: load rising")
        ax.plot(load[top:], service[top:], color=colour, linewidth=1.8, linestyle="--",
                label=f"{label}: load falling")
    if path is not None:
        run, label, *rest = path
        keep = run.time_h >= (rest[0] if rest else 0.0)
        ax.plot((run.demand / run.scenario.online_peers)[keep], _service(run)[keep],
                color=ROLE_COLOURS["theory"], linewidth=1.2, label=label)


_UNKNOWN_LABELS = {
    "supernode_fraction": "supernodes per online peer", "sn_capacity": "clients per supernode",
    "sn_overload_factor": "overload threshold (x normal)", "retry_policy": "retry rule",
    "promotion_uptime_h": "uptime to serve (h)", "sn_restart_h": "restart after shutdown (h)",
    "login_headroom": "login capacity (x mean rate)", "reboot_fraction": "share rebooted",
    "fix_h": "fix hour (+h)", "patience_h": "user patience (h)"}


def plot_ensemble(ens, by=("reboot_fraction", "supernode_fraction"), keep=None, outage=None,
                  observed=None, scale=None, bins: int = 4, title=None, width: float = 16,
                  height: float = 5.2, observed_band=None):
    """An ensemble over the unknowns: P(outage) across some unknowns, and depth against length.

    One bar panel per unknown in ``by`` (the probability of an outage in equal-width bins of
    its sampled values), and a last panel with each run's hours below 50% against its service
    at ``ens.at_hour`` (:func:`p2plib.outage.ensemble`).

    Parameters
    ----------
    ens : EnsembleResult
        The ensemble.
    by : sequence of str
        Unknowns for the P(outage) panels.
    keep : boolean array, optional
        Runs that count (e.g. those consistent with an observation); default all.
    outage : boolean array, optional
        Which runs count as an outage (default ``ens.outage``).
    observed : float, optional
        A documented share of a usual day's users at ``ens.at_hour`` (share in [0, 1]),
        drawn on the last panel.
    scale : dict of name -> (factor, label), optional
        Show an unknown in other units.
    bins : int
        Bins per P(outage) panel, at least 1.
    title : str, optional
        Title of the figure.
    width, height : float
        Figure size, inches.
    observed_band : (low, high), optional
        The observation's uncertainty (shares in [0, 1]), shaded on the last panel.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from p2plib import outage
    >>> fig = plot_ensemble(outage.ensemble(n=8, seed=0), observed=0.375)
    >>> fig.axes[-1].get_xlabel()
    'hours below 50% service'
    >>> plt.close(fig)
    """
    scale = scale or {}
    keep = np.ones(len(ens.hours_below), bool) if keep is None else np.asarray(keep, bool)
    outage = ens.outage if outage is None else np.asarray(outage, bool)
    fig, axes = new_figure(ncols=len(by) + 1, width=width, height=height)
    overall = outage[keep].mean() if keep.any() else np.nan
    for ax, name in zip(axes, by, strict=False):
        _outage_by_unknown(ax, ens, name, outage, keep, overall, scale, bins)
    _depth_against_length(axes[-1], ens, outage, keep, observed, observed_band)
    if title:
        fig.suptitle(title)
    return fig


def _outage_by_unknown(ax, ens, name, outage, keep, overall, scale, bins):
    """One bar panel: P(outage) in equal-width bins of one unknown's sampled values.

    Above each bar, "k/n": the outages k among the n counted runs in that bin, so that a
    reader sees how few runs a bar rests on.
    """
    factor, label = scale.get(name, (1.0, _UNKNOWN_LABELS.get(name, name)))
    values = np.array([v[name] for v in ens.values], float) * factor
    edges = np.linspace(values.min(), values.max(), bins + 1)
    which = np.clip(np.digitize(values, edges) - 1, 0, bins - 1)
    counted = [int((keep & (which == b)).sum()) for b in range(bins)]
    hits = [int((outage & keep & (which == b)).sum()) for b in range(bins)]
    p = [k / n if n else np.nan for k, n in zip(hits, counted, strict=True)]
    centres = (edges[:-1] + edges[1:]) / 2
    ax.bar(centres, p, width=0.8 * (edges[1] - edges[0]),
           color=ROLE_COLOURS["supernode"], edgecolor="black")
    for x, y, k, n in zip(centres, p, hits, counted, strict=True):   # runs behind each bar
        if n:
            ax.annotate(f"{k}/{n}", (x, y), xytext=(0, 3), textcoords="offset points",
                        ha="center", va="bottom", fontsize="small")
    ax.axhline(overall, color=ROLE_COLOURS["theory"], linestyle="--", linewidth=1.5,
               label=f"all counted runs: {overall:.1%}")
    top = np.nanmax([*p, overall])   # room above the tallest bar for the legend
    ax.set_ylim(0, 1.6 * top if np.isfinite(top) and top > 0 else 1)
    finish_axes(ax, label, "P(outage)", legend=dict(loc="upper left", fontsize="small"))


def _depth_against_length(ax, ens, outage, keep, observed, observed_band):
    """The last panel: each run's service at ``ens.at_hour`` against its hours below 50%."""
    others = ens.outage & ~(outage & keep)
    ax.scatter(ens.hours_below[others], ens.served_at[others], s=40, color=PALETTE["grey"],
               label="other outages (not counted)")
    ax.scatter(ens.hours_below[outage & keep], ens.served_at[outage & keep], s=90,
               color=ROLE_COLOURS["connected"], edgecolors="black", zorder=3,
               label=f"counted outages ({int((outage & keep).sum())})")
    if observed_band is not None:
        low, high = observed_band
        ax.axhspan(low, high, color=PALETTE["grey"], alpha=0.25,
                   label=f"its uncertainty ({low:.0%} to {high:.0%})")
    if observed is not None:
        ax.axhline(observed, color=ROLE_COLOURS["theory"], linewidth=2, linestyle="--",
                   label=f"observed at +{ens.at_hour:.0f} h: {observed:.0%}")
    ax.set_ylim(-0.02, 1.65)   # the band above 100% holds the legend: the points fill the rest
    ax.set_yticks(np.linspace(0, 1, 6))
    ax.set_xlim(left=0)
    finish_axes(ax, "hours below 50% service", f"service at +{ens.at_hour:.0f} h",
                legend=dict(loc="upper right", fontsize="small"))


def plot_tornado(tor, ax=None, title=None):
    """One-at-a-time sensitivity: hours below 50% at each end of each unknown's range.

    Widest swing on top (:func:`p2plib.outage.tornado`); the dashed line is the preset.

    Parameters
    ----------
    tor : TornadoResult
        The sensitivity runs.
    ax : matplotlib.axes.Axes, optional
        Where to draw (default: a new figure).
    title : str, optional
        Axes title.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from p2plib import outage
    >>> ax = plot_tornado(outage.tornado(unknowns=outage.UNKNOWNS[:2]), title="two unknowns")
    >>> ax.get_title()
    'two unknowns'
    >>> plt.close(ax.figure)
    """
    ax = get_axes(ax)
    y = np.arange(len(tor.names))[::-1]
    for k, (lo, hi) in enumerate(zip(tor.low_hours, tor.high_hours, strict=True)):
        ax.plot([lo, hi], [y[k]] * 2, color=PALETTE["grey"], linewidth=2, zorder=1)
        ax.scatter([lo], [y[k]], marker="<", s=120, color=ROLE_COLOURS["connected"], zorder=2,
                   label="low end of the range" if k == 0 else None)
        ax.scatter([hi], [y[k]], marker=">", s=120, color=PALETTE["vermillion"], zorder=2,
                   label="high end of the range" if k == 0 else None)
    ax.axvline(tor.baseline_hours, color=ROLE_COLOURS["theory"], linestyle="--",
               label=f"preset: {tor.baseline_hours:.0f} h")
    ax.set_yticks(y)
    ax.set_yticklabels([_UNKNOWN_LABELS.get(n, n) for n in tor.names])
    ax.set_xlim(left=-4)
    return finish_axes(ax, "hours below 50% service", "", title,
                       legend=dict(loc="lower right", fontsize="small"))


def _event_marks(scenario):
    """The scenario's events to draw; a fix (or mega-supernodes) only where the run has one, at
    its hour."""
    fix_h = getattr(scenario, "fix_h", None)
    mega_h = getattr(scenario, "mega_start_h", None)
    has_mega = getattr(scenario, "mega_share", 0.0) > 0 and mega_h is not None
    marks = [(h, label) for h, label in scenario.events if "fix" not in label.lower()
             and ("mega" not in label.lower() or (has_mega and abs(h - mega_h) < 1e-9))]
    if fix_h is not None:
        named = [label for h, label in scenario.events
                 if "fix" in label.lower() and abs(h - fix_h) < 1e-9]
        marks.append((fix_h, named[0] if named else f"fix (+{fix_h:.0f} h)"))
    return sorted(marks)


def _events(ax, scenario, with_labels=True, others=()):
    """Draw the scenario's events; with ``others`` (more runs on the same axes), only those
    that every run shares (a fix or start hour that differs between runs is not drawn)."""
    marks = _event_marks(scenario)
    for other in others:
        theirs = _event_marks(other)
        marks = [m for m in marks if any(abs(m[0] - h) < 1e-9 for h, _ in theirs)]
    for k, (hour, label) in enumerate(marks):
        ax.axvline(hour, color=PALETTE["grey"], linestyle=":", linewidth=1.5)
        if with_labels:  # alternate heights so that close events do not overlap
            ax.text(hour, 1.01 + 0.07 * (k % 2), label, rotation=0, fontsize="small",
                    color="#444444", transform=ax.get_xaxis_transform(), ha="center",
                    va="bottom")


def _observations(ax, observed):
    """Documented points (hour, share of a usual day, label) as black diamonds."""
    for hour, share, label in observed or ():
        ax.scatter([hour], [share], marker="D", s=110, color=ROLE_COLOURS["theory"], zorder=4,
                   label=label)


def _service(result):
    """Connected clients over the clients a normal day has online at that hour."""
    demand = getattr(result, "demand", None)
    if demand is None:
        return result.served_fraction
    return result.connected / demand


def plot_service(results, ax=None, labels=None, level: float | None = 0.5, title=None,
                 now_h: float | None = None, observed=None, legend=None):
    """Service over time for one or more runs that start on the same day.

    Service is the clients connected over the clients a normal day has online at that hour
    (``connected / demand``, share in [0, 1]).

    Parameters
    ----------
    results : OutageResult or list of OutageResult
        The runs.
    ax : matplotlib.axes.Axes, optional
        Where to draw (default: a new figure).
    labels : list of str, optional
        Legend entries (default: each scenario's name).
    level : float, optional
        Draw this service level as a dashed line (the outage threshold), share in [0, 1].
    title : str, optional
        Axes title.
    now_h : float, optional
        Draw a cursor at this hour (hours since the run start; for Play controls).
    observed : sequence of (hour, share, label), optional
        Documented observations on the same footing (share of a usual day's users online).
    legend : dict, optional
        Keyword arguments for the legend (default: lower left, inside the axes).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from p2plib import outage
    >>> r = outage.simulate(outage.Scenario(online_peers=1e4, days=1.0, step_min=5))
    >>> ax = plot_service(r, observed=[(16.0, 0.9, "a count")], title="a quiet day")
    >>> ax.get_title()
    'a quiet day'
    >>> plt.close(ax.figure)
    """
    ax = get_axes(ax)
    results = results if isinstance(results, list | tuple) else [results]
    labels = labels or [r.scenario.name for r in results]
    for i, (r, label) in enumerate(zip(results, labels, strict=True)):
        ax.plot(r.time_h, _service(r), color=CYCLE[i % len(CYCLE)],
                linestyle=_LINES[i % len(_LINES)], label=label)
    if level is not None:
        ax.axhline(level, color=ROLE_COLOURS["theory"], linewidth=1, linestyle="--")
    _observations(ax, observed)
    _events(ax, results[0].scenario, others=[r.scenario for r in results[1:]])
    if now_h is not None:
        ax.axvline(now_h, color=PALETTE["vermillion"], linewidth=4, alpha=0.35)
    ax.set_ylim(-0.02, 1.05)
    ax.set_ylabel("service (connected /\na normal day's online)")
    _day_axis(ax, results[0].scenario, results[0].time_h)
    ax.legend(**(legend or {"loc": "lower left"}))
    if title:
        ax.set_title(title, pad=46)
    return ax


class OutagePanels:
    """Service, the supernode pool and the login servers over time, redrawn in place.

    Three stacked panels for one :class:`~p2plib.outage.OutageResult`: service (connected
    clients over a normal day's online, with documented observations on the same footing),
    the pool (supernode slots, a normal day's clients, the clients connected; in millions at
    ``scale``) and the login servers (attempts and useful logins as multiples of their
    capacity). Built once; :meth:`update` changes the curves' data, the cursor, the fix mark,
    the y limits (from a short list of round values) and the title, and
    :func:`p2plib.viz.render_png` then redraws only those over a saved picture of the rest
    (:func:`p2plib.viz.cache_background`), so an explorer's redraw costs a few milliseconds.

    Parameters
    ----------
    result : OutageResult
        The run to draw first; later runs must have the same length (any run of one
        explorer does).
    now_h : float, optional
        A time cursor, hours since the run start; the state at that hour goes into the title.
    title : str, optional
        First line of the title (default: the scenario's name).
    observed : sequence of (hour, share, label), optional
        Documented observations drawn on the service panel: hour since the run start, share
        of a usual day's users online in [0, 1], legend label.
    scale : float
        Multiply counts by this (e.g. 60 to show a 100,000-peer run at Skype's 6 million),
        ``> 0``.
    max_points : int
        Curves are drawn through at most this many points (>= 2).
    width, height : float
        Figure size, inches (default 12 x 7.6: three panels readable from the back of a room,
        960 x 608 pixels at the course's 80 dpi, 1.5 times that in presenter mode).

    Attributes
    ----------
    figure : matplotlib.figure.Figure
    axes : array of matplotlib.axes.Axes
        Service, pool, login servers (top to bottom).
    service, slots, demand, connected, attempts, goodput : matplotlib.lines.Line2D
        The curves :meth:`update` changes.
    fix_lines, cursors : list of matplotlib.lines.Line2D
        The fix mark and the time cursor, one per panel (hidden when there is none).
    fix_text, suptitle : matplotlib.text.Text

    Examples
    --------
    >>> from p2plib import outage
    >>> r = outage.simulate(outage.Scenario(online_peers=1e4, days=1.0))
    >>> panels = OutagePanels(r, now_h=12.0)
    >>> panels.update(r, now_h=18.0) is panels.figure
    True
    >>> panels.suptitle.get_text().splitlines()[1][:24]
    '+18 h (Mon 18:00 UTC): 1'
    """

    def __init__(self, result, now_h: float | None = None, title: str | None = None,
                 observed=None, scale: float = 1.0, max_points: int = 480,
                 width: float = 12, height: float = 7.6):
        self.title, self.scale, self.max_points = title, scale, max_points
        fig, axes = new_figure(nrows=3, width=width, height=height)
        # Fixed margins instead of the layout engine: an explorer redraws this many times.
        fig.set_layout_engine("none")
        fig.subplotpars.update(left=1.25 / width, right=1 - 0.25 / width, bottom=1.0 / height,
                               top=1 - 1.15 / height, hspace=0.28)
        for ax in axes:
            ax.set_position(ax.get_subplotspec().get_position(fig))
        self.figure, self.axes = fig, axes
        serve_ax, sn_ax, login_ax = axes
        s, t = result.scenario, result.time_h
        self.service, = serve_ax.plot([], [], color=ROLE_COLOURS["connected"], label="model")
        _observations(serve_ax, observed)
        serve_ax.axhline(0.5, color=PALETTE["grey"], linewidth=1, linestyle="--")
        serve_ax.set_ylim(-0.02, 1.05)
        serve_ax.set_ylabel("service\n(share of a\nnormal day)")
        if observed:
            serve_ax.legend(loc="lower left", fontsize="small")
        self.slots, = sn_ax.plot([], [], color=ROLE_COLOURS["supernode"],
                                 label="supernode slots")
        self.demand, = sn_ax.plot([], [], color=ROLE_COLOURS["theory"], linestyle="--",
                                  linewidth=1.5, label="clients on a normal day")
        self.connected, = sn_ax.plot([], [], color=ROLE_COLOURS["connected"], linewidth=1.5,
                                     label="connected")
        sn_ax.set_ylabel("clients\n(millions)" if scale * s.online_peers >= 1e6
                         else "clients\n(millions at this size)")
        sn_ax.legend(loc="lower left", fontsize="small", ncol=3)
        self.attempts, = login_ax.plot([], [], color=ROLE_COLOURS["login_server"],
                                       label="attempts")
        self.goodput, = login_ax.plot([], [], color=PALETTE["green"], linestyle="--",
                                      label="useful logins")
        login_ax.axhline(1.0, color=ROLE_COLOURS["theory"], linewidth=1, linestyle=":",
                         label="capacity")
        login_ax.set_ylabel("login servers\n(x capacity)")
        login_ax.legend(loc="upper left", fontsize="small", ncol=3)
        fixed = [(h, label) for h, label in _event_marks(s) if "fix" not in label.lower()]
        self.fix_lines, self.cursors = [], []
        for ax in axes:
            for hour, _label in fixed:
                ax.axvline(hour, color=PALETTE["grey"], linestyle=":", linewidth=1.5)
            self.fix_lines.append(ax.axvline(0.0, color=PALETTE["vermillion"], linestyle=":",
                                             linewidth=2))
            self.cursors.append(ax.axvline(0.0, color=PALETTE["vermillion"], linewidth=4,
                                           alpha=0.35))
            _day_axis(ax, s, t)
        for k, (hour, label) in enumerate(fixed):
            serve_ax.text(hour, 1.01 + 0.07 * (k % 2), label, fontsize="small",
                          color="#444444", transform=serve_ax.get_xaxis_transform(),
                          ha="center", va="bottom")
        self.fix_text = serve_ax.text(0.0, 1.01, "", fontsize="small",
                                      color=PALETTE["vermillion"], ha="center", va="bottom",
                                      transform=serve_ax.get_xaxis_transform())
        for ax in axes[:2]:
            ax.set_xlabel("")
            ax.tick_params(labelbottom=False)
        self.suptitle = fig.suptitle("")
        # render_png redraws only what update() changes (and what lies above it) over a saved
        # picture of the rest: the axes, ticks, labels, legends and event labels.
        dynamic = [self.suptitle, self.fix_text]
        for ax in axes:
            dynamic += [*ax.lines, *ax.collections, *ax.spines.values()]
        # the legends on show when rendering (plot_outage_panels replaces one)
        cache_background(fig, dynamic, on_top=lambda: [ax.get_legend() for ax in axes
                                                       if ax.get_legend() is not None], keep=6)
        self.update(result, now_h)

    def update(self, result, now_h: float | None = None):
        """Draw another result (same run length) and cursor on the same figure.

        Parameters
        ----------
        result : OutageResult
            A run of the same length as the first.
        now_h : float, optional
            A time cursor, hours since the run start (``None``: no cursor).

        Returns
        -------
        matplotlib.figure.Figure
            :attr:`figure`, updated.
        """
        s, t = result.scenario, result.time_h
        every = max(1, int(np.ceil(len(t) / self.max_points)))
        tt = t[::every]
        service = _service(result)
        self.service.set_data(tt, service[::every])
        slots = (result.supernodes_alive * s.sn_capacity + result.mega_slots) * self.scale / 1e6
        demand = result.demand * self.scale / 1e6
        self.slots.set_data(tt, slots[::every])
        self.demand.set_data(tt, demand[::every])
        self.connected.set_data(tt, (result.connected * self.scale / 1e6)[::every])
        # limits from a short list of round values: the saved pictures of the axes (their
        # ticks) are reused from one run to the next
        self.axes[1].set_ylim(0, _round_up(max(float(slots.max()), float(demand.max())) * 1.1))
        per_capacity = 1.0 / (s.step_min * s.login_capacity_per_min)
        attempts = result.login_attempts * per_capacity
        self.attempts.set_data(tt, attempts[::every])
        self.goodput.set_data(tt, (result.login_goodput * per_capacity)[::every])
        self.axes[2].set_ylim(0, _round_up(max(1.5, min(float(attempts.max()), 12.0))) * 1.05)
        fix_h = getattr(s, "fix_h", None)
        shown = fix_h is not None and fix_h <= t[-1]
        for line in self.fix_lines:
            line.set_xdata([fix_h if shown else 0.0] * 2)
            line.set_visible(shown)
        self.fix_text.set_x(fix_h if shown else 0.0)
        self.fix_text.set_text(f"fix (+{fix_h:.0f} h)" if shown else "")
        i = None if now_h is None else int(np.clip(np.searchsorted(t, now_h), 0, len(t) - 1))
        for cursor in self.cursors:
            cursor.set_xdata([t[i] if i is not None else 0.0] * 2)
            cursor.set_visible(i is not None)
        heading = self.title or s.name
        if i is not None:
            minutes = round(float(t[i]) * 60)
            day = _DAYS[(s.start_weekday + minutes // 1440) % 7]
            heading += (f"\n+{t[i]:.0f} h ({day} {minutes // 60 % 24:02d}:{minutes % 60:02d} "
                        f"UTC): {service[i]:.0%} of a normal day connected, "
                        f"{result.supernodes_alive[i] / s.supernodes:.0%} of supernodes serving")
        self.suptitle.set_text(heading)
        return self.figure


def _round_up(value: float) -> float:
    """The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of ten >= ``value``."""
    if not value > 0:
        return 1.0
    decade = 10.0 ** np.floor(np.log10(value))
    return float(next(m * decade for m in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10)
                      if m * decade >= value * (1 - 1e-12)))


def plot_outage_panels(result, now_h: float | None = None, title: str | None = None,
                       observed=None, scale: float = 1.0, width: float = 12,
                       height: float = 7.6):
    """Three stacked panels over time: service, the supernode pool, the login servers.

    The static version of :class:`OutagePanels` (which an explorer keeps and updates): the
    middle panel gets room above its curves for its legend, so that the legend covers none of
    them.

    Parameters
    ----------
    result : OutageResult
        The run to draw.
    now_h : float, optional
        A time cursor, hours since the run start; the state at that hour goes into the title.
    title : str, optional
        First line of the title (default: the scenario's name).
    observed : sequence of (hour, share, label), optional
        Documented observations on the service panel (share of a usual day online).
    scale : float
        Multiply counts by this (e.g. 60 to show a 100,000-peer run at Skype's 6 million).
    width, height : float
        Figure size, inches.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from p2plib import outage
    >>> fig = plot_outage_panels(outage.simulate(outage.Scenario(online_peers=1e4, days=1.0)),
    ...                          title="a quiet day")
    >>> fig.axes[1].get_legend().get_texts()[0].get_text()
    'supernode slots'
    >>> plt.close(fig)
    """
    panels = OutagePanels(result, now_h=now_h, title=title, observed=observed, scale=scale,
                          width=width, height=height)
    pool_ax = panels.axes[1]
    pool_ax.set_ylim(0, pool_ax.get_ylim()[1] * 1.5)
    pool_ax.legend(loc="upper center", fontsize="small", ncol=3, frameon=False)
    return panels.figure


def plot_pool(results, ax=None, labels=None, title=None):
    """Supernode client slots (solid) against clients wanting service (dashed), over time.

    Where a solid line dips below its dashed line, the pool cannot hold everyone: the
    analytic condition ``supernodes x capacity < clients`` for refusals to start.

    Parameters
    ----------
    results : OutageResult or list of OutageResult
        The runs (same start day).
    ax : matplotlib.axes.Axes, optional
        Where to draw (default: a new figure).
    labels : list of str, optional
        Legend names (default: each scenario's name).
    title : str, optional
        Axes title.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from p2plib import outage
    >>> r = outage.simulate(outage.Scenario(online_peers=1e4, days=1.0, step_min=5))
    >>> ax = plot_pool(r, title="room for everyone")
    >>> ax.get_ylabel()
    'clients (millions)'
    >>> plt.close(ax.figure)
    """
    ax = get_axes(ax)
    results = results if isinstance(results, list | tuple) else [results]
    labels = labels or [r.scenario.name for r in results]
    same_demand = all(r.demand.shape == results[0].demand.shape
                      and np.allclose(r.demand, results[0].demand) for r in results)
    for i, (r, label) in enumerate(zip(results, labels, strict=True)):
        colour = CYCLE[i % len(CYCLE)]
        slots = r.supernodes_alive * r.scenario.sn_capacity + r.mega_slots
        ax.plot(r.time_h, slots / 1e6, color=colour, label=f"{label}: supernode slots")
        if same_demand and i > 0:
            continue  # one demand curve for runs that share it
        ax.plot(r.time_h, r.demand / 1e6, color=ROLE_COLOURS["theory"] if same_demand
                else colour, linestyle="--", linewidth=1.5,
                label="clients on a normal day" if same_demand
                else f"{label}: clients (daily cycle)")
    _events(ax, results[0].scenario, others=[r.scenario for r in results[1:]])
    _day_axis(ax, results[0].scenario, results[0].time_h)
    ax.set_ylabel("clients (millions)")
    ax.set_ylim(bottom=0)
    ax.legend(loc="lower left", fontsize="small")
    if title:
        ax.set_title(title, pad=46)
    return ax


def plot_phase_diagram(result, ax=None, title=None, mark=None, scale=None):
    """Outcome of a 2-D sweep with metric ``"outcome"``, as coloured cells.

    Colours: no outage; an outage that ends within 48 h of the first fall (``sweep.LASTING_H``);
    a lasting one (:func:`p2plib.sweep.sweep`).

    Parameters
    ----------
    result : SweepResult
        A sweep over two scenario fields with ``metric="outcome"``.
    ax : matplotlib.axes.Axes, optional
        Where to draw (default: a new figure).
    title : str, optional
        Axes title.
    mark : (x, y), optional
        Draw a star at one point (e.g. the preset), in the fields' own units.
    scale : dict of name -> (factor, label), optional
        Show an axis in other units (e.g. supernodes at 6 million online instead of a share).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from p2plib import outage, sweep
    >>> base = outage.Scenario(online_peers=1e4, days=1.0, step_min=10, reboot_start_h=2.0)
    >>> res = sweep.sweep(base, {"reboot_fraction": [0.0, 0.9], "sn_capacity": [300, 600]},
    ...                   metric="outcome", progress=False)
    >>> ax = plot_phase_diagram(res, title="two by two")
    >>> ax.get_xlabel()
    'share of peers rebooted'
    >>> plt.close(ax.figure)
    """
    ax = get_axes(ax)
    scale = scale or {}
    (xname, xs), (yname, ys) = result.axes.items()
    xf, yf = scale.get(xname, (1.0, None))[0], scale.get(yname, (1.0, None))[0]
    xs, ys = np.asarray(xs, float) * xf, np.asarray(ys, float) * yf
    if mark is not None:
        mark = (mark[0] * xf, mark[1] * yf)
    cmap = ListedColormap([ROLE_COLOURS["connected"], PALETTE["yellow"], PALETTE["vermillion"]])
    norm = BoundaryNorm([-0.5, 0.5, 1.5, 2.5], cmap.N)
    ax.pcolormesh(_edges(xs), _edges(ys), result.values.T, cmap=cmap, norm=norm,
                  edgecolors="white", linewidth=0.5)
    for code, label in enumerate(("no outage", "outage, over within 48 h",
                                  "still down 48 h after the fall")):
        ax.scatter([], [], marker="s", s=120, color=cmap(code), label=label)
    if mark is not None:
        ax.scatter([mark[0]], [mark[1]], marker="*", s=400, color="black", label="preset")
    names = {"reboot_fraction": "share of peers rebooted", "sn_capacity": "clients per supernode",
             "supernode_fraction": "supernodes per online peer",
             "login_headroom": "login capacity (x mean login rate)"}
    names.update({name: label for name, (_f, label) in scale.items() if label})
    ax.set_xlabel(names.get(xname, xname.replace("_", " ")))
    ax.set_ylabel(names.get(yname, yname.replace("_", " ")))
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    ax.grid(False)
    if title:
        ax.set_title(title)
    return ax


def _edges(values):
    values = np.asarray(values, float)
    if len(values) == 1:
        return np.array([values[0] - 0.5, values[0] + 0.5])
    mid = (values[1:] + values[:-1]) / 2
    return np.concatenate([[2 * values[0] - mid[0]], mid, [2 * values[-1] - mid[-1]]])


def plot_hysteresis(results, ax=None, labels=None, title=None):
    """Served fraction against offered load for slow load ramps: up and down differ.

    Each run's demand (multiple of ``online_peers``) is on x; the rising half is solid, the
    falling half dashed, with markers where service fails and where it comes back.

    Parameters
    ----------
    results : OutageResult or list of OutageResult
        Load ramps (:func:`p2plib.scenarios.load_ramp`).
    ax : matplotlib.axes.Axes, optional
        Where to draw (default: a new figure).
    labels : list of str, optional
        Legend names (default: each run's retry policy).
    title : str, optional
        Axes title.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from p2plib import outage, scenarios
    >>> ax = plot_hysteresis(outage.simulate(scenarios.load_ramp(online_peers=1e4,
    ...                                                          step_min=10)), title="loop")
    >>> ax.get_title()
    'loop'
    >>> plt.close(ax.figure)
    """
    ax = get_axes(ax)
    results = results if isinstance(results, list | tuple) else [results]
    labels = labels or [r.scenario.retry_policy for r in results]
    for i, (r, label) in enumerate(zip(results, labels, strict=True)):
        load = r.demand / r.scenario.online_peers
        top = int(np.argmax(load))
        colour = CYCLE[i % len(CYCLE)]
        ax.plot(load[: top + 1], r.served_fraction[: top + 1], color=colour,
                label=f"{label}: load rising")
        ax.plot(load[top:], r.served_fraction[top:], color=colour, linestyle="--",
                label=f"{label}: load falling")
        for x, marker in ((r.load_at_failure(), "v"), (r.load_at_recovery(), "^")):
            if np.isfinite(x):
                ax.scatter([x], [0.5], marker=marker, s=160, color=colour, edgecolors="black",
                           zorder=3)
    ax.axhline(0.5, color=ROLE_COLOURS["theory"], linewidth=1, linestyle=":")
    ax.set_ylim(-0.02, 1.05)
    return finish_axes(ax, "offered load (clients wanting service / mean online)",
                       "served fraction", title, legend=dict(loc="lower left", fontsize="small"))


def plot_model_agreement(aggregate, agents, ax=None, title=None):
    """The aggregate model's served fraction beside several agent-model runs (thin lines).

    Parameters
    ----------
    aggregate : OutageResult
        The aggregate (mean-field) run.
    agents : OutageResult or list of OutageResult
        Agent-model runs of the same scenario (different seeds).
    ax : matplotlib.axes.Axes, optional
        Where to draw (default: a new figure).
    title : str, optional
        Axes title.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from p2plib import outage
    >>> r = outage.simulate(outage.Scenario(online_peers=1e4, days=1.0, step_min=5))
    >>> ax = plot_model_agreement(r, [r])
    >>> ax.get_ylabel()
    'served fraction'
    >>> plt.close(ax.figure)
    """
    ax = get_axes(ax)
    agents = agents if isinstance(agents, list | tuple) else [agents]
    for k, r in enumerate(agents):
        ax.plot(r.time_h, r.served_fraction, color=PALETTE["sky"], linewidth=1, alpha=0.8,
                label=f"agent model, {len(agents)} seeds" if k == 0 else None)
    ax.plot(aggregate.time_h, aggregate.served_fraction, color=ROLE_COLOURS["theory"],
            linestyle="--", label="aggregate (mean-field) model")
    _day_axis(ax, aggregate.scenario, aggregate.time_h)
    _events(ax, aggregate.scenario)
    ax.set_ylim(-0.02, 1.05)
    ax.set_ylabel("served fraction")
    ax.legend(loc="lower left")
    if title:
        ax.set_title(title, pad=46)
    return ax


def clock_label(hour: float, start_weekday: int) -> str:
    """The weekday and the UTC hour of ``hour`` (+h) on the course clock, e.g. ``"Thu 16h"``."""
    return f"{_DAYS[(start_weekday + int(hour // 24)) % 7]} {int(hour % 24):02d}h"


def step_at(time_h, hour: float) -> int:
    """Index of the step at ``hour`` (+h); ValueError outside the run."""
    if not time_h[0] - 1e-9 <= hour <= time_h[-1] + 1e-9:
        raise ValueError(f"hour must lie in the run, [{time_h[0]:g}, {time_h[-1]:g}] h; got "
                         f"{hour!r}")
    return int(np.argmin(np.abs(time_h - hour)))


def table_outage(result, hours) -> str:
    """The full model's service, supernodes and login servers at chosen hours, as text.

    Service is connected over a normal day's clients (percent); supernodes serving and shut
    down (counts); login attempts and useful logins per minute.

    Parameters
    ----------
    result : OutageResult
        The run.
    hours : sequence of float
        Hours since the run start (+h), each within the run.

    Returns
    -------
    str
        One header line and one line per hour.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from p2plib import outage
    >>> r = outage.simulate(outage.Scenario(online_peers=1e4, days=1.0, step_min=5))
    >>> print(table_outage(r, [16]).splitlines()[0])
       +h  UTC       service  serving SN  shut down  attempts/min  useful/min
    """
    step = result.scenario.step_min
    lines = ["   +h  UTC       service  serving SN  shut down  attempts/min  useful/min"]
    for hour in hours:
        i = step_at(result.time_h, hour)
        lines.append(f"{hour:5.0f}  {clock_label(hour, result.scenario.start_weekday)}  "
                     f"{result.connected[i] / result.demand[i]:6.0%}  "
                     f"{result.supernodes_alive[i]:10,.0f}  {result.sn_cooling[i]:9,.0f}  "
                     f"{result.login_attempts[i] / step:12,.0f}  "
                     f"{result.login_goodput[i] / step:10,.0f}")
    return "\n".join(lines)
