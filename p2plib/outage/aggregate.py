"""The aggregate (mean-field) engine: expected counts of every compartment, step by step.

Its cost does not depend on the number of peers. One code path serves one scenario (Python
floats: fast for a single run) and a batch of scenarios at once (numpy arrays over the batch:
what :func:`p2plib.outage.sweep.sweep` and :func:`p2plib.outage.ensemble.ensemble` use), so the
two cannot disagree. The rules are those described in :mod:`p2plib.outage`; the agent engine
(:mod:`p2plib.outage.agent`) draws the same rates peer by peer.

Phases of one step (``dt`` minutes), each a rate applied over ``dt``:

1. sessions end (rate ``1/session``, rebooting machines included), users without service
   give up (``1/patience``), machines reboot (the reboot hazard); rebooted machines wait out
   their downtime (Erlang);
2. capable peers reboot, prove uptime (Erlang) and are promoted; supernodes that shut down
   come back after ``sn_restart_h`` (Erlang);
3. login attempts: new sessions, returning machines and the retries due (rate ``1/delay`` of
   each retry level);
4. the login servers serve ``login_cap`` requests per step, oldest first: the head of a queue
   that takes ``W`` minutes to drain is still waited for with probability ``exp(-W/T)``
   (clients time out at rate ``1/T``; their requests stay queued, stale, and are reset at
   rate ``1/STALE_RESET_MIN``); admission control accepts only what fits the timeout;
5. logged-in clients and orphans search for a supernode: mega-supernodes first, then one
   address of the host cache (any capable peer, serving or not: a search reaches a serving
   supernode with probability ``alive / capable``); supernodes shut down at the rate
   :func:`~p2plib.outage.schedule.overload_hazard` of their request rate (orphaning their
   clients) unless they refuse (``overload="refuse"`` or after the fix);
6. failures wait under the retry policy.

Examples
--------
>>> from p2plib.outage.scenario import Scenario
>>> from p2plib.outage.schedule import build_schedule
>>> s = Scenario(online_peers=10_000, days=0.5, step_min=5)
>>> series = simulate_aggregate([s])[0]
>>> round(float(series["connected"][0] / series["demand"][0]), 3)
1.0
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from p2plib.outage.scenario import DELAY_STAGES, OVERLOAD_WINDOW_MIN, Scenario
from p2plib.outage.schedule import Schedule, build_schedule

__all__ = ["SERIES", "simulate_aggregate"]

#: Names of the recorded series, in the order of the engine's record.
SERIES = ("demand", "connected", "wanting", "supernodes_alive", "sn_cooling", "sn_young",
          "mega_slots", "login_queue", "login_attempts", "login_goodput", "sn_requests",
          "sn_shutdowns", "retrying", "peers_total", "peers_tracked", "capable_total")

_TINY = 1e-300


class _Scalar:
    """Operations on Python floats (one scenario)."""

    expm1 = staticmethod(math.expm1)
    minimum = staticmethod(min)
    maximum = staticmethod(max)

    @staticmethod
    def hazard(rate, threshold):
        return float(special.gammainc(threshold, rate * OVERLOAD_WINDOW_MIN)) \
            / OVERLOAD_WINDOW_MIN


class _Batch:
    """The same operations on numpy arrays over a batch of scenarios.

    ``expm1`` is scipy's (a plain C loop), not numpy's ``exp``, whose vectorised loops round
    last bits differently with and without AVX-512 (tests/test_determinism.py).
    """

    expm1 = staticmethod(special.expm1)
    minimum = staticmethod(np.minimum)
    maximum = staticmethod(np.maximum)

    @staticmethod
    def hazard(rate, threshold):
        return special.gammainc(threshold, rate * OVERLOAD_WINDOW_MIN) / OVERLOAD_WINDOW_MIN


def _erlang(stages, inflow, kernel, half, leave, leave_half):
    """Advance an Erlang delay one step (in place); ``inflow`` enters during the step.

    ``kernel[m]``: share moving ``m`` stages ahead; ``leave[j]``: share of stage ``j`` that
    leaves; ``half``/``leave_half``: the same over half a step (what arrives during a step
    has on average spent half of it in the delay). Returns the count that leaves.
    """
    n = len(stages)
    out = inflow * leave_half[0]
    new = [inflow * half[j] for j in range(n)]
    for j in range(n):
        x = stages[j]
        out = out + x * leave[j]
        for m in range(n - j):
            new[j + m] = new[j + m] + x * kernel[m]
    stages[:] = new
    return out


def _kernels(kernel):
    """(move shares, leave share per stage) from an :func:`erlang_kernel` (floats or arrays)."""
    n = DELAY_STAGES
    moves = [kernel[m] for m in range(n)]
    leave = [1.0 - sum(moves[:n - j]) for j in range(n)]
    return moves, leave


class _Stack:
    """The schedules of a batch, stacked: per-step rows and per-scenario constants."""

    def __init__(self, schedules: list[Schedule], batch: bool):
        first = schedules[0]
        self.steps, self.dt = first.steps, first.dt
        self.substeps, self.sub_dt = first.substeps, first.sub_dt
        levels = max(sc.levels for sc in schedules)

        def const(name):
            values = [getattr(sc, name) for sc in schedules]
            return np.array(values, dtype=float) if batch else float(values[0])

        def rows(name):
            values = np.stack([getattr(sc, name) for sc in schedules], axis=1).astype(float)
            return values if batch else values[:, 0].tolist()

        for name in ("stay", "arrive", "reboot", "sn_reboot", "mega"):
            setattr(self, name, rows(name))
        self.fixed = rows("fixed")
        self.demand = np.stack([sc.demand for sc in schedules], axis=1)
        padded = np.array([np.pad(sc.retry_exit, (0, levels - sc.levels), mode="edge")
                           for sc in schedules])  # (batch, levels): the last level repeats
        self.retry_exit = [padded[:, k] if batch else float(padded[0, k])
                           for k in range(levels)]
        for name in ("keep_patient", "login_cap", "login_cap_per_min", "timeout_min",
                     "keep_waiting", "keep_stale", "research", "capable", "threshold"):
            setattr(self, name, const(name))
        for name in ("down", "promote", "restart"):
            for suffix, attr in (("kernel", name), ("half", name + "_half")):
                k = np.stack([getattr(sc, f"{name}_{suffix}") for sc in schedules], axis=1)
                k = list(k) if batch else k[:, 0].tolist()
                setattr(self, attr, _kernels(k))


def _simulate_stack(p: _Stack, scenarios: list[Scenario], ops) -> np.ndarray:
    """Run the phases over every step; returns the record (steps, series, batch?)."""
    expm1, minimum, maximum, hazard = ops.expm1, ops.minimum, ops.maximum, ops.hazard
    levels = len(p.retry_exit)
    n_sub, sub_dt = p.substeps, p.sub_dt
    one = np.ones(len(scenarios)) if ops is _Batch else 1.0
    zero = one * 0.0
    capacity = (np.array([s.sn_capacity for s in scenarios]) if ops is _Batch
                else scenarios[0].sn_capacity)
    shutdown_mode = (np.array([float(s.overload == "shutdown") for s in scenarios])
                     if ops is _Batch else float(scenarios[0].overload == "shutdown"))
    admission = (np.array([float(s.admission_control) for s in scenarios]) if ops is _Batch
                 else float(scenarios[0].admission_control))
    timeout_work = p.login_cap_per_min * p.timeout_min   # requests served within the timeout
    retry_exit = p.retry_exit
    down_k, down_leave = p.down
    down_h, down_hleave = p.down_half
    prom_k, prom_leave = p.promote
    prom_h, prom_hleave = p.promote_half
    rest_k, rest_leave = p.restart
    rest_h, rest_hleave = p.restart_half

    # start in the steady state of a normal day: every client connected (pool permitting)
    n0 = p.demand[0] if ops is _Batch else float(p.demand[0, 0])
    sn = p.capable * one
    conn = minimum(n0, sn * capacity)
    mconn = zero
    live = [zero] * levels                  # waiting at the login servers, by retry level
    stale = zero                            # queued requests nobody waits for any more
    retry = [zero] * levels                 # backing off, by the level that failed
    retry[0] = n0 - conn
    orphans = zero
    down = [zero] * DELAY_STAGES            # machines rebooting
    young = [zero] * DELAY_STAGES           # capable peers proving uptime
    cool = [zero] * DELAY_STAGES            # supernodes shut down by overload
    cdown = [zero] * DELAY_STAGES           # capable peers rebooting
    tracked = n0
    shut_prev = zero
    rec = np.empty((p.steps, len(SERIES)) + ((len(scenarios),) if ops is _Batch else ()))

    for t in range(p.steps):
        demand = p.demand[t] if ops is _Batch else float(p.demand[t, 0])
        live_sum, retry_sum = sum(live), sum(retry)
        connected = conn + mconn
        unserved = live_sum + retry_sum + orphans
        wanting = connected + unserved
        young_sum, cool_sum, cdown_sum = sum(young), sum(cool), sum(cdown)
        # (shut_prev: shut down in the last step, entering the restart delay in this one)
        rec[t, :8] = (demand, connected, wanting, sn, cool_sum + shut_prev, young_sum,
                      p.mega[t], live_sum + stale)
        rec[t, 12:] = (retry_sum, wanting + sum(down), tracked,
                       sn + young_sum + cool_sum + cdown_sum + shut_prev)

        # 1. sessions end, users without service give up, machines reboot
        keep_c = p.stay[t]
        keep_u = keep_c * p.keep_patient
        down_sum = sum(down)
        departures = (connected + down_sum) * (1 - keep_c) + unserved * (1 - keep_u)
        down = [x * keep_c for x in down]   # (a rebooting machine's session may end too)
        h = p.reboot[t]
        rebooting = h * (connected * keep_c + unserved * keep_u)
        keep_c = keep_c * (1 - h)
        keep_u = keep_u * (1 - h)
        stale = stale + live_sum * (1 - keep_u)     # their queued requests go stale
        live = [x * keep_u for x in live]
        retry = [x * keep_u for x in retry]
        orphans = orphans * keep_u
        conn = conn * keep_c
        mconn = mconn * keep_c
        arrivals = p.arrive[t]
        tracked = tracked + arrivals - departures
        returning = _erlang(down, rebooting, down_k, down_h, down_leave, down_hleave)

        # 2. capable peers: reboots, promotion after uptime, restart after a shutdown
        hs = p.sn_reboot[t]
        booted = hs * (sn + young_sum + cool_sum)
        orphans = orphans + conn * hs
        conn = conn * (1 - hs)
        sn = sn * (1 - hs)
        young = [x * (1 - hs) for x in young]
        cool = [x * (1 - hs) for x in cool]
        back = _erlang(cdown, booted, down_k, down_h, down_leave, down_hleave)
        promoted = _erlang(young, back, prom_k, prom_h, prom_leave, prom_hleave)
        restarted = _erlang(cool, shut_prev, rest_k, rest_h, rest_leave, rest_hleave)
        sn = sn + promoted + restarted

        n_attempts = n_good = n_searches = n_shut = zero
        shut_prev = zero
        for _sub in range(n_sub):
            # 3. login attempts: retries due (at the next level), new sessions, returning machines
            attempts = [zero] * levels
            for k in range(levels):
                due = retry[k] * retry_exit[k]
                retry[k] = retry[k] - due
                nxt = min(k + 1, levels - 1)
                attempts[nxt] = attempts[nxt] + due
            attempts[0] = attempts[0] + (arrivals + returning) / n_sub
            n_sub_attempts = sum(attempts)
            n_attempts = n_attempts + n_sub_attempts
            failed = [zero] * levels
            # admission control: no stale work, no more than can be served within the timeout
            stale = stale * (1 - admission)
            room = maximum(0.0, timeout_work + p.login_cap - sum(live))  # served now + in time
            reject = admission * maximum(0.0, 1 - room / maximum(n_sub_attempts, _TINY))
            failed = [a * reject for a in attempts]
            attempts = [a * (1 - reject) for a in attempts]

            # 4. the login servers: oldest first; the head is still waited for w.p. exp(-W/T)
            waiting = sum(live) + sum(attempts)
            backlog = waiting + stale
            served = minimum(p.login_cap, backlog)
            head_alive = 1 + expm1(-(backlog - served) / timeout_work)
            good = minimum(minimum(served, waiting), maximum(served * head_alive, served - stale))
            stale = stale - (served - good)
            share = good / maximum(waiting, _TINY)
            searchers = [(x + a) * share for x, a in zip(live, attempts, strict=True)]
            live = [(x + a) * (1 - share) for x, a in zip(live, attempts, strict=True)]
            gave_up = [x * (1 - p.keep_waiting) for x in live]
            live = [x - g for x, g in zip(live, gave_up, strict=True)]
            failed = [f + g for f, g in zip(failed, gave_up, strict=True)]
            stale = (stale + sum(gave_up)) * p.keep_stale

            # 5. supernode search: logged-in clients and orphans; overload shutdowns
            released = orphans * p.research
            orphans = orphans - released
            searchers[0] = searchers[0] + released
            n_search = good + released
            to_mega = minimum(n_search, maximum(0.0, p.mega[t] - mconn))
            mconn = mconn + to_mega
            to_pool = n_search - to_mega
            # a search contacts one address of the host cache: any capable peer, serving or not
            rate = to_pool / (p.capable * sub_dt)
            reached = to_pool * sn / p.capable
            active = shutdown_mode * (1 - p.fixed[t])
            shut_share = -expm1(-sub_dt * active * hazard(rate, p.threshold))
            shut = sn * shut_share
            orphaned = conn * shut_share
            conn = conn - orphaned
            orphans = orphans + orphaned
            sn = sn - shut
            shut_prev = shut_prev + shut
            homed = minimum(reached * (1 - shut_share), maximum(0.0, sn * capacity - conn))
            conn = conn + homed
            refused = (to_pool - homed) / maximum(n_search, _TINY)
            failed = [f + x * refused for f, x in zip(failed, searchers, strict=True)]

            # 6. failures wait under the retry policy
            retry = [r + f for r, f in zip(retry, failed, strict=True)]
            n_good = n_good + good
            n_searches = n_searches + n_search
            n_shut = n_shut + shut
        rec[t, 8:12] = (n_attempts, n_good, n_searches, n_shut)
    return rec


def simulate_aggregate(scenarios: list[Scenario]) -> list[dict]:
    """Run the aggregate model for scenarios that share ``days`` and ``step_min``.

    Parameters
    ----------
    scenarios : list of Scenario
        One scenario (Python floats) or a batch (numpy arrays over the batch); all with the
        same number of steps and the same step.

    Returns
    -------
    list of dict
        Per scenario, :data:`SERIES` name -> numpy array (one value per step) and ``"hours"``.

    Examples
    --------
    >>> a, b = simulate_aggregate([Scenario(online_peers=1e4, days=0.5, step_min=5),
    ...                            Scenario(online_peers=2e4, days=0.5, step_min=5)])
    >>> round(float(b["connected"][10] / a["connected"][10]), 6)
    2.0
    """
    if not scenarios or not all(isinstance(s, Scenario) for s in scenarios):
        raise TypeError("scenarios must be a non-empty list of Scenario")
    if len({(s.steps, s.step_min) for s in scenarios}) != 1:
        raise ValueError("scenarios must share days and step_min to run as one batch")
    schedules = [build_schedule(s) for s in scenarios]
    batch = len(scenarios) > 1
    stack = _Stack(schedules, batch)
    rec = _simulate_stack(stack, scenarios, _Batch if batch else _Scalar)
    out = []
    for i in range(len(scenarios)):
        part = rec[..., i] if batch else rec
        series = {name: part[:, j].copy() for j, name in enumerate(SERIES)}
        series["hours"] = schedules[i].hours
        out.append(series)
    return out
