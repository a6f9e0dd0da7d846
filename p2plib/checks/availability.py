"""Availability checks (chapter 00): a year's availability, and the student's function for it.

Checks answers against :func:`p2plib.availability.yearly_availability`. The hints name the
idea to reconsider, never the number; each hint is chosen by the mistake the answer shows
(``tests/test_checks_intro_basics.py`` tests that every hint is reachable and sits in the right
branch).
"""

from __future__ import annotations

import math

from p2plib import availability
from p2plib.checks._student_code import check_function, finite_number
from p2plib.checks.core import CheckResult, check_number

__all__ = ["check_availability_function", "check_yearly_availability"]


def check_yearly_availability(answer, outage_hours: float) -> CheckResult:
    """Check your availability over a 365-day year with one outage of ``outage_hours`` hours.

    Parameters
    ----------
    answer : float or None
        Your answer, a share of the year in [0, 1] (not a percentage).
    outage_hours : float
        Length of the one outage, in hours, from 0 to a whole year.

    Returns
    -------
    CheckResult
        Right, or a hint at the idea to reconsider.

    Examples
    --------
    >>> check_yearly_availability(None, 48)
    No answer yet: replace None with your answer and run the cell again.
    >>> check_yearly_availability(99.0, 48)
    Not yet. Give a share between 0 and 1, not a percentage.
    """
    expected = availability.yearly_availability(outage_hours)
    value = finite_number(answer)
    if value is not None and value > 1:
        return CheckResult(False, "Not yet. Give a share between 0 and 1, not a percentage.")
    return check_number(answer, expected, rel_tol=0.0, abs_tol=5e-5,
                        too_low="Availability is the share of the year's hours that the "
                                "service was UP. Did you count a year as 365 x 24 hours?",
                        too_high="Availability is the share of the year's hours that the "
                                 "service was up: the outage hours must come off the year.")


def _year_length_hint(got: float, hours: float, per_year: float) -> str | None:
    """A hint if ``got`` is right but for a year of another plausible length, else None."""
    downtime = hours * per_year
    if downtime == 0 or got >= 1:
        return None
    year_hours = downtime / (1 - got)
    if 8_000 <= year_hours <= 9_500:   # 333 to 396 days: a year, but not 365 x 24 hours
        return (f"Your function counts a year of about {year_hours:,.0f} hours; the exercise "
                "uses a 365-day year of 365 x 24 hours.")
    return None


#: The (outage_hours, outages_per_year) cases the function check runs.
_FUNCTION_CASES = tuple({"outage_hours": hours, "outages_per_year": per_year}
                        for hours, per_year in ((48.0, 1.0), (30.0, 1.0), (1.0, 12.0),
                                                (0.0, 3.0), (2.5, 0.5)))


def _availability_hint(case: dict, got: float, want: float) -> str:
    """The hint for one case the student's availability function gets wrong."""
    hours, per_year = case["outage_hours"], case["outages_per_year"]
    if got > 1:
        return "Return a share between 0 and 1, not a percentage."
    if math.isclose(got, availability.yearly_availability(hours), abs_tol=1e-6):
        return ("Your function ignores outages_per_year. Every outage takes hours off the "
                "year.")
    if math.isclose(got, 1 - want, abs_tol=1e-6):
        return "That is the share of the year the service was DOWN."
    hint = _year_length_hint(got, hours, per_year)
    if hint is None:
        hint = ("Too low: is your year 365 x 24 hours long?" if got < want
                else "Too high: do all the outage hours come off the year?")
    return hint


def check_availability_function(func) -> CheckResult:
    """Chapter 00, exercise 3: run your ``availability(outage_hours, outages_per_year)``.

    Parameters
    ----------
    func : callable or None
        Your function; it is called with a few outage lengths (hours, >= 0) and counts per
        year (>= 0) and must return the share of a 365-day year the service is up, in [0, 1].

    Returns
    -------
    CheckResult
        Right, or the case your function gets wrong, what it returned and a hint.

    Examples
    --------
    >>> check_availability_function(None)
    No answer yet: define the function, then run the cell again.
    >>> check_availability_function(lambda outage_hours, outages_per_year: 0.5).correct
    False
    """
    def expected(outage_hours, outages_per_year):
        return availability.yearly_availability(outage_hours, outages_per_year)

    return check_function(
        func, _FUNCTION_CASES, expected, rel_tol=0.0, abs_tol=1e-6,
        positional=True, diagnose=_availability_hint,
        no_answer="No answer yet: define the function, then run the cell again.",
        correct="Correct! Your function agrees with the course's on every case.")
