"""Providers check (chapter 06): the share of days with several providers down at once.

Checks answers against the independent-outage model of :mod:`p2plib.providers` (each provider
down on a day with the same chance, for unrelated reasons).
"""

from __future__ import annotations

import math
import numbers

from scipy import stats

from p2plib._validate import check_int, check_real
from p2plib.checks.core import CheckResult, check_number

__all__ = ["check_providers_down"]


def check_providers_down(answer, providers, outage_prob) -> CheckResult:
    """Chapter 06, exercise 2: your share of days with at least two providers down at once.

    ``providers`` equal providers, each down on a given day with chance ``outage_prob``, for
    unrelated reasons.

    Parameters
    ----------
    answer : float or None
        Your share of days, in [0, 1] (not a percentage).
    providers : int
        Number of providers (>= 2).
    outage_prob : float
        Chance that one provider is down on a given day, in (0, 1).

    Returns
    -------
    CheckResult
        Right, or a hint that names the case your answer counts or misses.

    Examples
    --------
    >>> check_providers_down(None, 5, 0.01)
    No answer yet: replace None with your answer and run the cell again.
    >>> check_providers_down(5.0, 5, 0.01).correct
    False
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
