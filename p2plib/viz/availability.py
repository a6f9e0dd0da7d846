"""Figures of availability (chapter 00): downtime a year against availability targets.

Draws what :mod:`p2plib.availability` computes.
"""

from __future__ import annotations

import numpy as np

from p2plib.viz.style import PALETTE, get_axes

__all__ = ["plot_availability"]


def plot_availability(availability: float, targets: dict, ax=None, title: str | None = None):
    """Downtime a year of one service against common availability targets (hours, log scale).

    Parameters
    ----------
    availability : float
        The service's availability, a share of the year in [0, 1].
    targets : dict of label -> float
        Availability targets to compare with (shares in [0, 1], e.g. 0.999 for three nines).
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
    >>> ax = plot_availability(0.9945, {"99.9% (three nines)": 0.999}, title="Two days down")
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['this service', '99.9% (three nines)']
    >>> plt.close(ax.figure)
    """
    ax = get_axes(ax)
    labels = ["this service", *targets]
    hours = [(1 - availability) * 8760, *[(1 - t) * 8760 for t in targets.values()]]
    colours = [PALETTE["vermillion"]] + [PALETTE["blue"]] * len(targets)
    bars = ax.barh(labels, np.maximum(hours, 1e-3), color=colours)
    left = 1e-2   # the axis starts at 36 seconds a year; shorter bars are drawn from there
    for bar, h in zip(bars, hours, strict=True):
        if h == 0:
            text = "no outage"
        else:
            text = f"{h:,.1f} h" if h >= 1 else f"{h * 60:,.1f} min"
        ax.text(max(bar.get_width(), left) * 1.15, bar.get_y() + bar.get_height() / 2, text,
                va="center")
    ax.set_xscale("log")
    ax.set_xlim(left, 8760 * 8)
    ax.invert_yaxis()
    ax.set_xlabel("hours of outage per year (log scale)")
    if title:
        ax.set_title(title)
    return ax
