"""Two-tier overlays: who may serve, who serves whom, and what serving costs the owner.

Skype (like KaZaA's FastTrack, on which it was built) had two tiers. Ordinary peers ("clients")
keep one connection to a *supernode*, which relays their presence and search traffic and helps
calls between peers that sit behind NATs and firewalls; supernodes form an overlay of their
own. Any peer with a public address, enough bandwidth and sufficient uptime may be promoted to
supernode, and each supernode serves "several hundred" clients (Skype 2010 post-mortem;
Baset & Schulzrinne, INFOCOM 2006).

This module models, at any scale from 10^2 to 10^7 peers (vectorised numpy, seeded):

* a **peer population** (:func:`sample_population`): public or NAT-ed, upload bandwidth,
  session lengths from heavy-tailed churn distributions (Weibull or log-normal, Stutzbach &
  Rejaie, IMC 2006), current uptime, hours online per day and the operating-system/update
  group (:data:`OS_GROUPS`) that the reboot chapter uses; :func:`reboot` restarts a group;
* **supernode election** by an :class:`ElectionPolicy` (:func:`elect`), with the analytic
  eligible share (:func:`eligible_share_theory`) and :func:`supernodes_needed`;
* **attachment and re-homing** (in :mod:`p2plib.rehoming`, re-exported here) with a capacity
  limit (:class:`Homing`, :func:`attach`,
  :func:`remove_supernodes`, :func:`rehome_round`, :func:`rehome`): clients of a vanished
  supernode try others; a full supernode refuses, or with overload protection shuts itself down
  and orphans its clients (the feedback loop of Skype's December 2010 outage);
* the whole **two-tier network** (:func:`build_network`), whose supernode tier is a
  :func:`p2plib.overlay.random_overlay`;
* the **owner's cost** (in :mod:`p2plib.relay`, re-exported here; :func:`owner_cost`):
  signalling and relay bandwidth, relay blocking
  with Erlang-B (:func:`erlang_b`, :func:`relay_slots_needed`) and traffic per day.

Every number that Skype never published (thresholds, shares, rates) is a *model assumption*,
named as a parameter with a default that the notebooks vary over a range.

Examples
--------
>>> from p2plib.supernodes import ElectionPolicy, build_network, sample_population
>>> peers = sample_population(20_000, seed=1)
>>> network = build_network(peers, ElectionPolicy(), capacity=300, seed=1)
>>> network.homing.orphans == 0 and int(network.homing.loads.max()) <= 300
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np
from scipy import special, stats

from p2plib._validate import as_rng, check_array, check_choice, check_int, check_real
from p2plib.overlay import Overlay, random_overlay
from p2plib.rehoming import (
    Homing,
    RehomingResult,
    RoundStats,
    attach,
    rehome,
    rehome_round,
    remove_supernodes,
)
from p2plib.relay import (
    HOLDING_TIMES,
    OwnerCost,
    erlang_b,
    owner_cost,
    relay_slots_needed,
    simulate_relay_blocking,
)

__all__ = [
    "CHURN_MODELS",
    "HOLDING_TIMES",
    "OS_GROUPS",
    "ElectionPolicy",
    "Homing",
    "OwnerCost",
    "Population",
    "PopulationParams",
    "RehomingResult",
    "RoundStats",
    "TwoTierNetwork",
    "attach",
    "build_network",
    "elect",
    "eligible_share_theory",
    "erlang_b",
    "owner_cost",
    "reboot",
    "rehome",
    "rehome_round",
    "relay_slots_needed",
    "remove_supernodes",
    "sample_population",
    "simulate_relay_blocking",
    "supernodes_needed",
]

#: Session-length distributions understood by :class:`PopulationParams`.
CHURN_MODELS = ("weibull", "lognormal")

#: Default operating-system/update groups and their shares of peers (model assumption: Skype's
#: users were mostly on Windows; the share that installs updates automatically is not known).
OS_GROUPS = {
    "windows-auto-update": 0.55,
    "windows-manual-update": 0.25,
    "mac": 0.12,
    "linux": 0.08,
}


# --- population ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PopulationParams:
    """How the attributes of online peers are distributed (every default a model assumption).

    Parameters
    ----------
    public_share : float
        Share of peers with a public address and no blocking firewall, in ``[0, 1]``.
    upload_median_kbps : float
        Median upload bandwidth in kbit/s (log-normal), ``> 0``.
    upload_sigma : float
        Log-normal shape (standard deviation of ``ln`` upload), in ``[0, 5]``.
    churn : {"weibull", "lognormal"}
        Session-length distribution (Stutzbach & Rejaie, IMC 2006: not exponential).
    session_shape : float
        Weibull shape ``k`` (``< 1``: heavy tail; BitTorrent fits 0.34-0.59), or the log-normal
        ``sigma``; in ``(0, 5]``.
    session_scale_hours : float
        Weibull scale, or log-normal median, in hours, ``> 0``.
    mean_daily_hours : float
        Mean hours per day a peer's PC is on with the client running, in ``(0, 24)``; hours per
        day are ``24 * Beta(2, b)`` with that mean.
    os_groups : tuple of (name, share)
        Operating-system/update groups with shares that sum to 1.
    """

    public_share: float = 0.3
    upload_median_kbps: float = 512.0
    upload_sigma: float = 0.8
    churn: str = "weibull"
    session_shape: float = 0.5
    session_scale_hours: float = 3.0
    mean_daily_hours: float = 8.0
    os_groups: tuple = tuple(OS_GROUPS.items())

    def __post_init__(self):
        check_real("public_share", self.public_share, 0, 1)
        check_real("upload_median_kbps", self.upload_median_kbps, 0, open_min=True)
        check_real("upload_sigma", self.upload_sigma, 0, 5)
        check_choice("churn", self.churn, CHURN_MODELS)
        check_real("session_shape", self.session_shape, 0, 5, open_min=True)
        check_real("session_scale_hours", self.session_scale_hours, 0, open_min=True)
        check_real("mean_daily_hours", self.mean_daily_hours, 0, 24, open_min=True,
                   open_max=True)
        try:
            groups = tuple((str(name), float(share)) for name, share in self.os_groups)
        except (TypeError, ValueError):
            raise TypeError("os_groups must be a tuple of (name, share) pairs, got "
                            f"{self.os_groups!r}") from None
        if not groups or any(not (0 <= s <= 1) for _, s in groups):
            raise ValueError("os_groups must be a non-empty tuple of (name, share in [0, 1])")
        if abs(sum(s for _, s in groups) - 1) > 1e-9:
            raise ValueError("os_groups shares must sum to 1")
        if len({name for name, _ in groups}) != len(groups):
            raise ValueError("os_groups names must be unique")
        object.__setattr__(self, "os_groups", groups)

    @property
    def mean_session_hours(self) -> float:
        """Mean session length in hours."""
        k, scale = self.session_shape, self.session_scale_hours
        if self.churn == "weibull":
            return scale * math.gamma(1 + 1 / k)
        return scale * math.exp(k**2 / 2)


@dataclass(frozen=True, eq=False)
class Population:
    """Online peers at one instant, one array entry per peer (arrays are read-only).

    Attributes
    ----------
    public : bool array
        Publicly reachable (not behind NAT or a blocking firewall).
    upload_kbps : float array
        Upload bandwidth, kbit/s.
    uptime_hours : float array
        Age of the current session (time since the client started), hours.
    residual_hours : float array
        Time until the current session ends, hours.
    daily_hours : float array
        Hours per day the peer is online.
    os_group : int8 array
        Index into ``os_names``.
    os_names : tuple of str
    params : PopulationParams
        The distribution the peers were drawn from.
    """

    public: np.ndarray
    upload_kbps: np.ndarray
    uptime_hours: np.ndarray
    residual_hours: np.ndarray
    daily_hours: np.ndarray
    os_group: np.ndarray
    os_names: tuple
    params: PopulationParams = field(default_factory=PopulationParams)

    def __post_init__(self):
        n = len(self.public)
        for name in ("public", "upload_kbps", "uptime_hours", "residual_hours", "daily_hours",
                     "os_group"):
            array = np.array(getattr(self, name))  # a private copy, then read-only
            if array.shape != (n,):
                raise ValueError(f"{name} must be a one-dimensional array of length {n}")
            array.flags.writeable = False
            object.__setattr__(self, name, array)

    @property
    def n(self) -> int:
        """Number of peers."""
        return len(self.public)

    def in_groups(self, groups) -> np.ndarray:
        """Boolean mask of the peers whose OS/update group is one of ``groups`` (names)."""
        if isinstance(groups, str):
            groups = (groups,)
        codes = []
        for g in groups:
            check_choice("groups", g, self.os_names)
            codes.append(self.os_names.index(g))
        return np.isin(self.os_group, codes)

    def __repr__(self) -> str:
        return f"Population(n={self.n})"


def _length_biased_sessions(params: PopulationParams, n: int, rng) -> np.ndarray:
    """Lengths of the sessions in progress at a random instant (length-biased sampling).

    A peer seen online is more likely to be in a long session (the inspection paradox): the
    session in progress has density ``x f(x) / E[X]``. For Weibull(k, s) that is
    ``s * G**(1/k)`` with ``G ~ Gamma(1 + 1/k)``; for log-normal(mu, sigma) it is log-normal
    with ``mu + sigma**2``.
    """
    k, scale = params.session_shape, params.session_scale_hours
    if params.churn == "weibull":
        return scale * rng.gamma(1.0 + 1.0 / k, size=n) ** (1.0 / k)
    return scale * np.exp(k**2 + k * rng.standard_normal(n))


def sample_population(n, params: PopulationParams | None = None, seed=None) -> Population:
    """Draw ``n`` online peers with independent attributes.

    Uptime is the age of the session in progress at a random instant of a stationary renewal
    process: draw the session's length by length-biased sampling, then a uniform point in it.
    Its distribution is the equilibrium ("age") distribution ``P(A > a) = E[(X - a)+] / E[X]``
    (Cox, *Renewal Theory*, 1962), which :func:`eligible_share_theory` uses.

    Parameters
    ----------
    n : int
        Number of online peers, ``>= 0``.
    params : PopulationParams, optional
        Distributions of the attributes; defaults are model assumptions.
    seed : None, int or numpy.random.Generator

    Returns
    -------
    Population

    Examples
    --------
    >>> peers = sample_population(100_000, seed=0)
    >>> round(float(peers.public.mean()), 2)
    0.3
    >>> peers.os_names[0]
    'windows-auto-update'
    """
    n = check_int("n", n, minimum=0)
    params = PopulationParams() if params is None else params
    if not isinstance(params, PopulationParams):
        raise TypeError(f"params must be a PopulationParams, got {type(params).__name__}")
    rng = as_rng(seed)
    public = rng.random(n) < params.public_share
    # (lognormal draws exp() from the C library, not numpy's vectorised exp, whose last bit
    # depends on the CPU's vector instructions: the same seed gives the same peers everywhere)
    upload = params.upload_median_kbps * rng.lognormal(0.0, params.upload_sigma, n)
    session = _length_biased_sessions(params, n, rng)
    uptime = rng.random(n) * session
    residual = session - uptime
    mean_share = params.mean_daily_hours / 24.0
    daily = 24.0 * rng.beta(2.0, 2.0 * (1.0 - mean_share) / mean_share, size=n)
    names = tuple(name for name, _ in params.os_groups)
    shares = np.array([share for _, share in params.os_groups])
    cdf = np.cumsum(shares)
    cdf[-1] = 1.0
    os_group = np.searchsorted(cdf, rng.random(n), side="right").astype(np.int8)
    return Population(public, upload, uptime, residual, daily, os_group, names, params)


def reboot(population: Population, groups, hours_ago=0.0) -> Population:
    """The same peers after every peer in ``groups`` restarted ``hours_ago`` hours ago.

    A patched and rebooted PC starts a new session: its uptime is ``hours_ago`` (the peers are
    assumed to have stayed online since the restart), so it fails an uptime threshold for a
    while. Peers in other groups are unchanged (their clock is not advanced).

    Parameters
    ----------
    population : Population
    groups : str or sequence of str
        OS/update group names (see ``population.os_names``).
    hours_ago : float
        Time since the restart, hours, ``>= 0``.

    Examples
    --------
    >>> peers = sample_population(1000, seed=2)
    >>> after = reboot(peers, "windows-auto-update")
    >>> bool((after.uptime_hours[after.in_groups("windows-auto-update")] == 0).all())
    True
    """
    _check_population(population)
    hours_ago = check_real("hours_ago", hours_ago, 0)
    hit = population.in_groups(groups)
    uptime = np.where(hit, hours_ago, population.uptime_hours)
    return replace(population, uptime_hours=uptime)


# --- election --------------------------------------------------------------------------------


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


# --- the two-tier network --------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class TwoTierNetwork:
    """A population split into supernodes and clients, attached, with a supernode overlay.

    Attributes
    ----------
    population : Population
    supernode_ids, client_ids : int64 arrays
        Peer indices (into ``population``) of the supernodes and of the clients;
        ``homing.home`` indexes ``supernode_ids``.
    homing : Homing
    overlay : p2plib.overlay.Overlay
        Links between supernodes (nodes numbered as ``supernode_ids``).
    """

    population: Population
    supernode_ids: np.ndarray
    client_ids: np.ndarray
    homing: Homing
    overlay: Overlay

    @property
    def serving_share(self) -> float:
        """Share of online peers that serve as supernodes."""
        return len(self.supernode_ids) / max(self.population.n, 1)

    def __repr__(self) -> str:
        return (f"TwoTierNetwork(peers={self.population.n}, supernodes="
                f"{len(self.supernode_ids)}, orphans={self.homing.orphans})")


def build_network(population: Population, policy: ElectionPolicy | None = None, capacity=300,
                  overlay_degree=8.0, attach_rounds=20, seed=None) -> TwoTierNetwork:
    """Elect supernodes, attach every other peer to one, and link the supernodes.

    Parameters
    ----------
    population : Population
    policy : ElectionPolicy, optional
    capacity : int
        Clients per supernode ("several hundred", Skype 2010; default a model assumption).
    overlay_degree : float
        Mean links per supernode in the supernode overlay (model assumption), ``>= 0``;
        capped at ``supernodes - 1``.
    attach_rounds : int
        Rounds of :func:`attach`.
    seed : None, int or numpy.random.Generator

    Examples
    --------
    >>> net = build_network(sample_population(5000, seed=4), capacity=200, seed=4)
    >>> net.overlay.n == len(net.supernode_ids) == net.homing.supernodes
    True
    """
    _check_population(population)
    policy = ElectionPolicy() if policy is None else policy
    capacity = check_int("capacity", capacity, minimum=1)
    overlay_degree = check_real("overlay_degree", overlay_degree, 0)
    attach_rounds = check_int("attach_rounds", attach_rounds, 0, 1000)
    rng = as_rng(seed)
    serving = elect(population, policy)
    supernode_ids = np.flatnonzero(serving)
    client_ids = np.flatnonzero(~serving)
    homing = attach(len(client_ids), len(supernode_ids), capacity, attach_rounds, seed=rng)
    s = len(supernode_ids)
    overlay = random_overlay(max(s, 1), min(overlay_degree, max(s - 1, 0)), seed=rng)
    if s == 0:
        overlay = Overlay(0, np.empty((0, 2), dtype=np.int64))
    return TwoTierNetwork(population, supernode_ids, client_ids, homing, overlay)


# --- helpers ---------------------------------------------------------------------------------


def _check_population(population):
    if not isinstance(population, Population):
        raise TypeError(f"population must be a Population, got {type(population).__name__}")


def _check_policy(policy):
    if not isinstance(policy, ElectionPolicy):
        raise TypeError(f"policy must be an ElectionPolicy, got {type(policy).__name__}")
