"""The chain reaction in one screen: a supernode pool, a login queue with stale requests, retries.

A minimal fluid model of August 2007, small enough to read whole (``simulate??``). It follows
three counts minute by minute, as expected values (no randomness):

* ``connected``: clients holding a supernode slot. The pool's slots are
  ``supernodes x sn_capacity`` times the share of supernodes not rebooted recently: a rebooted
  supernode serves again only after ``promotion_uptime_h`` hours of uptime.
* ``waiting``: clients who want service and have none. Each sends a login attempt every
  ``retry_min`` minutes (fixed retries).
* ``login_queue``: requests the login servers have not answered yet. The servers answer at most
  ``login_capacity_per_min`` per minute, oldest first. A client waits for its answer for a
  random time (exponential, mean ``login_timeout_min``); an answer that comes later is useless,
  but the request was already served. Unanswered requests are dropped after about
  ``stale_drop_min`` (connection reset).

Everyone who wants service is connected or waiting, so ``connected + waiting`` equals the demand
of the daily cycle at every step (a conservation law the tests check). What the model leaves out
(the full model :mod:`p2plib.outage` has them): supernodes that shut down under overload, users
who give up, backoff, the operator's fix.

Source: the chain reaction Skype described (Skype Heartbeat, 20 August 2007); the stale-queue
sustaining effect of metastable failures (Bronson et al., HotOS 2021; Huang et al., OSDI 2022).
Numbers are model assumptions of the same order as the course's 2007 scenario.

Hours count from the start of the run; the 2007 runs start on Tuesday 14 August 2007, 00:00 UTC
(``+h`` = hours after that moment).

Examples
--------
>>> from p2plib.chain_reaction import ChainReaction, simulate
>>> quiet = simulate(ChainReaction(reboot_fraction=0.0, days=2.0))
>>> round(float(quiet.service.min()), 2)
0.99
>>> drained = simulate(ChainReaction())
>>> round(drained.first_below(0.5), 1)  # +62.7 h: Thursday 16 August, 14:44 UTC
62.7
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from p2plib._validate import check_int, check_real

__all__ = ["ChainReaction", "ChainReactionResult", "login_goodput", "simulate"]


@dataclass(frozen=True)
class ChainReaction:
    """Parameters of the minimal chain-reaction model (defaults: the 2007 situation).

    Parameters
    ----------
    online_peers : float
        Mean number of clients who want service, in ``[100, 10^10]`` (clients).
    daily_amplitude : float
        Relative swing of the daily cycle, in ``[0, 0.9]``: demand = mean x (1 + a cos(...)).
    peak_hour_utc : float
        Hour of the daily peak, in ``[0, 24]`` (hour UTC; 16:00: Europe's evening meets the US
        working day).
    session_h : float
        Mean session length, in ``[0.1, 48]`` (hours).
    supernodes : float
        Supernodes in the pool when none has rebooted, ``> 0`` (supernodes).
    sn_capacity : float
        Clients one supernode serves, ``> 0`` (clients per supernode).
    reboot_fraction : float
        Share of supernodes rebooted over all reboot nights, in ``[0, 1]``.
    reboot_start_h, reboot_window_h : float
        Start of the first night's reboots (``>= 0``, hours since the run start) and its
        length (in ``(0, 24]``, hours).
    reboot_nights : int
        Consecutive nights with the same window, in ``[1, 14]``; each takes
        ``reboot_fraction / reboot_nights``.
    promotion_uptime_h : float
        Uptime a rebooted supernode must show before it serves again, in ``(0, 336]`` (hours).
    login_capacity_per_min : float
        Requests the login servers answer, ``> 0`` (requests per minute).
    login_timeout_min : float
        Mean time a client waits for a login answer, in ``(0, 60]`` (minutes).
    retry_min : float
        A waiting client sends a login attempt every this many minutes, in ``[0.1, 120]``.
    stale_drop_min : float
        Mean time before an unanswered request is dropped from the queue, in ``[10, 1440]``
        (minutes).
    days : float
        Simulated time, in ``(0, 30]`` (days).
    step_min : float
        Time step, in ``(0, retry_min / 2]`` (minutes); results converge as it shrinks.

    Attributes
    ----------
    The parameters above, as frozen fields (change them with :meth:`replace`).

    References
    ----------
    Course model (chapter 03): the chain reaction Skype described (Skype Heartbeat, 20 August
    2007); the stale-queue sustaining effect of metastable failures (Bronson et al., HotOS
    2021; Huang et al., OSDI 2022). Numbers are model assumptions.

    Examples
    --------
    >>> p = ChainReaction()
    >>> p.supernodes * p.sn_capacity            # client slots when no supernode has rebooted
    10000000.0
    >>> p.replace(step_min=0.5).step_min
    0.5
    """

    online_peers: float = 6_000_000.0
    daily_amplitude: float = 0.35
    peak_hour_utc: float = 16.0
    session_h: float = 3.0
    supernodes: float = 20_000.0
    sn_capacity: float = 500.0
    reboot_fraction: float = 0.3
    reboot_start_h: float = 25.0
    reboot_window_h: float = 10.0
    reboot_nights: int = 2
    promotion_uptime_h: float = 48.0
    login_capacity_per_min: float = 166_667.0
    login_timeout_min: float = 2.0
    retry_min: float = 2.0
    stale_drop_min: float = 30.0
    days: float = 6.0
    step_min: float = 1.0

    def __post_init__(self):
        check_real("online_peers", self.online_peers, 100, 1e10)
        check_real("daily_amplitude", self.daily_amplitude, 0, 0.9)
        check_real("peak_hour_utc", self.peak_hour_utc, 0, 24)
        check_real("session_h", self.session_h, 0.1, 48)
        check_real("supernodes", self.supernodes, 0, None, open_min=True)
        check_real("sn_capacity", self.sn_capacity, 0, None, open_min=True)
        check_real("reboot_fraction", self.reboot_fraction, 0, 1)
        check_real("reboot_start_h", self.reboot_start_h, 0, None)
        check_real("reboot_window_h", self.reboot_window_h, 0, 24, open_min=True)
        check_int("reboot_nights", self.reboot_nights, 1, 14)
        check_real("promotion_uptime_h", self.promotion_uptime_h, 0, 24 * 14, open_min=True)
        check_real("login_capacity_per_min", self.login_capacity_per_min, 0, None,
                   open_min=True)
        check_real("login_timeout_min", self.login_timeout_min, 0, 60, open_min=True)
        check_real("retry_min", self.retry_min, 0.1, 120)
        check_real("stale_drop_min", self.stale_drop_min, 10, 24 * 60)
        check_real("days", self.days, 0, 30, open_min=True)
        # Euler steps stay stable (a step never logs in more clients than are waiting) while
        # the step is at most half the retry interval.
        check_real("step_min", self.step_min, 0, self.retry_min / 2, open_min=True)

    def replace(self, **changes) -> ChainReaction:
        """A copy with some parameters changed (validated again)."""
        return dataclasses.replace(self, **changes)

    @classmethod
    def from_scenario(cls, scenario, **changes) -> ChainReaction:
        """The minimal model of a full-model scenario (:class:`p2plib.outage.Scenario`).

        Takes the same demand cycle, pool, reboots, login servers and retry interval (the
        retry policy's base delay); leaves out what the minimal model does not have: the
        weekend dip, supernodes that shut down under overload, users who give up, backoff,
        the fix and mega-supernodes. ``changes`` override fields of the result.

        Parameters
        ----------
        scenario : p2plib.outage.Scenario
            Read by attribute name (any object with those attributes).
        **changes
            Fields of :class:`ChainReaction` to set afterwards.

        Returns
        -------
        ChainReaction

        Examples
        --------
        >>> from p2plib.outage import Scenario
        >>> s = Scenario(online_peers=2e6, supernode_fraction=1 / 400, sn_capacity=500.0)
        >>> ChainReaction.from_scenario(s).supernodes
        5000.0
        """
        sn_reboots = getattr(scenario, "sn_reboot_fraction", None)
        retry = float(scenario.retry_base_min)
        fields = dict(
            online_peers=scenario.online_peers, daily_amplitude=scenario.daily_amplitude,
            peak_hour_utc=scenario.peak_hour_utc, session_h=scenario.session_h,
            supernodes=scenario.supernodes, sn_capacity=scenario.sn_capacity,
            reboot_fraction=scenario.reboot_fraction if sn_reboots is None else sn_reboots,
            reboot_start_h=scenario.reboot_start_h, reboot_window_h=scenario.reboot_window_h,
            reboot_nights=scenario.reboot_waves, promotion_uptime_h=scenario.promotion_uptime_h,
            login_capacity_per_min=scenario.login_capacity_per_min,
            login_timeout_min=scenario.login_timeout_min, retry_min=retry,
            days=scenario.days, step_min=min(1.0, retry / 2))
        fields.update(changes)
        return cls(**fields)


@dataclass(frozen=True)
class ChainReactionResult:
    """Time series of :func:`simulate`, one value per step (counts of clients or requests).

    Attributes
    ----------
    params : ChainReaction
        The situation simulated.
    time_h : numpy.ndarray
        Time since the run start (hours).
    demand, connected, waiting : numpy.ndarray
        Clients who want service, who hold a supernode slot, and who have none and retry
        (clients); ``connected + waiting == demand``.
    slots : numpy.ndarray
        The pool's client slots (clients).
    login_queue : numpy.ndarray
        Requests the login servers have not answered (requests).
    login_attempts, login_goodput : numpy.ndarray
        Requests sent, and answered for a client still waiting (requests per minute).
    service : numpy.ndarray
        Share of the clients who want service that have it, in ``[0, 1]`` (a property).

    References
    ----------
    Course model (chapter 03); see :func:`simulate`.

    Examples
    --------
    >>> r = simulate(ChainReaction(days=1.0))
    >>> r.time_h[-1], r.first_below(0.5)           # one quiet day: no outage yet
    (np.float64(24.0), nan)
    """

    params: ChainReaction
    time_h: np.ndarray
    demand: np.ndarray
    connected: np.ndarray
    waiting: np.ndarray
    slots: np.ndarray
    login_queue: np.ndarray
    login_attempts: np.ndarray
    login_goodput: np.ndarray

    @property
    def service(self) -> np.ndarray:
        """Share of the clients who want service that have it."""
        return self.connected / self.demand

    def first_below(self, level: float = 0.5) -> float:
        """First hour with service below ``level`` (``nan`` if never)."""
        below = np.flatnonzero(self.service < check_real("level", level, 0, 1))
        return float(self.time_h[below[0]]) if below.size else math.nan

    def hours_below(self, level: float = 0.5) -> float:
        """Hours with service below ``level``."""
        below = self.service < check_real("level", level, 0, 1)
        return float(below.sum() * self.params.step_min / 60)


def login_goodput(queue: float, served_per_min: float, capacity_per_min: float,
                  timeout_min: float) -> float:
    """Login answers per minute that reach a client still waiting for them.

    The servers answer ``served_per_min`` requests per minute, oldest first, from a queue of
    ``queue`` requests; they work at ``capacity_per_min`` while there is a queue. A client waits
    a random, exponentially distributed time with mean ``timeout_min`` minutes.

    Parameters
    ----------
    queue : float
        Requests waiting for an answer, ``>= 0`` (requests).
    served_per_min : float
        Requests answered, ``>= 0`` (requests per minute).
    capacity_per_min : float
        Most requests the login servers can answer, ``> 0`` (requests per minute).
    timeout_min : float
        Mean patience of a client waiting for an answer, minutes, ``> 0``.

    Returns
    -------
    float
        Useful answers per minute, between 0 and ``served_per_min`` (answers per minute).

    References
    ----------
    Course model (chapter 03): a FIFO queue drains in ``queue / capacity_per_min`` minutes,
    and an exponential patience survives that wait with probability ``exp(-wait / timeout)``;
    the goodput collapse of metastable failures (Bronson et al., HotOS 2021).

    Examples
    --------
    >>> login_goodput(0.0, 40_000.0, 100_000.0, 2.0)
    40000.0
    >>> login_goodput(10_000_000.0, 100_000.0, 100_000.0, 2.0) < 1.0
    True
    """
    queue = check_real("queue", queue, 0, None)
    served_per_min = check_real("served_per_min", served_per_min, 0, None)
    capacity_per_min = check_real("capacity_per_min", capacity_per_min, 0, None, open_min=True)
    timeout_min = check_real("timeout_min", timeout_min, 0, None, open_min=True)
    return served_per_min * math.exp(-(queue / capacity_per_min) / timeout_min)


def _pool_share(p: ChainReaction, time_h: np.ndarray) -> np.ndarray:
    """Share of supernodes serving: those rebooted less than ``promotion_uptime_h`` ago are out."""
    away = np.zeros_like(time_h)
    for night in range(p.reboot_nights):
        start = p.reboot_start_h + 24.0 * night
        rebooted = np.clip((time_h - start) / p.reboot_window_h, 0, 1)
        back = np.clip((time_h - start - p.promotion_uptime_h) / p.reboot_window_h, 0, 1)
        away += (rebooted - back) * p.reboot_fraction / p.reboot_nights
    return 1.0 - away


def simulate(p: ChainReaction,
             goodput_rule: Callable[[float, float, float, float], float] = login_goodput,
             ) -> ChainReactionResult:
    """Run the minimal chain-reaction model (deterministic fluid model, Euler steps).

    Parameters
    ----------
    p : ChainReaction
        The situation.
    goodput_rule : callable, optional
        ``rule(queue, served_per_min, capacity_per_min, timeout_min)`` -> useful answers per
        minute (default :func:`login_goodput`; the chapter's exercise passes the student's own).

    Returns
    -------
    ChainReactionResult
        Demand, connected and waiting clients, slots and the login queue, per step.

    References
    ----------
    Course model (chapter 03), see the module docstring (Skype Heartbeat, 20 Aug 2007;
    Bronson et al., HotOS 2021; Huang et al., OSDI 2022).

    Examples
    --------
    >>> r = simulate(ChainReaction(days=1.0))
    >>> bool(np.allclose(r.connected + r.waiting, r.demand))
    True
    """
    if not isinstance(p, ChainReaction):
        raise TypeError(f"p must be a ChainReaction, got {type(p).__name__}")
    if not callable(goodput_rule):
        raise TypeError(f"goodput_rule must be a function, got {type(goodput_rule).__name__}")
    dt = p.step_min                                   # minutes per step
    steps = round(p.days * 24 * 60 / dt)
    time_h = np.arange(steps + 1) * dt / 60
    demand = p.online_peers * (1 + p.daily_amplitude
                               * np.cos(2 * np.pi * (time_h - p.peak_hour_utc) / 24))
    slots = p.supernodes * p.sn_capacity * _pool_share(p, time_h)
    session_min, capacity = p.session_h * 60, p.login_capacity_per_min
    out = {k: np.zeros(steps + 1) for k in ("connected", "waiting", "queue", "attempts",
                                            "goodput")}
    # Start in the healthy steady state: logins balance session ends, no queue.
    connected = min(demand[0] * session_min / (session_min + p.retry_min), slots[0])
    waiting, queue = demand[0] - connected, 0.0
    for n in range(steps + 1):
        attempts = waiting / p.retry_min                      # retries, per minute
        served = min(capacity, attempts + queue / dt)         # oldest first, up to capacity
        useful = float(goodput_rule(queue, served, capacity, p.login_timeout_min))
        if not 0.0 <= useful <= served * (1 + 1e-9):
            raise ValueError(f"goodput_rule returned {useful!r}; it must lie between 0 and "
                             f"the {served:g} requests served per minute")
        out["connected"][n], out["waiting"][n], out["queue"][n] = connected, waiting, queue
        out["attempts"][n], out["goodput"][n] = attempts, useful
        if n == steps:
            break
        # Login queue: all answered below capacity; else the excess stays, stale ones dropped.
        if served < capacity:
            queue = 0.0
        else:
            queue = (queue + (attempts - capacity) * dt) * math.exp(-dt / p.stale_drop_min)
        # Sessions end (and, if demand falls faster than that, more users leave): a share
        # `leaving` of connected and waiting clients alike; new sessions join the waiting.
        new_sessions = demand[n + 1] - demand[n] * math.exp(-dt / session_min)
        leaving = 1 - math.exp(-dt / session_min) + max(-new_sessions, 0.0) / demand[n]
        # Supernode slots: a shrinking pool orphans clients; logins take the free slots.
        ended = connected * leaving
        orphaned = max(connected - ended - slots[n + 1], 0.0)
        admitted = min(useful * dt, slots[n + 1] - (connected - ended - orphaned))
        connected += admitted - ended - orphaned
        waiting += max(new_sessions, 0.0) - waiting * leaving - admitted + orphaned
    return ChainReactionResult(p, time_h, demand, out["connected"], out["waiting"], slots,
                               out["queue"], out["attempts"], out["goodput"])
