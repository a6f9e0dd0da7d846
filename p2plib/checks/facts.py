"""Checks of the sourced facts (chapter 00): users missing in 2007, the course clock.

Checks answers against :data:`p2plib.facts.FACTS` and the course clock of :mod:`p2plib.facts`
(hours since 00:00 UTC on Tuesday 14 August 2007). The hints name the idea to reconsider,
never the number; each hint is chosen by the mistake the answer shows
(``tests/test_checks_intro_basics.py`` tests that every hint is reachable and sits in the right
branch).
"""

from __future__ import annotations

import math

from p2plib.checks._student_code import finite_number
from p2plib.checks.core import CheckResult, check_number
from p2plib.facts import FACTS

__all__ = ["check_course_hour", "check_missing_share"]

# The moment exercise 2 of chapter 00 asks about: Thursday 16 August 2007, 20:00 in Berlin
# (central European summer time, two hours ahead of UTC).
_BERLIN_UTC_OFFSET_H = 2
_BERLIN_DAY, _BERLIN_HOUR = 2, 20  # days after Tuesday 14 August; local hour


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
        Your answer, a share of the usual users online, in [0, 1] (not a percentage).

    Returns
    -------
    CheckResult
        Right, or a hint at the comparison to reconsider.

    Examples
    --------
    >>> check_missing_share(None)
    No answer yet: replace None with your answer and run the cell again.
    >>> check_missing_share(62.5)
    Not yet. Give a share between 0 and 1, not a percentage.
    """
    usual = FACTS["skype_online_usual"].value
    online = FACTS["skype_online_outage"].value
    expected = 1 - online / usual
    value = finite_number(answer)
    if value is not None:
        if value > 1:
            return CheckResult(False, _share_above_one_hint(value, expected, usual, online))
        if math.isclose(value, online / usual, rel_tol=0.02):
            return CheckResult(False, "Not yet. That is the share still online; the question "
                                      "asks for the share that was NOT online.")
        all_day = [1 - online / FACTS[k].value
                   for k in ("skype_online_typical_low", "skype_online_typical_high")]
        if min(all_day) - 0.01 <= value <= max(all_day) + 0.01:
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
        Your answer in hours on the course clock (hours since Tuesday 14 August 2007,
        00:00 UTC).

    Returns
    -------
    CheckResult
        Right, or a hint: the day count, the direction or the size of the time-zone shift.

    Examples
    --------
    >>> check_course_hour(None)
    No answer yet: replace None with your answer and run the cell again.
    >>> check_course_hour(-5).correct
    False
    """
    utc_hour = _BERLIN_HOUR - _BERLIN_UTC_OFFSET_H
    expected = 24 * _BERLIN_DAY + utc_hour
    value = finite_number(answer)
    if value is not None:
        days_off = (value - expected) / 24
        if value != expected and math.isclose(days_off, round(days_off), abs_tol=1e-9):
            return CheckResult(False, "Not yet. The hour of the day is right; count the whole "
                                      "days again: Tuesday 14 August is day 0.")
        if math.isclose(value, expected + 2 * _BERLIN_UTC_OFFSET_H, abs_tol=1e-9):
            return CheckResult(False, "Not yet. Berlin is AHEAD of UTC: when it is 20:00 in "
                                      "Berlin, is it earlier or later in UTC?")
        if math.isclose(value, expected + _BERLIN_UTC_OFFSET_H, abs_tol=1e-9):
            return CheckResult(False, "Not yet. That is Berlin's local time; the course clock "
                                      "counts in UTC.")
    return check_number(answer, expected, rel_tol=0.0, abs_tol=0.01,
                        too_low="Not a whole day out, so check the hour: convert Berlin time "
                                "to UTC, then add it to the whole days since Tuesday.",
                        too_high="Not a whole day out, so check the hour: convert Berlin time "
                                 "to UTC, then add it to the whole days since Tuesday.")
