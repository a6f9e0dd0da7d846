"""The aggregate (mean-field) engine: expected counts of every compartment, step by step.

Its cost does not depend on the number of peers. It runs one scenario on Python floats (fast
for a single run: what the explorers use) or a batch of scenarios at once on numpy arrays over
the batch (what :func:`p2plib.outage.sweep.sweep` and :func:`p2plib.outage.ensemble.ensemble`
use). Both follow the same phases in the same order of operations: the slow phases (1-2) are
one code for both, the fast loop (3-6) is written once on floats and once on arrays, and
tests/test_outage_numerics.py checks that the two agree to rounding. The rules are those
described in :mod:`p2plib.outage`; the agent engine (:mod:`p2plib.outage.agent`) draws the
same rates peer by peer.

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

Phases 1 and 2 run once per step (:func:`_observe`, :func:`_sessions`,
:func:`_capable_peers`); phases 3-6 run :attr:`~p2plib.outage.schedule.Schedule.substeps`
sub-steps of at most a minute (:func:`_fast_one_level` and :func:`_fast_levels` on floats,
:func:`_fast_batch` on arrays). The state of a run is a :class:`_ScalarState` or a
:class:`_BatchState`.

Examples
--------
>>> from p2plib.outage.scenario import Scenario
>>> s = Scenario(online_peers=10_000, days=0.5, step_min=5)
>>> series = simulate_aggregate([s])[0]
>>> round(float(series["connected"][0] / series["demand"][0]), 3)
1.0
"""

from __future__ import annotations

import math
from functools import partial
from operator import itemgetter

import numpy as np
from scipy import special

from p2plib._validate import check_choice
from p2plib.outage.scenario import DELAY_STAGES, OVERLOAD_WINDOW_MIN, Scenario
from p2plib.outage.schedule import Schedule, build_schedule

try:   # the ufunc's own C code, without the ufunc's per-call cost (~0.3 us instead of ~1.5 us)
    from scipy.special.cython_special import gammainc as _gammainc_float
except ImportError:  # pragma: no cover  (a SciPy build without cython_special)
    def _gammainc_float(a, x):
        return float(special.gammainc(a, x))

__all__ = ["ARRAYS_FROM", "ENGINES", "SERIES", "simulate_aggregate"]

#: Ways :func:`simulate_aggregate` runs a list of scenarios.
ENGINES = ("auto", "floats", "arrays")
#: ``engine="auto"`` runs a batch on numpy arrays from ``ARRAYS_FROM + 4 x substeps``
#: scenarios on (16 at 1-minute steps, 32 at 5-minute steps); below that, numpy's fixed cost
#: per call outweighs the float engine's cost per run (the crossover measured by
#: benchmarks/bench_outage.py: about 16 scenarios at 1-minute steps, about 32 at 5).
ARRAYS_FROM = 12

#: Names of the recorded series, in the order of the engine's record.
SERIES = ("demand", "connected", "wanting", "supernodes_alive", "sn_cooling", "sn_young",
          "mega_slots", "login_queue", "login_attempts", "login_goodput", "sn_requests",
          "sn_shutdowns", "retrying", "peers_total", "peers_tracked", "capable_total")

_TINY = 1e-300

if DELAY_STAGES != 4:  # pragma: no cover  (the delays below are unrolled over four stages)
    raise ImportError("p2plib.outage.aggregate is written for DELAY_STAGES == 4")


# -- Erlang delays -------------------------------------------------------------------------------

def _erlang(stages, inflow, k):
    """Advance a four-stage Erlang delay one step; ``inflow`` enters during the step.

    ``stages``: the counts per stage (floats or arrays over a batch); ``k``: the coefficients
    of :func:`_delay_coefficients`. Returns (the new stages, the count that leaves).
    """
    x0, x1, x2, x3 = stages
    k0, k1, k2, k3, h0, h1, h2, h3, l0, l1, l2, l3, lh0 = k
    out = inflow * lh0 + x0 * l0 + x1 * l1 + x2 * l2 + x3 * l3
    return (inflow * h0 + x0 * k0,
            inflow * h1 + x0 * k1 + x1 * k0,
            inflow * h2 + x0 * k2 + x1 * k1 + x2 * k0,
            inflow * h3 + x0 * k3 + x1 * k2 + x2 * k1 + x3 * k0), out


