"""Supernode election: which peers qualify, how many are expected to, how many are needed.

Any peer with a public address, enough upload bandwidth and a long enough session may be
promoted to supernode (Skype 2010 post-mortem; Baset & Schulzrinne, INFOCOM 2006). An
:class:`ElectionPolicy` names the thresholds (model assumptions: Skype never published them),
:func:`elect` applies them to a :class:`~p2plib.supernodes.population.Population`,
:func:`eligibility_funnel` counts the peers left after each condition,
:func:`eligible_share_theory` and :func:`eligibility_funnel_theory` give what the population's
distributions predict (also after a mass reboot), and :func:`supernodes_needed` how many
supernodes the clients need.

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

from p2plib._validate import check_array, check_choice, check_int, check_real
from p2plib.supernodes.population import Population, PopulationParams

__all__ = ["ElectionPolicy", "EligibilityFunnel", "elect", "eligibility_funnel",
           "eligibility_funnel_theory", "eligible_share_theory", "supernodes_needed"]


@dataclass(frozen=True)
class ElectionPolicy:
    """Who may become a supernode: the three promotion thresholds of a two-tier overlay.

    A peer is promoted when it is publicly reachable (if required), uploads fast enough and
    has been online long enough. Skype never published its thresholds: every default is a
    model assumption that chapter 02 varies.

    Parameters
    ----------
    require_public : bool
        Only publicly reachable peers may serve (clients behind NAT must be able to reach it).
    min_upload_kbps : float
        Minimum upload bandwidth, kbit/s, ``>= 0``.
    min_uptime_hours : float
        Minimum age of the current session, hours, ``>= 0``.

    Attributes
    ----------
    require_public, min_upload_kbps, min_uptime_hours
        As given (validated).

    References
    ----------
    L. Rabbe, "CIO update: Post-mortem on the Skype outage", Skype, 29 December 2010
    (supernodes are peers with a public address, enough bandwidth and uptime).
    S. A. Baset and H. Schulzrinne, "An analysis of the Skype peer-to-peer Internet telephony
    protocol", IEEE INFOCOM 2006.

    Examples
    --------
    >>> ElectionPolicy(min_uptime_hours=2).min_upload_kbps
    1500.0
    """

    require_public: bool = True
    min_upload_kbps: float = 1500.0
    min_uptime_hours: float = 12.0

    def __post_init__(self):
        if not isinstance(self.require_public, bool | np.bool_):
            raise TypeError(f"require_public must be True or False, got {self.require_public!r}")
        check_real("min_upload_kbps", self.min_upload_kbps, 0)
        check_real("min_uptime_hours", self.min_uptime_hours, 0)


@dataclass(frozen=True)
class EligibilityFunnel:
    """Peers left after each successive election condition, counted or expected.

    The funnel of chapter 02: all online peers, then those that pass the address condition,
    then also the upload condition, then also the uptime condition (the supernodes). Counted
    by :func:`eligibility_funnel` (whole numbers) or expected by
    :func:`eligibility_funnel_theory` (real numbers).

    Attributes
    ----------
    online : float
        Online peers, ``>= 0``.
    reachable : float
        Peers that pass the address condition (every peer if the policy takes any address).
    fast : float
        Of those, the peers with upload ``>= policy.min_upload_kbps``.
    eligible : float
        Of those, the peers with uptime ``>= policy.min_uptime_hours``: the supernodes.
    policy : ElectionPolicy
        The conditions.

    References
    ----------
    Course model (chapter 02): the conditions of :class:`ElectionPolicy`, applied one after
    the other.

    Examples
    --------
    >>> funnel = EligibilityFunnel(1000, 300, 60, 20, ElectionPolicy())
    >>> list(funnel.stages())
    ['online peers', 'public address', '+ upload ≥ 1,500 kbit/s', '+ uptime ≥ 12 h']
    >>> funnel.eligible_share
    0.02
    """

    online: float
    reachable: float
    fast: float
    eligible: float
    policy: ElectionPolicy

    @property
    def eligible_share(self) -> float:
        """Share of online peers that qualify, in ``[0, 1]`` (0 when nobody is online)."""
        return self.eligible / self.online if self.online else 0.0

    def stages(self) -> dict:
        """The funnel as ``{condition label: peers}``, in order (for the funnel figure)."""
        policy = self.policy
        return {"online peers": self.online,
                "public address" if policy.require_public else "any address": self.reachable,
                f"+ upload ≥ {policy.min_upload_kbps:,.0f} kbit/s": self.fast,
                f"+ uptime ≥ {policy.min_uptime_hours:g} h": self.eligible}


def elect(population: Population, policy: ElectionPolicy | None = None) -> np.ndarray:
    """Boolean mask of the peers that qualify as supernodes under ``policy``.

    Every qualifying peer serves (as in Skype, where promotion was automatic).

    Parameters
    ----------
    population : Population
        The online peers.
    policy : ElectionPolicy, optional
        The promotion thresholds (default ``ElectionPolicy()``).

    Returns
    -------
    numpy.ndarray of bool, length ``population.n``
        True for each peer that qualifies.

    References
    ----------
    L. Rabbe, Skype post-mortem, December 2010 (promotion by address, bandwidth and uptime);
    Baset & Schulzrinne, IEEE INFOCOM 2006.

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


