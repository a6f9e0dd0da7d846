"""Figures for chapter 04: gossip, rumor mongering, reconciliation costs, repair vs rebuild.

Each function draws results of :mod:`p2plib.gossip` (it runs no model) on the axes it is given,
or on a new course-style figure.

Examples
--------
>>> import matplotlib.pyplot as plt
>>> from p2plib import gossip
>>> ax = plot_spread_curves({"push": gossip.spread(100, "push", seed=1)}, title="Push")
>>> ax.get_title()
'Push'
>>> plt.close(ax.figure)
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import LogNorm

from p2plib.viz.style import CYCLE, PALETTE, STATE, finish_axes, get_axes

__all__ = [
    "METHOD_LABELS",
    "PROTOCOL_COLOURS",
    "plot_desync",
    "plot_gossip_race",
    "plot_rebuild_map",
    "plot_repair_vs_rebuild",
    "plot_rounds_vs_n",
    "plot_rumor_tradeoff",
    "plot_session_bytes",
    "plot_spread_curves",
]

#: One colour per gossip protocol, used by every figure of the chapter.
PROTOCOL_COLOURS = {"push": PALETTE["blue"], "pull": PALETTE["orange"],
                    "push-pull": PALETTE["green"]}
_METHOD_COLOURS = {"full": PALETTE["vermillion"], "digest": PALETTE["purple"],
                   "merkle": PALETTE["green"], "rebuild": PALETTE["black"]}
_DASHES = ["-", "--", ":", "-."]
#: The chapter's display names of the reconciliation methods (:data:`p2plib.gossip.METHODS`);
#: a figure keyed by them keeps the methods' colours.
METHOD_LABELS = {"full": "full comparison", "digest": "digests", "merkle": "Merkle tree"}
_METHOD_NAMES = {label: method for method, label in METHOD_LABELS.items()}


def _colour(label, i):
    method = _METHOD_NAMES.get(label, label)
    return PROTOCOL_COLOURS.get(label, _METHOD_COLOURS.get(method, CYCLE[i % len(CYCLE)]))


def plot_spread_curves(results: dict, theory: dict | None = None, ax=None,
                       title: str | None = None, uninformed: bool = True):
    """Share of replicas still without the update after each round, one line per run.

    Parameters
    ----------
    results : dict of label -> p2plib.gossip.SpreadResult
        The runs; a protocol name as label gets that protocol's colour.
    theory : dict of label -> array, optional
        Predicted uninformed share per round, in [0, 1] (e.g. Demers' recurrence), drawn
        dashed in the colour of the run with the same label.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure if omitted.
    title : str, optional
        The finding, as the axes' title.
    uninformed : bool
        Plot the uninformed share on a log axis (shows the end game); else the informed share.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on (x: round; y: share of replicas).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from p2plib import gossip
    >>> runs = {p: gossip.spread(500, p, seed=1) for p in gossip.PROTOCOLS}
    >>> ax = plot_spread_curves(runs, uninformed=False)
    >>> ax.get_ylabel().split()[-3:]
    ['have', 'the', 'update']
    >>> plt.close(ax.figure)
    """
    ax = get_axes(ax)
    for i, (label, r) in enumerate(results.items()):
        share = r.informed / r.n
        y = 1 - share if uninformed else share
        ax.plot(np.arange(len(y)), y, "o-", color=_colour(label, i), label=f"{label}: simulation",
                markersize=5 * STATE["scale"])
        if theory and label in theory:
            t = np.asarray(theory[label])
            ax.plot(np.arange(len(t)), t, "--", color=_colour(label, i), alpha=0.8,
                    label=f"{label}: recurrence")
    if uninformed:
        ax.set_yscale("log")
        ax.set_ylim(bottom=0.5 / max(r.n for r in results.values()), top=1.5)
        ylabel = "share of replicas still\nwithout the update"
    else:
        ax.set_ylim(0, 1.02)
        ylabel = "share of replicas\nthat have the update"
    return finish_axes(ax, "round", ylabel, title,
                       legend=dict(loc="lower left" if uninformed else "lower right"))


def plot_rounds_vs_n(ns, rounds: dict, theory: dict | None = None, ax=None,
                     title: str | None = None):
    """Rounds until every replica has the update vs number of replicas (log x axis).

    Parameters
    ----------
    ns : array_like
        Numbers of replicas (replicas; x axis).
    rounds : dict of label -> array_like
        Measured mean rounds at each of ``ns``, per protocol (rounds; markers).
    theory : dict of label -> array_like, optional
        Theory curves at the same ``ns`` (rounds; e.g. ``log2 n + ln n``), drawn as lines.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure if omitted.
    title : str, optional
        The finding, as the axes' title.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from p2plib import gossip
    >>> ns = [100, 1000]
    >>> ax = plot_rounds_vs_n(ns, {"push": [gossip.spread(n, seed=1).rounds for n in ns]},
    ...                       {"Pittel": [gossip.pittel_rounds(n) for n in ns]}, title="Push")
    >>> ax.get_xscale(), ax.get_title()
    ('log', 'Push')
    >>> plt.close(ax.figure)
    """
    ax = get_axes(ax)
    markers = ["o", "s", "^"]
    for i, (label, values) in enumerate(rounds.items()):
        ax.plot(ns, values, markers[i % 3], color=_colour(label, i), label=f"{label}: simulation",
                linestyle="none")
    for i, (label, values) in enumerate((theory or {}).items()):
        ax.plot(ns, values, _DASHES[i % 4], color=PALETTE["black"], alpha=0.7, linewidth=1.8,
                label=label)
    ax.set_xscale("log")
    return finish_axes(ax, "number of replicas",
                       "rounds until every\nreplica has the update", title,
                       legend=dict(loc="upper left"))


def plot_rumor_tradeoff(ours: dict, paper: dict | None = None, ax=None, title: str | None = None):
    """Residue (log) vs traffic per replica for rumor mongering, one series per variant.

    Parameters
    ----------
    ours : dict of label -> (array_like, array_like)
        Per variant, traffic ``m`` (update messages per replica) and residue ``s`` (share of
        replicas never reached, ``> 0`` on the log axis) over ``k``.
    paper : dict of label -> (array_like, array_like), optional
        The same from Demers et al.'s tables, drawn as open markers.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure if omitted.
    title : str, optional
        The finding, as the axes' title.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on, with the analytic ``s = exp(-m)`` as a dotted line.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = plot_rumor_tradeoff({"push": ([1.7, 3.3], [0.18, 0.04])})
    >>> ax.get_yscale()
    'log'
    >>> plt.close(ax.figure)
    """
    ax = get_axes(ax)
    for i, (label, (m, s)) in enumerate(ours.items()):
        colour = CYCLE[i % len(CYCLE)]
        ax.plot(m, s, "o-", color=colour, label=f"{label}: simulation")
        if paper and label in paper:
            pm, ps = paper[label]
            ax.plot(pm, ps, "s", color=colour, markerfacecolor="none", markersize=12 * STATE[
                "scale"], markeredgewidth=2, label=f"{label}: Demers et al. 1987")
    grid = np.linspace(0, max(max(np.max(m) for m, _ in ours.values()), 1), 100)
    ax.plot(grid, np.exp(-grid), ":", color=PALETTE["black"], label="s = exp(-m)")
    ax.set_yscale("log")
    return finish_axes(ax, "traffic m (update messages per replica)",
                       "residue s (share never\nreached by the update)", title,
                       legend=dict(loc="lower left", fontsize="small"))


def plot_session_bytes(differences, costs: dict, ax=None, title: str | None = None):
    """Bytes of one anti-entropy session vs records that differ, one line per method (log-log).

    Parameters
    ----------
    differences : array_like
        Records in which the two replicas differ, ``>= 1`` on the log axis (records).
    costs : dict of label -> array_like
        Bytes per session at each of ``differences`` (bytes), per method; a method's name or
        its :data:`METHOD_LABELS` label gets the method's colour.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure if omitted.
    title : str, optional
        The finding, as the axes' title.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from p2plib import gossip
    >>> d = [1, 10, 100]
    >>> ax = plot_session_bytes(d, {m: gossip.session_bytes(1000, d, m) for m in gossip.METHODS})
    >>> ax.get_xscale(), ax.get_yscale()
    ('log', 'log')
    >>> plt.close(ax.figure)
    """
    ax = get_axes(ax)
    for i, (label, values) in enumerate(costs.items()):
        ax.plot(differences, values, _DASHES[i % 4], color=_colour(label, i), label=label)
    return finish_axes(ax, "records in which the two replicas differ",
                       "bytes sent in one session", title, log_x=True, log_y=True)


def _hours(seconds):
    return np.asarray(seconds, dtype=float) / 3600.0


def plot_desync(results: dict, ax=None, title: str | None = None, rebuild: bool = True):
    """Mean records out of date per replica over time after a restart storm.

    One step line per :class:`p2plib.gossip.DesyncResult` (repair by anti-entropy) and, for
    the first result, the rebuild from a central copy: replicas reload one after another at
    the central server's rate, so the divergence falls linearly until the rebuild ends.

    Parameters
    ----------
    results : dict of label -> p2plib.gossip.DesyncResult
        The repairs to draw.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure if omitted.
    title : str, optional
        The finding, as the axes' title.
    rebuild : bool
        Also draw the first result's rebuild.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on (x: hours after the restart; y: records out of date per replica).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from p2plib import gossip
    >>> ax = plot_desync({"Merkle tree": gossip.desync(1000, 10_000, seed=1)})
    >>> ax.get_xlabel()
    'hours after the restart'
    >>> plt.close(ax.figure)
    """
    ax = get_axes(ax)
    first = next(iter(results.values()))
    end = 0.0
    for i, (label, r) in enumerate(results.items()):
        t, y = _hours(r.time), r.divergence
        if np.isfinite(r.repair_seconds):
            end = max(end, t[-1])
        else:  # never repaired: hold the level past the rebuild
            t, y = np.append(t, max(t[-1], _hours(first.rebuild_seconds)) * 2 + 1), \
                np.append(y, y[-1])
        ax.step(t, y, where="post", color=_colour(label, i), linestyle=_DASHES[i % 4],
                label=f"repair: {label}")
    if rebuild and np.isfinite(first.rebuild_seconds) and first.rebuild_seconds > 0:
        stop = _hours(first.rebuild_seconds)
        # many points: a straight two-point segment would show a linear fall as exponential
        # on the log axis
        t = np.linspace(0.0, stop, 400)
        ax.plot(t, first.divergence[0] * (1 - t / stop), "--",
                color=_METHOD_COLOURS["rebuild"], label="rebuild from a central copy")
        end = max(end, stop)
    ax.set_xlim(0, max(end, 1 / 60) * 1.15)
    ax.set_yscale("symlog", linthresh=1)
    ax.set_ylim(bottom=0)
    # the rebuild line runs along the top for most of its length: the legend goes below
    return finish_axes(ax, "hours after the restart",
                       "records out of date\n(mean per replica)", title,
                       legend=dict(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2,
                                   fontsize="small", frameon=False))


def plot_rebuild_map(copy_bytes, bandwidths, seconds, ax=None, title: str | None = None,
                     marks: dict | None = None):
    """Heat map of rebuild time over total bytes to reload and central bandwidth.

    Parameters
    ----------
    copy_bytes : array_like
        Total bytes the central copy must send (bytes; x axis, log).
    bandwidths : array_like
        Central bandwidth (bytes/s; y axis, log, labelled in Mbit/s).
    seconds : 2-D array, shape (len(bandwidths), len(copy_bytes))
        Rebuild time at each point (seconds; drawn in hours).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure if omitted.
    title : str, optional
        The finding, as the axes' title.
    marks : dict of label -> (bytes, bandwidth), optional
        Scenarios to mark with a labelled point (bytes, bytes/s).

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on, with a colour bar and contour lines at 10 min, 1 hour, 1 day and
        1 week where they fall inside.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> total, bandwidth = np.logspace(9, 12, 4), np.logspace(6, 9, 3) / 8
    >>> ax = plot_rebuild_map(total, bandwidth, total[None, :] / bandwidth[:, None])
    >>> ax.get_ylabel()
    'central bandwidth (Mbit/s)'
    >>> plt.close(ax.figure)
    """
    ax = get_axes(ax)
    x = np.asarray(copy_bytes, float)
    y = np.asarray(bandwidths, float) * 8 / 1e6
    hours = _hours(seconds)
    mesh = ax.pcolormesh(x, y, hours, norm=LogNorm(vmin=max(hours.min(), 1e-3),
                                                   vmax=hours.max()),
                         cmap="cividis", shading="auto")
    ax.figure.colorbar(mesh, ax=ax, label="rebuild time (hours)")
    # Colour bar and log axes first: contour labels placed before the change of scale (or of
    # the axes' shape) end up far from their lines and turned the wrong way. Each level is
    # then labelled on its own line, in the middle of its visible part.
    ax.set_xscale("log")
    ax.set_yscale("log")
    names = {1 / 6: "10 min", 1: "1 hour", 24: "1 day", 24 * 7: "1 week"}
    levels = [level for level in names if hours.min() < level < hours.max()]
    contour = ax.contour(x, y, hours, levels=levels, colors="white", linewidths=1.5)
    places = []
    for level in levels:
        # on this line, bytes = level * 3600 * bandwidth (bytes/s): the part inside the axes
        bw = np.asarray(bandwidths, float)
        inside = bw[(level * 3600 * bw >= x.min()) & (level * 3600 * bw <= x.max())]
        if inside.size:
            middle = np.sqrt(inside.min() * inside.max())
            places.append((level * 3600 * middle, middle * 8 / 1e6))
    if places:
        ax.clabel(contour, fmt=names, fontsize="medium", manual=places, inline_spacing=6)
    for label, (b, bw) in (marks or {}).items():
        ax.plot(b, bw * 8 / 1e6, "o", color=PALETTE["vermillion"], markeredgecolor="white",
                markersize=10 * STATE["scale"])
        ax.annotate(label, (b, bw * 8 / 1e6), textcoords="offset points", xytext=(8, 6),
                    color="white", fontweight="bold")
    ax.set_xlabel("bytes to reload from the central copy")
    ax.set_ylabel("central bandwidth (Mbit/s)")
    ax.grid(False)
    if title:
        ax.set_title(title)
    return ax


def plot_gossip_race(results: dict, round_: int, axes, n_label: str | None = None):
    """Gossip race: informed share and cumulative messages up to ``round_``, per protocol.

    Parameters
    ----------
    results : dict of label -> p2plib.gossip.SpreadResult
        The runs, e.g. :attr:`p2plib.gossip.RaceResult.runs`.
    round_ : int
        The round reached so far, ``>= 0`` (rounds): drawn solid up to it, faint after it.
    axes : pair of matplotlib.axes.Axes
        Left: share informed per round; right: copies sent per replica so far.
    n_label : str, optional
        Title of the left legend (e.g. the number of replicas).

    Returns
    -------
    tuple of matplotlib.axes.Axes
        ``(left, right)``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from p2plib import gossip
    >>> fig, axes = plt.subplots(ncols=2)
    >>> left, right = plot_gossip_race(gossip.race(1000, seed=1).runs, 3, axes)
    >>> left.get_yscale()
    'log'
    >>> plt.close(fig)
    """
    left, right = axes
    last = max(r.rounds for r in results.values())
    for i, (label, r) in enumerate(results.items()):
        colour = _colour(label, i)
        upto = min(round_, r.rounds)
        x = np.arange(r.rounds + 1)
        share = r.informed / r.n
        left.plot(x, share, "-", color=colour, alpha=0.25)
        status = f"all in {r.rounds} rounds" if upto == r.rounds else f"{share[upto]:.1%}"
        left.plot(x[: upto + 1], share[: upto + 1], "o-", color=colour,
                  markersize=5 * STATE["scale"], label=f"{label}: {status}")
        sent = np.concatenate([[0], np.cumsum(r.messages)]) / r.n
        right.plot(x, sent, "-", color=colour, alpha=0.25)
        right.plot(x[: upto + 1], sent[: upto + 1], "o-", color=colour,
                   markersize=5 * STATE["scale"], label=f"{label}: {sent[upto]:.1f}")
    for ax in (left, right):
        ax.axvline(round_, color=PALETTE["grey"], linewidth=6, alpha=0.3)
        ax.set_xlim(-0.5, last + 0.5)
        ax.set_xlabel("round")
    left.set_yscale("log")
    left.set_ylim(0.5 / next(iter(results.values())).n, 1.5)
    left.set_ylabel("share of replicas that\nhave the update (log scale)")
    left.legend(loc="lower right", title=n_label)
    right.set_ylabel("copies of the update sent\n(per replica, so far)")
    right.legend(loc="upper left")
    return left, right


def _duration(seconds: float) -> str:
    if not np.isfinite(seconds):
        return "never (no fresh copy left)"
    for unit, size in (("days", 86400), ("hours", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds / size:.1f} {unit}"
    return f"{seconds:.0f} s"


def _plot_repair_times(comparison, chosen: str, ax) -> None:
    """Bars: hours to consistency by each method's repair and by the rebuild (log axis)."""
    methods = list(comparison.by_method)
    labels = [METHOD_LABELS[m] for m in methods] + ["rebuild\n(central copy)"]
    hours = [r.repair_seconds / 3600 for r in comparison.by_method.values()]
    hours.append(comparison.rebuild_seconds / 3600)
    shown = [h if np.isfinite(h) else np.nan for h in hours]
    bars = ax.barh(labels, np.nan_to_num(shown, nan=0.0),
                   color=[_METHOD_COLOURS[m] for m in [*methods, "rebuild"]],
                   edgecolor=["black" if m == chosen else "white" for m in [*methods, "rebuild"]],
                   linewidth=3)
    for bar, h in zip(bars, hours, strict=True):
        ax.annotate(_duration(h * 3600), (max(bar.get_width(), 1e-3), bar.get_y() + 0.4),
                    xytext=(4, 0), textcoords="offset points", va="center")
    finite = [h for h in shown if np.isfinite(h) and h > 0] or [1.0]
    ax.set_xlim(min(finite) / 3, max(finite) * 6)
    ax.set_xscale("log")  # after the limits: all-zero bars (nothing rolled back) warn otherwise
    ax.set_xlabel("time until every replica is consistent (hours)")
    ax.invert_yaxis()


def plot_repair_vs_rebuild(comparison, method: str, axes):
    """Repair by one method over time (left) and every method's time beside a rebuild (right).

    Parameters
    ----------
    comparison : p2plib.gossip.RepairComparison
        One restart storm repaired by each method (:func:`p2plib.gossip.compare_repair`).
    method : {"full", "digest", "merkle"}
        The method drawn on the left and outlined on the right.
    axes : pair of matplotlib.axes.Axes
        Left: records out of date per replica over hours (:func:`plot_desync`); right: hours
        until every replica is consistent, per method and for the rebuild (log axis).

    Returns
    -------
    tuple of matplotlib.axes.Axes
        ``(left, right)``; the figure's title states the chosen repair's and the rebuild's time.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from p2plib import gossip
    >>> fig, axes = plt.subplots(ncols=2)
    >>> _ = plot_repair_vs_rebuild(gossip.compare_repair(1000, 10_000, seed=1), "digest", axes)
    >>> fig.get_suptitle().startswith("Repair by digests")
    True
    >>> plt.close(fig)
    """
    left, right = axes
    pick = comparison.by_method[method]
    plot_desync({METHOD_LABELS[method]: pick}, ax=left)
    left.set_title(f"{pick.behind:,.0f} records behind on each rolled-back replica",
                   fontsize="medium")
    _plot_repair_times(comparison, method, right)
    left.figure.suptitle(f"Repair by {METHOD_LABELS[method]}: {_duration(pick.repair_seconds)}; "
                         f"rebuild from a central copy: {_duration(pick.rebuild_seconds)}",
                         fontweight="bold")
    return left, right