def _erlang_float(stages, inflow, k):
    """:func:`_erlang` on floats (the same sums), skipped while the delay is empty."""
    x0, x1, x2, x3 = stages
    if not (inflow or x0 or x1 or x2 or x3):
        return stages, 0.0
    k0, k1, k2, k3, h0, h1, h2, h3, l0, l1, l2, l3, lh0 = k
    return (inflow * h0 + x0 * k0,
            inflow * h1 + x0 * k1 + x1 * k0,
            inflow * h2 + x0 * k2 + x1 * k1 + x2 * k0,
            inflow * h3 + x0 * k3 + x1 * k2 + x2 * k1 + x3 * k0), \
        inflow * lh0 + x0 * l0 + x1 * l1 + x2 * l2 + x3 * l3


def _erlang_stacked(stages, inflow, k):
    """:func:`_erlang` on a batch: ``stages`` four arrays (batch,), ``k`` the arrays of
    :func:`_stacked_coefficients`; six numpy calls instead of some forty, each sum taken in
    the order of :func:`_erlang` (a reduction over the first axis adds its rows in order)."""
    enter, (m0, m1, m2, m3), terms, (r0, r1, r2, r3, r4) = k
    x0, x1, x2, x3 = stages
    np.multiply(inflow, enter, out=r0)
    np.multiply(x0, m0, out=r1)
    np.multiply(x1, m1, out=r2)
    np.multiply(x2, m2, out=r3)
    np.multiply(x3, m3, out=r4)
    t0, t1, t2, t3, out = np.add.reduce(terms, axis=0)
    return (t0, t1, t2, t3), out


def _stacked_coefficients(k):
    """The coefficients of :func:`_delay_coefficients` (arrays over a batch) stacked:
    ``enter`` (5, batch), what enters during the step reaches stages 0-3 or leaves (row 4);
    ``move[j]`` (5, batch), the share of stage ``j`` that reaches stage ``i`` or leaves; and
    the buffer (5, 5, batch) of :func:`_erlang_stacked` with its rows (reused every step)."""
    n = DELAY_STAGES
    moves, halves, leave, leave_half = k[:n], k[n:2 * n], k[2 * n:3 * n], k[3 * n]
    enter = np.array([*halves, leave_half])
    move = np.zeros((n, n + 1, *enter.shape[1:]))
    for j in range(n):
        for i in range(j, n):
            move[j, i] = moves[i - j]
        move[j, n] = leave[j]
    terms = np.empty((n + 1, *enter.shape))
    return enter, tuple(move), terms, tuple(terms)


def _delay_coefficients(kernel, half):
    """The 13 coefficients of :func:`_erlang` from :func:`~p2plib.outage.schedule.erlang_kernel`
    over a step and over half a step (floats, or arrays over a batch).

    ``kernel[m]``: share moving ``m`` stages ahead; ``leave[j]``: share of stage ``j`` that
    leaves; the same over half a step for what enters during the step (on average it has spent
    half of it in the delay).
    """
    n = DELAY_STAGES
    moves = [kernel[m] for m in range(n)]
    halves = [half[m] for m in range(n)]
    leave = [1.0 - sum(moves[:n - j]) for j in range(n)]
    leave_half = 1.0 - sum(halves)
    return (*moves, *halves, *leave, leave_half)


# -- the schedules of a run, stacked -------------------------------------------------------------

