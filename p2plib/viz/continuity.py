"""Figures of business continuity (chapter 06): break-even outages a year.

Draws :func:`p2plib.continuity.break_even_sweep`.
"""

from __future__ import annotations

import numpy as np

from p2plib.viz.style import CYCLE, PALETTE, finish_axes, get_axes

__all__ = ["plot_break_even_outages"]


def plot_break_even_outages(values, break_even, marks: dict | None = None, ax=None,
                    xlabel: str = "clients per dedicated server", title: str | None = None):
    """Break-even outages a year against one assumption, with the line of one outage a year.

    Parameters
    ----------
    values, break_even : array_like
        The assumption's values (> 0) and the break-even outages a year (> 0) at each
        (:func:`p2plib.continuity.break_even_sweep`).
    marks : dict of label -> value, optional
        Values to mark on the curve (e.g. the chapter's assumption).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (default: a new course-style figure).
    xlabel : str
        The assumption's name and unit (x axis, log scale).
    title : str, optional
        The finding the figure shows.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = plot_break_even_outages([1e3, 1e4, 1e5], [0.2, 2.0, 20.0], {"assumed": 2e4})
    >>> ax.get_yscale(), len(ax.get_lines())
    ('log', 3)
    >>> plt.close(ax.figure)
    """
    ax = get_axes(ax)
    values, break_even = np.asarray(values, float), np.asarray(break_even, float)
    ax.plot(values, break_even, color=CYCLE[0], label="outages a year that eat the saving")
    ax.axhline(1.0, color=PALETTE["grey"], linestyle="--", label="one outage a year")
    for i, (label, value) in enumerate((marks or {}).items()):
        y = float(np.interp(np.log(value), np.log(values), np.log(break_even)))
        ax.plot([value], [np.exp(y)], marker="os"[i % 2], markersize=12, linestyle="none",
                color=CYCLE[1 + i % (len(CYCLE) - 1)], label=label)
    return finish_axes(ax, xlabel, "outages a year at break-even", title, log_x=True,
                       log_y=True, legend={"loc": "upper right"})
