"""The rates of the outage model, turned into what one integration step needs.

Every rule of the model is a rate per minute; a step of ``dt`` minutes applies each rate over
``dt`` exactly where it can (``1 - exp(-rate dt)`` for a share leaving a compartment, the exact
Poisson kernel for the stages of an Erlang delay, the overlap of the step with a reboot window
for the reboot hazard). What remains is the splitting of one step into phases (first-order in
``dt``): tests/test_outage_numerics.py checks that results converge as the step shrinks.

:func:`build_schedule` collects, for one :class:`~p2plib.outage.scenario.Scenario`, the
per-step quantities that do not depend on the state; both engines (aggregate and agent) use
the same :class:`Schedule`, so they follow the same rules.

Examples
--------
>>> retry_delays("exponential", 1.0, 8.0)
(1.0, 2.0, 4.0, 8.0)
>>> from p2plib.outage.scenario import Scenario
>>> sched = build_schedule(Scenario(online_peers=10_000, days=1.0, step_min=5))
>>> sched.steps, sched.dt
(288, 5.0)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import special

from p2plib._validate import check_array, check_choice, check_int, check_real
from p2plib.outage.scenario import (
    DELAY_STAGES,
    IMMEDIATE_RETRY_MIN,
    OVERLOAD_WINDOW_MIN,
    RESEARCH_MIN,
    RETRY_POLICIES,
    STALE_RESET_MIN,
    Scenario,
)

#: Longest sub-step of the fast loop, minutes (see :attr:`Schedule.substeps`).
FAST_STEP_MIN = 1.0

__all__ = ["FAST_STEP_MIN", "Schedule", "build_schedule", "demand_curve", "erlang_kernel",
           "overload_hazard", "retry_delays"]


def retry_delays(policy: str, base_min: float, cap_min: float) -> tuple:
    """Mean wait before the next attempt, minutes, after a failure at each retry level.

    A client that failed its attempt number ``k`` waits (exponentially distributed, mean
    ``delays[k]``) and tries again as attempt ``k + 1``; the last level repeats. The means are
    those of the policies in Brooker, "Exponential Backoff and Jitter" (AWS, 2015):
    ``immediate`` (about a minute, :data:`~p2plib.outage.scenario.IMMEDIATE_RETRY_MIN`),
    ``fixed`` (``base``), ``exponential`` (``min(cap, base 2^k)``), ``full_jitter`` (uniform
    below that ceiling: half of it) and ``decorrelated_jitter`` (``uniform(base, min(cap,
    3 previous))``: the mean of the next sleep given the mean of the last).

    Parameters
    ----------
    policy : str
        One of :data:`~p2plib.outage.scenario.RETRY_POLICIES`.
    base_min, cap_min : float
        Base delay and cap, minutes, ``0 < base_min <= cap_min``.

    Returns
    -------
    tuple of float
        Mean delay per level, minutes.

    References
    ----------
    M. Brooker, "Exponential Backoff And Jitter", AWS Architecture Blog, 2015 (the policies);
    the means as rates of exponential waits: course model (chapter 03).

    Examples
    --------
    >>> retry_delays("full_jitter", 1.0, 8.0)
    (0.5, 1.0, 2.0, 4.0)
    >>> retry_delays("fixed", 2.0, 64.0)
    (2.0,)
    """
    policy = check_choice("policy", policy, RETRY_POLICIES)
    base = check_real("base_min", base_min, 0, None, open_min=True)
    cap = check_real("cap_min", cap_min, base, None)
    if policy == "immediate":
        return (IMMEDIATE_RETRY_MIN,)
    if policy == "fixed":
        return (base,)
    if policy == "decorrelated_jitter":
        sleeps = [base]
        while len(sleeps) < 40:
            nxt = (base + min(cap, 3 * sleeps[-1])) / 2
            if abs(nxt - sleeps[-1]) <= 1e-3 * cap:
                break
            sleeps.append(nxt)
        return tuple(sleeps)
    ceilings = [base]
    while ceilings[-1] < cap:
        ceilings.append(min(cap, 2 * ceilings[-1]))
    if policy == "full_jitter":
        return tuple(c / 2 for c in ceilings)
    return tuple(ceilings)


def erlang_kernel(mean_min: float, dt_min: float, stages: int = DELAY_STAGES) -> np.ndarray:
    """Exact one-step transition of an Erlang delay: ``kernel[m]`` moves ``m`` stages ahead.

    A delay of mean ``mean_min`` made of ``stages`` exponential stages (rate ``stages /
    mean``): over ``dt`` the number of stages passed is Poisson(rate dt). ``kernel[:stages]``
    are the shares that move 0, 1, ... stages ahead; ``kernel[stages]`` is the share of the
    first stage that leaves the delay (later stages leave with ``1 - kernel[:stages - j].sum()``).

    Parameters
    ----------
    mean_min : float
        Mean delay, minutes, ``>= 0`` (0: everything leaves at once).
    dt_min : float
        Step, minutes, ``> 0``.
    stages : int
        Number of stages, ``>= 1``.

    Returns
    -------
    numpy.ndarray of shape (stages + 1,)
        Shares (in ``[0, 1]``, summing to 1) moving 0 .. ``stages - 1`` stages ahead, and the
        share of the first stage that leaves.

    References
    ----------
    The linear chain trick: an Erlang delay as a chain of exponential stages (Hurtado &
    Kirosingh, "Generalizations of the 'Linear Chain Trick'", J. Math. Biol. 79, 2019); the
    stages passed in a step are Poisson distributed (a Poisson process of rate stages / mean).

    Examples
    --------
    >>> k = erlang_kernel(60.0, 1.0, 4)
    >>> round(float(k.sum()), 12)
    1.0
    """
    mean = check_real("mean_min", mean_min, 0, None)
    dt = check_real("dt_min", dt_min, 0, None, open_min=True)
    stages = check_int("stages", stages, 1)
    lam = stages * dt / mean if mean > 0 else math.inf
    if lam > 700:   # (a delay far shorter than the step: everything leaves within it)
        kernel = np.zeros(stages + 1)
        kernel[stages] = 1.0
        return kernel
    m = np.arange(stages)
    pois = np.array([math.exp(-lam + k * math.log(lam) - math.lgamma(k + 1)) for k in m]) \
        if lam > 0 else \
        (m == 0).astype(float)
    return np.append(pois, max(0.0, 1.0 - pois.sum()))


def overload_hazard(requests_per_min, threshold, window_min: float = OVERLOAD_WINDOW_MIN):
    """Rate (per minute) at which a supernode shuts down under a given request rate.

    Requests reach a supernode at random (Poisson, mean ``requests_per_min``); it counts them
    over windows of ``window_min`` and shuts down in the first window whose count reaches
    ``threshold``. The probability of a window at or above the threshold is the regularised
    lower gamma ``P(threshold, rate window)`` (smooth in ``threshold``), so the hazard is that
    probability per window.

    Parameters
    ----------
    requests_per_min : float or numpy.ndarray
        Searches per minute one supernode receives, ``>= 0``.
    threshold : float or numpy.ndarray
        Requests in one window that trigger the shutdown, ``> 0``.
    window_min : float
        Length of the window, minutes.

    Returns
    -------
    float or numpy.ndarray
        Shutdown rate, per minute.

    References
    ----------
    Course model (chapter 03): a load-triggered protection counting Poisson arrivals per
    window, as Skype's 2010 post-mortem describes supernodes shutting down under overload;
    the Poisson tail ``P(count >= n)`` of mean ``mu`` is the regularised lower incomplete
    gamma function ``P(n, mu)`` (NIST Digital Library of Mathematical Functions, chapter 8).

    Examples
    --------
    >>> round(float(overload_hazard(5.0, 25.0)), 6)   # well below: almost never
    0.0
    >>> round(float(overload_hazard(50.0, 25.0)), 3)   # well above: within about a window
    1.0
    """
    rate = check_array("requests_per_min", requests_per_min, 0, None)
    threshold = check_array("threshold", threshold, 0, None)
    window_min = check_real("window_min", window_min, 0, None, open_min=True)
    if np.any(threshold <= 0):
        raise ValueError(f"threshold must be > 0, got {threshold!r}")
    out = special.gammainc(threshold, rate * window_min) / window_min
    return float(out) if out.ndim == 0 else out


@dataclass(frozen=True, eq=False)
class Schedule:
    """What one run needs per step, independent of the state (shared by both engines).

    Attributes
    ----------
    steps : int
        Number of steps.
    dt : float
        Step, minutes.
    hours : numpy.ndarray
        Start of each step, hours (``steps`` values).
    demand : numpy.ndarray
        Clients online on a normal day at the start of each step and at the end (``steps + 1``).
    stay : numpy.ndarray
        Share of online clients whose session goes on through the step (``steps``).
    arrive : numpy.ndarray
        New sessions in the step (``steps``): they balance the departures of a normal day.
    reboot, sn_reboot : numpy.ndarray
        Share of clients / of capable peers that reboot in the step.
    mega : numpy.ndarray
        Mega-supernode client slots during the step.
    fixed : numpy.ndarray of bool
        Whether the operator's fix is in place (no overload shutdowns).
    substeps : int
        The fast loop (login attempts, login servers, supernode search, retries: phases 3-6)
        runs this many sub-steps per step, each at most :data:`FAST_STEP_MIN` long, so that
        its delays of a minute or two are resolved at any ``step_min``.
    sub_dt : float
        Length of one sub-step, minutes (``dt / substeps``).
    retry_exit : numpy.ndarray
        Share of the clients waiting at each retry level that try again in a sub-step.
    keep_patient : float
        Share of the users without service who keep trying through the step.
    login_cap : float
        Logins the servers complete in one sub-step.
    login_cap_per_min, timeout_min : float
        Login capacity per minute and mean client timeout, minutes.
    keep_waiting : float
        Share of queued live clients that do not time out in a sub-step.
    keep_stale : float
        Share of stale requests not reset in a sub-step.
    research : float
        Share of orphaned clients that search again in a sub-step.
    down_kernel, promote_kernel, restart_kernel : numpy.ndarray
        :func:`erlang_kernel` of the reboot downtime, the promotion uptime and the restart
        after an overload shutdown, over one step.
    down_half, promote_half, restart_half : numpy.ndarray
        The same kernels over half a step (for what enters the delay during the step).
    capable : float
        Supernode-capable peers (count).
    threshold : float
        Searches in one overload window that shut a supernode down (count).

    References
    ----------
    Course model (chapter 03): the rates of :class:`~p2plib.outage.scenario.Scenario` applied
    over one step (exponential survival, :func:`erlang_kernel`, :func:`overload_hazard`).

    Examples
    --------
    >>> sched = build_schedule(Scenario(online_peers=10_000, days=1.0, step_min=5))
    >>> sched.levels, sched.substeps, len(sched.demand) == sched.steps + 1
    (1, 5, True)
    """

    steps: int
    dt: float
    substeps: int
    sub_dt: float
    hours: np.ndarray
    demand: np.ndarray
    stay: np.ndarray
    arrive: np.ndarray
    reboot: np.ndarray
    sn_reboot: np.ndarray
    mega: np.ndarray
    fixed: np.ndarray
    retry_exit: np.ndarray
    keep_patient: float
    login_cap: float
    login_cap_per_min: float
    timeout_min: float
    keep_waiting: float
    keep_stale: float
    research: float
    down_kernel: np.ndarray
    down_half: np.ndarray
    promote_kernel: np.ndarray
    promote_half: np.ndarray
    restart_kernel: np.ndarray
    restart_half: np.ndarray
    capable: float
    threshold: float

    @property
    def levels(self) -> int:
        """Retry levels."""
        return len(self.retry_exit)


def demand_curve(s: Scenario, hours: np.ndarray) -> np.ndarray:
    """Clients a normal day has online at ``hours`` (daily cycle and weekend dip), count.

    A cosine daily cycle around ``online_peers x load`` peaking at ``peak_hour_utc``; on
    Saturday and Sunday the weekend dip, ramped in over Saturday 00:00-06:00 and out over
    Monday 00:00-06:00.

    Parameters
    ----------
    s : Scenario
        The scenario (its ``online_peers``, ``load``, ``daily_amplitude``, ``cycle_h``,
        ``peak_hour_utc``, ``start_weekday`` and ``weekend_dip``).
    hours : numpy.ndarray
        Hours since the start of the run, ``>= 0``.

    Returns
    -------
    numpy.ndarray
        Clients online on a normal day at each hour (count).

    References
    ----------
    Course model (chapter 03) of the daily and weekly cycles of peer populations measured in
    Skype by Guha, Daswani & Jain, "An Experimental Study of the Skype Peer-to-Peer VoIP
    System" (IPTPS 2006).

    Examples
    --------
    >>> s = Scenario(online_peers=1e6, daily_amplitude=0.35, peak_hour_utc=16.0)
    >>> float(demand_curve(s, np.array([16.0]))[0])
    1350000.0
    """
    if not isinstance(s, Scenario):
        raise TypeError(f"s must be a Scenario, got {type(s).__name__}")
    hours = check_array("hours", hours, 0, None)
    daily = 1 + s.daily_amplitude * np.cos(2 * np.pi * (hours - s.peak_hour_utc) / s.cycle_h)
    day = (s.start_weekday + hours / 24) % 7
    # weekend weight rises over Saturday 00:00-06:00 and falls over Monday 00:00-06:00
    ramp_in = np.clip((day - 5) * 4, 0, 1)
    ramp_out = np.clip((7 - day) * 4, 0, 1)
    weekend = np.where(day >= 5, np.minimum(ramp_in, ramp_out), 0.0)
    return s.online_peers * s.load * daily * (1 - s.weekend_dip * weekend)


def _window_overlap(s: Scenario, t0_h: np.ndarray, dt_h: float) -> np.ndarray:
    """Minutes of each step ``[t0, t0 + dt)`` inside a reboot window."""
    overlap = np.zeros_like(t0_h)
    for wave in range(s.reboot_waves):
        lo = s.reboot_start_h + 24 * wave
        hi = lo + min(s.reboot_window_h, 24.0)
        overlap += np.clip(np.minimum(t0_h + dt_h, hi) - np.maximum(t0_h, lo), 0, None)
    return overlap * 60


def build_schedule(s: Scenario) -> Schedule:
    """The :class:`Schedule` of a scenario: what each step needs that the state does not set.

    Parameters
    ----------
    s : Scenario
        The scenario; its ``step_min`` (minutes) sets the step, and the fast loop runs
        sub-steps of at most :data:`FAST_STEP_MIN` minutes.

    Returns
    -------
    Schedule
        Per-step rows (``steps`` values each) and per-run constants, shared by the aggregate
        and the agent engine.

    References
    ----------
    Course model (chapter 03): the scenario's rates (per minute) applied over a step exactly
    where they can be (exponential survival, Erlang kernels, the overlap of the step with the
    reboot windows); see the module docstring.

    Examples
    --------
    >>> sched = build_schedule(Scenario(online_peers=1e5, days=1.0, reboot_fraction=0.5,
    ...                                 reboot_start_h=2.0, reboot_window_h=1.0))
    >>> round(float(1 - np.prod(1 - sched.reboot)), 6)   # half the clients reboot
    0.5
    """
    if not isinstance(s, Scenario):
        raise TypeError(f"s must be a Scenario, got {type(s).__name__}")
    steps, dt = s.steps, float(s.step_min)
    t_edges = np.arange(steps + 1) * dt / 60.0
    hours = t_edges[:-1]
    demand = demand_curve(s, t_edges)
    session_keep = math.exp(-dt / (s.session_h * 60))
    decline = np.maximum(0.0, demand[:-1] - demand[1:]) / demand[:-1]
    stay = session_keep - decline  # (the cycle's decline leaves on top of session ends)
    arrive = (1 - session_keep) * demand[:-1] + np.maximum(0.0, demand[1:] - demand[:-1])
    overlap = _window_overlap(s, hours, dt / 60)
    window_min = s.reboot_waves * min(s.reboot_window_h, 24.0) * 60

    def hazard(fraction):
        if fraction <= 0:
            return np.zeros(steps)
        rate = -math.log1p(-min(fraction, 1 - 1e-12)) / window_min
        return -special.expm1(-rate * overlap)   # (scipy's: the same bits on every CPU)

    sn_fraction = s.reboot_fraction if s.sn_reboot_fraction is None else s.sn_reboot_fraction
    if s.mega_share > 0:
        mid = hours + dt / 120  # the ramp at the middle of the step
        ramp = np.clip((mid - s.mega_start_h) / s.mega_ramp_h, 0, 1) if s.mega_ramp_h > 0 \
            else (mid >= s.mega_start_h).astype(float)
    else:
        ramp = np.zeros(steps)
    delays = np.array(retry_delays(s.retry_policy, s.retry_base_min, s.retry_cap_min))
    substeps = math.ceil(dt / FAST_STEP_MIN - 1e-9)
    sub = dt / substeps
    fixed = np.zeros(steps, bool) if s.fix_h is None else hours + dt / 120 >= s.fix_h
    keep_patient = 1.0 if s.patience_h is None else math.exp(-dt / (s.patience_h * 60))
    threshold = s.sn_overload_factor * s.normal_search_rate * OVERLOAD_WINDOW_MIN
    return Schedule(
        steps=steps, dt=dt, hours=hours, demand=demand, stay=stay, arrive=arrive,
        reboot=hazard(s.reboot_fraction), sn_reboot=hazard(sn_fraction),
        mega=s.mega_share * s.online_peers * ramp, fixed=fixed,
        substeps=substeps, sub_dt=sub,
        retry_exit=-special.expm1(-sub / delays), keep_patient=keep_patient,
        login_cap=s.login_capacity_per_min * sub, login_cap_per_min=s.login_capacity_per_min,
        timeout_min=s.login_timeout_min, keep_waiting=math.exp(-sub / s.login_timeout_min),
        keep_stale=math.exp(-sub / STALE_RESET_MIN), research=-math.expm1(-sub / RESEARCH_MIN),
        down_kernel=erlang_kernel(s.reboot_downtime_min, dt),
        down_half=erlang_kernel(s.reboot_downtime_min, dt / 2),
        promote_kernel=erlang_kernel(s.promotion_uptime_h * 60, dt),
        promote_half=erlang_kernel(s.promotion_uptime_h * 60, dt / 2),
        restart_kernel=erlang_kernel(s.sn_restart_h * 60, dt),
        restart_half=erlang_kernel(s.sn_restart_h * 60, dt / 2),
        capable=s.supernodes, threshold=threshold,
    )
