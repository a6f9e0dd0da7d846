"""Chapter 03 exercise checks on the outage model: the pool's headroom, the backlog, outage runs.

The minimal chain reaction's checks (the goodput rule, the flood threshold) are in
:mod:`p2plib.checks.chain_reaction`. Docstrings here say what is checked, never how to compute
it: a student reads them with Shift-Tab.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from p2plib._validate import check_real
from p2plib.checks.core import CheckResult, check_number

__all__ = [
    "check_depleted_headroom",
    "check_hours_below",
    "check_login_backlog_minutes",
    "check_service_at",
]


def check_depleted_headroom(answer, headroom: float, reboot_fraction: float) -> CheckResult:
    """Chapter 03: your pool headroom at the peak while some supernodes are away after a reboot.

    A share ``reboot_fraction`` of the supernodes is away proving its uptime again; the answer
    is the headroom the pool has left, judged to 1%.

    Parameters
    ----------
    answer : float or None
        Your headroom left, a multiple of the daily peak of clients (None: not answered yet).
    headroom : float
        The full pool's slots as a multiple of the daily peak of clients, at least 0.
    reboot_fraction : float
        Share of the supernodes away, in ``[0, 1]``.

    Returns
    -------
    CheckResult
        True when right; its message says what to look at when not.

    Examples
    --------
    >>> check_depleted_headroom(1.5, headroom=1.5, reboot_fraction=0.2).correct
    False
    """
    headroom = check_real("headroom", headroom, 0, None)
    reboot_fraction = check_real("reboot_fraction", reboot_fraction, 0, 1)
    return check_number(
        answer, headroom * (1 - reboot_fraction), rel_tol=0.01,
        too_low="Only the rebooted share is missing: the rest of the pool still serves.",
        too_high="A rebooted supernode does not serve until it has shown uptime again: its "
                 "slots are missing from the pool.")


def check_login_backlog_minutes(answer, backlog: float, attempts_per_min: float,
                                capacity_per_min: float) -> CheckResult:
    """Chapter 03, exercise 4: your minutes to clear a login backlog while attempts keep coming.

    Judged to 2%; when the servers can never clear it, the right answer is ``float("inf")``.
    Clearing the backlog as if no new attempts came gets its own hint.

    Parameters
    ----------
    answer : float or None
        Your time to clear the backlog, minutes, or ``float("inf")`` for never (None: not
        answered yet).
    backlog : float
        Requests queued, at least 0 (requests).
    attempts_per_min : float
        New login attempts arriving, at least 0 (requests per minute).
    capacity_per_min : float
        The most requests the login servers answer, more than 0 (requests per minute).

    Returns
    -------
    CheckResult
        True when right; its message says what to look at when not.

    Examples
    --------
    >>> check_login_backlog_minutes(10.0, backlog=1_000, attempts_per_min=50,
    ...                             capacity_per_min=100).correct
    False
    >>> check_login_backlog_minutes(None, 1_000, 50, 100).message.startswith("No answer")
    True
    """
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
    """Chapter 03: your count of the hours a run spends below a service level.

    Service is connected clients over a normal day's clients at that hour; judged to 5% or
    half an hour.

    Parameters
    ----------
    answer : float or None
        Your hours below the level, hours (None: not answered yet).
    result : OutageResult
        The run (of :func:`p2plib.outage.simulate`).
    level : float
        The service level, share in ``[0, 1]``.

    Returns
    -------
    CheckResult
        True when right; its message says what to look at when not.

    Raises
    ------
    TypeError
        If ``result`` is not an ``OutageResult``.

    Examples
    --------
    >>> from p2plib import outage
    >>> check_hours_below(None, outage.simulate(outage.Scenario(online_peers=1e4, days=1.0,
    ...                                                         step_min=5))).correct
    False
    """
    if not hasattr(result, "hours_below"):
        raise TypeError(f"result must be an OutageResult, got {type(result).__name__}")
    return check_number(
        answer, result.hours_below(level), rel_tol=0.05, abs_tol=0.5,
        too_low="Count every step below the level, including the night, and convert steps to "
                "hours.",
        too_high="Count only the steps strictly below the level.")


def check_service_at(answer, result, hour: float) -> CheckResult:
    """Chapter 03, exercise 3: your share of a normal day's users that a run has connected.

    At ``hour`` (+h), to set beside what observers counted; judged to 2% or 0.005. Typical
    slips (a percentage, a count of clients, another denominator than observers used) get
    their own hints.

    Parameters
    ----------
    answer : float or None
        Your share, in ``[0, 1]`` (None: not answered yet).
    result : OutageResult
        The run (of :func:`p2plib.outage.simulate`).
    hour : float
        Hours since the run start (+h), within the run.

    Returns
    -------
    CheckResult
        True when right; its message says what to look at when not.

    Raises
    ------
    TypeError
        If ``result`` is not an ``OutageResult``.

    Examples
    --------
    >>> from p2plib import outage
    >>> check_service_at(2.0, outage.simulate(outage.Scenario(online_peers=1e4, days=1.0,
    ...                                                        step_min=5)), hour=16).correct
    False
    """
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
