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

__all__ = [
    "HOURS_PER_YEAR",
    "allowed_downtime_hours",
    "break_even_outages_per_year",
    "expected_outage_cost",
    "nines",
    "yearly_availability",
]

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
    float
        Availability, the share of the year's 8,760 hours the service is up, in ``[0, 1]``.

    References
    ----------
    J. Gray and D. P. Siewiorek, "High-availability computer systems", *IEEE Computer* 24(9),
    39-48, 1991 (availability classes counted in nines).

    Examples
    --------
    >>> round(yearly_availability(48), 4)     # one two-day outage
    0.9945
    """
    downtime_hours = check_real("downtime_hours", downtime_hours, 0, HOURS_PER_YEAR)
    outages_per_year = check_real("outages_per_year", outages_per_year, 0)
    return 1.0 - min(downtime_hours * outages_per_year, HOURS_PER_YEAR) / HOURS_PER_YEAR


def nines(availability) -> float:
    """Number of nines, ``-log10(1 - availability)``; ``inf`` for a service never down.

    Parameters
    ----------
    availability : float
        Share of time the service is up, in ``[0, 1]``.

    Returns
    -------
    float
        Nines, ``>= 0`` (3.0 for 99.9%), or ``math.inf`` at availability 1.

    References
    ----------
    J. Gray and D. P. Siewiorek, "High-availability computer systems", *IEEE Computer* 24(9),
    39-48, 1991 (availability classes counted in nines).

    Examples
    --------
    >>> round(nines(0.9945), 2)
    2.26
    """
    availability = check_real("availability", availability, 0, 1)
    return math.inf if availability == 1 else -math.log10(1.0 - availability)


def allowed_downtime_hours(target_nines) -> float:
    """Hours of outage a year that a target of ``target_nines`` nines allows.

    ``8760 * 10**-target_nines``.

    Parameters
    ----------
    target_nines : float
        Availability target in nines, in ``[0, 12]``.

    Returns
    -------
    float
        Hours of outage a year, in ``[0, 8760]``.

    References
    ----------
    J. Gray and D. P. Siewiorek, "High-availability computer systems", *IEEE Computer* 24(9),
    39-48, 1991 (availability classes counted in nines).

    Examples
    --------
    >>> round(allowed_downtime_hours(5) * 60, 2)     # five nines: minutes a year
    5.26
    """
    target_nines = check_real("target_nines", target_nines, 0, 12)
    return HOURS_PER_YEAR * 10.0 ** (-target_nines)


def expected_outage_cost(outage_hours, outages_per_year, users, cost_per_user_hour) -> float:
    """Expected yearly cost of outages to the users who rely on a service (currency/year).

    ``outage_hours * outages_per_year * users * cost_per_user_hour``: each outage hour costs
    every user the value of an hour they could not call (a model assumption the caller sets,
    e.g. a business's cost of a cancelled conference call).

    Parameters
    ----------
    outage_hours : float
        Length of one outage, hours, in ``[0, 8760]``.
    outages_per_year : float
        Outages a year, ``>= 0``.
    users : float
        Users who rely on the service, ``>= 0``.
    cost_per_user_hour : float
        What one user loses per hour without the service, currency per user-hour, ``>= 0``.

    Returns
    -------
    float
        Expected cost, currency a year, ``>= 0``.

    References
    ----------
    Course model (chapter 06): expected loss = frequency x duration x users x cost per
    user-hour, with every rate a model assumption.

    Examples
    --------
    >>> expected_outage_cost(48, 0.5, 1_000, 2.0)
    48000.0
    """
    outage_hours = check_real("outage_hours", outage_hours, 0, HOURS_PER_YEAR)
    outages_per_year = check_real("outages_per_year", outages_per_year, 0)
    users = check_real("users", users, 0)
    cost_per_user_hour = check_real("cost_per_user_hour", cost_per_user_hour, 0)
    return outage_hours * outages_per_year * users * cost_per_user_hour


def break_even_outages_per_year(saving_per_year, outage_hours, users,
                                cost_per_user_hour) -> float:
    """Outages a year at which a saving (e.g. servers not bought) is eaten by outage costs.

    Running a service on customers' machines saves the operator ``saving_per_year``; if it
    also brings outages of ``outage_hours`` that cost ``users`` each ``cost_per_user_hour``,
    the trade breaks even at ``saving / (outage_hours * users * cost_per_user_hour)`` outages
    a year. ``inf`` when outages cost nothing.

    Parameters
    ----------
    saving_per_year : float
        What the operator saves, currency a year, ``>= 0``.
    outage_hours : float
        Length of one outage, hours, in ``[0, 8760]``.
    users : float
        Users who rely on the service, ``>= 0``.
    cost_per_user_hour : float
        What one user loses per hour without the service, currency per user-hour, ``>= 0``.

    Returns
    -------
    float
        Outages a year, ``>= 0``, or ``math.inf``.

    References
    ----------
    Course model (chapter 06): the saving divided by :func:`expected_outage_cost` of one
    outage a year.

    Examples
    --------
    >>> break_even_outages_per_year(1e6, 48, 10_000, 1.0)
    2.0833333333333335
    """
    saving_per_year = check_real("saving_per_year", saving_per_year, 0)
    cost_per_outage = expected_outage_cost(outage_hours, 1.0, users, cost_per_user_hour)
    return math.inf if cost_per_outage == 0 else saving_per_year / cost_per_outage
