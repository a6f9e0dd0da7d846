"""Figures for chapter 03: the reboot trigger, the login flood and the chain reaction.

Each function draws results of :mod:`p2plib.outage` / :mod:`p2plib.sweep` (never runs a model)
and returns the axes (or the figure, for multi-panel views).
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import BoundaryNorm, ListedColormap

from p2plib.viz.style import CYCLE, PALETTE, ROLE_COLOURS, finish_axes, get_axes, new_figure

__all__ = [
    "plot_hysteresis",
    "plot_model_agreement",
    "plot_outage_panels",
    "plot_phase_diagram",
    "plot_pool",
    "plot_service",
]

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_LINES = ("-", "--", "-.", ":")


def _day_axis(ax, scenario, hours):
    """Ticks at midnight UTC, labelled with the weekday."""
    ticks = np.arange(0, hours[-1] + 1e-9, 24)
    ax.set_xticks(ticks)
    ax.set_xticklabels([_DAYS[(scenario.start_weekday + int(t // 24)) % 7] for t in ticks])
    ax.set_xlim(0, hours[-1])
    ax.set_xlabel("time (days, midnight UTC)")


def _events(ax, scenario, with_labels=True):
    for k, (hour, label) in enumerate(scenario.events):
        ax.axvline(hour, color=PALETTE["grey"], linestyle=":", linewidth=1.5)
        if with_labels:  # alternate heights so that close events do not overlap
            ax.text(hour, 1.01 + 0.07 * (k % 2), label, rotation=0, fontsize="small",
                    color="#444444", transform=ax.get_xaxis_transform(), ha="center",
                    va="bottom")


def plot_service(results, ax=None, labels=None, level: float | None = 0.5, title=None,
                 now_h: float | None = None):
    """Served fraction over time for one or more runs (same start day).

    Parameters
    ----------
    results : OutageResult or list of OutageResult
    labels : list of str, optional
        Legend entries (default: each scenario's name).
    level : float, optional
        Draw this service level as a dashed line (the outage threshold).
    now_h : float, optional
        Draw a cursor at this hour (for Play controls).
    """
    ax = get_axes(ax)
    results = results if isinstance(results, list | tuple) else [results]
    labels = labels or [r.scenario.name for r in results]
    for i, (r, label) in enumerate(zip(results, labels, strict=True)):
        ax.plot(r.time_h, r.served_fraction, color=CYCLE[i % len(CYCLE)],
                linestyle=_LINES[i % len(_LINES)], label=label)
    if level is not None:
        ax.axhline(level, color=ROLE_COLOURS["theory"], linewidth=1, linestyle="--")
    _events(ax, results[0].scenario)
    if now_h is not None:
        ax.axvline(now_h, color=PALETTE["vermillion"], linewidth=4, alpha=0.35)
    ax.set_ylim(-0.02, 1.05)
    ax.set_ylabel("served fraction\n(connected / normal day)")
    _day_axis(ax, results[0].scenario, results[0].time_h)
    ax.legend(loc="lower left")
    if title:
        ax.set_title(title, pad=46)
    return ax


def plot_outage_panels(result, now_h: float | None = None, title: str | None = None,
                       width: float = 14, height: float = 9):
    """Three stacked panels over time: service, supernodes, login servers; returns the figure.

    ``now_h`` draws a time cursor and writes the state at that hour into the titles.
    """
    fig, axes = new_figure(nrows=3, width=width, height=height)
    serve_ax, sn_ax, login_ax = axes
    s, t = result.scenario, result.time_h
    i = None if now_h is None else int(np.clip(np.searchsorted(t, now_h), 0, len(t) - 1))
    serve_ax.plot(t, result.served_fraction, color=ROLE_COLOURS["connected"])
    serve_ax.set_ylim(-0.02, 1.05)
    serve_ax.set_ylabel("served\nfraction")
    sn_ax.plot(t, result.supernodes_alive, color=ROLE_COLOURS["supernode"],
               label="supernodes serving")
    sn_ax.axhline(s.supernodes, color=ROLE_COLOURS["theory"], linewidth=1, linestyle="--",
                  label=f"capable peers ({s.supernodes:,.0f})")
    if result.mega_slots.max() > 0:
        sn_ax.plot(t, result.mega_slots / s.sn_capacity, color=PALETTE["green"], linestyle="--",
                   label="mega-supernodes (in ordinary supernodes)")
    sn_ax.set_ylabel("supernodes")
    sn_ax.set_ylim(bottom=0)
    sn_ax.legend(loc="lower left", fontsize="small")
    per_min = 1.0 / s.step_min
    login_ax.plot(t, result.login_attempts * per_min, color=ROLE_COLOURS["login_server"],
                  label="login attempts / min")
    login_ax.plot(t, result.login_goodput * per_min, color=PALETTE["green"], linestyle="--",
                  label="useful logins / min")
    login_ax.axhline(s.login_capacity_per_min, color=ROLE_COLOURS["theory"], linewidth=1,
                     linestyle=":", label="login capacity / min")
    login_ax.plot(t, result.login_queue, color=PALETTE["vermillion"], linestyle="-.",
                  label="queued requests")
    login_ax.set_yscale("symlog", linthresh=max(1.0, s.login_capacity_per_min / 10))
    login_ax.set_ylabel("login servers")
    login_ax.legend(loc="upper left", fontsize="small", ncol=2)
    for ax in axes:
        _events(ax, s, with_labels=ax is serve_ax)
        _day_axis(ax, s, t)
        if i is not None:
            ax.axvline(t[i], color=PALETTE["vermillion"], linewidth=4, alpha=0.35)
    for ax in axes[:2]:
        ax.set_xlabel("")
    if i is not None:
        day = _DAYS[(s.start_weekday + int(t[i] // 24)) % 7]
        minutes = round(float(t[i]) * 60)
        state = (f"{day} {minutes // 60 % 24:02d}:{minutes % 60:02d} UTC: "
                 f"{result.served_fraction[i]:.0%} served, "
                 f"{result.supernodes_alive[i]:,.0f} supernodes, "
                 f"{result.login_queue[i]:,.0f} queued logins")
        fig.suptitle(f"{title or s.name}\n{state}")
    elif title:
        fig.suptitle(title)
    return fig


def plot_pool(results, ax=None, labels=None, title=None):
    """Supernode client slots (solid) against clients wanting service (dashed), over time.

    Where a solid line dips below its dashed line, the pool cannot hold everyone: the
    analytic condition ``supernodes x capacity < clients`` for refusals to start.
    """
    ax = get_axes(ax)
    results = results if isinstance(results, list | tuple) else [results]
    labels = labels or [r.scenario.name for r in results]
    for i, (r, label) in enumerate(zip(results, labels, strict=True)):
        colour = CYCLE[i % len(CYCLE)]
        slots = r.supernodes_alive * r.scenario.sn_capacity + r.mega_slots
        ax.plot(r.time_h, slots / 1e6, color=colour, label=f"{label}: supernode slots")
        ax.plot(r.time_h, r.demand / 1e6, color=colour, linestyle="--", linewidth=1.5,
                label=f"{label}: clients (daily cycle)")
    _events(ax, results[0].scenario)
    _day_axis(ax, results[0].scenario, results[0].time_h)
    ax.set_ylabel("millions")
    ax.set_ylim(bottom=0)
    ax.legend(loc="lower left", fontsize="small")
    if title:
        ax.set_title(title, pad=46)
    return ax


def plot_phase_diagram(result, ax=None, title=None, mark=None):
    """Outcome of a 2-D :func:`~p2plib.sweep.sweep` with metric ``"outcome"`` as coloured cells.

    Colours: no outage, an outage that ended by itself, still down at the end of the run.
    ``mark`` = (x, y) draws a star at one point (e.g. the preset).
    """
    ax = get_axes(ax)
    (xname, xs), (yname, ys) = result.axes.items()
    cmap = ListedColormap([ROLE_COLOURS["connected"], PALETTE["yellow"], PALETTE["vermillion"]])
    norm = BoundaryNorm([-0.5, 0.5, 1.5, 2.5], cmap.N)
    ax.pcolormesh(_edges(xs), _edges(ys), result.values.T, cmap=cmap, norm=norm,
                  edgecolors="white", linewidth=0.5)
    for code, label in enumerate(("no outage", "outage, recovers", "stuck at end of run")):
        ax.scatter([], [], marker="s", s=120, color=cmap(code), label=label)
    if mark is not None:
        ax.scatter([mark[0]], [mark[1]], marker="*", s=400, color="black", label="preset")
    names = {"reboot_fraction": "share of peers rebooted", "sn_capacity": "clients per supernode",
             "supernode_fraction": "supernodes per online peer",
             "login_headroom": "login capacity (x mean login rate)"}
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
    falling half dashed, with arrows where service fails and where it comes back.
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
    """The aggregate model's served fraction beside several agent-model runs (thin lines)."""
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
