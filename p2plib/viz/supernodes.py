"""Figures for chapter 02: who may serve, who serves whom, re-homing, and the owner's cost."""

from __future__ import annotations

import numpy as np

from p2plib.viz.style import CYCLE, PALETTE, ROLE_COLOURS, finish_axes, get_axes

__all__ = [
    "plot_eligibility_funnel",
    "plot_load_histogram",
    "plot_owner_cost",
    "plot_rehoming",
    "plot_relay_blocking",
    "plot_supernode_supply",
    "plot_supernodes_needed",
]


def plot_eligibility_funnel(counts: dict, needed: int | None = None, theory: dict | None = None,
                            ax=None, title: str | None = None):
    """Horizontal bars: online peers, then those left after each election condition.

    Parameters
    ----------
    counts : dict of label -> int
        Peers left after each successive condition (first entry: all online peers).
    needed : int, optional
        Supernodes the clients need at full capacity, drawn as a vertical line.
    theory : dict of label -> float, optional
        Expected counts, drawn as black ticks on the bars.
    """
    ax = get_axes(ax)
    if hasattr(counts, "stages"):
        counts = counts.stages()
    if hasattr(theory, "stages"):   # every online peer is counted: nothing to predict there
        theory = dict(list(theory.stages().items())[1:])
    labels = list(counts)
    values = np.array([counts[k] for k in labels], dtype=float)
    y = np.arange(len(labels))[::-1]
    colours = [ROLE_COLOURS["peer"]] * (len(labels) - 1) + [ROLE_COLOURS["supernode"]]
    ax.barh(y, values, color=colours, edgecolor="black", linewidth=0.6)
    for yi, v in zip(y, values, strict=True):
        share = v / values[0] if values[0] else 0.0
        ax.text(v, yi, f"  {v:,.0f} ({share:.1%})", va="center", fontsize="small")
    if theory:
        for yi, label in zip(y, labels, strict=True):
            if label in theory:
                ax.plot([theory[label]] * 2, [yi - 0.4, yi + 0.4], color=ROLE_COLOURS["theory"],
                        linewidth=2)
        ax.plot([], [], color=ROLE_COLOURS["theory"], label="expected (theory)")
    if needed is not None:
        ax.axvline(needed, color=PALETTE["vermillion"], linestyle="--",
                   label=f"supernodes needed: {needed:,}")
    ax.set_yticks(y, labels)
    ax.set_xscale("symlog", linthresh=max(1.0, values.min(initial=1.0)))
    ax.set_xlim(0, values.max(initial=1) * 8)
    ax.set_xlabel("peers (log scale)")
    ax.grid(axis="y", visible=False)
    if needed is not None or theory:
        ax.legend(loc="upper center", bbox_to_anchor=(0.4, -0.16), ncol=2, frameon=False)
    if title:
        ax.set_title(title)
    return ax


def plot_load_histogram(loads, capacity: int, ax=None, label: str = "supernodes",
                        title: str | None = None, bins: int = 30):
    """Histogram of clients per supernode, with the capacity as a vertical line."""
    ax = get_axes(ax)
    loads = np.asarray(loads)
    edges = np.linspace(0, capacity * 1.05, bins + 1)
    counts, _, _ = ax.hist(loads, bins=edges, color=ROLE_COLOURS["supernode"],
                           edgecolor="white", label=label)
    if not len(loads):
        ax.text(0.5, 0.5, "no supernode left", transform=ax.transAxes, ha="center",
                fontsize="large", color=PALETTE["vermillion"])
    ax.axvline(capacity, color=PALETTE["vermillion"], linestyle="--",
               label=f"capacity: {capacity} clients")
    if len(loads):
        ax.axvline(loads.mean(), color=ROLE_COLOURS["theory"], linestyle=":",
                   label=f"mean: {loads.mean():.0f}")
    # headroom above the tallest bar, so the legend (upper left) never covers a bar
    ax.set_ylim(0, max(float(np.max(counts, initial=0.0)), 1.0) * 1.5)
    return finish_axes(ax, "clients attached to a supernode", "number of supernodes", title,
                       legend=dict(loc="upper left"))


def plot_rehoming(result, clients: int, current_round: int | None = None,
                  floor: float | None = None, ax=None, title: str | None = None):
    """Share of clients without a supernode and share of supernodes alive, round by round.

    Parameters
    ----------
    result : p2plib.supernodes.RehomingResult
    clients : int
        Number of clients (for shares).
    current_round : int, optional
        Highlighted with a vertical band.
    floor : float, optional
        Analytic floor of the orphan share, ``max(0, 1 - live capacity / clients)``.
    """
    ax = get_axes(ax)
    rounds = np.arange(len(result.orphans))
    supernodes = max(result.final.supernodes, 1)
    ax.plot(rounds, result.orphans / max(clients, 1), "o-", color=PALETTE["vermillion"],
            label="clients without a supernode")
    ax.plot(rounds, result.live / supernodes, "s--", color=ROLE_COLOURS["supernode"],
            label="supernodes still serving (of all)")
    if floor is not None:
        ax.axhline(floor, color=ROLE_COLOURS["theory"], linestyle=":",
                   label=f"floor if nobody shuts down: {floor:.0%}")
    if current_round is not None:
        ax.axvline(current_round, color=PALETTE["grey"], linewidth=8, alpha=0.3)
    ax.set_ylim(-0.02, 1.05)
    # the shares use the whole height: the legend goes below the axes, where it covers nothing
    return finish_axes(ax, "re-homing round", "share (of all clients / of all supernodes)", title,
                       legend=dict(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2,
                                   frameon=False))


