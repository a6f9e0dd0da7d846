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
* **attachment and re-homing** with a capacity limit (:class:`Homing`, :func:`attach`,
  :func:`remove_supernodes`, :func:`rehome_round`, :func:`rehome`): clients of a vanished
  supernode try others; a full supernode refuses, or with overload protection shuts itself down
  and orphans its clients (the feedback loop of Skype's December 2010 outage);
* the whole **two-tier network** (:func:`build_network`), whose supernode tier is a
  :func:`p2plib.overlay.random_overlay`;
* the **owner's cost** (:func:`owner_cost`): signalling and relay bandwidth, relay blocking
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
import numbers
from dataclasses import dataclass, field, replace

import numpy as np
from scipy import special, stats

from p2plib._validate import as_rng, check_choice, check_int, check_real
from p2plib.overlay import Overlay, random_overlay

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

#: Call holding-time distributions understood by :func:`simulate_relay_blocking`.
HOLDING_TIMES = ("exponential", "lognormal", "constant")

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
    upload = params.upload_median_kbps * np.exp(params.upload_sigma * rng.standard_normal(n))
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
    peers = _nonneg_array("online_peers", online_peers)
    cap = _nonneg_array("capacity", capacity)
    if np.any(cap < 1) or np.any(cap != np.round(cap)):
        raise ValueError("capacity must be whole numbers of clients >= 1")
    utilisation = check_real("utilisation", utilisation, 0, 1, open_min=True)
    needed = np.ceil(peers / (cap * utilisation) - 1e-9).astype(np.int64)
    return int(needed) if needed.ndim == 0 else needed


# --- attachment and re-homing ----------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Homing:
    """Which supernode each client is attached to.

    Attributes
    ----------
    home : int32 array, length = clients
        Index of the client's supernode, or ``-1`` if the client has none (an "orphan": it
        cannot log in, search or be reached).
    alive : bool array, length = supernodes
        Whether each supernode is still serving.
    loads : int64 array, length = supernodes
        Clients attached to each supernode (``bincount`` of ``home``; 0 for dead ones).
    capacity : int
        Clients a supernode accepts.

    The functions of this module keep the invariants checked by :meth:`check`: every client is
    attached to at most one *live* supernode, no live supernode is above capacity.
    """

    home: np.ndarray
    alive: np.ndarray
    loads: np.ndarray
    capacity: int

    def __post_init__(self):
        check_int("capacity", self.capacity, minimum=1)
        home, alive, loads = (np.asarray(a) for a in (self.home, self.alive, self.loads))
        if home.ndim != 1 or alive.ndim != 1 or loads.shape != alive.shape:
            raise ValueError("home, alive and loads must be 1-d; loads as long as alive")
        for name, array in (("home", home), ("alive", alive), ("loads", loads)):
            array.flags.writeable = False
            object.__setattr__(self, name, array)

    @property
    def clients(self) -> int:
        """Number of clients (attached or not)."""
        return len(self.home)

    @property
    def supernodes(self) -> int:
        """Number of supernodes ever elected (live or not)."""
        return len(self.alive)

    @property
    def live(self) -> int:
        """Number of live supernodes."""
        return int(self.alive.sum())

    @property
    def orphans(self) -> int:
        """Clients without a supernode."""
        return self.clients - int(self.loads.sum())

    def check(self) -> None:
        """Raise ``AssertionError`` unless the invariants hold (for tests; O(clients))."""
        s = self.supernodes
        assert self.home.min(initial=0) >= -1 and self.home.max(initial=-1) < s
        attached = self.home[self.home >= 0]
        assert self.alive[attached].all(), "a client is attached to a dead supernode"
        assert (np.bincount(attached, minlength=s) == self.loads).all(), "loads out of date"
        assert (self.loads[self.alive] <= self.capacity).all(), "a supernode is over capacity"
        assert (self.loads[~self.alive] == 0).all()

    def __repr__(self) -> str:
        return (f"Homing(clients={self.clients}, supernodes={self.live}/{self.supernodes} live,"
                f" orphans={self.orphans}, capacity={self.capacity})")


@dataclass(frozen=True)
class RoundStats:
    """What happened in one re-homing round (counts of clients or supernodes)."""

    orphans_before: int
    accepted: int
    refused: int
    shut_down: int
    orphaned_by_shutdown: int
    orphans_after: int
    live: int


def rehome_round(homing: Homing, overload_protection=False, shutdown_ratio=1.0,
                 seed=None) -> tuple[Homing, RoundStats]:
    """One round: every client without a supernode asks one live supernode, chosen at random.

    Each orphan picks a live supernode uniformly and independently (as from its host cache of
    supernode addresses), so the requests per supernode are multinomial. A supernode accepts
    requests up to its spare capacity, choosing at random which ones if it cannot take them all,
    and refuses the rest (the refused try again next round). With
    ``overload_protection``, a supernode whose demand (clients + requests) exceeds
    ``shutdown_ratio * capacity`` instead shuts itself down, refusing every request and
    orphaning its clients, who search again next round: the positive feedback that Skype's
    December 2010 post-mortem describes. The cost is O(clients) numpy work and no sort
    (a bincount of the choices; a permutation only of the requests to partly full supernodes).

    Parameters
    ----------
    homing : Homing
    overload_protection : bool
        Whether overloaded supernodes shut down (True) or only refuse (False).
    shutdown_ratio : float
        Demand, as a multiple of capacity, above which a protected supernode shuts down;
        in ``[1, 100]``.
    seed : None, int or numpy.random.Generator

    Returns
    -------
    (Homing, RoundStats)

    Examples
    --------
    >>> state = attach(1000, 10, capacity=150, seed=1)
    >>> state = remove_supernodes(state, 0.5, seed=1)
    >>> after, stats = rehome_round(state, seed=1)
    >>> stats.orphans_before > after.orphans
    True
    """
    _check_homing(homing)
    if not isinstance(overload_protection, bool | np.bool_):
        raise TypeError(f"overload_protection must be True or False, got {overload_protection!r}")
    shutdown_ratio = check_real("shutdown_ratio", shutdown_ratio, 1, 100)
    rng = as_rng(seed)
    cap = homing.capacity
    orphans = np.flatnonzero(homing.home < 0)
    live = np.flatnonzero(homing.alive)
    n_orphans = len(orphans)
    if n_orphans == 0 or len(live) == 0:
        stats_ = RoundStats(n_orphans, 0, n_orphans, 0, 0, n_orphans, len(live))
        return homing, stats_
    choice = rng.integers(0, len(live), size=n_orphans, dtype=np.int32)  # index into `live`
    requests = np.bincount(choice, minlength=len(live))
    loads_live = homing.loads[live]
    if overload_protection:
        shut = loads_live + requests > shutdown_ratio * cap
    else:
        shut = np.zeros(len(live), dtype=bool)
    spare = np.where(shut, 0, np.maximum(cap - loads_live, 0))
    accepted = np.minimum(requests, spare)
    live32 = live.astype(np.int32)
    # Supernodes with room for every request take them all; full or shut ones take none.
    answer = np.where((accepted == requests)[choice], live32[choice], np.int32(-1))
    partial = (accepted > 0) & (accepted < requests)
    if partial.any():
        # A supernode with room for only some requests takes a random `accepted[j]` of them.
        # Given the request counts, iid choices are a uniformly random arrangement of the
        # requests, so we lay the requests to partial supernodes out sorted by target, accept
        # the first `accepted[j]` of each, and hand the layout to those orphans in random order.
        asking = np.flatnonzero(partial[choice])
        counts = requests[partial]
        first = np.cumsum(counts) - counts
        position = np.arange(len(asking)) - np.repeat(first, counts)
        laid_out = np.where(position < np.repeat(accepted[partial], counts),
                            np.repeat(live32[partial], counts), np.int32(-1))
        answer[asking[rng.permutation(len(asking))]] = laid_out
    home = homing.home.copy()
    home[orphans] = answer
    loads = homing.loads.copy()
    loads[live] += accepted
    alive = homing.alive
    orphaned = 0
    if shut.any():
        dead = live[shut]
        orphaned = int(loads[dead].sum())
        alive = alive.copy()
        alive[dead] = False
        killed = np.zeros(homing.supernodes + 1, dtype=bool)  # slot -1 stands for "no home"
        killed[dead] = True
        home[killed[home]] = -1
        loads[dead] = 0
    result = Homing(home, alive, loads, cap)
    n_accepted = int(accepted.sum())
    stats_ = RoundStats(n_orphans, n_accepted, n_orphans - n_accepted, int(shut.sum()),
                        orphaned, result.orphans, result.live)
    return result, stats_


def attach(clients, supernodes, capacity, rounds=20, seed=None) -> Homing:
    """Attach ``clients`` to ``supernodes`` by re-homing rounds from "nobody attached".

    Every client starts without a supernode and runs :func:`rehome_round` (without overload
    protection) until all are attached, no supernode has room, or ``rounds`` rounds passed.

    Parameters
    ----------
    clients : int
        Number of clients, ``>= 0``.
    supernodes : int
        Number of supernodes, ``>= 0``.
    capacity : int
        Clients per supernode, ``>= 1``.
    rounds : int
        At most this many rounds, in ``[0, 1000]``.
    seed : None, int or numpy.random.Generator

    Examples
    --------
    >>> state = attach(10_000, 40, capacity=300, seed=0)
    >>> state.orphans, int(state.loads.sum())
    (0, 10000)
    """
    clients = check_int("clients", clients, minimum=0, maximum=2**31 - 1)
    supernodes = check_int("supernodes", supernodes, minimum=0, maximum=2**31 - 2)
    capacity = check_int("capacity", capacity, minimum=1)
    rounds = check_int("rounds", rounds, minimum=0, maximum=1000)
    rng = as_rng(seed)
    state = Homing(np.full(clients, -1, dtype=np.int32), np.ones(supernodes, dtype=bool),
                   np.zeros(supernodes, dtype=np.int64), capacity)
    for _ in range(rounds):
        if state.orphans == 0 or state.live * capacity <= int(state.loads.sum()):
            break
        state, _ = rehome_round(state, seed=rng)
    return state


def remove_supernodes(homing: Homing, fraction=None, which=None, seed=None) -> Homing:
    """Pull the plug: supernodes vanish and their clients become orphans.

    Give either ``fraction`` (that share of the *live* supernodes, chosen at random, rounded to
    the nearest whole number) or ``which`` (indices or a boolean mask of supernodes).

    Examples
    --------
    >>> state = attach(2000, 10, capacity=300, seed=0)
    >>> after = remove_supernodes(state, 0.3, seed=0)
    >>> after.live, after.orphans == int(state.loads[~after.alive].sum())
    (7, True)
    """
    _check_homing(homing)
    if (fraction is None) == (which is None):
        raise ValueError("give exactly one of fraction (share of live supernodes) or which")
    if fraction is not None:
        fraction = check_real("fraction", fraction, 0, 1)
        live = np.flatnonzero(homing.alive)
        count = round(fraction * len(live))
        dead = as_rng(seed).choice(live, size=count, replace=False)
    else:
        which = np.asarray(which)
        if which.dtype == bool:
            if which.shape != homing.alive.shape:
                raise ValueError(f"which, as a mask, must have length {homing.supernodes}")
            dead = np.flatnonzero(which)
        else:
            if not np.issubdtype(which.dtype, np.integer) and which.size:
                raise TypeError("which must be supernode indices (integers) or a boolean mask")
            dead = which.astype(np.int64).ravel()
            if dead.size and (dead.min() < 0 or dead.max() >= homing.supernodes):
                raise ValueError(f"which must name supernodes in [0, {homing.supernodes - 1}]")
    alive = homing.alive.copy()
    alive[dead] = False
    killed = np.append(~alive, False)  # slot -1 stands for "no home"
    home = homing.home.copy()
    home[killed[home]] = -1
    loads = np.where(alive, homing.loads, 0)
    return Homing(home, alive, loads, homing.capacity)


@dataclass(frozen=True, eq=False)
class RehomingResult:
    """Round-by-round record of :func:`rehome` (entry 0 is the state before the first round).

    Attributes
    ----------
    orphans : int64 array, length rounds + 1
        Clients without a supernode after each round.
    live : int64 array, length rounds + 1
        Live supernodes after each round.
    refused, shut_down : int64 arrays, length rounds + 1
        Requests refused / supernodes that shut themselves down in each round (0 at entry 0).
    loads : int64 array of shape (rounds + 1, supernodes), or None
        Clients per supernode after each round (if ``keep_loads``).
    alive : bool array of shape (rounds + 1, supernodes), or None
        Which supernodes serve after each round (if ``keep_loads``).
    final : Homing
    """

    orphans: np.ndarray
    live: np.ndarray
    refused: np.ndarray
    shut_down: np.ndarray
    loads: np.ndarray | None
    alive: np.ndarray | None
    final: Homing

    @property
    def rounds(self) -> int:
        return len(self.orphans) - 1


def rehome(homing: Homing, rounds=10, overload_protection=False, shutdown_ratio=1.0,
           keep_loads=False, seed=None) -> RehomingResult:
    """Run ``rounds`` rounds of :func:`rehome_round` and record each one.

    Without overload protection the orphans settle at ``max(0, clients - live * capacity)``
    (every supernode with room is found eventually); with it, a large enough loss of
    supernodes can cascade to collapse.

    Examples
    --------
    >>> start = remove_supernodes(attach(6000, 30, 300, seed=1), 0.5, seed=1)
    >>> calm = rehome(start, 30, seed=2)
    >>> int(calm.orphans[-1])                       # 6000 clients, 15 x 300 places left
    1500
    >>> storm = rehome(start, 30, overload_protection=True, seed=2)
    >>> int(storm.live[-1]) < 15
    True
    """
    _check_homing(homing)
    rounds = check_int("rounds", rounds, minimum=0, maximum=10_000)
    rng = as_rng(seed)
    orphans, live, refused, shut = [homing.orphans], [homing.live], [0], [0]
    loads = [homing.loads] if keep_loads else None
    alive = [homing.alive] if keep_loads else None
    state = homing
    for _ in range(rounds):
        state, s = rehome_round(state, overload_protection, shutdown_ratio, seed=rng)
        orphans.append(s.orphans_after)
        live.append(s.live)
        refused.append(s.refused)
        shut.append(s.shut_down)
        if keep_loads:
            loads.append(state.loads)
            alive.append(state.alive)
    return RehomingResult(np.array(orphans), np.array(live), np.array(refused), np.array(shut),
                          np.array(loads) if keep_loads else None,
                          np.array(alive) if keep_loads else None, state)


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


# --- the owner's cost: relay slots and bandwidth ----------------------------------------------


def erlang_b(offered_load, slots):
    """Blocking probability of a pool of ``slots`` relay slots offered ``offered_load`` Erlangs.

    Erlang's loss formula ``B(E, m) = (E^m / m!) / sum_{k<=m} E^k / k!`` (Erlang 1917): the
    share of relayed calls that find all ``m`` slots busy and are refused, for Poisson call
    arrivals and any holding-time distribution. Computed by the stable recursion
    ``B(E, 0) = 1``, ``B(E, m) = E B(E, m-1) / (m + E B(E, m-1))``, vectorised over
    ``offered_load``.

    Parameters
    ----------
    offered_load : float or array_like
        Offered traffic in Erlangs (mean number of calls that would be in progress if none
        were refused), each ``>= 0`` and finite.
    slots : int
        Number of calls the relay can carry at once, ``>= 0``.

    Returns
    -------
    float or numpy.ndarray (same shape as ``offered_load``), each in [0, 1]

    Examples
    --------
    >>> erlang_b(1.0, 1)
    0.5
    >>> round(erlang_b(2.0, 2), 6)
    0.4
    >>> erlang_b([0.0, 4.46], 10).round(3).tolist()   # 10 slots carry 4.46 E at 1% blocking
    [0.0, 0.01]
    """
    slots = check_int("slots", slots, minimum=0)
    load = _nonneg_array("offered_load", offered_load)
    blocking = np.ones_like(load)
    for m in range(1, slots + 1):
        carried = load * blocking
        blocking = carried / (m + carried)
    return float(blocking) if blocking.ndim == 0 else blocking


def relay_slots_needed(offered_load, target_blocking=0.01) -> int:
    """The fewest relay slots with Erlang-B blocking at most ``target_blocking``.

    Parameters
    ----------
    offered_load : float
        Erlangs, in ``[0, 1e5]``.
    target_blocking : float
        Acceptable share of refused relayed calls, in ``(0, 1]``.

    Examples
    --------
    >>> relay_slots_needed(4.46, 0.01)
    10
    """
    load = check_real("offered_load", offered_load, 0, 1e5)
    target = check_real("target_blocking", target_blocking, 0, 1, open_min=True)
    blocking, m = 1.0, 0
    while blocking > target:
        m += 1
        blocking = load * blocking / (m + load * blocking)
    return m


def simulate_relay_blocking(offered_load, slots, calls=20_000, holding="exponential",
                            seed=None) -> float:
    """Share of relayed calls refused by a pool of ``slots`` relay slots, by simulation.

    Calls arrive as a Poisson process at rate ``offered_load`` per mean holding time and each
    holds a slot for a random time of mean 1; a call that finds every slot busy is refused
    (a loss system, M/G/m/m). Erlang-B (:func:`erlang_b`) predicts the long-run share for ANY
    holding-time distribution with that mean (Sevastyanov 1957): try ``holding`` to see it.
    The system starts empty, which biases short runs slightly low.

    Parameters
    ----------
    offered_load : float
        Erlangs, in ``[0, 1000]``.
    slots : int
        In ``[0, 1000]``.
    calls : int
        Number of call attempts simulated, in ``[1, 10**6]``.
    holding : {"exponential", "lognormal", "constant"}
        Holding-time distribution (all of mean 1; the log-normal has sigma 1).
    seed : None, int or numpy.random.Generator

    Examples
    --------
    >>> simulate_relay_blocking(4.46, 10, calls=50_000, seed=1) < 0.02   # Erlang-B: 1%
    True
    """
    load = check_real("offered_load", offered_load, 0, 1000)
    slots = check_int("slots", slots, minimum=0, maximum=1000)
    calls = check_int("calls", calls, minimum=1, maximum=10**6)
    holding = check_choice("holding", holding, HOLDING_TIMES)
    rng = as_rng(seed)
    if slots == 0:
        return 1.0
    if load == 0:
        return 0.0
    arrivals = np.cumsum(rng.exponential(1.0 / load, size=calls))
    if holding == "exponential":
        durations = rng.exponential(1.0, size=calls)
    elif holding == "lognormal":
        durations = np.exp(rng.standard_normal(calls) - 0.5)  # mean exp(0) = 1
    else:
        durations = np.ones(calls)
    ends = np.full(slots, -np.inf)  # when each slot becomes free
    refused = 0
    for t, d in zip(arrivals.tolist(), durations.tolist(), strict=True):
        slot = int(ends.argmin())
        if ends[slot] <= t:
            ends[slot] = t + d
        else:
            refused += 1
    return refused / calls


@dataclass(frozen=True, eq=False)
class OwnerCost:
    """What serving as a supernode costs the owner's PC (see :func:`owner_cost`).

    Rates are per direction (upload = download), in kbit/s, while the PC serves; arrays when
    ``clients`` is an array.
    """

    clients: np.ndarray | float
    hours_per_day: float
    signalling_kbps: np.ndarray | float
    relay_offered_erlangs: np.ndarray | float
    relay_slots: int
    relay_blocking: np.ndarray | float
    relay_kbps: np.ndarray | float
    total_kbps: np.ndarray | float
    gigabytes_per_day: np.ndarray | float

    @property
    def gigabytes_per_month(self):
        """Traffic in and out over 30 days, GB (10^9 bytes)."""
        return self.gigabytes_per_day * 30


def owner_cost(clients, hours_per_day=8.0, signalling_bps_per_client=100.0,
               call_share=0.05, relayed_share=0.1, codec_kbps=40.0,
               relay_slots=4) -> OwnerCost:
    """Bandwidth, relay blocking and traffic of a supernode serving ``clients`` clients.

    Model (every default a model assumption; Skype published none of these rates):

    * **signalling**: each client's presence keep-alives, status updates and searches pass
      through its supernode at ``signalling_bps_per_client`` bit/s each way;
    * **relayed calls**: a client is on a call ``call_share`` of the time; a call has two
      parties, so ``clients * call_share / 2`` calls are in progress per supernode's worth of
      clients, and ``relayed_share`` of them need a relay (both ends behind NATs or firewalls
      that block a direct path, Baset & Schulzrinne 2006). Relays are spread over supernodes,
      so on average a supernode is offered ``E = clients * call_share / 2 * relayed_share``
      Erlangs; with ``relay_slots`` slots a share ``B = erlang_b(E, relay_slots)`` is refused.
      A carried relayed call forwards both voice streams: ``2 * codec_kbps`` each way.
    * **traffic**: upload plus download while serving, ``hours_per_day`` hours a day.

    Parameters
    ----------
    clients : float or array_like
        Clients attached, ``>= 0``.
    hours_per_day : float
        Hours a day the PC is on and serving, in ``[0, 24]``.
    signalling_bps_per_client : float
        bit/s each way per client, ``>= 0``.
    call_share : float
        Share of time a user is on a call, in ``[0, 1]``.
    relayed_share : float
        Share of calls that need a relay, in ``[0, 1]``.
    codec_kbps : float
        One voice stream, kbit/s including packet overhead, ``>= 0``.
    relay_slots : int
        Relayed calls the owner's PC carries at once, ``>= 0``.

    Examples
    --------
    >>> cost = owner_cost(500)
    >>> round(cost.relay_offered_erlangs, 2), round(cost.relay_blocking, 3)
    (1.25, 0.029)
    >>> round(cost.total_kbps), round(cost.gigabytes_per_month, 1)
    (147, 31.8)
    """
    n = _nonneg_array("clients", clients)
    hours = check_real("hours_per_day", hours_per_day, 0, 24)
    signalling = check_real("signalling_bps_per_client", signalling_bps_per_client, 0)
    call_share = check_real("call_share", call_share, 0, 1)
    relayed_share = check_real("relayed_share", relayed_share, 0, 1)
    codec = check_real("codec_kbps", codec_kbps, 0)
    relay_slots = check_int("relay_slots", relay_slots, minimum=0)
    signalling_kbps = n * signalling / 1000.0
    offered = n * call_share / 2.0 * relayed_share
    blocking = erlang_b(offered, relay_slots)
    relay_kbps = offered * (1.0 - blocking) * 2.0 * codec
    total = signalling_kbps + relay_kbps
    gigabytes = 2.0 * total * 1000.0 * hours * 3600.0 / 8.0 / 1e9

    def out(x):
        return float(x) if np.ndim(x) == 0 else x

    return OwnerCost(out(n), hours, out(signalling_kbps), out(offered), relay_slots,
                     out(blocking), out(relay_kbps), out(total), out(gigabytes))


# --- helpers ---------------------------------------------------------------------------------


def _nonneg_array(name: str, value) -> np.ndarray:
    if isinstance(value, bool) or (isinstance(value, numbers.Number)
                                   and not isinstance(value, numbers.Real)):
        raise TypeError(f"{name} must be a real number or an array of them, got {value!r}")
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be a real number or an array of them, got {value!r}") \
            from error
    if not np.all(np.isfinite(array)) or np.any(array < 0):
        raise ValueError(f"{name} must be finite and in [0, inf)")
    return array


def _check_population(population):
    if not isinstance(population, Population):
        raise TypeError(f"population must be a Population, got {type(population).__name__}")


def _check_policy(policy):
    if not isinstance(policy, ElectionPolicy):
        raise TypeError(f"policy must be an ElectionPolicy, got {type(policy).__name__}")


def _check_homing(homing):
    if not isinstance(homing, Homing):
        raise TypeError(f"homing must be a Homing, got {type(homing).__name__}")
