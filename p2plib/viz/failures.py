"""Figures of correlated failures (chapter 01): days with many peers down, exceedance tails.

Draws what :mod:`p2plib.failures` simulates and computes.
"""

from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D

from p2plib.viz.style import CYCLE, PALETTE, finish_axes, get_axes

__all__ = ["legend_exact_and_simulated", "plot_exceedance", "plot_failure_days"]


def plot_failure_days(fractions: dict, threshold: float, ax=None, title: str | None = None):
    """Histogram of the share of peers down at once on each day, per failure model.

    Parameters
    ----------
    fractions : dict of label -> array_like
        Share of peers down (in [0, 1]) on each simulated day, one series per failure model
        (:func:`p2plib.failures.simultaneous_failure_fractions`).
    threshold : float
        The breaking point, a share of peers in [0, 1], drawn as a dashed line.
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
    >>> ax = plot_failure_days({"independent": [0.05, 0.06], "correlated": [0.0, 0.6]}, 0.5)
    >>> ax.get_xlabel()
    'share of peers down at the same time'
    >>> plt.close(ax.figure)
    """
    ax = get_axes(ax)
    bins = np.linspace(0, 1, 51)
    for (label, days), colour in zip(fractions.items(), CYCLE, strict=False):
        ax.hist(days, bins=bins, color=colour, alpha=0.6, label=label, histtype="stepfilled")
    ax.axvline(threshold, color=PALETTE["vermillion"], linestyle="--",
               label=f"breaking point: more than {threshold:.0%} down")
    finish_axes(ax, "share of peers down at the same time", "number of days", title,
                log_y=True)
    ax.set_ylim(bottom=0.5)   # a single day stays visible, even when one bar holds them all
    return ax


def plot_exceedance(thresholds, exact: dict, simulated: dict | None = None, ax=None,
                    title: str | None = None):
    """Probability that more than a share of peers is down at once: exact lines, simulated dots.

    Parameters
    ----------
    thresholds : array_like
        Shares of peers in [0, 1] (x axis).
    exact : dict of label -> array_like
        Probability per day of more than each share down, one series per failure model
        (:func:`p2plib.failures.exceedance_probability`); drawn down to 10^-6.
    simulated : dict of label -> array_like, optional
        The same probabilities measured in a simulation, drawn as dots.
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
    >>> ax = plot_exceedance([0.0, 0.5, 1.0], {"independent": [1.0, 1e-9, 0.0]})
    >>> ax.get_yscale()
    'log'
    >>> plt.close(ax.figure)
    """
    ax = get_axes(ax)
    markers = ["o", "s", "^"]
    floor = 1e-6
    for (label, tail), colour, marker in zip(exact.items(), CYCLE, markers, strict=False):
        tail = np.asarray(tail, dtype=float)
        ax.plot(thresholds, np.maximum(tail, 1e-12), "-", color=colour,
                label=f"{label}: exact")
        below = np.flatnonzero(tail < floor)
        if below.size and below[0] < len(tail) - 1:   # leaves the axis before the right edge
            x = np.asarray(thresholds, dtype=float)[below[0]]
            right_half = x > 0.8   # keep the note inside the axes: write it to the left
            ax.annotate(f"below {floor:.0e}:\ntiny, not zero", (x, floor),
                        xytext=(-8 if right_half else 8, 14), textcoords="offset points",
                        ha="right" if right_half else "left", color=colour,
                        fontsize="small", arrowprops={"arrowstyle": "->", "color": colour})
        if simulated and label in simulated:
            ax.plot(thresholds, simulated[label], marker, color=colour, linestyle="none",
                    label=f"{label}: simulated")
    ax.set_yscale("log")
    ax.set_ylim(floor, 1.5)
    ax.set_xlim(0, 1)
    return finish_axes(ax, "share of peers down at the same time",
                       "probability per day of\nmore than that share down", title)


def legend_exact_and_simulated(ax, labels, loc="upper right"):
    """One legend entry per series (a line with a dot), titled "line: exact · dots: simulated".

    Half the entries of one per line and one per set of markers, so the legend stays clear of
    the curves (series coloured in the order of CYCLE).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The axes with the exact lines and the simulated dots.
    labels : sequence of str
        One label per series, in the order of their colours.
    loc : str
        Where the legend goes (matplotlib's ``loc``).

    Returns
    -------
    matplotlib.legend.Legend
        The legend.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> legend_exact_and_simulated(ax, ["independent", "correlated"]).get_title().get_text()
    'line: exact · dots: simulated'
    >>> plt.close(fig)
    """
    handles = [Line2D([], [], color=colour, marker="o", label=label)
               for label, colour in zip(labels, CYCLE, strict=False)]
    return ax.legend(handles=handles, loc=loc, fontsize="small",
                     title="line: exact · dots: simulated", title_fontsize="small")
