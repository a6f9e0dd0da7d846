"""Chapter 01 exercise checks."""

from __future__ import annotations

from p2plib import capacity, overlay
from p2plib.checks.core import CheckResult, check_number

__all__ = ["check_critical_fraction", "check_distribution_time", "check_giant_fraction"]


def check_critical_fraction(answer, degrees) -> CheckResult:
    """Chapter 01: the random-failure threshold ``f_c`` for this degree sequence."""
    expected = overlay.critical_failed_fraction(degrees)
    return check_number(
        answer, expected, rel_tol=0.01, abs_tol=1e-3,
        too_low="Check kappa: it is the mean of k squared divided by the mean of k, "
                "not the mean degree.",
        too_high="Check the formula f_c = 1 - 1/(kappa - 1), and that kappa uses <k^2>, "
                 "not <k>^2.",
    )


def check_giant_fraction(answer, mean_degree: float, failed_fraction: float) -> CheckResult:
    """Chapter 01: share of ALL peers in the giant component of G(n, p) after random failure."""
    expected = overlay.er_giant_fraction(mean_degree, failed_fraction)
    return check_number(
        answer, expected, rel_tol=0.03, abs_tol=0.01,
        too_low="Did you solve s = 1 - exp(-c q s) for the survivors, then multiply by q?",
        too_high="Remember: the failed peers are not connected, so multiply the survivors' "
                 "share s by q = 1 - f.",
    )


def check_distribution_time(answer, peers, file_size_mbit, server_upload_mbps,
                            peer_upload_mbps, peer_download_mbps,
                            architecture="p2p") -> CheckResult:
    """Chapter 01: minimum distribution time in seconds (Kurose & Ross)."""
    expected = capacity.distribution_time(peers, file_size_mbit, server_upload_mbps,
                                          peer_upload_mbps, peer_download_mbps, architecture)
    return check_number(
        answer, float(expected), rel_tol=0.01,
        too_low="Which of the bounds is the slowest? The answer is the largest of them.",
        too_high="Use megabits and megabits per second throughout; the answer is in seconds.",
    )
