"""Availability in "nines": what hours of outage mean over a year.

Availability is the share of time a service works: ``A = 1 - downtime / period``. Operators
quote it in nines (99.9% is "three nines", ``-log10(1 - A)``). A year has 8,760 hours
(365 days), so one two-day outage caps a service at 99.45% for that year.

Examples
--------
>>> round(yearly_availability(48), 4)
0.9945
>>> round(nines(0.999), 6)
3.0
>>> round(allowed_downtime_hours(3), 2)   # three nines: hours of outage a year
8.76
"""

from __future__ import annotations

import math

from p2plib._validate import check_real

__all__ = ["HOURS_PER_YEAR", "allowed_downtime_hours", "nines", "yearly_availability"]

HOURS_PER_YEAR = 365 * 24


def yearly_availability(downtime_hours, outages_per_year=1.0) -> float:
    """Share of the year a service is up, given the length and number of outages.

    Parameters
    ----------
    downtime_hours : float
        Length of one outage in hours, in ``[0, 8760]``.
    outages_per_year : float
        How many such outages a year, ``>= 0``; the total is capped at a whole year.

    Returns
    -------
    float in [0, 1]
    """
    downtime_hours = check_real("downtime_hours", downtime_hours, 0, HOURS_PER_YEAR)
    outages_per_year = check_real("outages_per_year", outages_per_year, 0)
    return 1.0 - min(downtime_hours * outages_per_year, HOURS_PER_YEAR) / HOURS_PER_YEAR


def nines(availability) -> float:
    """Number of nines, ``-log10(1 - availability)``; ``inf`` for a service never down."""
    availability = check_real("availability", availability, 0, 1)
    return math.inf if availability == 1 else -math.log10(1.0 - availability)


def allowed_downtime_hours(target_nines) -> float:
    """Hours of outage a year that a target of ``target_nines`` nines allows."""
    target_nines = check_real("target_nines", target_nines, 0, 12)
    return HOURS_PER_YEAR * 10.0 ** (-target_nines)
