"""Figures of capacity (chapter 01): distribution time, client-server against P2P.

Draws what :func:`p2plib.capacity.distribution_time` computes.
"""

from __future__ import annotations

import numpy as np

from p2plib.viz.style import CYCLE, finish_axes, get_axes

__all__ = ["plot_distribution_times"]


def plot_distribution_times(peers, times: dict, ax=None, title: str | None = None):
    """Time to give every peer the file vs number of peers, one line per architecture.

    Parameters
    ----------
    peers : array_like
        Numbers of peers that want the file (x axis, log scale).
    times : dict of label -> array_like
        Least distribution time at each number of peers, in seconds (drawn in minutes), one
        series per architecture (:func:`p2plib.capacity.distribution_time`).
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
    >>> ax = plot_distribution_times([10, 1000], {"client-server": [80, 8000], "P2P": [80, 160]})
    >>> len(ax.get_lines()), ax.get_xscale()
    (2, 'log')
    >>> plt.close(ax.figure)
    """
    ax = get_axes(ax)
    styles = ["-", "--", ":"]
    for (label, seconds), colour, style in zip(times.items(), CYCLE, styles, strict=False):
        ax.plot(peers, np.asarray(seconds) / 60.0, style, color=colour, label=label)
    return finish_axes(ax, "number of peers that want the file",
                       "time until every peer has it (minutes)", title, log_x=True, log_y=True)