class _Stack:
    """The schedules of a batch, stacked: per-step rows and per-scenario constants.

    For one scenario (``batch=False``) every row is a list of Python floats and every constant
    a float; for a batch, rows are arrays (steps, batch) and constants arrays (batch,).
    """

    def __init__(self, schedules: list[Schedule], scenarios: list[Scenario], batch: bool):
        first = schedules[0]
        self.steps, self.dt = first.steps, first.dt
        self.substeps, self.sub_dt = first.substeps, first.sub_dt
        self.levels = max(sc.levels for sc in schedules)

        def const(values):
            return np.array(values, dtype=float) if batch else float(values[0])

        def rows(name):
            values = np.stack([getattr(sc, name) for sc in schedules], axis=1).astype(float)
            return values if batch else values[:, 0].tolist()

        for name in ("stay", "arrive", "reboot", "sn_reboot", "mega", "fixed", "demand"):
            setattr(self, name, rows(name))
        #: per step: does any scenario reboot machines / capable peers (phases 1-2 skip if not)
        self.reboots, self.sn_reboots = (
            np.asarray(getattr(self, name)).reshape(self.steps, -1).any(axis=1).tolist()
            for name in ("reboot", "sn_reboot"))
        padded = np.array([np.pad(sc.retry_exit, (0, self.levels - sc.levels), mode="edge")
                           for sc in schedules])  # (batch, levels): the last level repeats
        self.retry_exit = padded.T.copy() if batch else padded[0].tolist()
        for name in ("keep_patient", "login_cap", "login_cap_per_min", "timeout_min",
                     "keep_waiting", "keep_stale", "research", "capable", "threshold"):
            setattr(self, name, const([getattr(sc, name) for sc in schedules]))
        self.capacity = const([s.sn_capacity for s in scenarios])
        self.shutdown_mode = const([float(s.overload == "shutdown") for s in scenarios])
        self.admission = const([float(s.admission_control) for s in scenarios])
        self.timeout_work = self.login_cap_per_min * self.timeout_min  # served within timeout
        for name in ("down", "promote", "restart"):
            kernel, half = (np.stack([getattr(sc, f"{name}_{suffix}") for sc in schedules],
                                     axis=1) for suffix in ("kernel", "half"))
            if not batch:
                kernel, half = kernel[:, 0].tolist(), half[:, 0].tolist()
            coefficients = _delay_coefficients(kernel, half)
            setattr(self, name, _stacked_coefficients(coefficients) if batch else coefficients)


# -- the state of a run --------------------------------------------------------------------------

class _ScalarState:
    """The compartments of one scenario, as Python floats (per retry level: lists)."""

    __slots__ = ("cdown", "conn", "cool", "down", "live", "mconn", "orphans", "retry", "shut_prev",
                 "sn", "stale", "tracked", "young")
    erlang = staticmethod(_erlang_float)

    def __init__(self, p: _Stack):
        # start in the steady state of a normal day: every client connected (pool permitting)
        n0 = p.demand[0]
        self.sn = p.capable * 1.0
        self.conn = min(n0, self.sn * p.capacity)
        self.mconn = 0.0
        self.live = [0.0] * p.levels        # waiting at the login servers, by retry level
        self.stale = 0.0                    # queued requests nobody waits for any more
        self.retry = [0.0] * p.levels       # backing off, by the level that failed
        self.retry[0] = n0 - self.conn
        self.orphans = 0.0
        self.down = self.young = self.cool = self.cdown = (0.0,) * DELAY_STAGES
        self.tracked = n0
        self.shut_prev = 0.0

    def level_sums(self):
        """(live, retrying): summed over the retry levels."""
        return sum(self.live), sum(self.retry)

    def keep_levels(self, share):
        """Keep ``share`` of the clients at each retry level (live and retrying)."""
        self.live = [x * share for x in self.live]
        self.retry = [x * share for x in self.retry]


class _BatchState(_ScalarState):
    """The same compartments as arrays over a batch (per retry level: arrays (levels, batch))."""

    __slots__ = ()
    erlang = staticmethod(_erlang_stacked)

    def __init__(self, p: _Stack):
        n0 = p.demand[0]
        zero = np.zeros_like(n0)
        self.sn = p.capable * 1.0
        self.conn = np.minimum(n0, self.sn * p.capacity)
        self.mconn = self.stale = self.orphans = self.shut_prev = zero
        self.live = np.zeros((p.levels, len(n0)))
        self.retry = np.zeros((p.levels, len(n0)))
        self.retry[0] = n0 - self.conn
        self.down = self.young = self.cool = self.cdown = (zero,) * DELAY_STAGES
        self.tracked = n0

    def level_sums(self):
        return np.add.reduce(self.live, axis=0), np.add.reduce(self.retry, axis=0)

    def keep_levels(self, share):
        self.live = self.live * share
        self.retry = self.retry * share


# -- phases 1 and 2 (once per step; floats or arrays) ---------------------------------------------

