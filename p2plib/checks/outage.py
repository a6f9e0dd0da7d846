"""Chapter 03 exercise checks: the login goodput rule, the flood threshold, the backlog, outages.

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

__all__ = [
    "check_depleted_headroom",
    "check_flood_demand",
    "check_hours_below",
    "check_login_backlog_minutes",
    "check_login_goodput",
    "check_service_at",
]

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
    """Chapter 03, coding exercise: run your ``login_goodput(queue, served_per_min,
    capacity_per_min, timeout_min)`` on test situations and say whether it is right.

    A wrong result gets a hint about the idea it misses (not the answer).
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
    """Chapter 03: the demand (clients) at which a full supernode pool with ``slots`` client
    slots starts the login flood in the minimal model."""
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


def check_depleted_headroom(answer, headroom: float, reboot_fraction: float) -> CheckResult:
    """Chapter 03: pool headroom left at the peak while a share ``reboot_fraction`` of the
    supernodes is away proving its uptime again."""
    headroom = check_real("headroom", headroom, 0, None)
    reboot_fraction = check_real("reboot_fraction", reboot_fraction, 0, 1)
    return check_number(
        answer, headroom * (1 - reboot_fraction), rel_tol=0.01,
        too_low="Only the rebooted share is missing: the rest of the pool still serves.",
        too_high="A rebooted supernode does not serve until it has shown uptime again: its "
                 "slots are missing from the pool.")


def check_login_backlog_minutes(answer, backlog: float, attempts_per_min: float,
                                capacity_per_min: float) -> CheckResult:
    """Chapter 03: minutes the login servers need to clear a ``backlog`` of requests while new
    attempts keep arriving (``float('inf')`` if they never do)."""
    backlog = check_real("backlog", backlog, 0, None)
    attempts_per_min = check_real("attempts_per_min", attempts_per_min, 0, None)
    capacity_per_min = check_real("capacity_per_min", capacity_per_min, 0, None, open_min=True)
    spare = capacity_per_min - attempts_per_min
    if spare <= 0:
        if isinstance(answer, numbers.Real) and answer == float("inf"):
            return CheckResult(True, "Correct! The queue only grows: it never clears.")
        if answer is None:
            return check_number(None, 0.0)
        return CheckResult(False, "Not yet. Compare the attempt rate with the capacity: is "
                                  "there any capacity left over to drain the queue?")
    if isinstance(answer, numbers.Real) and math.isclose(answer, backlog / capacity_per_min,
                                                         rel_tol=0.02):
        return CheckResult(False, "Not yet. The servers also have to answer the new attempts "
                                  "that keep coming.")
    return check_number(
        answer, backlog / spare, rel_tol=0.02,
        too_low="The servers also have to answer the new attempts: only what is left over "
                "drains the backlog.",
        too_high="Is all the capacity that the new attempts leave over working on the backlog?")


def check_hours_below(answer, result, level: float = 0.5) -> CheckResult:
    """Chapter 03: hours a run (an ``OutageResult``) spends below a service level."""
    if not hasattr(result, "hours_below"):
        raise TypeError(f"result must be an OutageResult, got {type(result).__name__}")
    return check_number(
        answer, result.hours_below(level), rel_tol=0.05, abs_tol=0.5,
        too_low="Count every step below the level, including the night, and convert steps to "
                "hours.",
        too_high="Count only the steps strictly below the level.")


def check_service_at(answer, result, hour: float) -> CheckResult:
    """Chapter 03: the share of a normal day's users that a run (an ``OutageResult``) has
    connected at ``hour`` (+h), to set beside what observers counted."""
    if not all(hasattr(result, name) for name in ("time_h", "connected", "demand")):
        raise TypeError(f"result must be an OutageResult, got {type(result).__name__}")
    hour = check_real("hour", hour, float(result.time_h[0]), float(result.time_h[-1]))
    i = int(np.searchsorted(result.time_h, hour - 1e-9))
    expected = float(result.connected[i] / result.demand[i])
    if isinstance(answer, numbers.Real) and not isinstance(answer, bool):
        wanting = getattr(result, "wanting", None)
        if (wanting is not None and wanting[i] > 0 and not math.isclose(expected, 1.0)
                and math.isclose(answer, result.connected[i] / wanting[i], rel_tol=0.01)
                and not math.isclose(answer, expected, rel_tol=0.02)):
            return CheckResult(False, "Not yet. You divided by the clients still trying at that "
                                      "hour. Observers compared with a usual day: divide by "
                                      "what a normal day has online then.")
        if 1 < answer <= 100 and math.isclose(answer / 100, expected, rel_tol=0.02, abs_tol=0.005):
            return CheckResult(False, "Not yet. Give a share between 0 and 1, not a percentage.")
        if answer > 1000:
            return CheckResult(False, "Not yet. That is a count of clients; the question asks "
                                      "for a share of a normal day's users.")
        online = getattr(getattr(result, "scenario", None), "online_peers", None)
        by_mean = result.connected[i] / online if online else None
        if (by_mean is not None and not math.isclose(by_mean, expected, rel_tol=0.1)
                and math.isclose(answer, by_mean, rel_tol=0.01)):
            return CheckResult(False, "Not yet. You divided by the mean number online over the "
                                      "day. Observers compared with a usual day at that hour: "
                                      "divide by what a normal day has online then.")
    return check_number(
        answer, expected, rel_tol=0.02, abs_tol=0.005,
        too_low="Check the hour: +h counts from the run start (Tuesday 00:00 UTC), and the "
                "arrays have one value per time step.",
        too_high="Check the hour (+h from the run start, one value per time step) and that you "
                 "divide connected clients by a normal day's demand at that hour.")
