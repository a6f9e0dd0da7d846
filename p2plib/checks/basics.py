"""Chapter 01 exercise checks.

The hints name the idea to reconsider, never the number; each hint is chosen by the mistake
the answer shows (``tests/test_checks_intro_basics.py`` tests that every hint is reachable and
sits in the right branch).
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from p2plib import capacity, overlay
from p2plib.checks.core import CheckResult, check_number

__all__ = [
    "check_critical_fraction",
    "check_distribution_time",
    "check_giant_fraction",
    "check_p2p_time_function",
]


def _number(answer):
    """``answer`` as a float if it is one finite number, else None."""
    if isinstance(answer, np.ndarray) and answer.size == 1:
        answer = answer.item()
    if isinstance(answer, numbers.Real) and not isinstance(answer, bool) \
            and math.isfinite(answer):
        return float(answer)
    return None


def _close(a: float, b: float, rel: float = 0.01, abs_: float = 1e-3) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


def _not_a_share(value: float | None) -> CheckResult | None:
    """The hint for an answer outside [0, 1] where a share is asked for, else None."""
    if value is None or 0 <= value <= 1:
        return None
    if 1 < value <= 100:
        return CheckResult(False, "Not yet. Give a share between 0 and 1, not a percentage.")
    return CheckResult(False, "Not yet. The answer is a share of the peers: a number between "
                              "0 and 1.")


def check_critical_fraction(answer, degrees) -> CheckResult:
    """Chapter 01, exercise 1: check your random-failure threshold for this degree sequence.

    Parameters
    ----------
    answer : float or None
        Your threshold, a share of peers between 0 and 1.
    degrees : array_like of int
        The overlay's degree sequence (``net.degrees()``).
    """
    expected = overlay.critical_failed_fraction(degrees)
    value = _number(answer)
    if value is not None and not math.isclose(value, expected, rel_tol=2e-3, abs_tol=2e-4):
        k = np.asarray(degrees, dtype=float)
        kappa = float((k**2).mean() / k.mean())
        mean = float(k.mean())
        mistakes = [
            (1 - 1 / (mean - 1) if mean > 1 else None,
             "Not yet. κ is not the mean degree <k>: it is built from <k²>, the mean of the "
             "squared degrees."),
            (1 - 1 / mean if mean > 0 else None,
             "Not yet. 1 - 1/c is a shortcut that holds only for random (Poisson) overlays, "
             "where κ = c + 1. This one has hubs: compute κ from the degrees."),
            (1 - 1 / kappa,
             "Not yet. Look again at the threshold formula: it uses κ - 1, not κ."),
            (1 / (kappa - 1),
             "Not yet. f_c is the share of peers that can FAIL before the giant component "
             "goes: 1 minus what you have."),
        ]
        for wrong, message in mistakes:
            # a mistake is named only where it gives a clearly different number (for a random
            # overlay the 1 - 1/c shortcut is nearly right, and is accepted as such below)
            if wrong is not None and abs(wrong - expected) > 3e-3 \
                    and math.isclose(value, wrong, rel_tol=2e-3, abs_tol=2e-4):
                return CheckResult(False, message)
    if (outside := _not_a_share(value)) is not None:
        return outside
    # computed from the same degrees, the answer is exact; two decimals are accepted too
    return check_number(
        answer, expected, rel_tol=0.0, abs_tol=5e-3,
        too_low="Check κ: <k²> is the mean of the squared degrees, (k**2).mean(), not the "
                "square of the mean.",
        too_high="Check κ: divide <k²> by <k>, then use κ - 1 in the threshold formula.",
    )


def check_giant_fraction(answer, mean_degree: float, failed_fraction: float) -> CheckResult:
    """Chapter 01, exercise 2: check your share of ALL peers in the giant component.

    Parameters
    ----------
    answer : float or None
        Your share of all peers (failed ones included), between 0 and 1.
    mean_degree : float
        Mean degree ``c`` of the random overlay before the failures.
    failed_fraction : float
        Share of peers that failed at random.
    """
    expected = overlay.er_giant_fraction(mean_degree, failed_fraction)
    survivors = 1.0 - failed_fraction
    value = _number(answer)
    if (outside := _not_a_share(value)) is not None:
        return outside
    if value is not None and not _close(value, expected, rel=0.03, abs_=0.01):
        if survivors > 0 and _close(value, expected / survivors, rel=0.03, abs_=0.01):
            return CheckResult(False, "Not yet. That is the giant's share of the SURVIVORS; "
                                      "multiply by the share of peers that survived.")
        if _close(value, 0.0, rel=0.0, abs_=0.01):
            return CheckResult(False, "Not yet. s = 0 always solves the equation: start the "
                                      "iteration from s = 1 to find the other solution.")
        no_failure = overlay.er_giant_fraction(mean_degree, 0.0)
        if any(_close(value, v, rel=0.03, abs_=0.01)
               for v in (no_failure, survivors * no_failure)):
            return CheckResult(False, "Not yet. After the failures each survivor keeps only "
                                      "some of its links: the mean degree in the equation is "
                                      "c q, not c.")
    return check_number(
        answer, expected, rel_tol=0.03, abs_tol=0.01,
        too_low="Did you solve s = 1 - exp(-c q s) for the survivors, starting from s = 1, "
                "and then multiply by q?",
        too_high="Remember: the failed peers are not connected, so multiply the survivors' "
                 "share s by q = 1 - f.",
    )


def _distribution_hint(got: float, expected: float, peers, link: dict,
                       architecture: str) -> str | None:
    """A hint for the typical mistakes in a distribution time, or None."""
    if _close(got, expected / 60):
        return "the answer is in seconds, not minutes"
    if architecture == "p2p":
        cs = float(capacity.distribution_time(peers, architecture="client-server", **link))
        if _close(got, cs) and not _close(cs, expected):
            return "that is the client-server time: in P2P every peer uploads too"
        n, f = peers, link["file_size_mbit"]
        u_s, u, d = (link[k] for k in ("server_upload_mbps", "peer_upload_mbps",
                                        "peer_download_mbps"))
        if _close(got, max(f / u_s, f / d, n * f / (n * u))):
            return "the server's upload is part of the total upload capacity too"
        if got < expected and _close(got, max(f / u_s, n * f / (u_s + n * u))):
            return "for this many peers another bound is the slowest: the peers' download"
        if _close(got, f / u_s + f / d + n * f / (u_s + n * u)):
            return ("each bound is a least time on its own: the answer is the largest of "
                    "them, not their sum")
        if _close(got, expected / 8) or _close(got, expected * 8):
            return "check the units: the file is in megabits, and a byte is 8 bits"
        if got > 1.01 * max(f / u_s, f / d):   # the answer is the upload bound, but wrong
            implied_peer_upload = (n * f / got - u_s) / n
            if implied_peer_upload > 0 and not _close(implied_peer_upload, u, rel=0.01,
                                                      abs_=1e-6):
                return (f"check the total upload capacity: the server's upload plus that of "
                        f"all {n:,} peers, each at {u:g} Mbit/s in this setting")
    return None


def check_distribution_time(answer, peers, file_size_mbit, server_upload_mbps,
                            peer_upload_mbps, peer_download_mbps,
                            architecture="p2p") -> CheckResult:
    """Chapter 01: check your least distribution time in seconds (Kurose & Ross).

    Parameters
    ----------
    answer : float or None
        Your time, in seconds.
    peers, file_size_mbit, server_upload_mbps, peer_upload_mbps, peer_download_mbps
        The setting, as in :func:`p2plib.capacity.distribution_time`.
    architecture : {"p2p", "client-server"}
    """
    link = dict(file_size_mbit=file_size_mbit, server_upload_mbps=server_upload_mbps,
                peer_upload_mbps=peer_upload_mbps, peer_download_mbps=peer_download_mbps)
    expected = float(capacity.distribution_time(peers, architecture=architecture, **link))
    value = _number(answer)
    if value is not None and not _close(value, expected):
        hint = _distribution_hint(value, expected, peers, link, architecture)
        if hint:
            return CheckResult(False, f"Not yet: {hint}.")
    return check_number(
        answer, expected, rel_tol=0.01,
        too_low="Which of the bounds is the slowest? The answer is the largest of them.",
        too_high="Use megabits and megabits per second throughout; the answer is in seconds.",
    )


#: Peer counts at which the function check runs the student's function.
_FUNCTION_PEERS = (10, 150, 1_000, 12_345, 1_000_000)


def check_p2p_time_function(func, file_size_mbit, server_upload_mbps, peer_upload_mbps,
                            peer_download_mbps) -> CheckResult:
    """Chapter 01, exercise 3: run your ``p2p_time(n_peers)`` at several numbers of peers.

    Parameters
    ----------
    func : callable or None
        Your function of the number of peers, returning the least P2P distribution time in
        seconds for the setting given by the other arguments.
    file_size_mbit, server_upload_mbps, peer_upload_mbps, peer_download_mbps
        The setting, as in :func:`p2plib.capacity.distribution_time`.
    """
    if func is None:
        return CheckResult(False, "No answer yet: define the function, then run the cell "
                                  "again.")
    if not callable(func):
        return CheckResult(False, f"Expected a function, got {type(func).__name__}.")
    link = dict(file_size_mbit=file_size_mbit, server_upload_mbps=server_upload_mbps,
                peer_upload_mbps=peer_upload_mbps, peer_download_mbps=peer_download_mbps)
    for peers in _FUNCTION_PEERS:
        expected = float(capacity.distribution_time(peers, architecture="p2p", **link))
        try:
            got = _number(func(peers))
        except Exception as error:  # the student's code: report, never crash the check
            return CheckResult(False, f"Your function raised {type(error).__name__} for "
                                      f"{peers:,} peers: {error}")
        if got is None:
            return CheckResult(False, "Your function must return a single number (seconds).")
        if _close(got, expected):
            continue
        hint = _distribution_hint(got, expected, peers, link, "p2p")
        if hint is None:
            hint = ("too low: the answer is the largest (slowest) of the bounds"
                    if got < expected else
                    "too high: check the units (megabits, megabits per second)")
        return CheckResult(False, f"Not yet for {peers:,} peers: {hint}.")
    return CheckResult(True, f"Correct! Your function agrees with the course's for "
                             f"{len(_FUNCTION_PEERS)} numbers of peers, from "
                             f"{_FUNCTION_PEERS[0]:,} to {_FUNCTION_PEERS[-1]:,}.")
