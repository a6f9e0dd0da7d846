"""Supernode election: which peers qualify, how many are expected to, how many are needed.

Any peer with a public address, enough upload bandwidth and a long enough session may be
promoted to supernode (Skype 2010 post-mortem; Baset & Schulzrinne, INFOCOM 2006). An
:class:`ElectionPolicy` names the thresholds (model assumptions: Skype never published them),
:func:`elect` applies them to a :class:`~p2plib.supernodes.population.Population`,
:func:`eligible_share_theory` gives the share expected to qualify and
:func:`supernodes_needed` how many the clients need.

Examples
--------
>>> from p2plib.supernodes.population import sample_population
>>> peers = sample_population(50_000, seed=1)
>>> share = elect(peers, ElectionPolicy()).mean()
>>> bool(abs(share - eligible_share_theory(peers.params, ElectionPolicy())) < 0.005)
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import special, stats

from p2plib._validate import check_array, check_real
from p2plib.supernodes.population import Population, PopulationParams

__all__ = ["ElectionPolicy", "elect", "eligible_share_theory", "supernodes_needed"]

@dataclass(frozen=True)
class ElectionPolicy:
    """Who may become a supernode (thresholds are model assumptions; Skype never published them).

    Parameters
    ----------
    require_public : bool
        Only publicly reachable peers may serve (clients behind NAT must be able to reach it).
    min_upload_kbps : float
        Minimum upload bandwidth, kbit/s, ``>= 0``.
    min_uptime_hours : float
        Minimum age of the current session, hours, ``>= 0``.
    """

    require_public: bool = True
    min_upload_kbps: float = 1500.0
    min_uptime_hours: float = 12.0

    def __post_init__(self):
        if not isinstance(self.require_public, bool | np.bool_):
            raise TypeError(f"require_public must be True or False, got {self.require_public!r}")
        check_real("min_upload_kbps", self.min_upload_kbps, 0)
        check_real("min_uptime_hours", self.min_uptime_hours, 0)


def elect(population: Population, policy: ElectionPolicy | None = None) -> np.ndarray:
    """Boolean mask of the peers that qualify as supernodes under ``policy``.

    Every qualifying peer serves (as in Skype, where promotion was automatic).

    Examples
    --------
    >>> from p2plib.supernodes.population import sample_population
    >>> peers = sample_population(10_000, seed=3)
    >>> mask = elect(peers, ElectionPolicy(min_upload_kbps=0, min_uptime_hours=0))
    >>> bool((mask == peers.public).all())
    True
    """
    _check_population(population)
    policy = ElectionPolicy() if policy is None else policy
    _check_policy(policy)
    mask = (population.upload_kbps >= policy.min_upload_kbps) & (
        population.uptime_hours >= policy.min_uptime_hours
    )
    if policy.require_public:
        mask &= population.public
    return mask


def eligible_share_theory(params: PopulationParams | None = None,
                          policy: ElectionPolicy | None = None) -> float:
    """Expected share of online peers that qualify: the product of three independent shares.

    ``P(public) * P(upload >= u) * P(uptime >= h)``, with the log-normal upload and the
    equilibrium age of the session in progress, ``P(A >= h) = E[(X - h)+] / E[X]``:
    for Weibull(k, s) sessions this is ``Q(1/k, (h/s)**k)`` (regularised upper incomplete
    gamma); for log-normal(mu, sigma), ``Phi(d + sigma) - (h / E[X]) Phi(d)`` with
    ``d = (mu - ln h) / sigma``.

    Examples
    --------
    >>> params = PopulationParams(churn="weibull", session_shape=1.0, session_scale_hours=2.0)
    >>> policy = ElectionPolicy(require_public=False, min_upload_kbps=0, min_uptime_hours=2.0)
    >>> round(eligible_share_theory(params, policy), 4)   # exponential sessions: exp(-h/s)
    0.3679
    """
    params = PopulationParams() if params is None else params
    if not isinstance(params, PopulationParams):
        raise TypeError(f"params must be a PopulationParams, got {type(params).__name__}")
    policy = ElectionPolicy() if policy is None else policy
    _check_policy(policy)
    share = params.public_share if policy.require_public else 1.0
    if policy.min_upload_kbps > 0:
        if params.upload_sigma == 0:
            share *= float(params.upload_median_kbps >= policy.min_upload_kbps)
        else:
            z = math.log(policy.min_upload_kbps / params.upload_median_kbps) / params.upload_sigma
            share *= float(stats.norm.sf(z))
    h, k, scale = policy.min_uptime_hours, params.session_shape, params.session_scale_hours
    if h > 0:
        if params.churn == "weibull":
            share *= float(special.gammaincc(1.0 / k, (h / scale) ** k))
        else:
            d = (math.log(scale) - math.log(h)) / k
            mean = params.mean_session_hours
            share *= float(stats.norm.cdf(d + k) - h / mean * stats.norm.cdf(d))
    return share


def supernodes_needed(online_peers, capacity, utilisation=1.0):
    """How many supernodes serve ``online_peers`` at ``utilisation`` of ``capacity`` each.

    ``ceil(online_peers / (capacity * utilisation))``; vectorised over ``online_peers`` and
    ``capacity``.

    Parameters
    ----------
    online_peers : int or array_like
        Clients online at once, ``>= 0``.
    capacity : int or array_like
        Clients one supernode accepts ("several hundred", Skype 2010), ``>= 1``.
    utilisation : float
        Target load as a share of capacity, in ``(0, 1]`` (headroom for failures).

    Examples
    --------
    >>> supernodes_needed(9_000_000, 500)        # AP's 2007 peak, 500 clients each
    18000
    >>> supernodes_needed([1000, 1001], 100, utilisation=0.5).tolist()
    [20, 21]
    """
    peers = check_array("online_peers", online_peers, 0)
    cap = check_array("capacity", capacity, 0)
    if np.any(cap < 1) or np.any(cap != np.round(cap)):
        raise ValueError("capacity must be whole numbers of clients >= 1")
    utilisation = check_real("utilisation", utilisation, 0, 1, open_min=True)
    needed = np.ceil(peers / (cap * utilisation) - 1e-9).astype(np.int64)
    return int(needed) if needed.ndim == 0 else needed


def _check_population(population):
    if not isinstance(population, Population):
        raise TypeError(f"population must be a Population, got {type(population).__name__}")


def _check_policy(policy):
    if not isinstance(policy, ElectionPolicy):
        raise TypeError(f"policy must be an ElectionPolicy, got {type(policy).__name__}")
