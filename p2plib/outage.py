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


def _result(s, model, p, out) -> OutageResult:
    return OutageResult(
        scenario=s, model=model, time_h=p["hours"], served_fraction=np.clip(out["served"], 0, 1),
        wanting=out["wanting"], connected=out["connected"], supernodes_alive=out["sn"],
        mega_slots=out["mega"], login_queue=out["queue"], login_attempts=out["attempts"],
        login_goodput=out["goodput"], sn_requests=out["requests"], sn_shutdowns=out["shutdowns"],
        retrying=out["retrying"], peers_total=out["total"], peers_tracked=out["tracked"],
        capable_total=out["capable"], demand=p["target"][:-1].copy(),
    )



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
    # (the two models import Scenario and the shared schedule from here: imported when run)
    if model == "agent":
        if scenario.online_peers > 2e6:
            raise ValueError("online_peers must be at most 2e6 for model='agent' "
                             f"(got {scenario.online_peers:g}); use model='aggregate'")
        from p2plib._outage_agent import simulate_agent

        return simulate_agent(scenario, rng)
    from p2plib._outage_aggregate import simulate_aggregate

    return simulate_aggregate(scenario)
