"""Figures of the sourced facts (chapter 00): the timeline of August 2007, users online.

Draws :mod:`p2plib.facts` (its :class:`~p2plib.facts.TimelineEvent` list and counts).
"""

from __future__ import annotations

import numpy as np

from p2plib.viz.style import CYCLE, PALETTE, get_axes

__all__ = ["plot_online_users", "plot_timeline"]


_WEEKDAYS = ("Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Mon")


def plot_timeline(events, outage_start_h: float, outage_end_h: float, ax=None,
                  title: str | None = None, edge_h: float = 24.0):
    """The dated events of the outage on the course clock, the outage shaded.

    The clock is hours in UTC since 00:00 UTC on Tuesday 14 August 2007 (chapter 03's t = 0).
    Events whose hour is known are filled dots; events known only to the day are hollow dots
    at 00:00 UTC of that day. The outage is shaded solid between ``outage_start_h`` and
    ``outage_end_h`` and lighter over ``edge_h`` hours either side, where the sources give
    the day but not the hour.

    Parameters
    ----------
    events : sequence of p2plib.facts.TimelineEvent
        The dated events, each with its hour on the course clock.
    outage_start_h, outage_end_h : float
        Hours (course clock) between which the sources put most users unable to log in.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (default: a new course-style figure).
    title : str, optional
        The finding the figure shows.
    edge_h : float
        Width in hours of the uncertain edge on each side (24: known to the day).

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from p2plib.facts import TIMELINE_2007
    >>> ax = plot_timeline(TIMELINE_2007, 48.0, 96.0, title="About two days down")
    >>> ax.get_title()
    'About two days down'
    >>> plt.close(ax.figure)
    """
    ax = get_axes(ax)
    hours = np.array([e.hours_utc for e in events], dtype=float)
    colour = PALETTE["vermillion"]
    ax.axvspan(outage_start_h - edge_h, outage_start_h, color=colour, alpha=0.07, lw=0)
    ax.axvspan(outage_start_h, outage_end_h, color=colour, alpha=0.18, lw=0)
    ax.axvspan(outage_end_h, outage_end_h + edge_h, color=colour, alpha=0.07, lw=0)
    ax.text((outage_start_h + outage_end_h) / 2, 1.25, "most users could not log in",
            ha="center", va="bottom", color=colour, fontweight="bold")
    ax.text(outage_start_h - edge_h / 2, -1.28, "began\n(day only)", ha="center", va="bottom",
            color=colour, fontsize="small")
    ax.text(outage_end_h + edge_h / 2, -1.28, "ended\n(day only)", ha="center", va="bottom",
            color=colour, fontsize="small")
    ax.axhline(0, color="black", linewidth=1.5)
    for i, event in enumerate(events):
        level = (1 if i % 2 == 0 else -1) * (0.45 if i % 4 < 2 else 0.8)
        x = event.hours_utc
        ax.plot([x] * 2, [0, level], color=PALETTE["grey"], linewidth=1)
        ax.plot(x, 0, "o", markerfacecolor=CYCLE[0] if event.hour_known else "white",
                markeredgecolor=CYCLE[0], markeredgewidth=1.5, markersize=9, zorder=3)
        ax.text(x, level, f"{event.when}\n(+{x:.0f} h)", ha="center",
                va="bottom" if level > 0 else "top", fontsize="small")
    ax.set_ylim(-1.3, 1.55)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.grid(False)
    ax.plot([], [], "o", color=CYCLE[0], label="hour known")
    ax.plot([], [], "o", markerfacecolor="white", markeredgecolor=CYCLE[0], label="day only")
    ax.legend(loc="upper right", fontsize="small", frameon=False)
    ax.set_xlim(min(hours.min(), 0) - 14, hours.max() + 14)
    ticks = np.arange(0, hours.max() + 1, 24)
    ax.set_xticks(ticks)
    ax.set_xticklabels([f"{t:.0f}\n{_WEEKDAYS[int(t // 24) % 7]}" for t in ticks])
    ax.set_xlabel("course clock: hours since Tue 14 Aug 2007, 00:00 UTC")
    if title:
        ax.set_title(title)
    return ax


def plot_online_users(counts: dict, source: str, ax=None, title: str | None = None,
                      typical_range: tuple[float, float] | None = None,
                      typical_label: str = "usual all-day level"):
    """Users online (millions) for a few labelled moments, as bars, with the source below.

    ``typical_range`` (users, low and high) draws the usual all-day level as a band, so that
    a count taken at one hour is not compared with a level averaged over the day.

    Parameters
    ----------
    counts : dict of label -> float
        Users online (count) at each labelled moment.
    source : str
        Where the counts come from, written below the bars.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (default: a new course-style figure).
    title : str, optional
        The finding the figure shows.
    typical_range : tuple of float, optional
        Low and high of the usual level, users.
    typical_label : str
        Label of that band.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = plot_online_users({"usual": 8e6, "Fri 17 Aug": 3e6}, "Computerworld, 2007")
    >>> ax.get_xlabel()
    'source: Computerworld, 2007'
    >>> plt.close(ax.figure)
    """
    ax = get_axes(ax)
    labels = list(counts)
    millions = np.array(list(counts.values()), dtype=float) / 1e6
    colours = [PALETTE["blue"], PALETTE["vermillion"], *CYCLE[2:]][: len(labels)]
    if typical_range is not None:
        low, high = (v / 1e6 for v in typical_range)
        ax.axhspan(low, high, color=PALETTE["grey"], alpha=0.3, lw=0, zorder=0)
        ax.text(len(labels) - 1, (low + high) / 2, f"{typical_label}: {low:g}-{high:g} M",
                ha="center", va="center", fontsize="small", zorder=4)
    bars = ax.bar(labels, millions, color=colours, width=0.6, zorder=2)
    for bar, value in zip(bars, millions, strict=True):
        ax.text(bar.get_x() + bar.get_width() / 2, value, f"{value:g} M", ha="center",
                va="bottom")
    ax.set_ylim(0, millions.max() * 1.25)
    ax.set_ylabel("Skype users online (millions)")
    ax.set_xlabel(f"source: {source}", fontsize="small")
    if title:
        ax.set_title(title)
    return ax
