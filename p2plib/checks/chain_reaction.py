"""Chapter 03 exercise checks on the minimal chain reaction (:mod:`p2plib.chain_reaction`).

The login goodput rule (a coding exercise) and the demand at which the login flood starts.
Docstrings here say what is checked, never how to compute it: a student reads them with
Shift-Tab.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable

import numpy as np

from p2plib._validate import check_real
from p2plib.checks._student_code import check_function
from p2plib.checks.core import CheckResult, check_number

__all__ = ["check_flood_demand", "check_login_goodput"]

# Test cases for the goodput rule: (queue, served_per_min, capacity_per_min, timeout_min).
# An empty queue, queues of one, two and four minutes of work, a hopeless one, other units.
_GOODPUT_CASES = (
    (0.0, 40_000.0, 100_000.0, 2.0),
    (100_000.0, 100_000.0, 100_000.0, 2.0),
    (200_000.0, 100_000.0, 100_000.0, 2.0),
    (400_000.0, 100_000.0, 100_000.0, 2.0),
    (50_000.0, 166_667.0, 166_667.0, 3.0),
    (5_000_000.0, 100_000.0, 100_000.0, 2.0),
    (300.0, 500.0, 500.0, 1.5),
)


def _wait_min(queue, served, capacity):
    return queue / capacity


def _right(queue, served, capacity, timeout):
    return served * math.exp(-_wait_min(queue, served, capacity) / timeout)


# Typical wrong rules and the hint each one gets. A hint names the idea that is missing, never
# the expression.
_WRONG_RULES = (
    (lambda q, s, c, t: s,
     "Your rule is right for an empty queue and too high for a long one: some answers reach "
     "clients who have already given up waiting. Which share of clients is still waiting when "
     "its answer comes?"),
    (lambda q, s, c, t: s * (1 - math.exp(-_wait_min(q, s, c) / t)),
     "You counted the answers that come too late (their clients have given up). The useful "
     "ones are the others."),
    (lambda q, s, c, t: s if _wait_min(q, s, c) <= t else 0.0,
     "Your clients all wait exactly the timeout. In this model patience is random "
     "(exponentially distributed with that mean): use the chance that a client is still "
     "waiting after the time its request spent in the queue."),
    (lambda q, s, c, t: math.exp(-_wait_min(q, s, c) / t),
     "You return a share (between 0 and 1); the rule must return answers per minute."),
    (lambda q, s, c, t: s * math.exp(-q / t),
     "The queue is a number of requests, the timeout a time: first turn the queue into the "
     "time a request spends in it, given how fast the servers work through it."),
    (lambda q, s, c, t: s * math.exp(-_wait_min(q, s, c) * t),
     "The timeout is a mean waiting time: a longer timeout must leave more clients waiting, "
     "not fewer."),
)


def _goodput_hint(cases, got, want) -> str | None:
    """A typical wrong rule recognised by its answers on every case, or None."""
    for wrong, hint in _WRONG_RULES:
        if np.allclose(got, [wrong(*case.values()) for case in cases], rtol=1e-4, atol=1e-6):
            return hint
    for case, value in zip(cases, got, strict=True):
        if value < 0 or value > case["served_per_min"] * (1 + 1e-9):
            return (f"For queue={case['queue']:g} and served_per_min="
                    f"{case['served_per_min']:g} your function returns {value:g}: useful "
                    "answers cannot be negative or more than the answers served.")
    return None


def check_login_goodput(rule: Callable | None) -> CheckResult:
    """Chapter 03, exercise 1 (code): run your login goodput rule on seven test situations.

    The situations range from an empty queue to a hopeless one, in other units too; your
    answers must agree to 0.01%. A wrong rule gets a hint about the idea it misses (not the
    answer); a rule that breaks, returns nothing or is not a function is told so.

    Parameters
    ----------
    rule : callable or None
        Your ``login_goodput(queue, served_per_min, capacity_per_min, timeout_min)``, called
        with the arguments in that order: ``queue`` in requests (0 or more), ``served_per_min``
        and ``capacity_per_min`` in requests per minute (0 or more; more than 0),
        ``timeout_min`` in minutes (more than 0). It must return the useful answers per
        minute, a number between 0 and ``served_per_min``. None: not written yet.

    Returns
    -------
    CheckResult
        True when right; its message says what to look at when not.

    Examples
    --------
    >>> check_login_goodput(None).correct
    False
    >>> check_login_goodput(lambda queue, served, capacity, timeout: served).correct
    False
    """
    cases = [dict(zip(("queue", "served_per_min", "capacity_per_min", "timeout_min"), case,
                      strict=True)) for case in _GOODPUT_CASES]
    return check_function(
        rule, cases, lambda **case: _right(*case.values()), rel_tol=1e-4, abs_tol=1e-6,
        positional=True, diagnose_run=_goodput_hint,
        diagnose=lambda case, got, want: (
            f"That is {'too high' if got > want else 'too low'}. Work out how long the request "
            "waited, then the chance its client still waits."),
        no_answer="No answer yet: write your function and pass it (without calling it) to the "
                  "check.",
        correct="Correct! A long queue makes the servers busy with answers nobody waits for: "
                "goodput collapses while they work flat out.")


def check_flood_demand(answer, slots: float, login_capacity_per_min: float,
                       retry_min: float) -> CheckResult:
    """Chapter 03, exercise 2: your demand at which the login flood starts in the minimal model.

    The pool is full with ``slots`` clients; the clients it cannot hold retry, and the flood
    starts when their attempts outnumber what the login servers answer. The tolerance is well
    below the distance between the typical wrong answers, and each of those gets its own hint.

    Parameters
    ----------
    answer : float or None
        Your demand, clients who want service in total (None: not answered yet).
    slots : float
        Clients the pool holds, at least 0 (clients).
    login_capacity_per_min : float
        The most requests the login servers answer, more than 0 (requests per minute).
    retry_min : float
        Minutes between two attempts of a client without a slot, more than 0 (minutes).

    Returns
    -------
    CheckResult
        True when right; its message says what to look at when not.

    Examples
    --------
    >>> check_flood_demand(7_000_000, slots=7_000_000, login_capacity_per_min=166_667,
    ...                    retry_min=2).correct
    False
    >>> check_flood_demand(None, 7_000_000, 166_667, 2).message.startswith("No answer")
    True
    """
    slots = check_real("slots", slots, 0, None)
    capacity = check_real("login_capacity_per_min", login_capacity_per_min, 0, None,
                          open_min=True)
    retry = check_real("retry_min", retry_min, 0, None, open_min=True)
    expected = slots + retry * capacity
    if answer is not None and isinstance(answer, numbers.Real) and not isinstance(answer, bool):
        # Wrong answers close to one another (slots alone, slots + capacity / retry) are told
        # apart by a tolerance well below their distance.
        if math.isclose(answer, retry * capacity, rel_tol=0.02):
            return CheckResult(False, "Not yet. That is how many clients may be left without a "
                                      "slot; the question asks for the whole demand, including "
                                      "the clients the pool holds.")
        if slots > 0 and math.isclose(answer, slots, rel_tol=0.002):
            return CheckResult(False, "Not yet. That is what the pool holds: above it clients "
                                      "start to wait, but the queue grows only once their "
                                      "retries outnumber what the servers can answer.")
        if math.isclose(answer, slots + capacity / retry, rel_tol=0.002):
            return CheckResult(False, "Not yet. A client that retries every r minutes sends "
                                      "1/r attempts per minute: check how r enters.")
    # The answer is slots plus the clients without a slot: judge that excess to 2% (a 2%
    # tolerance on the total would accept an excess 40% off).
    return check_number(
        answer, expected, rel_tol=0.0, abs_tol=max(0.02 * retry * capacity, 1.0),
        too_low="The pool itself holds its clients: only those without a slot send retries.",
        too_high="Count the retries of the clients without a slot: how many of them does it "
                 "take to send as many attempts per minute as the servers can answer?")
