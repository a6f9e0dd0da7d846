"""Figures of capacity (chapter 01): distribution time, client-server against P2P.

Draws what :func:`p2plib.capacity.distribution_time` computes.
"""

from __future__ import annotations

import numpy as np

from p2plib.viz.style import CYCLE, finish_axes, get_axes

__all__ = ["plot_distribution_times"]


def plot_distribution_times(peers, times: dict, ax=None, title: str | None = None):
    """Time to give every peer the file vs number of peers, one line per architecture."""
    ax = get_axes(ax)
    styles = ["-", "--", ":"]
    for (label, seconds), colour, style in zip(times.items(), CYCLE, styles, strict=False):
        ax.plot(peers, np.asarray(seconds) / 60.0, style, color=colour, label=label)
    return finish_axes(ax, "number of peers that want the file",
                       "time until every peer has it (minutes)", title, log_x=True, log_y=True)
