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
    counts : p2plib.supernodes.EligibilityFunnel or dict of label -> int
        Peers left after each successive condition (first entry: all online peers), counted.
    needed : int, optional
        Supernodes the clients need at full capacity (peers), drawn as a vertical line.
    theory : p2plib.supernodes.EligibilityFunnel or dict of label -> float, optional
        Expected peers, drawn as black ticks on the bars (a funnel's first stage, all online
        peers, gets none).
    ax : matplotlib.axes.Axes, optional
        Where to draw (default: a new figure).
    title : str, optional
        The finding, as the axes' title.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = plot_eligibility_funnel({"online peers": 1000, "public address": 300},
    ...                              needed=4, title="3 in 10 may serve")
    >>> ax.get_title()
    '3 in 10 may serve'
    >>> plt.close(ax.figure)
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
    """Histogram of clients per supernode, with the capacity as a vertical line.

    Parameters
    ----------
    loads : array_like of int
        Clients attached to each supernode drawn (clients, ``>= 0``).
    capacity : int
        Clients a supernode accepts; the x axis runs to 105% of it.
    ax : matplotlib.axes.Axes, optional
        Where to draw (default: a new figure).
    label : str
        Legend entry of the bars.
    title : str, optional
        The finding, as the axes' title.
    bins : int
        Number of bars between 0 and 105% of capacity, ``>= 1``.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = plot_load_histogram([120, 300, 280], 300, title="mostly full")
    >>> ax.get_xlabel()
    'clients attached to a supernode'
    >>> plt.close(ax.figure)
    """
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
        The rounds to draw.
    clients : int
        Number of clients (for shares), ``>= 0``.
    current_round : int, optional
        Highlighted with a vertical band.
    floor : float, optional
        Analytic floor of the orphan share, in ``[0, 1]``
        (:func:`p2plib.supernodes.orphan_floor`).
    ax : matplotlib.axes.Axes, optional
        Where to draw (default: a new figure).
    title : str, optional
        The finding, as the axes' title.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from p2plib import supernodes as sn
    >>> start = sn.remove_supernodes(sn.attach(600, 6, 200, seed=1), 0.5, seed=1)
    >>> ax = plot_rehoming(sn.rehome(start, 3, seed=1), 600, floor=sn.orphan_floor(start),
    ...                    title="no orphan left")
    >>> ax.get_xlabel()
    're-homing round'
    >>> plt.close(ax.figure)
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
        Peers online at once (x axis, peers; drawn in millions).
    needed : dict of label -> array
        Supernodes needed at each ``online`` value (drawn in thousands).
    ax : matplotlib.axes.Axes, optional
        Where to draw (default: a new figure).
    bands : dict of label -> (low, high), optional
        Ranges of peers online to shade (e.g. usual and peak load, with their source), peers.
    marks : dict of label -> float, optional
        Horizontal lines (e.g. a circulating estimate of the supernode count), supernodes.
    title : str, optional
        The finding, as the axes' title.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> online = [1e6, 5e6, 9e6]
    >>> ax = plot_supernodes_needed(online, {"500 each": [2000, 10_000, 18_000]})
    >>> ax.get_ylabel()
    'supernodes needed (thousands)'
    >>> plt.close(ax.figure)
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
    ax : matplotlib.axes.Axes, optional
        Where to draw (default: a new figure).
    uplink_kbps : float, optional
        The owner's upload capacity, kbit/s, drawn as a horizontal line.
    title : str, optional
        The finding, as the axes' title.
    uplinks : dict of label -> kbit/s, optional
        Further upload capacities to compare with (e.g. typical lines of the time), drawn as
        labelled horizontal lines.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from p2plib import supernodes as sn
    >>> ax = plot_owner_cost(sn.owner_cost([0, 300, 600]), uplink_kbps=1500)
    >>> ax.get_ylabel()
    'upload used (kbit/s)'
    >>> plt.close(ax.figure)
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
        Blocking probability (share of relayed calls refused, in ``[0, 1]``) at each
        ``offered`` value (lines).
    ax : matplotlib.axes.Axes, optional
        Where to draw (default: a new figure).
    target : float, optional
        An acceptable blocking level, in ``[0, 1]``, drawn as a horizontal line.
    simulated : dict of label -> (x, y), optional
        Measured blocking (markers) for the series with the same label.
    title : str, optional
        The finding, as the axes' title.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from p2plib import supernodes as sn
    >>> load = [0.0, 2.0, 4.0]
    >>> ax = plot_relay_blocking(load, {"4 slots": sn.erlang_b(load, 4)}, target=0.01)
    >>> ax.get_xlabel()
    'relayed calls offered (Erlangs)'
    >>> plt.close(ax.figure)
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
    ax : matplotlib.axes.Axes, optional
        Where to draw (default: a new figure).
    title : str, optional
        The finding, as the axes' title.
    before : int, optional
        Supernodes before the event (first series' rule), drawn as a grey horizontal line.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = plot_supernode_supply([0, 1, 2], {"12 h rule": [50, 60, 70]}, needed=80)
    >>> ax.get_xlabel()
    'hours since the reboot'
    >>> plt.close(ax.figure)
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