def _observe(st, p: _Stack, t: int):
    """The state at the start of step ``t``: the record's columns, and the sums phase 1 needs.

    Returns (record head: columns 0-7, record tail: columns 12-15, connected, unserved,
    live_sum, young_sum, cool_sum).
    """
    live_sum, retry_sum = st.level_sums()
    connected = st.conn + st.mconn
    unserved = live_sum + retry_sum + st.orphans
    wanting = connected + unserved
    young_sum, cool_sum = sum(st.young), sum(st.cool)
    sn, shut_prev = st.sn, st.shut_prev
    # (shut_prev: shut down in the last step, entering the restart delay in this one)
    head = (p.demand[t], connected, wanting, sn, cool_sum + shut_prev, young_sum, p.mega[t],
            live_sum + st.stale)
    tail = (retry_sum, wanting + sum(st.down), st.tracked,
            sn + young_sum + cool_sum + sum(st.cdown) + shut_prev)
    return head, tail, connected, unserved, live_sum, young_sum, cool_sum


def _sessions(st, p: _Stack, t: int, connected, unserved, live_sum):
    """Phase 1: sessions end, users without service give up, machines reboot (and return).

    Returns (new sessions, machines back from a reboot) during the step.
    """
    keep_c = p.stay[t]
    keep_u = keep_c * p.keep_patient
    down_sum = sum(st.down)
    departures = (connected + down_sum) * (1 - keep_c) + unserved * (1 - keep_u)
    d0, d1, d2, d3 = st.down    # (a rebooting machine's session may end too)
    down = (d0 * keep_c, d1 * keep_c, d2 * keep_c, d3 * keep_c)
    h, rebooting = p.reboot[t], 0.0
    if p.reboots[t]:   # (outside the reboot windows nothing reboots: x (1 - 0) is x)
        rebooting = h * (connected * keep_c + unserved * keep_u)
        keep_c = keep_c * (1 - h)
        keep_u = keep_u * (1 - h)
    st.stale = st.stale + live_sum * (1 - keep_u)     # their queued requests go stale
    st.keep_levels(keep_u)
    st.orphans = st.orphans * keep_u
    st.conn = st.conn * keep_c
    st.mconn = st.mconn * keep_c
    arrivals = p.arrive[t]
    st.tracked = st.tracked + arrivals - departures
    st.down, returning = st.erlang(down, rebooting, p.down)
    return arrivals, returning


def _capable_peers(st, p: _Stack, t: int, young_sum, cool_sum) -> None:
    """Phase 2: capable peers reboot, prove their uptime and are promoted; supernodes shut
    down in the last step start their restart delay, those whose delay is over serve again."""
    hs = p.sn_reboot[t]
    young, cool, booted = st.young, st.cool, 0.0
    if p.sn_reboots[t]:
        booted = hs * (st.sn + young_sum + cool_sum)
        st.orphans = st.orphans + st.conn * hs
        st.conn = st.conn * (1 - hs)
        st.sn = st.sn * (1 - hs)
        y0, y1, y2, y3 = young
        young = (y0 * (1 - hs), y1 * (1 - hs), y2 * (1 - hs), y3 * (1 - hs))
        c0, c1, c2, c3 = cool
        cool = (c0 * (1 - hs), c1 * (1 - hs), c2 * (1 - hs), c3 * (1 - hs))
    erlang = st.erlang
    st.cdown, back = erlang(st.cdown, booted, p.down)
    st.young, promoted = erlang(young, back, p.promote)
    st.cool, restarted = erlang(cool, st.shut_prev, p.restart)
    st.sn = st.sn + promoted + restarted


# -- phases 3-6 on floats (one scenario) ---------------------------------------------------------

