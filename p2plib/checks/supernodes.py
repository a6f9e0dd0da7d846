"""Chapter 02 exercise checks: supernodes needed, relay blocking, the owner's traffic."""

from __future__ import annotations

from p2plib import supernodes
from p2plib.checks.core import CheckResult, check_number

__all__ = ["check_erlang_b", "check_gigabytes_per_month", "check_supernodes_needed"]


def check_supernodes_needed(answer, online_peers, capacity, utilisation=1.0) -> CheckResult:
    """Chapter 02: supernodes needed for ``online_peers`` clients at ``capacity`` each."""
    expected = supernodes.supernodes_needed(online_peers, capacity, utilisation)
    return check_number(
        answer, float(expected), rel_tol=0.005, abs_tol=1.0,
        too_low="Each supernode takes at most capacity x utilisation clients: divide the "
                "clients by that, and round up.",
        too_high="Did you divide by the capacity (clients per supernode), not multiply?",
    )


def check_erlang_b(answer, offered_load, slots) -> CheckResult:
    """Chapter 02: Erlang-B blocking for ``offered_load`` Erlangs on ``slots`` relay slots."""
    expected = supernodes.erlang_b(offered_load, slots)
    return check_number(
        answer, expected, rel_tol=0.02, abs_tol=1e-4,
        too_low="Start from B(E, 0) = 1 and apply B(E, m) = E B / (m + E B) once per slot; "
                "a probability, not a percentage.",
        too_high="Apply the recursion once for EACH slot, m = 1, 2, ..., slots.",
    )


def check_gigabytes_per_month(answer, clients, **assumptions) -> CheckResult:
    """Chapter 02: traffic in and out of a supernode over 30 days, in GB, under the
    :func:`p2plib.supernodes.owner_cost` model with the given ``assumptions``."""
    expected = supernodes.owner_cost(clients, **assumptions).gigabytes_per_month
    return check_number(
        answer, float(expected), rel_tol=0.02,
        too_low="Count both directions (upload and download), kbit/s -> bytes (divide by 8), "
                "the hours per day, and 30 days.",
        too_high="Use 10^9 bytes per GB and divide kilobits by 8 to get kilobytes.",
    )
