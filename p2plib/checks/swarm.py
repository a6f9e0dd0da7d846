"""Chapter 05 exercise checks: the fluid model's download time, a viewer's upload, break-even."""

from __future__ import annotations

import math
import numbers

from p2plib import swarm
from p2plib.checks._student_code import check_function, looks_like_percentage
from p2plib.checks.core import CheckResult, check_number

__all__ = [
    "check_break_even_price",
    "check_download_time_function",
    "check_fluid_download_time",
    "check_upload_per_viewer",
]


def check_fluid_download_time(answer, arrival_rate, upload_rate, download_rate,
                              seed_departure_rate, abort_rate=0.0,
                              efficiency=1.0) -> CheckResult:
    """Chapter 05, exercise 1: your mean download time, in the unit of the rates (hours).

    Compared with :func:`p2plib.swarm.fluid_steady_state` within 1%; a rate instead of a time,
    or minutes instead of hours, get their own hint.

    Parameters
    ----------
    answer : float or None
        The student's download time T, hours (``None``: not answered yet).
    arrival_rate : float
        λ, viewers per hour, ``>= 0``.
    upload_rate : float
        μ, one peer's upload in files per hour, ``>= 0``.
    download_rate : float
        c, one peer's download in files per hour, ``> 0``.
    seed_departure_rate : float
        γ, per hour: 1 / (mean seed lifetime), ``> 0``.
    abort_rate : float
        θ, per hour: rate at which a downloader gives up, ``>= 0``.
    efficiency : float
        η in ``[0, 1]``: share of a downloader's upload that is useful.

    Returns
    -------
    CheckResult
        True when right; its message gives a hint otherwise.

    Examples
    --------
    >>> bool(check_fluid_download_time(30, 60, 0.5, 2, 0.5))      # minutes, not hours
    False
    """
    expected = swarm.fluid_steady_state(arrival_rate, upload_rate, download_rate,
                                        seed_departure_rate, abort_rate, efficiency)
    t = expected.download_time
    if _is_number(answer) and not math.isclose(answer, t, rel_tol=0.01):
        if math.isclose(answer, 1 / t, rel_tol=0.01):
            return CheckResult(False, "Not yet. That is a rate (per hour), the rate at which a "
                                      "downloader finishes or gives up; the time is its inverse.")
        if math.isclose(answer, 60 * t, rel_tol=0.01):
            return CheckResult(False, "Not yet. Give the time in hours, the unit of the rates "
                                      "(not minutes).")
    return check_number(
        answer, t, rel_tol=0.01,
        too_low="Is the download link really the bottleneck? Work out both candidate times "
                "for 1/β (download link, and upload net of what seeds give back) and "
                "compare them.",
        too_high="Take the larger of the two candidate times for 1/β, not their sum, and "
                 "remember T = 1/(θ + β).",
    )


def _is_number(answer) -> bool:
    return isinstance(answer, numbers.Real) and not isinstance(answer, bool) \
        and math.isfinite(answer) and answer != 0


def _download_time(arrival_rate, upload_rate, download_rate, seed_departure_rate,
                   abort_rate, efficiency):
    return swarm.fluid_steady_state(arrival_rate, upload_rate, download_rate,
                                    seed_departure_rate, abort_rate, efficiency).download_time


# Both regimes, with and without aborts, and an inefficient swarm (η < 1).
_DOWNLOAD_TIME_CASES = (
    dict(arrival_rate=60.0, upload_rate=0.5, download_rate=2.0, seed_departure_rate=0.5,
         abort_rate=0.0, efficiency=1.0),
    dict(arrival_rate=120.0, upload_rate=0.5, download_rate=3.0, seed_departure_rate=3.0,
         abort_rate=0.2, efficiency=1.0),
    dict(arrival_rate=300.0, upload_rate=0.576, download_rate=5.14, seed_departure_rate=0.625,
         abort_rate=0.0, efficiency=1.0),
    dict(arrival_rate=50.0, upload_rate=1.0, download_rate=4.0, seed_departure_rate=2.0,
         abort_rate=0.1, efficiency=0.5),
)