def _fast_one_level(st: _ScalarState, p: _Stack, t: int, new: float) -> tuple:
    """Phases 3-6 over the sub-steps of step ``t``: one scenario, one retry level, on floats.

    ``new``: attempts of new sessions and returning machines per sub-step. ``min``/``max`` are
    written as comparisons with the builtins' tie rules. Returns the step's login attempts,
    login goodput, supernode searches and overload shutdowns.
    """
    expm1, gammainc, tiny, window = math.expm1, _gammainc_float, _TINY, OVERLOAD_WINDOW_MIN
    login_cap, timeout_work, exit0 = p.login_cap, p.timeout_work, p.retry_exit[0]
    room0, admission, not_admission = timeout_work + p.login_cap, p.admission, 1 - p.admission
    give_up, keep_stale, research = 1 - p.keep_waiting, p.keep_stale, p.research
    capable, capacity, threshold, mega = p.capable, p.capacity, p.threshold, p.mega[t]
    active = p.shutdown_mode * (1 - p.fixed[t])
    cap_dt, neg_dt_active = capable * p.sub_dt, -p.sub_dt * active
    retry, live, stale, orphans = st.retry[0], st.live[0], st.stale, st.orphans
    conn, mconn, sn = st.conn, st.mconn, st.sn
    n_attempts = n_good = n_searches = n_shut = shut_prev = 0.0
    for _sub in range(p.substeps):
        # 3. login attempts: the retries due, new sessions, returning machines
        due = retry * exit0
        retry = retry - due
        attempts = due + new
        n_attempts = n_attempts + attempts
        # admission control: no stale work, no more than can be served within the timeout
        stale = stale * not_admission
        room = room0 - live
        x = 1 - (room if room > 0.0 else 0.0) / (tiny if tiny > attempts else attempts)
        reject = admission * (x if x > 0.0 else 0.0)
        failed, attempts = attempts * reject, attempts * (1 - reject)
        # 4. the login servers: oldest first; the head is still waited for w.p. exp(-W/T)
        waiting = live + attempts
        backlog = waiting + stale
        served = backlog if backlog < login_cap else login_cap
        head_alive = 1 + expm1(-(backlog - served) / timeout_work)
        good = waiting if waiting < served else served
        x, y = served * head_alive, served - stale
        x = y if y > x else x
        good = x if x < good else good
        stale = stale - (served - good)
        share = good / (tiny if tiny > waiting else waiting)
        x = live + attempts
        searchers, live = x * share, x * (1 - share)
        gave_up = live * give_up
        live, failed = live - gave_up, failed + gave_up
        stale = (stale + gave_up) * keep_stale
        # 5. supernode search: logged-in clients and orphans; overload shutdowns
        released = orphans * research
        orphans, searchers, n_search = orphans - released, searchers + released, good + released
        x = mega - mconn
        x = x if x > 0.0 else 0.0
        to_mega = x if x < n_search else n_search
        mconn, to_pool = mconn + to_mega, n_search - to_mega
        # a search contacts one address of the host cache: any capable peer, serving or not
        reached, shut = to_pool * sn / capable, 0.0
        if active:
            hazard = gammainc(threshold, to_pool / cap_dt * window) / window
            shut_share = -expm1(neg_dt_active * hazard)
            shut, orphaned = sn * shut_share, conn * shut_share
            conn, orphans, sn = conn - orphaned, orphans + orphaned, sn - shut
            shut_prev, reached = shut_prev + shut, reached * (1 - shut_share)
        x = sn * capacity - conn
        x = x if x > 0.0 else 0.0
        homed = x if x < reached else reached
        conn = conn + homed
        refused = (to_pool - homed) / (tiny if tiny > n_search else n_search)
        # 6. failures wait under the retry policy
        retry = retry + (failed + searchers * refused)
        n_good, n_searches, n_shut = n_good + good, n_searches + n_search, n_shut + shut
    st.retry[0], st.live[0], st.stale, st.orphans = retry, live, stale, orphans
    st.conn, st.mconn, st.sn, st.shut_prev = conn, mconn, sn, shut_prev
    return n_attempts, n_good, n_searches, n_shut


