"""Chapter 05 exercise checks: the fluid model's download time, a viewer's upload, break-even."""

from __future__ import annotations

from p2plib import delivery_cost, swarm
from p2plib.checks.core import CheckResult, check_number

__all__ = ["check_break_even_price", "check_fluid_download_time", "check_upload_per_viewer"]


def check_fluid_download_time(answer, arrival_rate, upload_rate, download_rate,
                              seed_departure_rate, abort_rate=0.0,
                              efficiency=1.0) -> CheckResult:
    """Chapter 05: mean download time T of the Qiu–Srikant fluid model (same unit as rates)."""
    expected = swarm.fluid_steady_state(arrival_rate, upload_rate, download_rate,
                                        seed_departure_rate, abort_rate, efficiency)
    return check_number(
        answer, expected.download_time, rel_tol=0.01,
        too_low="Is the download link really the bottleneck? Compare 1/c with "
                "(1/η)(1/μ - 1/γ): the larger one sets 1/β.",
        too_high="T = 1/(θ + β) with 1/β = max(1/c, (1/η)(1/μ - 1/γ)): take the larger "
                 "of the two, not their sum.",
    )


def check_upload_per_viewer(answer, file_mb, peer_share) -> CheckResult:
    """Chapter 05: MB the average viewer uploads when peers deliver ``peer_share`` of the bytes."""
    expected = float(delivery_cost.delivery_costs(1, file_mb / 1000, peer_share,
                                                  0.0).upload_gb_per_user) * 1000
    return check_number(
        answer, expected, rel_tol=0.01, abs_tol=1e-6,
        too_low="Every byte a peer delivers, some viewer uploaded: on average each viewer "
                "uploads the peer share of what it downloads.",
        too_high="Only the bytes that came from peers were uploaded by viewers; the rest "
                 "came from the servers.",
    )


def check_break_even_price(answer, daily_gb, peer_share, fixed_cost_per_day) -> CheckResult:
    """Chapter 05: price per GB below which server-only delivery is cheaper."""
    expected = float(delivery_cost.break_even_price(daily_gb, peer_share, fixed_cost_per_day))
    return check_number(
        answer, expected, rel_tol=0.01,
        too_low="At the break-even price the server bytes saved, p·V·price, pay exactly for "
                "the fixed cost F.",
        too_high="Divide the fixed cost by the bytes peers save the servers (p·V), not by "
                 "the servers' remaining bytes.",
    )
