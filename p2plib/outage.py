"""The reboot trigger and the chain reaction: a time-stepped model of Skype around an outage.

The model is built from mechanisms, not from a scripted service curve. Every minute:

* **Peers** come and go with a daily and weekly cycle (Guha, Daswani & Jain, IPTPS 2006):
  sessions end at rate ``1 / session_h`` and new sessions start so that the online count follows
  the cycle. A new session must log in.
* A **reboot wave** (Patch Tuesday, or the 2010 client crash) takes peers down within a window:
  each peer reboots as a Poisson process whose rate makes a share ``reboot_fraction`` reboot at
  least once in the window. A rebooted machine is back ``reboot_downtime_min`` minutes later and
  logs in again; the logins of a whole wave arrive together.
* **Supernode-capable peers** (a share ``supernode_fraction`` of ``online_peers``; public address,
  bandwidth, always on) serve as supernodes only after ``promotion_uptime_h`` hours of uptime,
  so a reboot removes a supernode for that long, not for the few minutes the machine is down.
* The **login servers** (the only central part, Baset & Schulzrinne 2006) serve at most a
  fixed number of logins per minute, oldest first. A client gives up after ``login_timeout_min``
  and retries, but its request stays queued: under overload the servers spend their capacity on
  requests nobody waits for any more (goodput collapse, the classic sustaining effect of a
  metastable failure; Bronson et al., HotOS 2021; Huang et al., OSDI 2022). *Admission control*
  keeps the queue no longer than what can be served before the timeout and drops stale requests.
* A logged-in client needs a **supernode** slot (each supernode serves ``sn_capacity`` clients,
  "several hundred" in Skype's 2010 post-mortem). Each search contacts one supernode at random.
  With ``overload="refuse"`` a full pool refuses; with ``overload="shutdown"`` a supernode that
  receives more than ``sn_overload_factor`` times its normal request rate in a minute shuts down
  to protect its host and orphans its clients, who search again at once: the positive feedback
  Skype described in December 2010.
* Clients whose login or search fails **retry** under a policy: ``immediate`` (next minute),
  ``fixed``, ``exponential`` backoff, exponential backoff with ``full_jitter`` or
  ``decorrelated_jitter`` (Brooker, "Exponential Backoff and Jitter", 2015).
* **Mega-supernodes**: dedicated operator servers (no overload shutdown) added from a chosen hour.

Two levels of detail share these rules exactly: :func:`simulate` with ``model="aggregate"`` (the
default) follows the expected counts of every compartment (a mean-field fluid model whose cost
does not depend on the number of peers, so Skype scale takes a fraction of a second), and
``model="agent"`` follows every peer and every supernode with random draws (10^3-10^4 peers).
The aggregate model is the large-population limit of the agent model (Kurtz 1970), so the two
agree up to fluctuations of order ``1 / sqrt(peers)``.

Examples
--------
>>> from p2plib.outage import Scenario, simulate
>>> quiet = simulate(Scenario(online_peers=1_000_000, days=1.0))
>>> round(quiet.min_service(), 2) > 0.95
True
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field

import numpy as np
from scipy import special

from p2plib._validate import as_rng, check_choice, check_int, check_real

__all__ = [
    "MODELS",
    "OVERLOAD_MODES",
    "RETRY_POLICIES",
    "OutageResult",
    "Scenario",
    "retry_kernel",
    "simulate",
]

#: Retry policies understood by :func:`retry_kernel` and :class:`Scenario`.
RETRY_POLICIES = ("immediate", "fixed", "exponential", "full_jitter", "decorrelated_jitter")
#: What a supernode does when overloaded.
OVERLOAD_MODES = ("refuse", "shutdown")
#: Levels of detail of :func:`simulate`.
MODELS = ("aggregate", "agent")

_ZOMBIE_AGE_MIN = 30  # a queued request nobody waits for is dropped after this (connection reset)


@dataclass(frozen=True)
class Scenario:
    """One situation of the model; every count scales with ``online_peers``.

    Times are hours since the start of the run (``t = 0`` is midnight UTC of ``start_weekday``)
    unless a field says minutes. ``dataclasses.replace(s, online_peers=N)`` is the same
    situation at another size: supernodes, login capacity and mega-supernodes are shares of it.

    Parameters
    ----------
    online_peers : float
        Mean number of peers online (ordinary clients; the supernode-capable peers come on top
        as the share ``supernode_fraction``), ``>= 100``.
    days : float
        Simulated time, days.
    step_min : int
        Time step, minutes (1 to 10); retry delays are rounded to whole steps.
    start_weekday : int
        Day of the week at ``t = 0`` (0 = Monday).
    daily_amplitude : float
        Relative swing of the daily cycle, in ``[0, 0.9]``: online = mean x (1 + a cos(...)).
    cycle_h : float
        Period of the cycle, hours (24 = daily; a longer period gives a slow load ramp up and
        down, to show hysteresis).
    peak_hour_utc : float
        Hour of the (first) peak of the cycle.
    weekend_dip : float
        Relative drop of the online population on Saturday and Sunday, in ``[0, 0.9]``.
    session_h : float
        Mean session length, hours.
    supernode_fraction : float
        Supernode-capable peers per online peer, in ``(0, 0.5]``. Skype never published the
        supernode count (facts file); this is the unknown to sweep over.
    sn_capacity : float
        Clients one supernode serves, ``> 0``.
    promotion_uptime_h : float
        Uptime a capable peer must show before it serves as a supernode, hours.
    overload : {"refuse", "shutdown"}
        Behaviour of an overloaded supernode.
    sn_overload_factor : float
        Shutdown threshold: requests per minute above this multiple of the normal per-supernode
        request rate shut a supernode down (``overload="shutdown"`` only).
    sn_restart_h : float
        Hours before a supernode that shut itself down serves again.
    fix_h : float or None
        The operator's fix, from this hour on: supernodes refuse instead of shutting down and
        the login servers use admission control (``None``: no fix).
    patience_h : float or None
        Mean time a user without service keeps trying before closing the client, hours
        (``None``: users never give up early; they leave only when their session ends).
    login_headroom : float
        Login server capacity as a multiple of the mean login rate ``online_peers / session``.
    login_timeout_min : float
        A client waits this long for the login server before it gives up, minutes.
    admission_control : bool
        Login servers accept only what they can serve within the timeout and drop stale requests.
    retry_policy : str
        One of :data:`RETRY_POLICIES`.
    retry_base_min, retry_cap_min : float
        Base delay and cap of the retry policy, minutes.
    reboot_fraction : float
        Share of ordinary peers rebooted at least once in the window, in ``[0, 1]``.
    sn_reboot_fraction : float or None
        Share of supernode-capable peers rebooted (``None``: same as ``reboot_fraction``).
    reboot_start_h, reboot_window_h : float
        Start and length (``> 0``) of the reboot window, hours.
    reboot_downtime_min : float
        Minutes a rebooted machine is down.
    reboot_waves : int
        The window repeats on this many consecutive days (e.g. installs at 03:00 local time on
        two nights); ``reboot_fraction`` is the share rebooted over all of them.
    mega_share : float
        Client slots of the operator's mega-supernodes, as a share of ``online_peers``.
    mega_start_h, mega_ramp_h : float
        When the operator starts adding mega-supernodes, and how long until all run, hours.
    name : str
        Label for figures.
    events : tuple of (hour, label)
        Marks for figures (not used by the model).
    """

    online_peers: float = 1_000_000
    days: float = 3.0
    step_min: int = 1
    start_weekday: int = 0
    daily_amplitude: float = 0.35
    cycle_h: float = 24.0
    peak_hour_utc: float = 16.0
    weekend_dip: float = 0.15
    session_h: float = 3.0
    supernode_fraction: float = 1 / 300
    sn_capacity: float = 450.0
    promotion_uptime_h: float = 24.0
    overload: str = "refuse"
    sn_overload_factor: float = 20.0
    sn_restart_h: float = 1.0
    fix_h: float | None = None
    patience_h: float | None = None
    login_headroom: float = 3.0
    login_timeout_min: float = 2.0
    admission_control: bool = False
    retry_policy: str = "immediate"
    retry_base_min: float = 1.0
    retry_cap_min: float = 32.0
    reboot_fraction: float = 0.0
    sn_reboot_fraction: float | None = None
    reboot_start_h: float = 12.0
    reboot_window_h: float = 2.0
    reboot_downtime_min: float = 5.0
    reboot_waves: int = 1
    mega_share: float = 0.0
    mega_start_h: float = 0.0
    mega_ramp_h: float = 4.0
    name: str = "scenario"
    events: tuple = field(default=(), compare=False)

    def __post_init__(self):
        check_real("online_peers", self.online_peers, 100, 1e9)
        check_real("days", self.days, 0, 30, open_min=True)
        check_int("step_min", self.step_min, 1, 10)
        check_int("start_weekday", self.start_weekday, 0, 6)
        check_real("daily_amplitude", self.daily_amplitude, 0, 0.9)
        check_real("cycle_h", self.cycle_h, 1, 24 * 30)
        check_real("peak_hour_utc", self.peak_hour_utc, 0, None)
        check_real("weekend_dip", self.weekend_dip, 0, 0.9)
        check_real("session_h", self.session_h, 0.1, 1000)
        check_real("supernode_fraction", self.supernode_fraction, 0, 0.5, open_min=True)
        check_real("sn_capacity", self.sn_capacity, 0, None, open_min=True)
        check_real("promotion_uptime_h", self.promotion_uptime_h, 0, 240)
        check_choice("overload", self.overload, OVERLOAD_MODES)
        check_real("sn_overload_factor", self.sn_overload_factor, 0, None, open_min=True)
        check_real("sn_restart_h", self.sn_restart_h, 0, 240)
        if self.fix_h is not None:
            check_real("fix_h", self.fix_h, 0, None)
        if self.patience_h is not None:
            check_real("patience_h", self.patience_h, 0, None, open_min=True)
        check_real("login_headroom", self.login_headroom, 0, None, open_min=True)
        check_real("login_timeout_min", self.login_timeout_min, 0, 20, open_min=True)
        if not isinstance(self.admission_control, bool | np.bool_):
            raise TypeError(f"admission_control must be True or False, got "
                            f"{self.admission_control!r}")
        check_choice("retry_policy", self.retry_policy, RETRY_POLICIES)
        check_real("retry_base_min", self.retry_base_min, 0, 240, open_min=True)
        check_real("retry_cap_min", self.retry_cap_min, self.retry_base_min, 240)
        check_real("reboot_fraction", self.reboot_fraction, 0, 1)
        if self.sn_reboot_fraction is not None:
            check_real("sn_reboot_fraction", self.sn_reboot_fraction, 0, 1)
        check_real("reboot_start_h", self.reboot_start_h, 0, None)
        check_real("reboot_window_h", self.reboot_window_h, 0, None, open_min=True)
        check_real("reboot_downtime_min", self.reboot_downtime_min, 0, 24 * 60)
        check_int("reboot_waves", self.reboot_waves, 1, 14)
        check_real("mega_share", self.mega_share, 0, 10)
        check_real("mega_start_h", self.mega_start_h, 0, None)
        check_real("mega_ramp_h", self.mega_ramp_h, 0, None)
        if not isinstance(self.name, str):
            raise TypeError(f"name must be a string, got {self.name!r}")
        if not isinstance(self.events, tuple) or not all(
                isinstance(e, tuple) and len(e) == 2 and isinstance(e[1], str)
                for e in self.events):
            raise TypeError(f"events must be a tuple of (hour, label) pairs, got {self.events!r}")
        for hour, _label in self.events:
            check_real("events hour", hour, 0, None)

    # -- derived quantities (all scale with online_peers) -------------------------------------
    @property
    def supernodes(self) -> float:
        """Supernode-capable peers: ``supernode_fraction * online_peers`` (count)."""
        return self.supernode_fraction * self.online_peers

    @property
    def pool_headroom(self) -> float:
        """Supernode client slots over the daily peak of clients (> 1: room at the peak)."""
        peak = self.online_peers * (1 + self.daily_amplitude)
        return self.supernodes * self.sn_capacity / peak

    @property
    def login_capacity_per_min(self) -> float:
        """Logins per minute the login servers handle."""
        return self.login_headroom * self.online_peers / (self.session_h * 60)

    @property
    def steps(self) -> int:
        """Number of time steps."""
        return round(self.days * 24 * 60 / self.step_min)

    def replace(self, **changes) -> Scenario:
        """A copy with some fields changed (``dataclasses.replace``)."""
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True, eq=False)
class OutageResult:
    """Time series of one run, one value per step (start of the step).

    Attributes
    ----------
    scenario : Scenario
    model : str
        ``"aggregate"`` or ``"agent"``.
    time_h : numpy.ndarray
        Hours since the start of the run.
    served_fraction : numpy.ndarray
        Clients connected to a supernode / clients wanting service (online and not rebooting),
        in [0, 1].
    wanting : numpy.ndarray
        Clients wanting service (count).
    connected : numpy.ndarray
        Clients connected to a supernode or mega-supernode (count).
    supernodes_alive : numpy.ndarray
        Ordinary supernodes serving (count; mega-supernodes not included).
    mega_slots : numpy.ndarray
        Client slots of the mega-supernodes (count).
    login_queue : numpy.ndarray
        Requests queued at the login servers, including stale ones (count).
    login_attempts : numpy.ndarray
        Login requests sent in the step (new sessions, returning reboots and retries).
    login_goodput : numpy.ndarray
        Logins completed for a client that still waited, in the step.
    sn_requests : numpy.ndarray
        Supernode searches in the step (logged-in clients and orphans).
    sn_shutdowns : numpy.ndarray
        Supernodes that shut down from overload in the step.
    retrying : numpy.ndarray
        Clients waiting to retry (count).
    peers_total : numpy.ndarray
        Sum over every client compartment (online, including rebooting machines).
    peers_tracked : numpy.ndarray
        Online clients counted by arrivals minus departures (equals ``peers_total``).
    capable_total : numpy.ndarray
        Supernode-capable peers over all their states (constant).
    demand : numpy.ndarray
        Clients that the daily cycle would have online (count): the offered load.
    """

    scenario: Scenario
    model: str
    time_h: np.ndarray
    served_fraction: np.ndarray
    wanting: np.ndarray
    connected: np.ndarray
    supernodes_alive: np.ndarray
    mega_slots: np.ndarray
    login_queue: np.ndarray
    login_attempts: np.ndarray
    login_goodput: np.ndarray
    sn_requests: np.ndarray
    sn_shutdowns: np.ndarray
    retrying: np.ndarray
    peers_total: np.ndarray
    peers_tracked: np.ndarray
    capable_total: np.ndarray
    demand: np.ndarray

    def __repr__(self) -> str:
        return (f"OutageResult({self.scenario.name!r}, model={self.model!r}, "
                f"steps={len(self.time_h)}, min_service={self.min_service():.2f})")

    def min_service(self, after_h: float = 0.0) -> float:
        """Lowest served fraction from ``after_h`` on."""
        return float(self.served_fraction[self.time_h >= after_h].min())

    def hours_below(self, level: float = 0.5) -> float:
        """Hours during which the served fraction is below ``level``."""
        level = check_real("level", level, 0, 1)
        return float((self.served_fraction < level).sum() * self.scenario.step_min / 60)

    def first_below(self, level: float = 0.5) -> float:
        """Hour at which service first falls below ``level`` (``nan`` if never)."""
        level = check_real("level", level, 0, 1)
        below = np.flatnonzero(self.served_fraction < level)
        return float(self.time_h[below[0]]) if len(below) else math.nan

    def time_to_recover(self, level: float = 0.9) -> float:
        """Hours from the first fall below ``level`` until service is last back above it.

        ``nan`` if service never falls below ``level``; ``inf`` if it is still below at the end.
        """
        level = check_real("level", level, 0, 1)
        below = np.flatnonzero(self.served_fraction < level)
        if not len(below):
            return math.nan
        if below[-1] == len(self.time_h) - 1:
            return math.inf
        return float(self.time_h[below[-1] + 1] - self.time_h[below[0]])

    def load_at_failure(self, level: float = 0.5) -> float:
        """Demand (as a multiple of ``online_peers``) when service first falls below ``level``."""
        below = np.flatnonzero(self.served_fraction < check_real("level", level, 0, 1))
        if not len(below):
            return math.nan
        return float(self.demand[below[0]] / self.scenario.online_peers)

    def load_at_recovery(self, level: float = 0.5) -> float:
        """Demand (multiple of ``online_peers``) when service is back at ``level`` after failing.

        With :meth:`load_at_failure`, this shows hysteresis: a metastable system recovers only
        at a lower load than the one at which it failed. ``nan`` if it never fails or never
        recovers.
        """
        level = check_real("level", level, 0, 1)
        below = np.flatnonzero(self.served_fraction < level)
        if not len(below):
            return math.nan
        back = np.flatnonzero(self.served_fraction[below[0]:] >= level)
        if not len(back):
            return math.nan
        return float(self.demand[below[0] + back[0]] / self.scenario.online_peers)

    def recovered(self, level: float = 0.9) -> bool:
        """Whether service is at or above ``level`` at the end of the run."""
        return bool(self.served_fraction[-1] >= level)


# --- retry policies ----------------------------------------------------------------------------


def retry_kernel(policy, base_steps, cap_steps):
    """The retry policy as a Markov kernel over (delay, next level).

    A client whose attempt at *level* ``k`` fails waits ``d`` steps and retries at level ``k'``
    with probability ``T[k, d - 1, k']``. Exponential policies use the level as the attempt
    count; decorrelated jitter uses it as the previous sleep, ``sleep = min(cap,
    uniform(base, 3 * previous))`` (Brooker 2015). Delays are whole steps, at least one.

    Parameters
    ----------
    policy : str
        One of :data:`RETRY_POLICIES`.
    base_steps, cap_steps : int
        Base delay and cap in steps, ``1 <= base_steps <= cap_steps``.

    Returns
    -------
    kernel : numpy.ndarray of shape (levels, max_delay, levels)
    first_level : int
        Level of a first attempt.

    Examples
    --------
    >>> kernel, first = retry_kernel("exponential", 1, 8)
    >>> kernel.shape, first
    ((4, 8, 4), 0)
    >>> [int(kernel[k].sum(axis=1).argmax()) + 1 for k in range(4)]  # delays 1, 2, 4, 8
    [1, 2, 4, 8]
    """
    policy = check_choice("policy", policy, RETRY_POLICIES)
    base = check_int("base_steps", base_steps, 1)
    cap = check_int("cap_steps", cap_steps, base)
    if policy in ("immediate", "fixed"):
        delay = 1 if policy == "immediate" else base
        kernel = np.zeros((1, delay, 1))
        kernel[0, delay - 1, 0] = 1.0
        return kernel, 0
    if policy == "decorrelated_jitter":
        kernel = np.zeros((cap, cap, cap))
        for previous in range(1, cap + 1):
            high = max(base, min(cap, 3 * previous))
            delays = np.arange(base, high + 1)
            kernel[previous - 1, delays - 1, delays - 1] = 1.0 / len(delays)
        return kernel, base - 1
    levels = 1
    while min(cap, base * 2 ** (levels - 1)) < cap:
        levels += 1
    kernel = np.zeros((levels, cap, levels))
    for k in range(levels):
        ceiling = min(cap, base * 2**k)
        nxt = min(k + 1, levels - 1)
        if policy == "exponential":
            kernel[k, ceiling - 1, nxt] = 1.0
        else:  # full jitter: uniform(0, ceiling), rounded up to whole steps
            kernel[k, :ceiling, nxt] = 1.0 / ceiling
    return kernel, 0


# --- shared schedule ---------------------------------------------------------------------------


def _schedule(s: Scenario):
    """Per-step quantities that do not depend on the state (both models use these)."""
    steps, dt = s.steps, s.step_min
    t_min = np.arange(steps + 1) * dt
    hours = t_min / 60.0
    daily = 1 + s.daily_amplitude * np.cos(2 * np.pi * (hours - s.peak_hour_utc) / s.cycle_h)
    day = (s.start_weekday + hours / 24) % 7
    # weekend weight rises over Saturday 00:00-06:00 and falls over Monday 00:00-06:00
    ramp_in = np.clip((day - 5) * 4, 0, 1)
    ramp_out = np.clip((7 - day) * 4, 0, 1)
    weekend = np.where(day >= 5, np.minimum(ramp_in, ramp_out), 0.0)
    target = s.online_peers * daily * (1 - s.weekend_dip * weekend)
    mu = dt / (s.session_h * 60)
    depart = mu + np.maximum(0.0, target[:-1] - target[1:]) / target[:-1]
    arrive = mu * target[:-1] + np.maximum(0.0, target[1:] - target[:-1])
    since = hours[:-1] - s.reboot_start_h
    in_window = (since >= 0) & (since < 24 * s.reboot_waves) & (since % 24 < s.reboot_window_h)
    steps_in_window = in_window.sum()

    def hazard(fraction):
        if fraction <= 0 or steps_in_window == 0:
            return np.zeros(steps)
        rate = -math.log1p(-min(fraction, 1 - 1e-12)) / steps_in_window
        return np.where(in_window, -math.expm1(-rate), 0.0)

    sn_fraction = s.reboot_fraction if s.sn_reboot_fraction is None else s.sn_reboot_fraction
    if s.mega_share > 0:
        ramp = np.clip((hours[:-1] - s.mega_start_h) / max(s.mega_ramp_h, 1e-9), 0, 1)
        ramp = np.where(hours[:-1] >= s.mega_start_h, ramp if s.mega_ramp_h > 0 else 1.0, 0.0)
    else:
        ramp = np.zeros(steps)
    base = max(1, round(s.retry_base_min / dt))
    cap = max(base, round(s.retry_cap_min / dt))
    kernel, first = retry_kernel(s.retry_policy, base, cap)
    fixed = np.zeros(steps, bool) if s.fix_h is None else hours[:-1] >= s.fix_h
    give_up = 0.0 if s.patience_h is None else -math.expm1(-dt / (s.patience_h * 60))
    capable = s.supernodes
    normal_rate = mu / s.supernode_fraction  # searches per supernode per step, on average
    return dict(
        steps=steps, hours=hours[:-1], target=target, depart=depart, arrive=arrive,
        reboot=hazard(s.reboot_fraction), sn_reboot=hazard(sn_fraction),
        mega=s.mega_share * s.online_peers * ramp, kernel=kernel, first=first,
        login_cap=s.login_capacity_per_min * dt,
        timeout=max(1, round(s.login_timeout_min / dt)),
        zombie_age=max(2, round(_ZOMBIE_AGE_MIN / dt)),
        down=max(1, round(s.reboot_downtime_min / dt)),
        uptime=max(1, round(s.promotion_uptime_h * 60 / dt)),
        restart=max(1, round(s.sn_restart_h * 60 / dt)),
        capable=capable, fixed=fixed, give_up=give_up,
        threshold=math.floor(s.sn_overload_factor * normal_rate + 1e-9),
    )


def _overload_fractions(requests: float, alive: float, threshold: int):
    """(share of requests that meet an overloaded supernode, share of supernodes overloaded).

    Requests land on supernodes at random, so a supernode's count is Poisson with mean
    ``r = requests / alive``; it is overloaded above ``threshold``. A request sees a size-biased
    count ``1 + Poisson(r)``. ``P(Poisson(r) >= a)`` is the regularised gamma ``P(a, r)``.
    """
    if alive <= 0 or requests <= 0:
        return 0.0, 0.0
    r = requests / alive
    req = float(special.gammainc(threshold, r)) if threshold >= 1 else 1.0
    return req, float(special.gammainc(threshold + 1, r))


_add = np.add.reduce  # (sums without the ndarray.sum wrapper: the loop runs 10^4 times)
_SERIES = ("served", "wanting", "connected", "sn", "mega", "queue", "attempts", "goodput",
           "requests", "shutdowns", "retrying", "total", "tracked", "capable")


# --- aggregate (mean-field) model --------------------------------------------------------------


def _serve_and_age(live, zombie, attempts, cap_login, timeout, zage, failed):
    """One step of the login servers (in place): serve oldest first, then age the queue.

    ``live[a, k]``: requests of age ``a`` whose client (at retry level ``k``) still waits;
    ``zombie[a]``: stale requests. Returns the completed logins per level; adds the clients
    that reach the timeout to ``failed`` (their requests stay queued, stale).
    """
    live[0] += attempts
    by_age = zombie.copy()
    by_age[:timeout] += _add(live, 1)
    if _add(by_age) <= cap_login:
        good = _add(live, 0)
        live[:] = 0.0
        zombie[:] = 0.0
    else:
        oldest_first = by_age[::-1]
        before = np.cumsum(oldest_first) - oldest_first
        share = np.clip((cap_login - before) / np.where(oldest_first > 0, oldest_first, 1),
                        0, 1)[::-1]
        good = share[:timeout] @ live
        live *= (1 - share[:timeout])[:, None]
        zombie *= 1 - share
    expired = live[-1].copy()
    failed += expired
    zombie[1:] = zombie[:-1]
    zombie[0] = 0.0
    zombie[min(timeout, zage - 1)] += _add(expired)
    live[1:] = live[:-1]
    live[0] = 0.0
    return good


def _simulate_aggregate(s: Scenario) -> OutageResult:
    p = _schedule(s)
    steps, kernel, first = p["steps"], p["kernel"], p["first"]
    levels, max_delay = kernel.shape[0], kernel.shape[1]
    flat_kernel = kernel.reshape(levels, -1)
    timeout, zage, down_len = p["timeout"], p["zombie_age"], p["down"]
    cap_login, capacity, threshold = p["login_cap"], s.sn_capacity, p["threshold"]
    shutdown = s.overload == "shutdown"
    ac = s.admission_control
    give_up = p["give_up"]

    # client compartments
    conn_reg = conn_mega = 0.0
    n0 = p["target"][0]
    live = np.zeros((timeout, levels))       # waiting at the login server, by age and level
    zombie = np.zeros(zage)                  # stale requests, by age
    wait = np.zeros((max_delay, levels))     # backing off, by steps to go and level
    down = [0.0] * down_len                  # machines rebooting (ring buffers: the slot
    #                                          written at step t is read at t + length)
    orphans = 0.0                            # clients to search again (first attempt)
    tracked = n0
    # supernode-capable peers
    capable = p["capable"]
    uptime_len, restart_len = p["uptime"], p["restart"]
    young = np.zeros(uptime_len)             # up, not yet promoted (ring)
    cool = np.zeros(restart_len)             # shut down by overload (ring)
    down_c = [0.0] * down_len
    sn = capable
    # start in the steady state: every client connected (pool permitting)
    conn_reg = min(n0, sn * capacity)
    rest = n0 - conn_reg
    wait[0, first] = rest

    young_sum = cool_sum = downc_sum = down_sum = 0.0
    reboot, sn_reboot = p["reboot"].tolist(), p["sn_reboot"].tolist()
    depart, arrive = p["depart"].tolist(), p["arrive"].tolist()
    mega, fixed = p["mega"].tolist(), p["fixed"].tolist()
    rec = np.empty((steps, 14))  # recorded series, in the order of _SERIES
    fail_zero = np.zeros(levels)
    for t in range(steps):
        d, h, hs, mega_slots = depart[t], reboot[t], sn_reboot[t], mega[t]
        live_by_age = _add(live, 1)
        live_sum = _add(live_by_age)
        wait_sum = _add(wait, None)
        zombie_sum = _add(zombie)
        # record the state at the start of the step
        connected = conn_reg + conn_mega
        unserved = live_sum + wait_sum + orphans
        wanting = connected + unserved
        rec[t] = (connected / wanting if wanting > 0 else 1.0, wanting, connected, sn,
                     mega_slots, live_sum + zombie_sum, 0.0, 0.0, 0.0, 0.0, wait_sum,
                     wanting + down_sum, tracked, sn + young_sum + cool_sum + downc_sum)

        # 1. sessions end, users without service give up, machines reboot
        dw = d + (1 - d) * give_up
        departures = d * connected + dw * unserved
        keep_c, keep_u = 1 - d, 1 - dw
        if h > 0:
            rebooting = h * (keep_c * connected + keep_u * unserved)
            keep_c *= 1 - h
            keep_u *= 1 - h
        else:
            rebooting = 0.0
        queue_empty = live_sum == 0.0 and zombie_sum == 0.0  # (quiet steps skip array work)
        if live_sum > 0.0:
            zombie[:timeout] += live_by_age * (1 - keep_u)  # their queued requests go stale
            live *= keep_u
        conn_reg *= keep_c
        conn_mega *= keep_c
        if wait_sum > 0.0:
            wait *= keep_u
        orphans *= keep_u
        arrivals = arrive[t]
        tracked += arrivals - departures
        k = t % down_len
        returning = down[k]
        down[k] = rebooting
        down_sum += rebooting - returning

        # 2. supernode-capable peers: reboots, promotions, restarts
        if hs > 0:
            sn_boot = hs * sn
            if sn > 0:
                moved = conn_reg * hs
                orphans += moved
                conn_reg -= moved
            sn -= sn_boot
            boot_rest = hs * (young_sum + cool_sum)
            young *= 1 - hs
            cool *= 1 - hs
            young_sum *= 1 - hs
            cool_sum *= 1 - hs
        else:
            sn_boot = boot_rest = 0.0
        back_c = down_c[k]
        down_c[k] = sn_boot + boot_rest
        downc_sum += sn_boot + boot_rest - back_c
        ky = t % uptime_len
        promoted = float(young[ky])
        young[ky] = back_c
        young_sum += back_c - promoted
        kc = t % restart_len
        restarted = float(cool[kc])
        cool[kc] = 0.0
        cool_sum -= restarted
        sn += promoted + restarted

        # 3. login attempts: new sessions, returning machines, retries due
        if wait_sum > 0.0:
            attempts = wait[0].copy()
            wait[:-1] = wait[1:]
            wait[-1] = 0.0
        else:
            attempts = fail_zero.copy()
        attempts[first] += arrivals + returning
        n_attempts = _add(attempts)
        failed = fail_zero.copy()
        if ac or fixed[t]:  # admission control: no stale work, no more than fits the timeout
            zombie[:] = 0.0
            room = max(0.0, cap_login * timeout - live_sum * keep_u)
            if n_attempts > room:
                failed += attempts * (1 - room / n_attempts)
                attempts *= room / n_attempts
        # 4-5. the login servers serve the oldest requests first; the queue ages
        if queue_empty and _add(attempts) <= cap_login:  # quiet: everything served at once
            good = attempts
        else:
            good = _serve_and_age(live, zombie, attempts, cap_login, timeout, zage, failed)

        # 6. supernode search: logged-in clients and orphans
        n_good = _add(good)
        searchers = good  # (reused in place: good is not needed any more)
        searchers[first] += orphans
        orphans = 0.0
        n_search = _add(searchers)
        to_mega = min(n_search, max(0.0, mega_slots - conn_mega))
        to_reg = n_search - to_mega
        conn_mega += to_mega
        shut = req_fail = 0.0
        if shutdown and not fixed[t] and sn > 0 and to_reg > 0:
            req_fail, sn_fail = _overload_fractions(to_reg, sn, threshold)
            shut = sn * sn_fail
            if shut > 0:
                orphaned = conn_reg * sn_fail
                conn_reg -= orphaned
                orphans += orphaned
                sn -= shut
                cool[kc] += shut
                cool_sum += shut
        homed = min(to_reg * (1 - req_fail), max(0.0, sn * capacity - conn_reg)) if sn > 0 \
            else 0.0
        conn_reg += homed
        if n_search > 0 and to_reg > homed:
            failed += searchers * ((to_reg - homed) / n_search)

        # 7. failures wait under the retry policy
        if _add(failed) > 0.0:
            if levels == 1 and max_delay == 1:
                wait[0, 0] += failed[0]
            else:
                wait += (failed @ flat_kernel).reshape(max_delay, levels)
        rec[t, 6:10] = (n_attempts, n_good, n_search, shut)
    out = dict(zip(_SERIES, rec.T.copy(), strict=True))
    return _result(s, "aggregate", p, out)


def _result(s, model, p, out) -> OutageResult:
    return OutageResult(
        scenario=s, model=model, time_h=p["hours"], served_fraction=np.clip(out["served"], 0, 1),
        wanting=out["wanting"], connected=out["connected"], supernodes_alive=out["sn"],
        mega_slots=out["mega"], login_queue=out["queue"], login_attempts=out["attempts"],
        login_goodput=out["goodput"], sn_requests=out["requests"], sn_shutdowns=out["shutdowns"],
        retrying=out["retrying"], peers_total=out["total"], peers_tracked=out["tracked"],
        capable_total=out["capable"], demand=p["target"][:-1].copy(),
    )


# --- agent (per-peer) model -------------------------------------------------------------------

_OFF, _CONN_REG, _CONN_MEGA, _QUEUE, _WAIT, _DOWN, _ORPHAN = range(7)
_SN, _YOUNG, _COOL, _CDOWN = range(4)


def _simulate_agent(s: Scenario, rng: np.random.Generator) -> OutageResult:
    p = _schedule(s)
    steps, kernel, first = p["steps"], p["kernel"], p["first"]
    levels = kernel.shape[0]
    cdf = np.cumsum(kernel.reshape(levels, -1), axis=1)
    cdf /= cdf[:, -1:]
    timeout, zage, down_len = p["timeout"], p["zombie_age"], p["down"]
    capacity, threshold = s.sn_capacity, p["threshold"]
    shutdown = s.overload == "shutdown"
    ac = s.admission_control
    login_cap = p["login_cap"]
    give_up = p["give_up"]

    slots = int(p["target"].max() * 1.3 + 10 * math.sqrt(p["target"].max()) + 100)
    state = np.zeros(slots, np.int8)
    level = np.zeros(slots, np.int32)
    due = np.zeros(slots, np.int64)      # step of the next retry / return / enqueue time
    home = np.full(slots, -1, np.int64)  # regular supernode of a connected client
    n_cap = max(1, round(p["capable"]))
    c_state = np.full(n_cap, _SN, np.int8)
    c_since = np.zeros(n_cap, np.int64)  # step the current state started / ends
    zombie = np.zeros(zage, np.int64)
    credit = 0.0  # fractional login capacity carried between steps

    n0 = int(rng.poisson(p["target"][0]))
    n0 = min(n0, slots)
    state[:n0] = _CONN_REG
    alive0 = np.flatnonzero(c_state == _SN)
    room = int(len(alive0) * capacity)
    home[:n0] = rng.choice(alive0, size=n0) if n0 else home[:0]
    if n0 > room:  # more clients than slots: the rest start backing off
        extra = np.arange(room, n0)
        state[extra], level[extra], due[extra] = _WAIT, first, 0
        home[extra] = -1
    tracked = n0
    arrivals_all = rng.poisson(p["arrive"])

    out = {k: np.empty(steps) for k in (
        "served", "wanting", "connected", "sn", "mega", "queue", "attempts", "goodput",
        "requests", "shutdowns", "retrying", "total", "tracked", "capable")}

    def to_retry(idx, t):
        if not len(idx):
            return
        u = rng.random(len(idx))
        choice = np.empty(len(idx), np.int64)
        lv = level[idx]
        for k in np.unique(lv):
            sel = lv == k
            choice[sel] = np.searchsorted(cdf[k], u[sel], side="right")
        choice = np.minimum(choice, cdf.shape[1] - 1)
        delay, nxt = np.divmod(choice, levels)
        state[idx] = _WAIT
        level[idx] = nxt
        due[idx] = t + delay + 1
        home[idx] = -1

    for t in range(steps):
        conn_mask = (state == _CONN_REG) | (state == _CONN_MEGA)
        active = (state != _OFF) & (state != _DOWN)
        n_want = int(active.sum())
        n_conn = int(conn_mask.sum())
        out["served"][t] = n_conn / n_want if n_want else 1.0
        out["wanting"][t] = n_want
        out["connected"][t] = n_conn
        sn_alive = c_state == _SN
        out["sn"][t] = sn_alive.sum()
        out["mega"][t] = p["mega"][t]
        out["queue"][t] = (state == _QUEUE).sum() + zombie.sum()
        out["retrying"][t] = (state == _WAIT).sum()
        out["total"][t] = n_want + (state == _DOWN).sum()
        out["tracked"][t] = tracked
        out["capable"][t] = n_cap

        # 1. sessions end; machines reboot
        d, h, hs = p["depart"][t], p["reboot"][t], p["sn_reboot"][t]
        act = np.flatnonzero(active)
        u = rng.random(len(act))
        st = state[act]
        dd = np.where((st == _CONN_REG) | (st == _CONN_MEGA), d, d + (1 - d) * give_up)
        leaving = act[u < dd]
        booting = act[(u >= dd) & (u < dd + (1 - dd) * h)]
        for group, new in ((leaving, _OFF), (booting, _DOWN)):
            stale = group[state[group] == _QUEUE]
            np.add.at(zombie, np.minimum(t - due[stale], zage - 1), 1)
            state[group] = new
            home[group] = -1
        due[booting] = t + down_len
        tracked -= len(leaving)
        n_new = int(arrivals_all[t])
        free_slots = np.flatnonzero(state == _OFF)[:n_new]
        tracked += len(free_slots)
        returning = np.flatnonzero((state == _DOWN) & (due <= t))

        # 2. supernode-capable peers
        sn_idx = np.flatnonzero(c_state != _CDOWN)
        hit = sn_idx[rng.random(len(sn_idx)) < hs]
        hit_sn = hit[c_state[hit] == _SN]
        c_state[hit] = _CDOWN
        c_since[hit] = t + down_len
        back = np.flatnonzero((c_state == _CDOWN) & (c_since <= t))
        c_state[back], c_since[back] = _YOUNG, t
        promote = np.flatnonzero((c_state == _YOUNG) & (t - c_since >= p["uptime"]))
        c_state[promote] = _SN
        restart = np.flatnonzero((c_state == _COOL) & (c_since <= t))
        c_state[restart] = _SN
        if len(hit_sn):
            orphaned = np.flatnonzero((state == _CONN_REG) & np.isin(home, hit_sn))
            state[orphaned], level[orphaned], home[orphaned] = _ORPHAN, first, -1

        # 3. login attempts
        due_now = np.flatnonzero((state == _WAIT) & (due <= t))
        state[free_slots] = _QUEUE
        level[free_slots] = first
        state[returning] = _QUEUE
        level[returning] = first
        new_req = np.concatenate([due_now, free_slots, returning])
        state[new_req] = _QUEUE
        due[new_req] = t  # enqueue time
        out["attempts"][t] = len(new_req)
        if ac or p["fixed"][t]:
            zombie[:] = 0
            live_before = np.flatnonzero(state == _QUEUE)
            queued_old = len(live_before) - len(new_req)
            room = max(0, int(login_cap * timeout) - queued_old)
            if len(new_req) > room:
                rejected = rng.permutation(new_req)[: len(new_req) - room]
                to_retry(rejected, t)
        # 4. serve oldest first (stale requests included)
        credit += login_cap
        budget = int(credit)
        credit -= budget
        queue = np.flatnonzero(state == _QUEUE)
        age = t - due[queue]
        ages = np.arange(zage - 1, -1, -1)
        live_counts = np.bincount(np.minimum(age, zage - 1), minlength=zage)[::-1]
        totals = live_counts + zombie[::-1]
        before = np.cumsum(totals) - totals
        take = np.clip(budget - before, 0, totals)
        good_idx = []
        for a, k, lc, tot in zip(ages, take, live_counts, totals, strict=True):
            if k == 0 or tot == 0:
                continue
            if k >= tot:
                live_served = lc
            else:
                live_served = rng.hypergeometric(lc, tot - lc, k) if lc else 0
            zombie[a] -= k - live_served
            if live_served:
                members = queue[age == a] if a < zage - 1 else queue[age >= a]
                good_idx.append(rng.choice(members, size=live_served, replace=False)
                                if live_served < len(members) else members)
        good = np.concatenate(good_idx) if good_idx else np.empty(0, np.int64)
        state[good] = _OFF + 100  # mark (temporarily) as searching
        # 5. age: clients at the timeout give up, their request goes stale
        queue = np.flatnonzero(state == _QUEUE)
        expired = queue[t - due[queue] >= timeout - 1]
        zombie[1:] = zombie[:-1].copy()
        zombie[0] = 0
        zombie[min(timeout, zage - 1)] += len(expired)
        to_retry(expired, t)

        # 6. supernode search
        searchers = np.concatenate([good, np.flatnonzero(state == _ORPHAN)])
        searchers = rng.permutation(searchers)
        out["goodput"][t] = len(good)
        out["requests"][t] = len(searchers)
        n_mega_conn = int((state == _CONN_MEGA).sum())
        free_mega = max(0, int(p["mega"][t]) - n_mega_conn)
        to_mega = searchers[:free_mega]
        state[to_mega], home[to_mega] = _CONN_MEGA, -1
        rest = searchers[free_mega:]
        alive = np.flatnonzero(c_state == _SN)
        n_shut = 0
        if len(alive) and len(rest):
            target_sn = alive[rng.integers(0, len(alive), len(rest))]
            ok = np.ones(len(rest), bool)
            if shutdown and not p["fixed"][t]:
                load = np.bincount(target_sn, minlength=n_cap)
                over = np.flatnonzero((load > threshold) & (c_state == _SN))
                n_shut = len(over)
                if n_shut:
                    ok = ~np.isin(target_sn, over)
                    c_state[over], c_since[over] = _COOL, t + p["restart"]
                    orphaned = np.flatnonzero((state == _CONN_REG) & np.isin(home, over))
                    state[orphaned], level[orphaned], home[orphaned] = _ORPHAN + 100, first, -1
            n_alive = int((c_state == _SN).sum())
            free = max(0, int(n_alive * capacity) - int((state == _CONN_REG).sum()))
            cand = np.flatnonzero(ok)[:free]
            state[rest[cand]] = _CONN_REG
            home[rest[cand]] = target_sn[cand]
            failed = np.setdiff1d(rest, rest[cand], assume_unique=True)
        else:
            failed = rest
        out["shutdowns"][t] = n_shut
        to_retry(failed, t)
        state[state == _ORPHAN + 100] = _ORPHAN
    return _result(s, "agent", p, out)


def simulate(scenario: Scenario, seed=None, model: str = "aggregate") -> OutageResult:
    """Run the outage model for one scenario.

    Parameters
    ----------
    scenario : Scenario
        The situation; see :class:`Scenario` and :data:`p2plib.scenarios.PRESETS`.
    seed : None, int or numpy.random.Generator
        Randomness of the agent model (the aggregate model is deterministic: it follows
        expected counts, so ``seed`` does not change it).
    model : {"aggregate", "agent"}
        ``"aggregate"``: mean-field counts, any size (cost independent of ``online_peers``).
        ``"agent"``: every peer and supernode, for up to about 10^4-10^5 peers.

    Returns
    -------
    OutageResult

    Examples
    --------
    >>> s = Scenario(online_peers=20_000, days=1.0, reboot_fraction=0.5, reboot_start_h=8)
    >>> r = simulate(s)
    >>> bool(r.login_attempts.max() > 3 * r.login_attempts[:60].mean())  # the login flood
    True
    """
    if not isinstance(scenario, Scenario):
        raise TypeError(f"scenario must be a Scenario, got {type(scenario).__name__}")
    model = check_choice("model", model, MODELS)
    rng = as_rng(seed)
    if model == "agent":
        if scenario.online_peers > 2e6:
            raise ValueError("online_peers must be at most 2e6 for model='agent' "
                             f"(got {scenario.online_peers:g}); use model='aggregate'")
        return _simulate_agent(scenario, rng)
    return _simulate_aggregate(scenario)
