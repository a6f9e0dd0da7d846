"""Chapter 02 exercise checks: supernodes needed, relay blocking and slots, owner traffic."""

from __future__ import annotations

import numbers

from p2plib import supernodes
from p2plib.checks._student_code import check_function, looks_like_percentage
from p2plib.checks.core import CheckResult, check_number

__all__ = [
    "check_erlang_b",
    "check_gigabytes_per_month",
    "check_slots_needed_function",
    "check_supernodes_needed",
]


def check_supernodes_needed(answer, online_peers, capacity, utilisation=1.0) -> CheckResult:
    """Chapter 02, exercise 1: your number of supernodes for ``online_peers`` clients.

    Compared with :func:`p2plib.supernodes.supernodes_needed` (within 0.5% or one supernode).

    Parameters
    ----------
    answer : int or None
        Your number of supernodes (None: not answered yet).
    online_peers : int
        Clients online at once, ``>= 0``.
    capacity : int
        Clients one supernode accepts, ``>= 1``.
    utilisation : float
        Share of its capacity each supernode may fill, in ``(0, 1]``.

    Returns
    -------
    CheckResult
        True when right; its message says what to look at when not.

    Examples
    --------
    >>> check_supernodes_needed(20, online_peers=1000, capacity=100, utilisation=0.5).correct
    True
    """
    expected = supernodes.supernodes_needed(online_peers, capacity, utilisation)
    return check_number(
        answer, float(expected), rel_tol=0.005, abs_tol=1.0,
        too_low="Each supernode may take only part of its capacity: divide the clients by the "
                "clients one supernode actually takes, and round up.",
        too_high="Did you divide by the clients per supernode (not multiply), and apply the "
                 "utilisation only once?",
    )


def check_erlang_b(answer, offered_load, slots) -> CheckResult:
    """Chapter 02, exercise 2: your share of relayed calls refused.

    Compared with :func:`p2plib.supernodes.erlang_b` (within 2%); a percentage gets a hint.

    Parameters
    ----------
    answer : float or None
        Your blocking probability, in ``[0, 1]`` (None: not answered yet).
    offered_load : float
        Offered relayed calls, Erlangs, ``>= 0``.
    slots : int
        Relay slots, ``>= 0``.

    Returns
    -------
    CheckResult
        True when right; its message says what to look at when not.

    Examples
    --------
    >>> check_erlang_b(0.5, offered_load=1.0, slots=1).correct
    True
    """
    expected = supernodes.erlang_b(offered_load, slots)
    number = isinstance(answer, numbers.Real) and not isinstance(answer, bool)
    if number and (1 < answer <= 100 or looks_like_percentage(answer, expected)):
        return CheckResult(False, "Not yet. Too high: give the blocking as a probability "
                                  "between 0 and 1 (e.g. 0.05), not as a percentage.")
    return check_number(
        answer, expected, rel_tol=0.02, abs_tol=1e-4,
        too_low="Too many steps? Apply the recursion once per slot, m = 1, ..., slots, and "
                "stop there: every extra slot lowers the blocking.",
        too_high="Start from B(E, 0) = 1 and apply the recursion once for EACH slot: stopping "
                 "early leaves the blocking too high.",
    )


def _slots(offered_load, target_blocking):
    return supernodes.relay_slots_needed(offered_load, target_blocking)


_SLOTS_CASES = (
    dict(offered_load=2.0, target_blocking=0.01),
    dict(offered_load=0.75, target_blocking=0.01),
    dict(offered_load=5.0, target_blocking=0.05),
    dict(offered_load=1.0, target_blocking=0.5),      # exactly on the target: B(1, 1) = 0.5
    dict(offered_load=10.0, target_blocking=0.02),
    dict(offered_load=20.0, target_blocking=0.001),
)


def _diagnose_slots(case, got, want):
    if got == want + 1:
        # a strict test (blocking >= target) stops one slot late only when a blocking lands
        # exactly on the target; otherwise the recursion itself is off
        load, target = case["offered_load"], case["target_blocking"]
        if supernodes.erlang_b(load, want) == target:
            return ("One slot too many: stop as soon as the blocking is at or below the target "
                    "(check with 1 Erlang and a target of 0.5).")
        return ("One slot too many: check the recursion, B(E, m) = E·B(E, m-1) / "
                "(m + E·B(E, m-1)), where m is the number of slots after adding one.")
    if got == want - 1:
        return "One slot too few: the blocking must be at or below the target, not above it."
    if got > want:
        return ("Too many: each step of the recursion adds one slot, B(E, m) from "
                "B(E, m - 1); do you start from B(E, 0) = 1 with m = 0?")
    return "Too few: keep adding slots while the blocking is still above the target."


def check_slots_needed_function(func) -> CheckResult:
    """Chapter 02, exercise 3: run your ``slots_needed(offered_load, target_blocking)``.

    It is called with ``offered_load`` in Erlangs (``>= 0``) and ``target_blocking`` in (0, 1]
    and must return the fewest relay slots (an int) whose blocking is at most the target;
    compared with :func:`p2plib.supernodes.relay_slots_needed` on six cases, exactly.

    Parameters
    ----------
    func : callable or None
        Your ``slots_needed(offered_load, target_blocking) -> int`` (None: not written yet).

    Returns
    -------
    CheckResult
        True when right; its message says what to look at when not.

    Examples
    --------
    >>> check_slots_needed_function(lambda offered_load, target_blocking: 0).correct
    False
    """
    return check_function(func, _SLOTS_CASES, _slots, rel_tol=0.0, abs_tol=0.0,
                          diagnose=_diagnose_slots)


def check_gigabytes_per_month(answer, clients, **assumptions) -> CheckResult:
    """Chapter 02, exercise 4: your GB a month in and out of the supernode (30 days).

    Compared with :func:`p2plib.supernodes.owner_cost`'s ``gigabytes_per_month`` (within 2%).

    Parameters
    ----------
    answer : float or None
        Your traffic, GB (10^9 bytes) a month, upload plus download (None: not answered yet).
    clients : int
        Clients the supernode serves, ``>= 0``.
    **assumptions
        Further keyword arguments of :func:`p2plib.supernodes.owner_cost` (e.g.
        ``hours_per_day``, hours in ``[0, 24]``).

    Returns
    -------
    CheckResult
        True when right; its message says what to look at when not.

    Examples
    --------
    >>> check_gigabytes_per_month(0.0, clients=100, hours_per_day=2).correct
    False
    """
    expected = float(supernodes.owner_cost(clients, **assumptions).gigabytes_per_month)
    return check_number(
        answer, expected, rel_tol=0.02,
        too_low="Count both directions (upload and download), all the hours the PC serves "
                "each day, and 30 days; 1 GB = 10^9 bytes.",
        too_high="Divide kilobits by 8 to get kilobytes, count only the hours the PC is on "
                 "(not 24), count each call once (a call has two parties: clients × share of "
                 "time on a call / 2 calls at a time), and include only the relayed calls that "
                 "are carried (not refused).",
    )
