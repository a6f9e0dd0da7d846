"""The peers a supernode election chooses from: who is online, reachable, fast and long-lived.

A peer population at one instant, drawn at any scale from 10^2 to 10^7 peers (vectorised numpy,
seeded): public or NAT-ed, upload bandwidth, session lengths from heavy-tailed churn
distributions (Weibull or log-normal, Stutzbach & Rejaie, IMC 2006), current uptime, hours
online per day and the operating-system/update group (:data:`OS_GROUPS`) that the reboot
chapter uses; :func:`reboot` restarts a group.

Examples
--------
>>> peers = sample_population(10_000, seed=1)
>>> peers.n, peers.os_names[0]
(10000, 'windows-auto-update')
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from p2plib._validate import as_rng, check_choice, check_int, check_real

__all__ = ["CHURN_MODELS", "OS_GROUPS", "Population", "PopulationParams", "reboot",
           "sample_population"]

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

    Each attribute is drawn independently: address (Bernoulli), upload (log-normal), session
    length (Weibull or log-normal), hours online a day (scaled Beta) and OS/update group
    (categorical).

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
        Operating-system/update groups with shares (each in ``[0, 1]``) that sum to 1.

    Attributes
    ----------
    public_share, upload_median_kbps, upload_sigma, churn, session_shape, session_scale_hours,
    mean_daily_hours, os_groups
        As given (validated; ``os_groups`` as a tuple of ``(str, float)`` pairs).
    mean_session_hours : float
        Mean session length, hours (a property).

    References
    ----------
    D. Stutzbach and R. Rejaie, "Understanding churn in peer-to-peer networks", IMC 2006
    (heavy-tailed, Weibull or log-normal session lengths, not exponential). The shares of
    public addresses, the upload distribution and the OS groups are model assumptions.

    Examples
    --------
    >>> params = PopulationParams(churn="weibull", session_shape=1.0, session_scale_hours=2.0)
    >>> params.mean_session_hours            # exponential sessions: the scale
    2.0
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
        Names of the OS/update groups.
    params : PopulationParams
        The distribution the peers were drawn from.
    n : int
        Number of peers (a property).

    References
    ----------
    Course model (chapter 02): the peer attributes a supernode election reads, drawn by
    :func:`sample_population`.

    Examples
    --------
    >>> peers = sample_population(1000, seed=1)
    >>> peers.n, int(peers.in_groups("mac").sum()) < 1000
    (1000, True)
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
        Source of every draw (same seed, same peers).

    Returns
    -------
    Population
        The ``n`` peers (read-only arrays).

    References
    ----------
    D. R. Cox, *Renewal Theory*, Methuen, 1962 (length-biased sampling, the age of the interval
    in progress); D. Stutzbach and R. Rejaie, IMC 2006 (session-length distributions).

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
        The peers before the reboot.
    groups : str or sequence of str
        OS/update group names (see ``population.os_names``).
    hours_ago : float
        Time since the restart, hours, ``>= 0``.

    Returns
    -------
    Population
        The same peers, the rebooted ones with ``uptime_hours == hours_ago``.

    References
    ----------
    Course model (chapter 02): Skype's August 2007 outage followed a Windows Update restart of
    millions of PCs (V. Arak, "What happened on August 16", Skype Heartbeat blog, 20 August
    2007); which share restarted is a model assumption (:data:`OS_GROUPS`).

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


def _check_population(population):
    if not isinstance(population, Population):
        raise TypeError(f"population must be a Population, got {type(population).__name__}")
