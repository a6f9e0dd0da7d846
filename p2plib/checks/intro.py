"""Chapter 00 exercise checks.

The hints name the idea to reconsider, never the number; each hint is chosen by the mistake
the answer shows (``tests/test_checks_intro_basics.py`` tests that every hint is reachable and
sits in the right branch).
"""

from __future__ import annotations

import math
import numbers

from p2plib import availability
from p2plib.checks.core import CheckResult, check_number
from p2plib.facts import FACTS

__all__ = [
    "check_availability_function",
    "check_course_hour",
    "check_missing_share",
    "check_yearly_availability",
]

# The moment exercise 2 of chapter 00 asks about: Thursday 16 August 2007, 20:00 in Berlin
# (central European summer time, two hours ahead of UTC).
_BERLIN_UTC_OFFSET_H = 2
_BERLIN_DAY, _BERLIN_HOUR = 2, 20  # days after Tuesday 14 August; local hour


def _is_number(answer) -> bool:
    return (isinstance(answer, numbers.Real) and not isinstance(answer, bool)
            and math.isfinite(answer))


def _share_above_one_hint(answer: float, expected: float, usual: float, online: float) -> str:
    """The hint for an answer above 1, chosen by what the answer most likely is."""
    if math.isclose(answer, (usual - online) / online, rel_tol=0.02):
        return ("Not yet. You divided the number missing by the number still online; divide "
                "it by the USUAL number online.")
    if math.isclose(answer, 100 * expected, rel_tol=0.02):
        return "Not yet. Give a share between 0 and 1, not a percentage."
    if answer >= 1000:
        return ("Not yet. That is a number of users; the question asks for a share of the "
                "usual users, between 0 and 1.")
    return "Not yet. Give a share between 0 and 1 (a part of the usual number online)."


def check_missing_share(answer) -> CheckResult:
    """Chapter 00, exercise 1: check your share of users missing at noon US Eastern, 17 Aug 2007.

    Parameters
    ----------
    answer : float or None
        Your answer, a share between 0 and 1.
    """
    usual = FACTS["skype_online_usual"].value
    online = FACTS["skype_online_outage"].value
    expected = 1 - online / usual
    if _is_number(answer):
        if answer > 1:
            return CheckResult(False, _share_above_one_hint(answer, expected, usual, online))
        if math.isclose(answer, online / usual, rel_tol=0.02):
            return CheckResult(False, "Not yet. That is the share still online; the question "
                                      "asks for the share that was NOT online.")
        all_day = [1 - online / FACTS[k].value
                   for k in ("skype_online_typical_low", "skype_online_typical_high")]
        if min(all_day) - 0.01 <= answer <= max(all_day) + 0.01:
            return CheckResult(False, "Not yet. You compared with the usual all-day level. "
                                      "Compare counts taken at the same hour of the day.")
    return check_number(answer, expected, rel_tol=0.02,
                        too_low="Compare the two Computerworld counts: how many of the usual "
                                "users are missing, as a share of the usual number?",
                        too_high="Divide the number missing by the USUAL number online, not "
                                 "by the number still online.")


def check_course_hour(answer) -> CheckResult:
    """Chapter 00, exercise 2: check your conversion of a Berlin time to the course clock.

    Parameters
    ----------
    answer : float or None
        Your answer in hours on the course clock.
    """
    utc_hour = _BERLIN_HOUR - _BERLIN_UTC_OFFSET_H
    expected = 24 * _BERLIN_DAY + utc_hour
    if _is_number(answer):
        days_off = (answer - expected) / 24
        if answer != expected and math.isclose(days_off, round(days_off), abs_tol=1e-9):
            return CheckResult(False, "Not yet. The hour of the day is right; count the whole "
                                      "days again: Tuesday 14 August is day 0.")
        if math.isclose(answer, expected + 2 * _BERLIN_UTC_OFFSET_H, abs_tol=1e-9):
            return CheckResult(False, "Not yet. Berlin is AHEAD of UTC: when it is 20:00 in "
                                      "Berlin, is it earlier or later in UTC?")
        if math.isclose(answer, expected + _BERLIN_UTC_OFFSET_H, abs_tol=1e-9):
            return CheckResult(False, "Not yet. That is Berlin's local time; the course clock "
                                      "counts in UTC.")
    return check_number(answer, expected, rel_tol=0.0, abs_tol=0.01,
                        too_low="Not a whole day out, so check the hour: convert Berlin time "
                                "to UTC, then add it to the whole days since Tuesday.",
                        too_high="Not a whole day out, so check the hour: convert Berlin time "
                                 "to UTC, then add it to the whole days since Tuesday.")


def check_yearly_availability(answer, outage_hours: float) -> CheckResult:
    """Check your availability over a 365-day year with one outage of ``outage_hours`` hours.

    Parameters
    ----------
    answer : float or None
        Your answer, a share between 0 and 1.
    outage_hours : float
        Length of the one outage, in hours.
    """
    expected = availability.yearly_availability(outage_hours)
    if _is_number(answer) and answer > 1:
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
        return (f"your function counts a year of about {year_hours:,.0f} hours; the exercise "
                "uses a 365-day year of 365 x 24 hours")
    return None


#: The (outage_hours, outages_per_year) cases the function check runs.
_FUNCTION_CASES = ((48.0, 1.0), (30.0, 1.0), (1.0, 12.0), (0.0, 3.0), (2.5, 0.5))


def check_availability_function(func) -> CheckResult:
    """Chapter 00, exercise 3: run your ``availability(outage_hours, outages_per_year)``.

    Parameters
    ----------
    func : callable or None
        Your function; it is called with a few outage lengths (hours) and counts per year and
        must return the share of a 365-day year the service is up.
    """
    if func is None:
        return CheckResult(False, "No answer yet: define the function, then run the cell "
                                  "again.")
    if not callable(func):
        return CheckResult(False, f"Expected a function, got {type(func).__name__}.")
    for hours, per_year in _FUNCTION_CASES:
        expected = availability.yearly_availability(hours, per_year)
        try:
            got = func(hours, per_year)
        except Exception as error:  # the student's code: report, never crash the check
            return CheckResult(False, f"Your function raised {type(error).__name__} for "
                                      f"outage_hours={hours:g}, outages_per_year={per_year:g}: "
                                      f"{error}")
        if not _is_number(got):
            return CheckResult(False, "Your function must return a single number, got "
                                      f"{type(got).__name__}.")
        if math.isclose(got, expected, rel_tol=0.0, abs_tol=1e-6):
            continue
        where = f"for outage_hours={hours:g}, outages_per_year={per_year:g}"
        if got > 1:
            return CheckResult(False, f"Not yet {where}: return a share between 0 and 1, "
                                      "not a percentage.")
        if math.isclose(got, availability.yearly_availability(hours), abs_tol=1e-6):
            return CheckResult(False, f"Not yet {where}: your function ignores "
                                      "outages_per_year. Every outage takes hours off the "
                                      "year.")
        if math.isclose(got, 1 - expected, abs_tol=1e-6):
            return CheckResult(False, f"Not yet {where}: that is the share of the year the "
                                      "service was DOWN.")
        hint = _year_length_hint(got, hours, per_year)
        if hint is None:
            hint = ("too low: is your year 365 x 24 hours long?" if got < expected
                    else "too high: do all the outage hours come off the year?")
        return CheckResult(False, f"Not yet {where}: {hint}")
    return CheckResult(True, "Correct! Your function agrees with the course's on every case.")