def _fast_levels(st: _ScalarState, p: _Stack, t: int, new: float) -> tuple:
    """Phases 3-6 over the sub-steps of step ``t``: one scenario, several retry levels.

    :func:`_fast_one_level` with the clients of each retry level in lists: a failure at level
    ``k`` waits at level ``k``, its next attempt is at level ``k + 1`` (the last repeats).
    """
    expm1, gammainc, tiny, window = math.expm1, _gammainc_float, _TINY, OVERLOAD_WINDOW_MIN
    levels, exits, retry, live = p.levels, p.retry_exit, st.retry, st.live
    after = [min(k + 1, levels - 1) for k in range(levels)]
    login_cap, timeout_work, room0 = p.login_cap, p.timeout_work, p.timeout_work + p.login_cap
    admission, not_admission, give_up = p.admission, 1 - p.admission, 1 - p.keep_waiting
    research, keep_stale = p.research, p.keep_stale
    capable, capacity, threshold, mega = p.capable, p.capacity, p.threshold, p.mega[t]
    active = p.shutdown_mode * (1 - p.fixed[t])
    cap_dt, neg_dt_active = capable * p.sub_dt, -p.sub_dt * active
    stale, orphans, conn, mconn, sn = st.stale, st.orphans, st.conn, st.mconn, st.sn
    n_attempts = n_good = n_searches = n_shut = shut_prev = 0.0
    for _sub in range(p.substeps):
        # 3. login attempts (the retries due move to the next level); admission control
        attempts = [0.0] * levels
        for k in range(levels):
            due = retry[k] * exits[k]
            retry[k] = retry[k] - due
            attempts[after[k]] = attempts[after[k]] + due
        attempts[0] = attempts[0] + new
        n_sub = sum(attempts)
        n_attempts = n_attempts + n_sub
        stale, live_sum = stale * not_admission, sum(live)
        room = room0 - live_sum
        x = 1 - (room if room > 0.0 else 0.0) / (tiny if tiny > n_sub else n_sub)
        reject = admission * (x if x > 0.0 else 0.0)
        failed = [a * reject for a in attempts]
        attempts = [a * (1 - reject) for a in attempts]
        # 4. the login servers (as in _fast_one_level)
        waiting = live_sum + sum(attempts)
        backlog = waiting + stale
        served = backlog if backlog < login_cap else login_cap
        head_alive = 1 + expm1(-(backlog - served) / timeout_work)
        good = waiting if waiting < served else served
        x, y = served * head_alive, served - stale
        x = y if y > x else x
        good = x if x < good else good
        stale = stale - (served - good)
        share = good / (tiny if tiny > waiting else waiting)
        # 5. supernode search (as in _fast_one_level)
        released = orphans * research
        orphans, n_search = orphans - released, good + released
        x = mega - mconn
        x = x if x > 0.0 else 0.0
        to_mega = x if x < n_search else n_search
        mconn, to_pool = mconn + to_mega, n_search - to_mega
        reached, shut = to_pool * sn / capable, 0.0
        if active:
            hazard = gammainc(threshold, to_pool / cap_dt * window) / window
            shut_share = -expm1(neg_dt_active * hazard)
            shut, orphaned = sn * shut_share, conn * shut_share
            conn, orphans, sn = conn - orphaned, orphans + orphaned, sn - shut
            shut_prev, reached = shut_prev + shut, reached * (1 - shut_share)
        x = sn * capacity - conn
        x = x if x > 0.0 else 0.0
        homed = x if x < reached else reached
        conn = conn + homed
        refused = (to_pool - homed) / (tiny if tiny > n_search else n_search)
        # 4-6 per level: searchers and time-outs leave the queue; failures wait (retry policy)
        gave_up_sum, keep = 0, 1 - share
        for k in range(levels):
            x = live[k] + attempts[k]
            searchers, kept = x * share, x * keep
            if k == 0:
                searchers = searchers + released
            gave_up = kept * give_up
            live[k], gave_up_sum = kept - gave_up, gave_up_sum + gave_up
            retry[k] = retry[k] + (failed[k] + gave_up + searchers * refused)
        stale = (stale + gave_up_sum) * keep_stale
        n_good, n_searches, n_shut = n_good + good, n_searches + n_search, n_shut + shut
    st.stale, st.orphans, st.conn, st.mconn, st.sn = stale, orphans, conn, mconn, sn
    st.shut_prev = shut_prev
    return n_attempts, n_good, n_searches, n_shut


# -- phases 3-6 on arrays (a batch of scenarios) -------------------------------------------------

def _next_attempts(due, new):
    """Login attempts per retry level (rows) from the retries due at each level: a retry due
    at level ``k`` is an attempt at level ``k + 1`` (the last repeats); ``new`` at level 0."""
    attempts = np.zeros_like(due)
    attempts[1:] = due[:-1]
    attempts[-1] = attempts[-1] + due[-1]
    attempts[0] = attempts[0] + new
    return attempts


