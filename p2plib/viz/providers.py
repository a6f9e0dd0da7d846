"""Figures of providers (chapter 06): blast radius of one network or many, switching.

Draws :class:`p2plib.providers.ProviderDays` and :func:`p2plib.providers.served_during_outage`.
"""

from __future__ import annotations

import numpy as np

from p2plib.viz.style import CYCLE, finish_axes, get_axes

__all__ = ["plot_blast_radius", "plot_switching"]


_LINES = ["-", "--", ":", "-."]


def plot_blast_radius(runs: dict, ax=None, title: str | None = None):
    """Share of days on which more than x of all users are cut off, one line per market.

    Parameters
    ----------
    runs : dict of label -> p2plib.providers.ProviderDays
        Simulated days of each market (:func:`p2plib.providers.provider_days`).
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
    >>> from p2plib.providers import provider_days
    >>> runs = {"one network": provider_days([1.0], 0.01, days=1000, seed=1),
    ...         "five providers": provider_days([0.2] * 5, 0.01, days=1000, seed=1)}
    >>> ax = plot_blast_radius(runs)
    >>> len(ax.get_lines()), ax.get_yscale()
    (2, 'log')
    >>> plt.close(ax.figure)
    """
    ax = get_axes(ax)
    grid = np.linspace(0, 1, 201)
    days = max(run.blast_radius.size for run in runs.values())
    floor = min(1e-4, 0.5 / days)       # one day in the longest run still shows above it
    for i, (label, run) in enumerate(runs.items()):
        share = (run.blast_radius[None, :] > grid[:, None]).mean(axis=1)
        ax.step(grid, np.maximum(share, floor / 100), where="post",
                color=CYCLE[i % len(CYCLE)], linestyle=_LINES[i % len(_LINES)],
                label=f"{label}: users up {run.user_availability:.1%} of days")
    ax.set_yscale("log")
    # Room above a share of 1 (which no curve exceeds) for the legend, so it covers no data.
    ax.set_ylim(floor, 10 ** (1.2 + 0.4 * len(runs)))
    decades = range(int(np.floor(np.log10(floor))), 1)
    ax.set_yticks([10.0**k for k in decades])
    ax.set_yticks([m * 10.0**k for k in decades[:-1] for m in range(2, 10)
                   if m * 10.0**k >= floor], minor=True)
    ax.set_xlim(0, 1)
    return finish_axes(ax, "share of all users cut off on a day (blast radius)",
                       "share of days with a\nlarger blast radius", title,
                       legend={"loc": "upper right"})


def plot_switching(hours, curves: dict, ax=None, title: str | None = None):
    """Share of all users with working service during an outage, one line per market.

    Parameters
    ----------
    hours : array_like
        Hours since the outage began (x axis).
    curves : dict of label -> array_like
        Share of all users (in [0, 1]) with working service at each hour
        (:func:`p2plib.providers.served_during_outage`).
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
    >>> ax = plot_switching([0, 24, 48], {"one network down": [0.0, 0.3, 0.45]})
    >>> ax.get_xlabel()
    'hours since the outage began'
    >>> plt.close(ax.figure)
    """
    ax = get_axes(ax)
    for i, (label, served) in enumerate(curves.items()):
        ax.plot(hours, served, color=CYCLE[i % len(CYCLE)], linestyle=_LINES[i % len(_LINES)],
                label=label)
    # Room above a share of 1 (which no curve exceeds) for the legend, so it covers no data
    # (a legend in a corner hides a flat line at 0 or near 1 when nobody switches).
    ax.set_ylim(-0.02, 1.0 + 0.14 * (len(curves) + 0.5))
    ax.set_yticks(np.linspace(0, 1, 6))
    ax.set_xlim(0, float(np.max(hours)))
    return finish_axes(ax, "hours since the outage began",
                       "share of all users\nwith working service", title,
                       legend={"loc": "upper right", "ncol": 1})
