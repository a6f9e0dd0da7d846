"""One proprietary network vs several interoperable providers: availability and blast radius.

In 2007 Skype was one closed network: its users reached each other and, through Skype's paid
gateways (SkypeOut, SkypeIn), the phone network, but not the users of any other internet
telephony provider; when it failed, every user failed with it. SIP, the IETF's open signalling
standard (RFC 3261), lets providers interoperate: a user of one provider can call a user of
another where the two providers peer (accept each other's calls), and a user can move to
another provider with a standard client. The Gizmo Project, a SIP provider, saw about four
times its usual sales during Skype's outage (GigaOm, 16 Aug 2007).

The model: users are split over providers with market ``shares``. On each day each provider is
down with probability ``outage_prob``; outages share a cause with correlation ``correlation``
between any two providers (the beta-binomial common-cause model of :mod:`p2plib.failures`:
independent at 0, all-or-nothing as it nears 1). For each day we count

* the **blast radius**: the share of all users whose provider is down;
* the **call share**: the share of random caller/callee pairs that can still connect. With
  interoperable providers that all peer with each other (the best case) a call needs both
  ends up: ``(sum of up shares)**2``. With closed
  networks that do not interoperate, caller and callee must also be on the same network:
  ``sum of (up share)**2``.

The *expected* share of users affected is ``outage_prob`` whatever the market looks like; what
changes with the number of providers and their correlation is how much fails at once.

Examples
--------
>>> one = provider_days([1.0], 0.01, days=10_000, seed=1)
>>> five = provider_days([0.2] * 5, 0.01, days=10_000, seed=1)
>>> float(one.blast_radius.max()), float(five.blast_radius.max()) < 1.0
(1.0, True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from p2plib._validate import as_rng, check_array, check_int, check_real
from p2plib.failures import correlated_outages

__all__ = ["ProviderDays", "call_share", "provider_days", "served_during_outage"]


def _check_shares(shares) -> np.ndarray:
    shares = check_array("shares", shares, 0, 1)
    if shares.ndim != 1 or shares.size == 0:
        raise ValueError("shares must be a non-empty 1-D sequence of market shares in [0, 1]")
    if not math.isclose(shares.sum(), 1.0, rel_tol=0, abs_tol=1e-9):
        raise ValueError(f"shares must add up to 1, got {shares.sum():g}")
    return shares


def call_share(shares, up, interoperable=True) -> np.ndarray:
    """Share of random caller/callee pairs that can connect, given which providers are up.

    Parameters
    ----------
    shares : array_like, shape (providers,)
        Market share of each provider, each in ``[0, 1]``, adding up to 1.
    up : array_like of bool, shape (providers,) or (days, providers)
        Whether each provider is working (one row per day).
    interoperable : bool
        True for federated providers (SIP) that all peer with each other: any two working
        users can call each other. False for closed networks: only users of the same working
        network can (calls through the phone network are not counted).

    Returns
    -------
    float or numpy.ndarray, shape (days,)
        Share of caller/callee pairs that can connect, in ``[0, 1]`` (one value per day).

    References
    ----------
    Course model (chapter 06): random caller/callee pairs over the market shares; federation
    by SIP (Rosenberg et al., RFC 3261, IETF 2002) in the best case where every provider
    peers with every other.

    Examples
    --------
    >>> float(call_share([0.5, 0.5], [True, False]))          # half the users, both ends
    0.25
    >>> float(call_share([0.5, 0.5], [True, True], interoperable=False))
    0.5
    """
    shares = _check_shares(shares)
    up = np.asarray(up, dtype=bool)
    if up.shape[-1] != shares.size:
        raise ValueError("up must have one entry per provider (last axis)")
    up_shares = np.where(up, shares, 0.0)
    if interoperable:
        return up_shares.sum(axis=-1) ** 2
    return (up_shares**2).sum(axis=-1)


@dataclass(frozen=True)
class ProviderDays:
    """Day-by-day outcome of :func:`provider_days`.

    Attributes
    ----------
    up : numpy.ndarray of bool, shape (days, providers)
        Whether each provider worked on each day.
    blast_radius : numpy.ndarray, shape (days,)
        Share of all users whose provider is down that day, in ``[0, 1]``.
    call_share : numpy.ndarray, shape (days,)
        Share of random user pairs that can call each other that day, in ``[0, 1]``.
    user_availability : float
        Share of user-days with a working provider, in ``[0, 1]`` (a property).

    References
    ----------
    Course model (chapter 06); see :func:`provider_days`.

    Examples
    --------
    >>> run = provider_days([0.5, 0.5], 0.1, days=1000, seed=1)
    >>> run.up.shape, 0.0 <= run.worst_day_share(0.4) <= 1.0
    ((1000, 2), True)
    """

    up: np.ndarray
    blast_radius: np.ndarray
    call_share: np.ndarray

    @property
    def user_availability(self) -> float:
        """Share of user-days with a working provider (1 minus the mean blast radius)."""
        return float(1.0 - self.blast_radius.mean())

    def worst_day_share(self, threshold: float) -> float:
        """Share of days on which more than ``threshold`` of users are cut off."""
        threshold = check_real("threshold", threshold, 0, 1)
        return float((self.blast_radius > threshold).mean())


def provider_days(shares, outage_prob, correlation=0.0, days=3650, interoperable=True,
                  seed=None) -> ProviderDays:
    """Simulate which providers are down on each of ``days`` days, and what users feel.

    Parameters
    ----------
    shares : array_like
        Market share of each provider, each in ``[0, 1]``, adding up to 1; ``[1.0]`` is one
        proprietary network.
    outage_prob : float
        Probability that a given provider is down on a given day, in ``(0, 1)`` (per day).
    correlation : float
        Correlation between two providers' outages, in ``[0, 1)``: 0 if they fail for
        unrelated reasons, near 1 if they run the same software and fail together.
    days : int
        Days simulated, ``>= 1`` (days).
    interoperable : bool
        Whether users of different providers can call each other (see :func:`call_share`).
    seed : None, int or numpy.random.Generator
        Source of randomness; the same seed gives the same days.

    Returns
    -------
    ProviderDays
        Which providers were up, the blast radius and the call share, day by day.

    References
    ----------
    Course model (chapter 06): daily outages drawn from the beta-binomial common-cause model
    of :func:`p2plib.failures.correlated_outages` (Skellam, J. R. Stat. Soc. B, 1948: the
    beta-binomial distribution), scored by :func:`call_share`.

    Examples
    --------
    >>> run = provider_days([0.25] * 4, 0.02, correlation=0.0, days=20_000, seed=3)
    >>> abs(run.user_availability - 0.98) < 0.005     # the same mean as one network
    True
    """
    shares = _check_shares(shares)
    outage_prob = check_real("outage_prob", outage_prob, 0, 1, open_min=True, open_max=True)
    correlation = check_real("correlation", correlation, 0, 1, open_max=True)
    days = check_int("days", days, minimum=1)
    down = correlated_outages(shares.size, outage_prob, correlation, days, seed=as_rng(seed))
    up = ~down
    blast = np.where(down, shares, 0.0).sum(axis=1)
    return ProviderDays(up=up, blast_radius=blast,
                        call_share=call_share(shares, up, interoperable))


def served_during_outage(hours, affected_share, switch_rate_per_hour, can_switch_share):
    """Share of all users with working service, hour by hour, while one provider is down.

    Users of the failed provider who *can* switch move at ``switch_rate_per_hour``
    (exponential waiting times); the rest wait for the repair. Users of a closed network can
    switch too (in 2007 Gizmo's sales rose fourfold during Skype's outage), but to a service
    their contacts are not on: there a switched user reaches the phone network and the others
    who moved, so for a closed network the curve is an upper bound on what switching buys.

    Parameters
    ----------
    hours : array_like
        Time since the outage began, each ``>= 0`` (hours).
    affected_share : float
        Share of all users on the failed provider, in ``[0, 1]``.
    switch_rate_per_hour : float
        Rate at which a user who can switch does so, ``>= 0`` (per hour).
    can_switch_share : float
        Share of affected users able and willing to switch, in ``[0, 1]``.

    Returns
    -------
    numpy.ndarray, same shape as ``hours``
        Share of all users with working service at each time, in ``[0, 1]``.

    References
    ----------
    Course model (chapter 06): exponential switching times; the switching itself is sourced
    (Gizmo's sales about four times usual during the outage, GigaOm, 16 Aug 2007), its rate
    and reach are model assumptions.

    Examples
    --------
    >>> served_during_outage([0, 1e9], 1.0, 0.1, 0.0).tolist()     # nobody can move: nobody
    [0.0, 0.0]
    >>> [round(float(x), 3) for x in served_during_outage([0, 24], 0.5, 0.2, 0.5)]
    [0.5, 0.748]
    """
    hours = check_array("hours", hours, 0)
    affected_share = check_real("affected_share", affected_share, 0, 1)
    switch_rate_per_hour = check_real("switch_rate_per_hour", switch_rate_per_hour, 0)
    can_switch_share = check_real("can_switch_share", can_switch_share, 0, 1)
    switched = can_switch_share * (1.0 - np.exp(-switch_rate_per_hour * hours))
    return (1.0 - affected_share) + affected_share * switched
