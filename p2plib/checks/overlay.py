"""Overlay checks (chapter 01): the random-failure threshold and the giant component.

Checks answers against :func:`p2plib.overlay.critical_failed_fraction` and
:func:`p2plib.overlay.er_giant_fraction`. The hints name the idea to reconsider, never the
number; each hint is chosen by the mistake the answer shows
(``tests/test_checks_intro_basics.py`` tests that every hint is reachable and sits in the right
branch).
"""

from __future__ import annotations

import math

import numpy as np

from p2plib import overlay
from p2plib.checks._student_code import finite_number
from p2plib.checks.core import CheckResult, check_number

__all__ = ["check_critical_fraction", "check_giant_fraction"]


def _close(a: float, b: float, rel: float = 0.01, abs_: float = 1e-3) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


def _not_a_share(value: float | None) -> CheckResult | None:
    """The hint for an answer outside [0, 1] where a share is asked for, else None."""
    if value is None or 0 <= value <= 1:
        return None
    if 1 < value <= 100:
        return CheckResult(False, "Not yet. Give a share between 0 and 1, not a percentage.")
    return CheckResult(False, "Not yet. The answer is a share of the peers: a number between "
                              "0 and 1.")


def check_critical_fraction(answer, degrees) -> CheckResult:
    """Chapter 01, exercise 1: check your random-failure threshold for this degree sequence.

    Parameters
    ----------
    answer : float or None
        Your threshold, a share of peers between 0 and 1.
    degrees : array_like of int
        The overlay's degree sequence (links per peer, ``net.degrees()``).

    Returns
    -------
    CheckResult
        Right, or a hint at the step of the threshold formula to reconsider.

    Examples
    --------
    >>> check_critical_fraction(None, [2, 3, 4])
    No answer yet: replace None with your answer and run the cell again.
    >>> check_critical_fraction(50, [2, 3, 4])
    Not yet. Give a share between 0 and 1, not a percentage.
    """
    expected = overlay.critical_failed_fraction(degrees)
    value = finite_number(answer)
    if value is not None and not math.isclose(value, expected, rel_tol=2e-3, abs_tol=2e-4):
        k = np.asarray(degrees, dtype=float)
        kappa = float((k**2).mean() / k.mean())
        mean = float(k.mean())
        mistakes = [
            (1 - 1 / (mean - 1) if mean > 1 else None,
             "Not yet. κ is not the mean degree <k>: it is built from <k²>, the mean of the "
             "squared degrees."),
            (1 - 1 / mean if mean > 0 else None,
             "Not yet. 1 - 1/c is a shortcut that holds only for random (Poisson) overlays, "
             "where κ = c + 1. This one has hubs: compute κ from the degrees."),
            (1 - 1 / kappa,
             "Not yet. Look again at the threshold formula: it uses κ - 1, not κ."),
            (1 / (kappa - 1),
             "Not yet. f_c is the share of peers that can FAIL before the giant component "
             "goes: 1 minus what you have."),
        ]
        for wrong, message in mistakes:
            # a mistake is named only where it gives a clearly different number (for a random
            # overlay the 1 - 1/c shortcut is nearly right, and is accepted as such below)
            if wrong is not None and abs(wrong - expected) > 3e-3 \
                    and math.isclose(value, wrong, rel_tol=2e-3, abs_tol=2e-4):
                return CheckResult(False, message)
    if (outside := _not_a_share(value)) is not None:
        return outside
    # computed from the same degrees, the answer is exact; two decimals are accepted too
    return check_number(
        answer, expected, rel_tol=0.0, abs_tol=5e-3,
        too_low="Check κ: <k²> is the mean of the squared degrees, (k**2).mean(), not the "
                "square of the mean.",
        too_high="Check κ: divide <k²> by <k>, then use κ - 1 in the threshold formula.",
    )


def check_giant_fraction(answer, mean_degree: float, failed_fraction: float) -> CheckResult:
    """Chapter 01, exercise 2: check your share of ALL peers in the giant component.

    Parameters
    ----------
    answer : float or None
        Your share of all peers (failed ones included), between 0 and 1.
    mean_degree : float
        Mean degree ``c`` of the random overlay before the failures, links per peer (> 0).
    failed_fraction : float
        Share of peers that failed at random, in [0, 1].

    Returns
    -------
    CheckResult
        Right, or a hint at what the answer left out.

    Examples
    --------
    >>> check_giant_fraction(None, 3, 0.5)
    No answer yet: replace None with your answer and run the cell again.
    >>> check_giant_fraction(0.99, 3, 0.5).correct
    False
    """
    expected = overlay.er_giant_fraction(mean_degree, failed_fraction)
    survivors = 1.0 - failed_fraction
    value = finite_number(answer)
    if (outside := _not_a_share(value)) is not None:
        return outside
    if value is not None and not _close(value, expected, rel=0.03, abs_=0.01):
        if survivors > 0 and _close(value, expected / survivors, rel=0.03, abs_=0.01):
            return CheckResult(False, "Not yet. That is the giant's share of the SURVIVORS; "
                                      "multiply by the share of peers that survived.")
        if _close(value, 0.0, rel=0.0, abs_=0.01):
            return CheckResult(False, "Not yet. s = 0 always solves the equation: start the "
                                      "iteration from s = 1 to find the other solution.")
        no_failure = overlay.er_giant_fraction(mean_degree, 0.0)
        if any(_close(value, v, rel=0.03, abs_=0.01)
               for v in (no_failure, survivors * no_failure)):
            return CheckResult(False, "Not yet. After the failures each survivor keeps only "
                                      "some of its links: the mean degree in the equation is "
                                      "c q, not c.")
    return check_number(
        answer, expected, rel_tol=0.03, abs_tol=0.01,
        too_low="Did you solve s = 1 - exp(-c q s) for the survivors, starting from s = 1, "
                "and then multiply by q?",
        too_high="Remember: the failed peers are not connected, so multiply the survivors' "
                 "share s by q = 1 - f.",
    )
