"""Business-continuity check (chapter 06): the working hours an outage covers.

:mod:`p2plib.continuity` counts a customer firm's cost of an outage by the *working* hours it
covers (09:00-17:00, Monday to Friday), not its clock hours; this checks the student's function
that counts them.
"""

from __future__ import annotations

import math

from p2plib.checks._student_code import check_function
from p2plib.checks.core import CheckResult

__all__ = ["check_working_hours"]


#: Hours from Monday 00:00 local time; the cases a student's working_hours is run on.
_WORKING_HOUR_CASES = (
    (82.0, 112.0),      # Thursday 10:00, 30 hours: into Friday afternoon
    (0.0, 168.0),       # a whole week
    (3.0, 8.0),         # Monday night: none
    (9.5, 10.25),       # parts of an hour
    (108.0, 180.0),     # Friday noon to Monday noon: over a weekend
    (120.0, 168.0),     # Saturday and Sunday: none
    (10.0, 346.0),      # two whole weeks, Monday 10:00 to Monday 10:00
    (50.0, 50.0),       # an empty interval
)


def _working_hours(start_h: float, end_h: float, count_weekends: bool = False) -> float:
    """Reference: hours in [start_h, end_h) within 09:00-17:00, Monday to Friday (or, with
    ``count_weekends``, every day: a mistake the hints recognise)."""
    total = 0.0
    for day in range(int(start_h // 24), math.ceil(end_h / 24) + 1):
        if count_weekends or day % 7 < 5:
            total += max(0.0, min(end_h, 24 * day + 17) - max(start_h, 24 * day + 9))
    return total


def _same(got, values) -> bool:
    return all(math.isclose(g, v, rel_tol=1e-6, abs_tol=1e-6)
               for g, v in zip(got, values, strict=True))


def _working_hours_hint(cases, got, want) -> str:
    """The hint for a wrong working_hours, from its answers on every case."""
    spans = [(c["start_h"], c["end_h"]) for c in cases]
    if _same(got, [e - s for s, e in spans]):
        return ("Your function returns clock hours (end - start); count only the hours "
                "between 09:00 and 17:00 on weekdays.")
    if _same(got, [_working_hours(s, e, count_weekends=True) for s, e in spans]):
        return ("Saturday and Sunday count in your function: days 5 and 6 of each week "
                "(day = hour // 24, then day % 7) are not working days.")
    wrong = [i for i, (g, w) in enumerate(zip(got, want, strict=True))
             if not math.isclose(g, w, rel_tol=1e-6, abs_tol=1e-6)]
    negative = [i for i in wrong if got[i] < 0]
    if negative:
        (start, end), value = spans[negative[0]], got[negative[0]]
        return (f"working_hours({start:g}, {end:g}) returned {value:g}: a negative number of "
                "hours. A day on which the outage misses the office hours adds nothing, not "
                "less than nothing.")
    wrong_spans = [spans[i] for i in wrong]
    if all(s % 1 or e % 1 for s, e in wrong_spans):
        hint = "An outage can start or end within an hour: count parts of hours."
    elif all(s // 168 != (e - 1e-9) // 168 for s, e in wrong_spans if e > s):
        hint = "An outage can run into the next week: the pattern repeats every 168 hours."
    elif all(e <= s for s, e in wrong_spans):
        hint = "An empty outage (end equal to start) covers no working hours."
    else:
        hint = "Go through that outage day by day, by hand, and compare."
    start, end = wrong_spans[0]
    return f"working_hours({start:g}, {end:g}) returned {got[wrong[0]]:g}. {hint}"


def check_working_hours(working_hours) -> CheckResult:
    """Chapter 06, exercise 3: runs your function ``working_hours(start_h, end_h)``.

    It is called on several outages and its answers are compared with the working hours each
    outage covers.

    Parameters
    ----------
    working_hours : callable or None
        Your function of an outage's start and end, in hours counted from Monday 00:00 local
        time (``end_h >= start_h >= 0``), returning the working hours it covers (hours, >= 0).

    Returns
    -------
    CheckResult
        Right, or an outage your function gets wrong, what it returned and a hint.

    Examples
    --------
    >>> check_working_hours(None)
    No answer yet: define working_hours(start_h, end_h) and pass it to the check (without brackets).
    >>> check_working_hours(lambda start_h, end_h: 8.0).correct
    False
    """
    cases = [{"start_h": start, "end_h": end} for start, end in _WORKING_HOUR_CASES]
    return check_function(
        working_hours, cases, _working_hours, rel_tol=1e-6, abs_tol=1e-6, positional=True,
        diagnose_run=_working_hours_hint,
        no_answer="No answer yet: define working_hours(start_h, end_h) and pass it to the check "
                  "(without brackets).",
        correct="Correct! Your function counts working hours in every case tried (partial "
                "hours, weekends, several weeks).")