def plot_supernodes_needed(online, needed: dict, ax=None, bands: dict | None = None,
                           marks: dict | None = None, title: str | None = None):
    """Supernodes needed vs peers online, one line per capacity.

    Parameters
    ----------
    online : array_like
        Peers online at once (x axis).
    needed : dict of label -> array
        Supernodes needed at each ``online`` value.
    bands : dict of label -> (low, high), optional
        Ranges of peers online to shade (e.g. usual and peak load, with their source).
    marks : dict of label -> float, optional
        Horizontal lines (e.g. a circulating estimate of the supernode count).
    """
    ax = get_axes(ax)
    online = np.asarray(online, dtype=float)
    for (label, values), colour in zip(needed.items(), CYCLE, strict=False):
        ax.plot(online / 1e6, np.asarray(values) / 1e3, color=colour, label=label)
    for (label, (low, high)), colour in zip((bands or {}).items(), [PALETTE["grey"],
                                            PALETTE["sky"]], strict=False):
        ax.axvspan(low / 1e6, high / 1e6, color=colour, alpha=0.25, label=label)
    for label, value in (marks or {}).items():
        ax.axhline(value / 1e3, color=ROLE_COLOURS["theory"], linestyle=":", label=label)
    return finish_axes(ax, "peers online at once (millions)",
                       "supernodes needed (thousands)", title,
                       legend=dict(loc="upper left", fontsize="small"))


def plot_owner_cost(cost, ax=None, uplink_kbps: float | None = None, title: str | None = None,
                    uplinks: dict | None = None):
    """Stacked upload of a supernode (signalling + relayed calls) vs clients served.

    Parameters
    ----------
    cost : p2plib.supernodes.OwnerCost
        Computed for an array of client counts.
    uplink_kbps : float, optional
        The owner's upload capacity, drawn as a horizontal line.
    uplinks : dict of label -> kbit/s, optional
        Further upload capacities to compare with (e.g. typical lines of the time), drawn as
        labelled horizontal lines.
    """
    ax = get_axes(ax)
    clients = np.asarray(cost.clients)
    signalling = np.asarray(cost.signalling_kbps)
    relay = np.asarray(cost.relay_kbps)
    ax.stackplot(clients, signalling, relay, colors=[PALETTE["sky"], PALETTE["orange"]],
                 labels=["presence and search signalling", "relayed calls (carried)"],
                 alpha=0.85)
    if uplink_kbps is not None:
        ax.axhline(uplink_kbps, color=PALETTE["vermillion"], linestyle="--",
                   label=f"owner's upload: {uplink_kbps:,.0f} kbit/s")
    styles = [":", "-."]
    for i, (label, kbps) in enumerate((uplinks or {}).items()):
        ax.axhline(kbps, color=PALETTE["black"], linestyle=styles[i % len(styles)],
                   label=f"{label}: {kbps:,.0f} kbit/s")
    return finish_axes(ax, "clients served by the supernode", "upload used (kbit/s)", title,
                       legend=dict(loc="center right" if uplinks else "upper left"))


def plot_relay_blocking(offered, blocking: dict, ax=None, target: float | None = None,
                        simulated: dict | None = None, title: str | None = None):
    """Erlang-B blocking vs offered relay load, one line per number of relay slots.

    Parameters
    ----------
    offered : array_like
        Offered load in Erlangs (x axis).
    blocking : dict of label -> array
        Blocking probability at each ``offered`` value (lines).
    target : float, optional
        An acceptable blocking level, drawn as a horizontal line.
    simulated : dict of label -> (x, y), optional
        Measured blocking (markers) for the series with the same label.
    """
    ax = get_axes(ax)
    markers = ["o", "s", "^", "D"]
    for (label, values), colour, marker in zip(blocking.items(), CYCLE, markers, strict=False):
        ax.plot(offered, values, color=colour, label=f"{label}: Erlang-B")
        if simulated and label in simulated:
            x, y = simulated[label]
            ax.plot(x, y, marker, color=colour, linestyle="none", label=f"{label}: simulated")
    if target is not None:
        ax.axhline(target, color=ROLE_COLOURS["theory"], linestyle=":",
                   label=f"target: {target:.0%} of relayed calls refused")
    ax.set_ylim(0, None)
    return finish_axes(ax, "relayed calls offered (Erlangs)",
                       "share of relayed calls refused", title,
                       # beside the axes: inside, it would cover the steep curves of few slots
                       legend=dict(loc="center left", bbox_to_anchor=(1.01, 0.5),
                                   fontsize="small"))


def plot_supernode_supply(hours, counts: dict, needed: int | None = None, ax=None,
                          title: str | None = None, before: int | None = None):
    """Supernodes available vs hours since an event (e.g. a mass reboot), one line per case.

    Parameters
    ----------
    hours : array_like
        Hours since the event (x axis).
    counts : dict of label -> array
        Peers that qualify as supernodes at each hour.
    needed : int, optional
        Supernodes the clients need, drawn as a horizontal line.
    before : int, optional
        Supernodes before the event (first series' rule), drawn as a grey horizontal line.
    """
    ax = get_axes(ax)
    styles = ["-", "--", ":"]
    for (label, values), colour, style in zip(counts.items(), CYCLE, styles, strict=False):
        ax.plot(hours, values, style, color=colour, label=label, drawstyle="steps-post")
    if needed is not None:
        ax.axhline(needed, color=ROLE_COLOURS["theory"], linestyle="-.",
                   label=f"supernodes needed: {needed:,}")
    if before is not None:
        ax.axhline(before, color=PALETTE["grey"], linestyle=":", linewidth=3,
                   label=f"before the reboot: {before:,}")
    ax.set_ylim(0, None)
    # horizontal lines run across the whole width: the legend goes below the axes
    return finish_axes(ax, "hours since the reboot", "peers that qualify as supernodes", title,
                       legend=dict(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=3,
                                   frameon=False))