def _fast_batch(st: _BatchState, p: _Stack, t: int, new) -> tuple:
    """Phases 3-6 over the sub-steps of step ``t`` for a batch: :func:`_fast_levels` on arrays.

    The retry levels are the rows of arrays (levels, batch); scipy's ``expm1`` (a plain C loop)
    stands for numpy's ``exp``, whose vectorised loops round last bits differently with and
    without AVX-512 (tests/test_determinism.py).
    """
    expm1, minimum, maximum, tiny = special.expm1, np.minimum, np.maximum, _TINY
    exits, retry, live, one_level = p.retry_exit, st.retry, st.live, p.levels == 1
    level_sum = itemgetter(0) if one_level else partial(np.add.reduce, axis=0)
    login_cap, timeout_work, room0 = p.login_cap, p.timeout_work, p.timeout_work + p.login_cap
    admission, not_admission, give_up = p.admission, 1 - p.admission, 1 - p.keep_waiting
    capable, capacity, threshold, window = p.capable, p.capacity, p.threshold, OVERLOAD_WINDOW_MIN
    cap_dt, mega, active = capable * p.sub_dt, p.mega[t], p.shutdown_mode * (1 - p.fixed[t])
    neg_dt_active, any_active = -p.sub_dt * active, bool(active.any())
    stale, orphans, conn, mconn, sn = st.stale, st.orphans, st.conn, st.mconn, st.sn
    n_attempts = n_good = n_searches = n_shut = shut_prev = 0.0
    for _sub in range(p.substeps):
        # 3. login attempts (the retries due move to the next level); admission control
        due = retry * exits
        retry = retry - due
        attempts = due + new if one_level else _next_attempts(due, new)
        n_sub_attempts = level_sum(attempts)
        n_attempts = n_attempts + n_sub_attempts
        stale, live_sum = stale * not_admission, level_sum(live)
        room = maximum(0.0, room0 - live_sum)
        reject = admission * maximum(0.0, 1 - room / maximum(n_sub_attempts, tiny))
        failed, attempts = attempts * reject, attempts * (1 - reject)
        # 4. the login servers: oldest first; the head is still waited for w.p. exp(-W/T)
        waiting = live_sum + level_sum(attempts)
        backlog = waiting + stale
        served = minimum(login_cap, backlog)
        head_alive = 1 + expm1(-(backlog - served) / timeout_work)
        good = minimum(minimum(served, waiting), maximum(served * head_alive, served - stale))
        stale = stale - (served - good)
        share = good / maximum(waiting, tiny)
        x = live + attempts
        searchers, live = x * share, x * (1 - share)
        gave_up = live * give_up
        live, failed = live - gave_up, failed + gave_up
        stale = (stale + level_sum(gave_up)) * p.keep_stale
        # 5. supernode search: logged-in clients and orphans; overload shutdowns
        released = orphans * p.research
        orphans, n_search = orphans - released, good + released
        searchers[0] = searchers[0] + released
        to_mega = minimum(n_search, maximum(0.0, mega - mconn))
        mconn, to_pool = mconn + to_mega, n_search - to_mega
        reached, shut_share = to_pool * sn / capable, 0.0
        if any_active:
            hazard = special.gammainc(threshold, to_pool / cap_dt * window) / window
            shut_share = -expm1(neg_dt_active * hazard)
        shut, orphaned = sn * shut_share, conn * shut_share
        conn, orphans, sn = conn - orphaned, orphans + orphaned, sn - shut
        shut_prev = shut_prev + shut
        homed = minimum(reached * (1 - shut_share), maximum(0.0, sn * capacity - conn))
        conn = conn + homed
        refused = (to_pool - homed) / maximum(n_search, tiny)
        # 6. failures wait under the retry policy
        retry = retry + (failed + searchers * refused)
        n_good, n_searches, n_shut = n_good + good, n_searches + n_search, n_shut + shut
    st.retry, st.live, st.stale, st.orphans = retry, live, stale, orphans
    st.conn, st.mconn, st.sn, st.shut_prev = conn, mconn, sn, shut_prev
    return n_attempts, n_good, n_searches, n_shut


# -- the run -------------------------------------------------------------------------------------

def _run(p: _Stack, st, fast):
    """Every step: observe, phases 1 and 2, then the fast loop; yields the record's rows."""
    n_sub = p.substeps
    for t in range(p.steps):
        head, tail, connected, unserved, live_sum, young_sum, cool_sum = _observe(st, p, t)
        arrivals, returning = _sessions(st, p, t, connected, unserved, live_sum)
        _capable_peers(st, p, t, young_sum, cool_sum)
        counts = fast(st, p, t, (arrivals + returning) / n_sub)
        yield head + counts + tail


