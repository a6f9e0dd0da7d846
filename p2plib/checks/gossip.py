"""Chapter 04 exercise checks: gossip rounds, Demers' recurrence, rollback damage, rebuild time.

Each check compares a student's answer with the model of :mod:`p2plib.gossip` and returns a
:class:`~p2plib.checks.core.CheckResult` that says what is right, or hints at the usual slip.

Examples
--------
>>> check_push_rounds(None, 1000).correct
False
"""

from __future__ import annotations

import math

from p2plib import gossip
from p2plib.checks._student_code import check_function, looks_like_percentage
from p2plib.checks.core import CheckResult, check_number

__all__ = [
    "check_pull_share",
    "check_push_rounds",
    "check_rebuild_hours",
    "check_records_behind",
    "check_uninformed_share_function",
]



def check_push_rounds(answer, n) -> CheckResult:
    """Chapter 04, exercise 1: your number of rounds for push gossip to reach ``n`` replicas.

    Parameters
    ----------
    answer : float or None
        Your estimate of the rounds (rounds); ``None`` while unanswered.
    n : float
        Number of replicas, ``>= 1`` (replicas).

    Returns
    -------
    CheckResult
        Correct within 5 % of the leading terms of the classic result; else a hint.

    Examples
    --------
    >>> check_push_rounds(3, 1000).correct
    False
    """
    return check_number(
        answer, gossip.pittel_rounds(n), rel_tol=0.05,
        too_low="Push needs two phases: one while few know and the informed set doubles, "
                "then an end game to find the last few. Did you add both?",
        too_high="Check the bases of the logarithms: one phase doubles, the other does not.",
    )


def check_pull_share(answer, p0, rounds) -> CheckResult:
    """Chapter 04: your share of replicas still uninformed after ``rounds`` of pull.

    Parameters
    ----------
    answer : float or None
        Your share, in [0, 1] (not a percentage); ``None`` while unanswered.
    p0 : float
        Share uninformed before the first round, in [0, 1].
    rounds : int
        Rounds of pull gossip, ``>= 0`` (rounds).

    Returns
    -------
    CheckResult
        Correct within 2 % of Demers et al.'s recurrence; else a hint.

    Examples
    --------
    >>> check_pull_share(0.5, 0.5, 0).correct
    True
    """
    expected = float(gossip.susceptible_recurrence(p0, rounds, "pull")[-1])
    if looks_like_percentage(answer, expected):
        return CheckResult(False, "Not yet. Too high: give a share between 0 and 1, not a "
                                  "percentage.")
    return check_number(
        answer, expected, rel_tol=0.02, abs_tol=1e-12,
        too_low="With pull, a replica stays uninformed only if it calls another uninformed "
                "one: apply the recurrence once per round, no more.",
        too_high="Apply the pull recurrence once per round, starting from the share given.",
    )


def _uninformed(p0, rounds, protocol):
    return float(gossip.susceptible_recurrence(p0, rounds, protocol)[-1])


_UNINFORMED_CASES = (
    dict(p0=0.5, rounds=3, protocol="pull"),
    dict(p0=0.999, rounds=5, protocol="pull"),
    dict(p0=0.5, rounds=3, protocol="push"),
    dict(p0=0.99, rounds=10, protocol="push"),
    dict(p0=0.9, rounds=4, protocol="push-pull"),
    dict(p0=0.3, rounds=0, protocol="push"),
)


def _diagnose_uninformed(case, got, want):
    p0, rounds, protocol = case["p0"], case["rounds"], case["protocol"]
    if rounds == 0:
        return "With no rounds nothing changes: return the starting share."
    for off_by in (rounds - 1, rounds + 1):
        if off_by >= 0 and math.isclose(got, _uninformed(p0, off_by, protocol), rel_tol=1e-9):
            return f"That is the share after {off_by} rounds: apply the step exactly once " \
                   "per round."
    if protocol == "push" and math.isclose(got, _uninformed(p0, rounds, "pull"), rel_tol=1e-9):
        return "That is the pull step; push's factor is the chance no informed replica calls."
    if protocol == "push-pull":
        return "For push-pull multiply the pull factor and the push factor in each round."
    if protocol == "push":
        return "Push: a replica stays uninformed if no informed one calls it, which happens " \
               "with probability exp(-(informed share)) for large n."
    return "Pull: a replica stays uninformed only if the one it calls is uninformed too."