def _diagnose_download_time(case, got, want):
    """Name the usual slip (each candidate recomputed from the case), else the direction."""
    c, mu, gamma = case["download_rate"], case["upload_rate"], case["seed_departure_rate"]
    theta, eta = case["abort_rate"], case["efficiency"]
    link = 1 / c
    upload = max(0.0, 1 / mu - 1 / gamma)

    def same(t):
        return abs(got - t) <= 1e-6 * abs(t)

    if same(1 / (theta + c)):
        return ("That is the download link's limit, but here seeds leave too soon: upload is "
                "the bottleneck. Compare the two candidate values of 1/β.")
    if same(1 / (theta + 1 / (link + upload / eta))):
        return "Take the larger of the two candidate values of 1/β, not their sum."
    if same(max(link, upload / eta)):
        return "That is 1/β; the download time also counts the viewers who give up (θ)."
    if eta < 1 and same(1 / (theta + 1 / max(link, upload * eta))):
        return "Check where η enters: it divides the upload term, it does not multiply it."
    if eta < 1 and same(1 / (theta + 1 / max(link, upload))):
        return ("The efficiency η is missing: only a share η of a downloader's upload is "
                "useful, so divide the upload term by η.")
    if same(theta + 1 / max(link, upload / eta)):
        return "That is θ + β, a rate (per hour); the download time is its inverse."
    return "Too low: is the download link really the bottleneck?" if got < want else \
        "Too high: check which candidate for 1/β is the larger one, and how θ enters."


def check_download_time_function(func) -> CheckResult:
    """Chapter 05, exercise 2: run your ``download_time`` function on a few swarms.

    Your function is called with the keyword arguments ``arrival_rate``, ``upload_rate``,
    ``download_rate``, ``seed_departure_rate``, ``abort_rate`` and ``efficiency`` (rates per
    hour, no servers) and must return the mean download time in hours. The cases cover both
    regimes, with and without aborts, and an inefficient swarm (η < 1); a wrong answer gets a
    hint naming the usual slip.

    Parameters
    ----------
    func : callable or None
        The student's ``download_time`` function (``None``: not written yet).

    Returns
    -------
    CheckResult
        True when every case agrees with the fluid model within 10^-6 (relative).

    Examples
    --------
    A function that always answers one hour is wrong:

    >>> result = check_download_time_function(lambda **case: 1.0)
    >>> bool(result)
    False
    """
    return check_function(func, _DOWNLOAD_TIME_CASES, _download_time, rel_tol=1e-6,
                          diagnose=_diagnose_download_time)


def check_upload_per_viewer(answer, file_mb, peer_share) -> CheckResult:
    """Chapter 05, exercise 3: your MB uploaded by the average viewer.

    Compared (within 1%) with :func:`p2plib.swarm.delivery_costs`.

    Parameters
    ----------
    answer : float or None
        The student's answer, MB per viewer.
    file_mb : float
        The programme's size, MB, ``> 0``.
    peer_share : float
        Share of the bytes peers deliver, in ``[0, 1]``.

    Returns
    -------
    CheckResult
        True when right; a hint otherwise.

    Examples
    --------
    >>> bool(check_upload_per_viewer(350, file_mb=350, peer_share=0.6))   # the whole file
    False
    """
    expected = float(swarm.delivery_costs(1, file_mb / 1000, peer_share,
                                          0.0).upload_gb_per_user) * 1000
    return check_number(
        answer, expected, rel_tol=0.01, abs_tol=1e-6,
        too_low="Every byte a peer delivers, some viewer uploaded: on average each viewer "
                "uploads as much as peers deliver to one viewer.",
        too_high="Only the bytes that came from peers were uploaded by viewers; the rest "
                 "came from the servers.",
    )


def check_break_even_price(answer, daily_gb, peer_share, fixed_cost_per_day) -> CheckResult:
    """Chapter 05, exercise 4: your price per GB at which the two ways cost the same.

    Compared (within 1%) with :func:`p2plib.swarm.break_even_price`; an answer in hundredths
    gets its own hint.

    Parameters
    ----------
    answer : float or None
        The student's price per GB (currency units).
    daily_gb : float
        V, GB delivered per day, ``> 0``.
    peer_share : float
        p, share of the bytes peers deliver, in ``[0, 1]``.
    fixed_cost_per_day : float
        F, the peer-assisted platform's own daily cost (currency units per day), ``>= 0``.

    Returns
    -------
    CheckResult
        True when right; a hint otherwise.

    Examples
    --------
    >>> bool(check_break_even_price(10, daily_gb=80_000, peer_share=0.5,
    ...                             fixed_cost_per_day=4_000))
    False
    """
    expected = float(swarm.break_even_price(daily_gb, peer_share, fixed_cost_per_day))
    if looks_like_percentage(answer, expected):
        return CheckResult(False, "Not yet. Too high: give the price per GB in currency "
                                  "units (e.g. 0.25), not in hundredths.")
    return check_number(
        answer, expected, rel_tol=0.01,
        too_low="At the break-even price the server bytes that peers save pay exactly for "
                "the fixed cost: divide the fixed cost by the bytes saved, not by all bytes.",
        too_high="Divide the fixed cost by the bytes peers save the servers, not by the "
                 "bytes the servers still send.",
    )