def _record_batch(rows, steps: int, size: int, block: int = 256) -> np.ndarray:
    """The rows of a batch run (tuples of arrays over the batch) as one array (steps, series,
    batch), copied in blocks of ``block`` steps (one numpy call per block, bounded memory)."""
    rec = np.empty((steps, len(SERIES), size))
    pending, t = [], 0
    for row in rows:
        pending.extend(row)
        if len(pending) == block * len(SERIES):
            rec[t:t + block] = np.concatenate(pending).reshape(block, len(SERIES), size)
            pending, t = [], t + block
    if pending:
        rec[t:] = np.concatenate(pending).reshape(steps - t, len(SERIES), size)
    return rec


def simulate_aggregate(scenarios: list[Scenario], engine: str = "auto") -> list[dict]:
    """Run the aggregate model for scenarios that share ``days`` and ``step_min``.

    Parameters
    ----------
    scenarios : list of Scenario
        The scenarios, all with the same number of steps and the same step.
    engine : {"auto", "floats", "arrays"}
        ``"floats"``: each scenario on its own, on Python floats (the fastest for one run and
        for a few); ``"arrays"``: one pass over the steps for all of them, on numpy arrays over
        the batch (the fastest for many: numpy's cost per call is then shared). ``"auto"``:
        ``"arrays"`` from :data:`ARRAYS_FROM` ``+ 4 x substeps`` scenarios on (16 at
        1-minute steps, 32 at 5-minute steps), ``"floats"`` below.
        The two agree to rounding (tests/test_outage_numerics.py). Memory of ``"arrays"``:
        about ``2 x steps x 16 x 8`` bytes per scenario (the record and its copy: 1.8 MB per
        scenario for 5 days of 1-minute steps, 0.4 MB for 5-minute steps).

    Returns
    -------
    list of dict
        Per scenario, :data:`SERIES` name -> numpy array (one value per step: counts of
        clients or supernodes; for the flows ``login_attempts``, ``login_goodput``,
        ``sn_requests`` and ``sn_shutdowns``, counts per step) and ``"hours"`` (start of each
        step, hours).

    References
    ----------
    Course model (chapter 03): a mean-field compartment model of the 2007 and 2010 Skype
    outages (Skype's statements of 2007 and post-mortem of 2010), with the retry policies of
    Brooker, "Exponential Backoff and Jitter" (AWS, 2015), and Erlang delays (the linear
    chain trick; Hurtado & Kirosingh, J. Math. Biol. 79, 2019).

    Examples
    --------
    >>> a, b = simulate_aggregate([Scenario(online_peers=1e4, days=0.5, step_min=5),
    ...                            Scenario(online_peers=2e4, days=0.5, step_min=5)])
    >>> round(float(b["connected"][10] / a["connected"][10]), 6)
    2.0
    """
    if not scenarios or not all(isinstance(s, Scenario) for s in scenarios):
        raise TypeError("scenarios must be a non-empty list of Scenario")
    engine = check_choice("engine", engine, ENGINES)
    if len({(s.steps, s.step_min) for s in scenarios}) != 1:
        raise ValueError("scenarios must share days and step_min to run as one batch")
    schedules = [build_schedule(s) for s in scenarios]
    substeps = schedules[0].substeps
    if engine == "arrays" or (engine == "auto"
                              and len(scenarios) >= ARRAYS_FROM + 4 * substeps):
        p = _Stack(schedules, scenarios, batch=True)
        rec = _record_batch(_run(p, _BatchState(p), _fast_batch), p.steps, len(scenarios))
        parts = [rec[..., i] for i in range(len(scenarios))]   # rec: (steps, series, batch)
    else:
        parts = []
        for schedule, s in zip(schedules, scenarios, strict=True):
            p = _Stack([schedule], [s], batch=False)
            fast = _fast_one_level if p.levels == 1 else _fast_levels
            parts.append(np.array(list(_run(p, _ScalarState(p), fast)), dtype=float))
    out = []
    for part, schedule in zip(parts, schedules, strict=True):
        series = {name: part[:, j].copy() for j, name in enumerate(SERIES)}
        series["hours"] = schedule.hours
        out.append(series)
    return out
