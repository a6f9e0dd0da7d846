"""Chapter 06 exercise checks: providers down together, working hours."""

from __future__ import annotations

import math
import numbers

import numpy as np
from scipy import stats

from p2plib._validate import check_int, check_real
from p2plib.checks.core import CheckResult, check_number

__all__ = ["check_providers_down", "check_working_hours"]


def check_providers_down(answer, providers, outage_prob) -> CheckResult:
    """Chapter 06, exercise 2: your share of days with at least two providers down at once.

    ``providers`` equal providers, each down on a given day with chance ``outage_prob``, for
    unrelated reasons.
    """
    providers = check_int("providers", providers, minimum=2)
    outage_prob = check_real("outage_prob", outage_prob, 0, 1, open_min=True, open_max=True)
    law = stats.binom(providers, outage_prob)
    expected = float(law.sf(1))
    if isinstance(answer, numbers.Real) and not isinstance(answer, bool) and answer > 0:
        near = lambda value: math.isclose(answer, value, rel_tol=0.005)  # noqa: E731
        if near(1.0 - (1.0 - outage_prob) ** providers):
            return CheckResult(False, "Not yet. That is the chance that at least ONE provider "
                                      "is down; you need two or more.")
        if near(1.0 - (1.0 - outage_prob) ** providers
                - outage_prob * (1.0 - outage_prob) ** (providers - 1)):
            return CheckResult(False, "Not yet, but the method is right. \"Exactly one down\" "
                                      "can happen in more than one way: which provider is the "
                                      "one that is down?")
        if near(outage_prob**2):
            return CheckResult(False, "Not yet. That is the chance for two GIVEN providers; "
                                      "how many pairs of providers are there?")
        if near(float(law.pmf(2))):
            return CheckResult(False, "Not yet, but close: that is exactly two. Add the days "
                                      "when three or more are down.")
        if near(math.comb(providers, 2) * outage_prob**2):
            return CheckResult(False, "Not yet, but close: pairs times the chance of a pair "
                                      "counts a day with three down several times, and "
                                      "forgets that the others must be up.")
        if near(100 * expected) or answer > 1:
            return CheckResult(False, "Not yet. Is that a percentage? Give the share of days "
                                      "as a number between 0 and 1 (0.05, not 5).")
    return check_number(answer, expected, rel_tol=0.005,
                        too_low="Count every way it can happen: exactly 2, 3, 4 or all 5 down "
                                "(or 1 minus the chance of 0 or 1 down).",
                        too_high="Subtract from 1 the chance that none AND the chance that "
                                 "exactly one is down.")


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


def check_working_hours(working_hours) -> CheckResult:
    """Chapter 06, exercise 3: runs your function ``working_hours(start_h, end_h)``.

    It is called on several outages (hours counted from Monday 00:00) and its answers are
    compared with the working hours each outage covers.
    """
    if working_hours is None:
        return CheckResult(False, "No answer yet: define working_hours(start_h, end_h) and "
                                  "pass it to the check (without brackets).")
    if not callable(working_hours):
        return CheckResult(False, "Pass the function itself, check_working_hours(working_hours), "
                                  "not its result.")
    results = []
    for start, end in _WORKING_HOUR_CASES:
        try:
            got = working_hours(start, end)
        except Exception as error:  # a student's bug: say which case raised what
            return CheckResult(False, f"working_hours({start:g}, {end:g}) raised "
                                      f"{type(error).__name__}: {error}")
        if got is None and not results:
            return CheckResult(False, "No answer yet: write the body of working_hours (it "
                                      "returns None) and run the cell again.")
        if isinstance(got, np.ndarray) and got.size == 1:
            got = got.item()
        if isinstance(got, bool) or not isinstance(got, numbers.Real) or not math.isfinite(got):
            return CheckResult(False, f"working_hours({start:g}, {end:g}) returned {got!r}; "
                                      "it should return a number of hours.")
        results.append(float(got))
    expected = [_working_hours(s, e) for s, e in _WORKING_HOUR_CASES]
    wrong = [i for i, (g, x) in enumerate(zip(results, expected, strict=True))
             if not math.isclose(g, x, rel_tol=1e-6, abs_tol=1e-6)]
    if not wrong:
        return CheckResult(True, "Correct! Your function counts working hours in every case "
                                 "tried (partial hours, weekends, several weeks).")

    def same(values) -> bool:
        return all(math.isclose(g, v, rel_tol=1e-6, abs_tol=1e-6)
                   for g, v in zip(results, values, strict=True))

    if same([e - s for s, e in _WORKING_HOUR_CASES]):
        return CheckResult(False, "Not yet. Your function returns clock hours (end - start); "
                                  "count only the hours between 09:00 and 17:00 on weekdays.")
    if same([_working_hours(s, e, count_weekends=True) for s, e in _WORKING_HOUR_CASES]):
        return CheckResult(False, "Not yet. Saturday and Sunday count in your function: days "
                                  "5 and 6 of each week (day = hour // 24, then day % 7) are "
                                  "not working days.")
    negative = [i for i in wrong if results[i] < 0]
    if negative:
        start, end = _WORKING_HOUR_CASES[negative[0]]
        return CheckResult(False, f"Not yet. working_hours({start:g}, {end:g}) returned "
                                  f"{results[negative[0]]:g}: a negative number of hours. A "
                                  "day on which the outage misses the office hours adds "
                                  "nothing, not less than nothing.")
    cases = [_WORKING_HOUR_CASES[i] for i in wrong]
    if all(s % 1 or e % 1 for s, e in cases):
        hint = "An outage can start or end within an hour: count parts of hours."
    elif all(s // 168 != (e - 1e-9) // 168 for s, e in cases if e > s):
        hint = "An outage can run into the next week: the pattern repeats every 168 hours."
    elif all(e <= s for s, e in cases):
        hint = "An empty outage (end equal to start) covers no working hours."
    else:
        hint = "Go through that outage day by day, by hand, and compare."
    start, end = cases[0]
    return CheckResult(False, f"Not yet. working_hours({start:g}, {end:g}) returned "
                              f"{results[wrong[0]]:g}. {hint}")
