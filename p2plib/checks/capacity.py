"""Capacity checks (chapter 01): the least distribution time, and the student's function for it.

Checks answers against :func:`p2plib.capacity.distribution_time` (Kurose & Ross). The hints
name the idea to reconsider, never the number; each hint is chosen by the mistake the answer
shows (``tests/test_checks_intro_basics.py`` tests that every hint is reachable and sits in the
right branch).
"""

from __future__ import annotations

import math

from p2plib import capacity
from p2plib.checks._student_code import check_function, finite_number
from p2plib.checks.core import CheckResult, check_number

__all__ = ["check_distribution_time", "check_p2p_time_function"]


def _close(a: float, b: float, rel: float = 0.01, abs_: float = 1e-3) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


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
    peers : int
        Number of peers that want the file (>= 1).
    file_size_mbit : float
        File size in megabits (> 0).
    server_upload_mbps, peer_upload_mbps, peer_download_mbps : float
        Upload rate of the server and of each peer, download rate of each peer, in Mbit/s
        (as in :func:`p2plib.capacity.distribution_time`).
    architecture : {"p2p", "client-server"}
        Which distribution the answer is for.

    Returns
    -------
    CheckResult
        Right, or a hint at the bound or the unit to reconsider.

    Examples
    --------
    >>> check_distribution_time(None, 1000, 800, 1000, 0.5, 8)
    No answer yet: replace None with your answer and run the cell again.
    >>> check_distribution_time(60.0, 1000, 800, 1000, 0.5, 8).correct
    False
    """
    link = dict(file_size_mbit=file_size_mbit, server_upload_mbps=server_upload_mbps,
                peer_upload_mbps=peer_upload_mbps, peer_download_mbps=peer_download_mbps)
    expected = float(capacity.distribution_time(peers, architecture=architecture, **link))
    value = finite_number(answer)
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
        Your function of the number of peers (an int >= 1), returning the least P2P
        distribution time in seconds for the setting given by the other arguments.
    file_size_mbit : float
        File size in megabits (> 0).
    server_upload_mbps, peer_upload_mbps, peer_download_mbps : float
        Upload rate of the server and of each peer, download rate of each peer, in Mbit/s
        (as in :func:`p2plib.capacity.distribution_time`).

    Returns
    -------
    CheckResult
        Right, or the number of peers your function gets wrong, what it returned and a hint.

    Examples
    --------
    >>> check_p2p_time_function(None, 800, 1000, 0.5, 8)
    No answer yet: define the function, then run the cell again.
    >>> check_p2p_time_function(lambda n_peers: 60.0, 800, 1000, 0.5, 8).correct
    False
    """
    link = dict(file_size_mbit=file_size_mbit, server_upload_mbps=server_upload_mbps,
                peer_upload_mbps=peer_upload_mbps, peer_download_mbps=peer_download_mbps)

    def p2p_time(n_peers):
        return capacity.distribution_time(n_peers, architecture="p2p", **link)

    def diagnose(case: dict, got: float, want: float) -> str:
        hint = _distribution_hint(got, want, case["n_peers"], link, "p2p")
        if hint is None:
            hint = ("too low: the answer is the largest (slowest) of the bounds"
                    if got < want else
                    "too high: check the units (megabits, megabits per second)")
        return f"{hint[0].upper()}{hint[1:]}."

    return check_function(
        func, [{"n_peers": n} for n in _FUNCTION_PEERS], p2p_time, rel_tol=0.01, abs_tol=1e-3,
        positional=True, diagnose=diagnose,
        no_answer="No answer yet: define the function, then run the cell again.",
        correct=f"Correct! Your function agrees with the course's for {len(_FUNCTION_PEERS)} "
                f"numbers of peers, from {_FUNCTION_PEERS[0]:,} to {_FUNCTION_PEERS[-1]:,}.")
