"""Chapter 03 exercise checks: the supernode pool after reboots, the login flood, outage length."""

from __future__ import annotations

from p2plib._validate import check_real
from p2plib.checks.core import CheckResult, check_number
from p2plib.outage import OutageResult

__all__ = ["check_depleted_headroom", "check_hours_below", "check_login_backlog_minutes"]


def check_depleted_headroom(answer, headroom: float, reboot_fraction: float) -> CheckResult:
    """Chapter 03: pool headroom left when a share of supernodes is away (still proving uptime).

    Expected: ``headroom * (1 - reboot_fraction)``; below 1 the pool cannot hold the peak.
    """
    headroom = check_real("headroom", headroom, 0, None)
    reboot_fraction = check_real("reboot_fraction", reboot_fraction, 0, 1)
    return check_number(
        answer, headroom * (1 - reboot_fraction), rel_tol=0.01,
        too_low="Only the rebooted share is missing: multiply the headroom by the share that "
                "is still serving.",
        too_high="A rebooted supernode does not serve again until it has shown uptime: "
                 "remove the rebooted share from the pool.")


def check_login_backlog_minutes(answer, backlog: float, attempts_per_min: float,
                                capacity_per_min: float) -> CheckResult:
    """Chapter 03: minutes for login servers to clear a backlog while new attempts keep coming.

    Expected: ``backlog / (capacity - attempts)`` if capacity exceeds the attempt rate; if not,
    the backlog never clears (answer ``float('inf')``).
    """
    backlog = check_real("backlog", backlog, 0, None)
    attempts_per_min = check_real("attempts_per_min", attempts_per_min, 0, None)
    capacity_per_min = check_real("capacity_per_min", capacity_per_min, 0, None, open_min=True)
    spare = capacity_per_min - attempts_per_min
    if spare <= 0:
        if answer is not None and answer == float("inf"):
            return CheckResult(True, "Correct! The queue only grows: it never clears.")
        return check_number(answer, float("inf"),
                            too_low="Compare the attempt rate with the capacity: is there any "
                                    "spare capacity to drain the queue?")
    return check_number(
        answer, backlog / spare, rel_tol=0.02,
        too_low="The servers also have to serve the new attempts: only the spare capacity "
                "(capacity minus attempts) drains the backlog.",
        too_high="Divide the backlog by the spare capacity per minute.")


def check_hours_below(answer, result: OutageResult, level: float = 0.5) -> CheckResult:
    """Chapter 03: hours a run spends below a service level (read it off the result)."""
    if not isinstance(result, OutageResult):
        raise TypeError(f"result must be an OutageResult, got {type(result).__name__}")
    return check_number(
        answer, result.hours_below(level), rel_tol=0.05, abs_tol=0.5,
        too_low="Count every step below the level, including the night, and convert steps to "
                "hours (step_min / 60).",
        too_high="Count only the steps strictly below the level.")
