"""Chapter 04 exercise checks: gossip rounds, Demers' recurrence, rollback damage, rebuild time."""

from __future__ import annotations

from p2plib import directory, gossip
from p2plib.checks.core import CheckResult, check_number

__all__ = [
    "check_pull_share",
    "check_push_rounds",
    "check_rebuild_hours",
    "check_records_behind",
]


def check_push_rounds(answer, n) -> CheckResult:
    """Chapter 04: rounds push gossip needs for ``n`` replicas, ``log2 n + ln n`` (Pittel)."""
    return check_number(
        answer, gossip.pittel_rounds(n), rel_tol=0.05,
        too_low="Push needs two phases: doubling while few know (log2 n rounds), then ln n "
                "more rounds to find the last few. Did you add both?",
        too_high="Use log base 2 for the doubling phase and the natural log for the end game.",
    )


def check_pull_share(answer, p0, rounds) -> CheckResult:
    """Chapter 04: share still uninformed after ``rounds`` of pull, from ``p0`` (Demers)."""
    expected = float(gossip.susceptible_recurrence(p0, rounds, "pull")[-1])
    return check_number(
        answer, expected, rel_tol=0.02, abs_tol=1e-12,
        too_low="With pull, a replica stays uninformed only if it calls another uninformed "
                "one: p becomes p squared each round, no faster.",
        too_high="Square the share once per round: p1 = p0^2, p2 = p1^2, ...",
    )


def check_records_behind(answer, records, update_rate, seconds) -> CheckResult:
    """Chapter 04: distinct records changed since a snapshot ``seconds`` old."""
    expected = directory.records_changed(records, update_rate, seconds)
    return check_number(
        answer, expected, rel_tol=0.02,
        too_low="Count the updates: rate times seconds; then allow for records changed twice "
                "with N (1 - exp(-updates / N)).",
        too_high="Some records change more than once: the distinct count is "
                 "N (1 - exp(-updates / N)), less than the number of updates.",
    )


def check_rebuild_hours(answer, replicas, records, record_bytes, central_bandwidth) -> CheckResult:
    """Chapter 04: hours to reload ``replicas`` full copies through ``central_bandwidth`` B/s."""
    expected = directory.central_rebuild_seconds(replicas, records, record_bytes,
                                                 central_bandwidth, replica_bandwidth=1e12)
    return check_number(
        answer, expected / 3600, rel_tol=0.02,
        too_low="Every replica needs the whole copy: multiply replicas, records and bytes per "
                "record, then divide by the central bandwidth (bytes per second).",
        too_high="Check the units: the bandwidth is in bytes per second, and an hour has "
                 "3600 seconds.",
    )
