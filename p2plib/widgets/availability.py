"""Availability explorer (chapter 00): what hours of outage mean as availability over a year."""

from __future__ import annotations

from p2plib import availability, viz
from p2plib.widgets.core import Explorer, slider

__all__ = ["availability_explorer"]

_TARGETS = {"99% (two nines)": 0.99, "99.9% (three nines)": 0.999,
            "99.99% (four nines)": 0.9999, "99.999% (five nines)": 0.99999}


def _availability_run(outage_hours: float, outages_per_year: float):
    share = availability.yearly_availability(outage_hours, outages_per_year)
    return {"availability": share, "nines": availability.nines(share)}


def _availability_draw(result):
    fig, ax = viz.new_figure(height=4.8)
    viz.plot_availability(result["availability"], _TARGETS, ax=ax)
    if result["availability"] == 1:
        ax.set_title("No outage: up 100% of the year")
    else:
        ax.set_title(f"Up {result['availability']:.3%} of the year: "
                     f"{result['nines']:.1f} nines")
    return fig


def availability_explorer(outage_hours: float = 48.0) -> Explorer:
    """Chapter 00: outage length and frequency -> yearly availability against common targets.

    Parameters
    ----------
    outage_hours : float
        Starting length of one outage, hours (the slider runs from 0.5 to 96).

    Returns
    -------
    Explorer
        Displays itself in a notebook cell; the figure is :func:`p2plib.viz.plot_availability`.

    Examples
    --------
    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()):   # outside Jupyter display() prints
    ...     explorer = availability_explorer(outage_hours=30.0)
    >>> explorer.figure.axes[0].get_title()
    'Up 99.658% of the year: 2.5 nines'
    """
    controls = {
        "outage_hours": slider("Outage length", "hours", "how long one outage lasts "
                               "(2007: about 48 h)", outage_hours, 0.5, 96.0, 0.5),
        "outages_per_year": slider("Outages", "per year", "how many such outages in a year",
                                   1.0, 0.0, 12.0, 0.5),
    }
    return Explorer("What does an outage cost in nines?", controls, run=_availability_run,
                    draw=_availability_draw)