def eligibility_funnel(population: Population,
                       policy: ElectionPolicy | None = None) -> EligibilityFunnel:
    """Count the peers left after each election condition, in the order of the funnel.

    Parameters
    ----------
    population : Population
        The online peers.
    policy : ElectionPolicy, optional
        The promotion thresholds (default ``ElectionPolicy()``).

    Returns
    -------
    EligibilityFunnel
        Whole numbers of peers; ``eligible`` equals ``elect(population, policy).sum()``.

    References
    ----------
    Course model (chapter 02): :func:`elect`'s conditions, applied one after the other.

    Examples
    --------
    >>> from p2plib.supernodes.population import sample_population
    >>> funnel = eligibility_funnel(sample_population(10_000, seed=3))
    >>> funnel.online >= funnel.reachable >= funnel.fast >= funnel.eligible
    True
    """
    _check_population(population)
    policy = ElectionPolicy() if policy is None else policy
    _check_policy(policy)
    reachable = population.public if policy.require_public else np.ones(population.n, bool)
    fast = reachable & (population.upload_kbps >= policy.min_upload_kbps)
    eligible = fast & (population.uptime_hours >= policy.min_uptime_hours)
    return EligibilityFunnel(population.n, int(reachable.sum()), int(fast.sum()),
                             int(eligible.sum()), policy)


def _upload_share(params: PopulationParams, min_upload_kbps: float) -> float:
    """P(upload >= u) for the log-normal upload."""
    if min_upload_kbps <= 0:
        return 1.0
    if params.upload_sigma == 0:
        return float(params.upload_median_kbps >= min_upload_kbps)
    z = math.log(min_upload_kbps / params.upload_median_kbps) / params.upload_sigma
    return float(stats.norm.sf(z))


def _session_age_share(params: PopulationParams, hours: float) -> float:
    """P(A >= h) for the equilibrium age A of the session in progress."""
    if hours <= 0:
        return 1.0
    k, scale = params.session_shape, params.session_scale_hours
    if params.churn == "weibull":
        return float(special.gammaincc(1.0 / k, (hours / scale) ** k))
    d = (math.log(scale) - math.log(hours)) / k
    return float(stats.norm.cdf(d + k) - hours / params.mean_session_hours * stats.norm.cdf(d))


def _rebooted_share(params: PopulationParams, rebooted) -> float:
    """Share of peers in the OS/update groups named by ``rebooted``."""
    if isinstance(rebooted, str):
        rebooted = (rebooted,)
    try:
        rebooted = tuple(rebooted)
    except TypeError:
        raise TypeError("rebooted must be an OS/update group name or a sequence of them, got "
                        f"{rebooted!r}") from None
    shares = dict(params.os_groups)
    names = {check_choice("rebooted", name, tuple(shares)) for name in rebooted}
    return sum(shares[name] for name in names)


