"""Figures of overlays (chapter 01): the graph, its degrees, the giant component under failure.

Draws :class:`p2plib.overlay.Overlay` and the percolation curves of :mod:`p2plib.overlay`.
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from p2plib.viz.style import CYCLE, PALETTE, ROLE_COLOURS, STATE, finish_axes, get_axes

__all__ = ["overlay_layout", "plot_degree_distribution", "plot_giant_curve", "plot_overlay"]


def overlay_layout(overlay, layout_seed=0) -> dict:
    """Positions of a small overlay's peers for drawing (spring layout; reuse it across redraws).

    Parameters
    ----------
    overlay : p2plib.overlay.Overlay
        A small overlay (up to a few hundred peers).
    layout_seed : int
        Seed of the layout, so that the same overlay is drawn the same way.

    Returns
    -------
    dict of peer -> (x, y)
        Positions for :func:`plot_overlay` (``pos=``).

    Examples
    --------
    >>> from p2plib.overlay import random_overlay
    >>> len(overlay_layout(random_overlay(20, 3.0, seed=1)))
    20
    """
    return nx.spring_layout(overlay.to_networkx(), seed=layout_seed,
                            k=1.5 / np.sqrt(max(overlay.n, 1)))


def plot_overlay(overlay, ax=None, failed=None, roles=None, title=None, layout_seed=0,
                 highlight_giant=True, pos=None, size_by_degree=False, label_hubs=0):
    """Draw a small overlay (up to a few hundred peers), peers coloured by role and state.

    Parameters
    ----------
    overlay : p2plib.overlay.Overlay
        The overlay to draw.
    failed : array_like of bool, optional
        Peers that failed (drawn grey with a cross).
    roles : array_like of str, optional
        A role per peer (``"peer"``, ``"supernode"``, ...), coloured by :data:`ROLE_COLOURS`.
    highlight_giant : bool
        Colour surviving peers by whether they are in the largest connected group
        ("connected") or cut off from it ("cut_off"), when ``roles`` is not given.
    pos : dict, optional
        Peer positions from :func:`overlay_layout` (computed here if not given).
    size_by_degree : bool
        Draw each peer with an area proportional to its links, so that hubs stand out.
    label_hubs : int
        Write the number of links beside this many best-connected peers (0: none).
    layout_seed : int
        Seed of the layout when ``pos`` is not given.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (default: a new course-style figure).
    title : str, optional
        The finding the figure shows.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from p2plib.overlay import random_overlay
    >>> ax = plot_overlay(random_overlay(30, 3.0, seed=1), failed=[True] * 5 + [False] * 25,
    ...                   title="Five peers failed")
    >>> ax.get_title(loc="left")
    'Five peers failed'
    >>> plt.close(ax.figure)
    """
    ax = get_axes(ax)
    graph = overlay.to_networkx()
    n = overlay.n
    failed = np.zeros(n, bool) if failed is None else np.asarray(failed, bool)
    pos = pos if pos is not None else overlay_layout(overlay, layout_seed)
    alive_edges = [(u, v) for u, v in graph.edges if not (failed[u] or failed[v])]
    dead_edges = [(u, v) for u, v in graph.edges if failed[u] or failed[v]]
    nx.draw_networkx_edges(graph, pos, edgelist=dead_edges, ax=ax, edge_color=PALETTE["grey"],
                           style="dotted", alpha=0.5)
    nx.draw_networkx_edges(graph, pos, edgelist=alive_edges, ax=ax, edge_color="#444444",
                           alpha=0.6)
    colours, legend = _peer_colours(graph, failed, roles, highlight_giant)
    degrees = overlay.degrees()
    hubs = np.argsort(-degrees, kind="stable")[:label_hubs] if label_hubs else []
    for i in hubs:
        colours[int(i)] = PALETTE["orange"]
    colours = [ROLE_COLOURS["failed"] if failed[i] else c for i, c in enumerate(colours)]
    size = 80 * STATE["scale"] if n <= 100 else 40 * STATE["scale"]
    sizes = (size * np.clip(degrees, 1, 16) * 0.6 if size_by_degree
             else np.full(n, size, dtype=float))
    nx.draw_networkx_nodes(graph, pos, ax=ax, node_color=colours, node_size=sizes,
                           edgecolors="black", linewidths=0.6)
    for i in hubs:
        x, y = pos[int(i)]
        ax.annotate(f"{degrees[i]} links", (x, y), xytext=(12, 10),
                    textcoords="offset points", fontsize="small", fontweight="bold",
                    bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none",
                          "alpha": 0.8})
    if failed.any():
        xy = np.array([pos[i] for i in np.flatnonzero(failed)])
        ax.scatter(xy[:, 0], xy[:, 1], marker="x", s=size * 0.6, c="black", zorder=3)
        legend = [*legend, "failed"]
    _overlay_legend(ax, legend, size, len(hubs), size_by_degree)
    ax.set_axis_off()
    if title:   # from the drawing's left edge: a long title runs over the legend's column
        ax.set_title(title, loc="left")
    return ax


def _peer_colours(graph, failed, roles, highlight_giant) -> tuple[list, list]:
    """A colour per peer (by role, or connected / cut off), and the roles for the legend."""
    n = len(failed)
    if roles is not None:
        return [ROLE_COLOURS[r] for r in roles], sorted(set(roles))
    if highlight_giant:
        alive_graph = graph.subgraph([i for i in range(n) if not failed[i]])
        giant = max(nx.connected_components(alive_graph), key=len, default=set())
        return ([ROLE_COLOURS["connected" if i in giant else "cut_off"] for i in range(n)],
                ["connected", "cut_off"])
    return [ROLE_COLOURS["peer"]] * n, ["peer"]


def _overlay_legend(ax, legend, size, hubs, size_by_degree) -> None:
    """The legend of :func:`plot_overlay`, beside the drawing: roles, hubs, the dot area."""
    labels = {"cut_off": "cut off from the rest", "login_server": "login server"}
    for role in legend:
        ax.scatter([], [], s=size, c=ROLE_COLOURS[role], edgecolors="black",
                   label=labels.get(role, role))
    if hubs:
        ax.scatter([], [], s=size * 3, c=PALETTE["orange"], edgecolors="black",
                   label=f"the {hubs} hubs\n(most links)")
    if size_by_degree:
        ax.scatter([], [], s=0, c="none", label="dot area: number of links")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)


def plot_giant_curve(failed_fractions, simulated: dict, theory: dict | None = None, ax=None,
                     threshold: float | None = None, title: str | None = None):
    """Giant-component share vs share of peers failed: simulation (markers) and theory (lines).

    Parameters
    ----------
    failed_fractions : array_like
        The x values of the simulated points (share of peers failed).
    simulated : dict of label -> array
        Measured giant share at each ``failed_fractions`` point, one series per strategy.
    theory : dict of label -> (x, y), optional
        Analytic curves, drawn as lines of the same colour as the series with the same label.
    threshold : float, optional
        Random-failure threshold ``f_c`` (Cohen et al. 2000), drawn as a vertical line.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (default: a new course-style figure).
    title : str, optional
        The finding the figure shows.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = plot_giant_curve([0.0, 0.5, 0.9], {"random": [0.98, 0.9, 0.0]},
    ...                       {"random": ([0.0, 0.5, 0.9], [0.98, 0.92, 0.0])}, threshold=0.75)
    >>> len(ax.get_lines())
    3
    >>> plt.close(ax.figure)
    """
    ax = get_axes(ax)
    markers = ["o", "s", "^", "D"]
    for (label, values), colour, marker in zip(simulated.items(), CYCLE, markers, strict=False):
        ax.plot(failed_fractions, values, marker, color=colour, label=f"{label}: simulation",
                linestyle="none")
        if theory and label in theory:
            x, y = theory[label]
            ax.plot(x, y, "-", color=colour, alpha=0.8, label=f"{label}: theory")
    if threshold is not None:
        ax.axvline(threshold, color=PALETTE["black"], linestyle="--", linewidth=1.5,
                   label=f"threshold $f_c$ = {threshold:.2f}")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    return finish_axes(ax, "share of peers that failed",
                       "share of all peers still connected\n(largest connected group)", title,
                       legend={"loc": "upper right"})


def plot_degree_distribution(degrees: dict, ax=None, title: str | None = None):
    """Share of peers with each number of links, log-log, one series per overlay.

    Parameters
    ----------
    degrees : dict of label -> array_like of int
        Each overlay's degree sequence (links per peer, ``overlay.degrees()``).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (default: a new course-style figure).
    title : str, optional
        The finding the figure shows.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = plot_degree_distribution({"random": [1, 2, 2, 3, 3, 3]})
    >>> ax.get_xscale(), ax.get_yscale()
    ('log', 'log')
    >>> plt.close(ax.figure)
    """
    ax = get_axes(ax)
    markers = ["o", "s", "^"]
    for (label, values), colour, marker in zip(degrees.items(), CYCLE, markers, strict=False):
        counts = np.bincount(np.asarray(values))
        k = np.flatnonzero(counts)
        k = k[k > 0]
        ax.plot(k, counts[k] / len(values), marker, color=colour, label=label, alpha=0.8,
                linestyle="none")
    return finish_axes(ax, "links per peer (degree k)", "share of peers with k links", title,
                       log_x=True, log_y=True)
