"""Figures for chapter 00: the sourced timeline of August 2007 and availability in nines."""

from __future__ import annotations

import numpy as np

from p2plib.viz.style import CYCLE, PALETTE, get_axes

__all__ = ["plot_availability", "plot_online_users", "plot_timeline"]


def plot_timeline(events, outage_start_h: float, outage_end_h: float, ax=None,
                  title: str | None = None):
    """The dated events of the outage on an hours axis, the outage shaded.

    Parameters
    ----------
    events : sequence of p2plib.facts.TimelineEvent
    outage_start_h, outage_end_h : float
        When most users could not log in, in hours after the first event.
    """
    ax = get_axes(ax)
    hours = np.array([e.hours_from_patch for e in events], dtype=float)
    ax.axvspan(outage_start_h, outage_end_h, color=PALETTE["vermillion"], alpha=0.15)
    ax.text((outage_start_h + outage_end_h) / 2, 0.5, "most users\ncould not\nlog in",
            ha="center", va="center", color=PALETTE["vermillion"], fontweight="bold")
    ax.axhline(0, color="black", linewidth=1.5)
    for i, event in enumerate(events):
        level = (1 if i % 2 == 0 else -1) * (0.55 if i % 4 < 2 else 0.85)
        ax.plot([event.hours_from_patch] * 2, [0, level], color=PALETTE["grey"], linewidth=1)
        ax.plot(event.hours_from_patch, 0, "o", color=CYCLE[0])
        ax.text(event.hours_from_patch, level, event.when, ha="center",
                va="bottom" if level > 0 else "top", fontsize="small")
    ax.set_ylim(-1.2, 1.2)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.grid(False)
    ax.set_xlim(hours.min() - 12, hours.max() + 12)
    ax.set_xticks(np.arange(0, hours.max() + 1, 24))
    ax.set_xlabel("hours after Patch Tuesday\n(Tue 14 Aug 2007, 00:00)")
    if title:
        ax.set_title(title)
    return ax


def plot_online_users(counts: dict, source: str, ax=None, title: str | None = None):
    """Users online (millions) for a few labelled moments, as bars, with the source below."""
    ax = get_axes(ax)
    labels = list(counts)
    millions = np.array(list(counts.values()), dtype=float) / 1e6
    colours = [PALETTE["blue"], PALETTE["vermillion"], *CYCLE[2:]][: len(labels)]
    bars = ax.bar(labels, millions, color=colours)
    for bar, value in zip(bars, millions, strict=True):
        ax.text(bar.get_x() + bar.get_width() / 2, value, f"{value:g} M", ha="center",
                va="bottom")
    ax.set_ylim(0, millions.max() * 1.25)
    ax.set_ylabel("Skype users online (millions)")
    ax.set_xlabel(f"source: {source}", fontsize="small")
    if title:
        ax.set_title(title)
    return ax


def plot_availability(availability: float, targets: dict, ax=None, title: str | None = None):
    """Downtime a year of one service against common availability targets (hours, log scale)."""
    ax = get_axes(ax)
    labels = ["this service", *targets]
    hours = [(1 - availability) * 8760, *[(1 - t) * 8760 for t in targets.values()]]
    colours = [PALETTE["vermillion"]] + [PALETTE["blue"]] * len(targets)
    bars = ax.barh(labels, np.maximum(hours, 1e-3), color=colours)
    for bar, h in zip(bars, hours, strict=True):
        text = f"{h:,.1f} h" if h >= 1 else f"{h * 60:,.1f} min"
        ax.text(bar.get_width() * 1.15, bar.get_y() + bar.get_height() / 2, text, va="center")
    ax.set_xscale("log")
    ax.set_xlim(1e-2, 8760 * 8)
    ax.invert_yaxis()
    ax.set_xlabel("hours of outage per year (log scale)")
    if title:
        ax.set_title(title)
    return ax