def eligible_share_theory(params: PopulationParams | None = None,
                          policy: ElectionPolicy | None = None, rebooted=(),
                          hours_ago=0.0) -> float:
    """Expected share of online peers that qualify: the product of three independent shares.

    ``P(public) * P(upload >= u) * P(uptime >= h)``, with the log-normal upload and the
    equilibrium age of the session in progress, ``P(A >= h) = E[(X - h)+] / E[X]``:
    for Weibull(k, s) sessions this is ``Q(1/k, (h/s)**k)`` (regularised upper incomplete
    gamma); for log-normal(mu, sigma), ``Phi(d + sigma) - (h / E[X]) Phi(d)`` with
    ``d = (mu - ln h) / sigma``. After a mass reboot (:func:`~p2plib.supernodes.reboot`) the
    rebooted groups, a share ``r`` of peers drawn independently of the rest, have uptime
    ``hours_ago``: the uptime factor becomes ``(1 - r) P(A >= h) + r [hours_ago >= h]``.

    Parameters
    ----------
    params : PopulationParams, optional
        The distributions the peers are drawn from (default ``PopulationParams()``).
    policy : ElectionPolicy, optional
        The promotion thresholds (default ``ElectionPolicy()``).
    rebooted : str or sequence of str
        OS/update groups of ``params.os_groups`` that restarted (none by default).
    hours_ago : float
        Hours since the rebooted groups restarted, ``>= 0``.

    Returns
    -------
    float
        Expected share of online peers that qualify, in ``[0, 1]``.

    References
    ----------
    D. R. Cox, *Renewal Theory*, Methuen, 1962 (the age of the renewal interval in progress);
    D. Stutzbach and R. Rejaie, "Understanding churn in peer-to-peer networks", IMC 2006
    (Weibull and log-normal session lengths).

    Examples
    --------
    >>> params = PopulationParams(churn="weibull", session_shape=1.0, session_scale_hours=2.0)
    >>> policy = ElectionPolicy(require_public=False, min_upload_kbps=0, min_uptime_hours=2.0)
    >>> round(eligible_share_theory(params, policy), 4)   # exponential sessions: exp(-h/s)
    0.3679
    >>> round(eligible_share_theory(params, policy, "windows-auto-update", 1.0), 4)  # 45% left
    0.1655
    """
    params = PopulationParams() if params is None else params
    if not isinstance(params, PopulationParams):
        raise TypeError(f"params must be a PopulationParams, got {type(params).__name__}")
    policy = ElectionPolicy() if policy is None else policy
    _check_policy(policy)
    hit = _rebooted_share(params, rebooted)
    hours_ago = check_real("hours_ago", hours_ago, 0)
    h = policy.min_uptime_hours
    uptime = (1.0 - hit) * _session_age_share(params, h) + hit * float(hours_ago >= h)
    share = params.public_share if policy.require_public else 1.0
    return share * _upload_share(params, policy.min_upload_kbps) * uptime


def eligibility_funnel_theory(n, params: PopulationParams | None = None,
                              policy: ElectionPolicy | None = None, rebooted=(),
                              hours_ago=0.0) -> EligibilityFunnel:
    """Expected peers left after each election condition, for ``n`` peers drawn from ``params``.

    Each stage is ``n`` times the product of the independent shares so far (see
    :func:`eligible_share_theory`): the address share, then the upload share, then the uptime
    share (with the rebooted groups' uptime set to ``hours_ago``).

    Parameters
    ----------
    n : int
        Online peers, ``>= 0``.
    params : PopulationParams, optional
        The distributions the peers are drawn from (default ``PopulationParams()``).
    policy : ElectionPolicy, optional
        The promotion thresholds (default ``ElectionPolicy()``).
    rebooted : str or sequence of str
        OS/update groups of ``params.os_groups`` that restarted (none by default).
    hours_ago : float
        Hours since the rebooted groups restarted, ``>= 0``.

    Returns
    -------
    EligibilityFunnel
        Expected numbers of peers (real numbers).

    References
    ----------
    D. R. Cox, *Renewal Theory*, 1962 (session age); Stutzbach & Rejaie, IMC 2006 (churn).

    Examples
    --------
    >>> policy = ElectionPolicy(min_upload_kbps=0, min_uptime_hours=0)
    >>> eligibility_funnel_theory(1000, policy=policy).eligible   # 30% have a public address
    300.0
    """
    n = check_int("n", n, minimum=0)
    params = PopulationParams() if params is None else params
    policy = ElectionPolicy() if policy is None else policy
    eligible = n * eligible_share_theory(params, policy, rebooted, hours_ago)
    reachable = n * (params.public_share if policy.require_public else 1.0)
    fast = reachable * _upload_share(params, policy.min_upload_kbps)
    return EligibilityFunnel(float(n), reachable, fast, eligible, policy)


def supernodes_needed(online_peers, capacity, utilisation=1.0):
    """How many supernodes serve ``online_peers`` at ``utilisation`` of ``capacity`` each.

    ``ceil(online_peers / (capacity * utilisation))``; vectorised over ``online_peers`` and
    ``capacity``.

    Parameters
    ----------
    online_peers : int or array_like
        Clients online at once, ``>= 0``.
    capacity : int or array_like
        Clients one supernode accepts ("several hundred", Skype 2010), whole numbers ``>= 1``.
    utilisation : float
        Target load as a share of capacity, in ``(0, 1]`` (headroom for failures).

    Returns
    -------
    int or numpy.ndarray of int64
        Supernodes needed (an array when an argument is one).

    References
    ----------
    Course model (chapter 02): each client needs one slot, each supernode offers
    ``capacity * utilisation`` of them; capacity "several hundred" from Rabbe, Skype
    post-mortem, 2010.

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
