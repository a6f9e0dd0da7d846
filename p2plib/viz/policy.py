"""Figures for the chapter 06 capstone: service in 2007 and 2010 under one policy."""

from __future__ import annotations

from p2plib.viz.outage import plot_service
from p2plib.viz.style import PALETTE, new_figure

__all__ = ["plot_policy_report"]


def plot_policy_report(report, now_h: float | None = None, title: str | None = None):
    """Service in 2007 and in 2010 under one policy, side by side; returns the figure."""
    fig, axes = new_figure(ncols=2, width=15, height=5.8)
    for ax, (name, result) in zip(axes, report.results.items(), strict=True):
        verdict = (f"{report.hours_below[name]:.1f} h below {report.service_level:.0%}"
                   + ("" if report.recovered[name] else ", still down"))
        plot_service(result, ax=ax, labels=[f"{name}: your policy"],
                     level=report.service_level, now_h=now_h)
        ax.set_title(verdict, pad=46, color=PALETTE["black"] if report.recovered[name]
                     and report.hours_below[name] <= report.max_hours_below
                     else PALETTE["vermillion"])
    if title:
        fig.suptitle(title, fontweight="bold")
    return fig