def check_uninformed_share_function(func) -> CheckResult:
    """Chapter 04, exercise 2: run your ``uninformed_share(p0, rounds, protocol)`` function.

    It is called with a starting share ``p0`` in [0, 1], a number of ``rounds`` >= 0 and
    ``protocol`` one of ``"push"``, ``"pull"``, ``"push-pull"``, and must return the share
    still uninformed after those rounds (Demers et al.'s large-n recurrence).

    Parameters
    ----------
    func : callable or None
        Your function ``uninformed_share(p0, rounds, protocol) -> float``; ``None`` while
        unwritten.

    Returns
    -------
    CheckResult
        Correct if every test case agrees within a relative 10^-6; else the first case that
        does not, with a hint.

    Examples
    --------
    >>> check_uninformed_share_function(lambda p0, rounds, protocol: p0).correct
    False
    """
    return check_function(func, _UNINFORMED_CASES, _uninformed, rel_tol=1e-6, abs_tol=1e-15,
                          diagnose=_diagnose_uninformed)


def check_records_behind(answer, records, update_rate, seconds) -> CheckResult:
    """Chapter 04, exercise 3: your count of distinct records a restored replica misses.

    Parameters
    ----------
    answer : float or None
        Your count (records); ``None`` while unanswered.
    records : int
        Records in the directory, ``>= 1`` (records).
    update_rate : float
        Updates per second at random records, ``>= 0`` (updates/s).
    seconds : float
        Age of the restored snapshot, ``>= 0`` (seconds).

    Returns
    -------
    CheckResult
        Correct within 2 % of :func:`p2plib.gossip.records_changed`; else a hint.

    Examples
    --------
    >>> check_records_behind(0, 1000, 0.0, 60).correct
    True
    """
    expected = gossip.records_changed(records, update_rate, seconds)
    return check_number(
        answer, expected, rel_tol=0.02,
        too_low="Count the updates first (rate times seconds), then allow for records that "
                "changed more than once, as in section 5.",
        too_high="Some records change more than once: the distinct count is less than the "
                 "number of updates (section 5 has the formula).",
    )


def check_rebuild_hours(answer, replicas, records, record_bytes, central_bandwidth) -> CheckResult:
    """Chapter 04, exercise 4: your hours for the rebuild through one central copy.

    Parameters
    ----------
    answer : float or None
        Your time (hours); ``None`` while unanswered.
    replicas : int
        Replicas to reload, ``>= 0`` (replicas).
    records : int
        Records in a copy, ``>= 1`` (records).
    record_bytes : float
        Bytes per record, ``> 0`` (bytes).
    central_bandwidth : float
        Upload of the central copy, ``> 0`` (bytes/s).

    Returns
    -------
    CheckResult
        Correct within 2 % of :func:`p2plib.gossip.central_rebuild_seconds` (replicas'
        downloads not limiting); else a hint.

    Examples
    --------
    >>> check_rebuild_hours(1.0, 36, 1000, 100, 1000).correct
    True
    """
    expected = gossip.central_rebuild_seconds(replicas, records, record_bytes,
                                                 central_bandwidth, replica_bandwidth=1e12)
    return check_number(
        answer, expected / 3600, rel_tol=0.02,
        too_low="Every replica needs the whole copy: count all the bytes that leave the "
                "central copy, then divide by its bandwidth in bytes per second.",
        too_high="Check the units: the bandwidth is in bytes per second (not bits), and an "
                 "hour has 3600 seconds.",
    )
