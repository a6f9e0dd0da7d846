"""The agent engine: every client and every supernode-capable peer, with random draws.

It follows the phases of :mod:`p2plib.outage.aggregate` with the same
:class:`~p2plib.outage.schedule.Schedule`: each agent leaves a compartment with the
probability the aggregate engine moves as a share (``1 - exp(-rate dt)``), Erlang delays
advance by draws from the same exact kernel, the login servers serve whole requests, and
arrivals are Poisson. The aggregate engine is its large-population limit (Kurtz 1970), so the two
agree up to fluctuations of order ``1 / sqrt(peers)`` away from tipping points; through a
tipping point they agree in distribution (tests/test_outage_agent.py).

Examples
--------
>>> from p2plib.outage.scenario import Scenario
>>> s = Scenario(online_peers=2_000, days=0.25, step_min=5)
>>> series = simulate_agent(s, seed=1)
>>> bool(series["connected"][-1] > 0.95 * series["demand"][-1])
True
"""

from __future__ import annotations

import math

import numpy as np

from p2plib._validate import as_rng
from p2plib.outage.aggregate import SERIES
from p2plib.outage.scenario import DELAY_STAGES, Scenario
from p2plib.outage.schedule import build_schedule, overload_hazard

__all__ = ["simulate_agent"]

OFF, CONN_REG, CONN_MEGA, LIVE, RETRY, ORPHAN, DOWN, SEARCHING = range(8)
SN, YOUNG, COOL, CDOWN = range(4)


def _advance(stage, new, u, cum_full, cum_half):
    """Erlang stages passed in one step: ``stage + draws``; ``>= DELAY_STAGES`` leaves."""
    step = np.searchsorted(cum_full, u, side="right")
    if new.any():
        step[new] = np.searchsorted(cum_half, u[new], side="right")
    return stage + step


def simulate_agent(s: Scenario, seed=None) -> dict:
    """Run the agent model for one scenario.

    Parameters
    ----------
    s : Scenario
    seed : None, int or numpy.random.Generator
        The randomness.

    Returns
    -------
    dict
        :data:`~p2plib.outage.aggregate.SERIES` name -> numpy array (one value per step) and
        ``"hours"``.
    """
    if not isinstance(s, Scenario):
        raise TypeError(f"s must be a Scenario, got {type(s).__name__}")
    rng = as_rng(seed)
    p = build_schedule(s)
    steps, levels = p.steps, p.levels
    n_sub, sub_dt = p.substeps, p.sub_dt
    stages = DELAY_STAGES
    cum = {name: np.cumsum(getattr(p, name)[:stages]) for name in (
        "down_kernel", "down_half", "promote_kernel", "promote_half", "restart_kernel",
        "restart_half")}
    capacity = s.sn_capacity
    shutdown_mode = s.overload == "shutdown"
    timeout_work = p.login_cap_per_min * p.timeout_min
    room_int = math.floor(timeout_work + p.login_cap + 1e-9)  # served now + within the timeout
    retry_exit = p.retry_exit

    slots = int(p.demand.max() * 1.05 + 8 * math.sqrt(p.demand.max()) + 200)
    state = np.zeros(slots, np.int8)
    level = np.zeros(slots, np.int8)
    stage = np.zeros(slots, np.int8)
    home = np.zeros(slots, np.int64)
    n_cap = max(1, round(p.capable))
    c_state = np.full(n_cap, SN, np.int8)
    c_stage = np.zeros(n_cap, np.int8)
    c_new = np.zeros(n_cap, bool)
    stale = 0
    credit = 0.0

    n0 = min(int(rng.poisson(p.demand[0])), slots)
    room = int(n_cap * capacity)
    conn0 = min(n0, room)
    state[:conn0] = CONN_REG
    home[:conn0] = rng.integers(0, n_cap, conn0)
    state[conn0:n0] = RETRY
    tracked = n0
    arrivals_all = rng.poisson(p.arrive)
    mega_slots = np.floor(p.mega + 1e-9).astype(np.int64)
    rec = np.empty((steps, len(SERIES)))

    for t in range(steps):
        counts = np.bincount(state, minlength=8)
        c_counts = np.bincount(c_state, minlength=4)
        connected = counts[CONN_REG] + counts[CONN_MEGA]
        unserved = counts[LIVE] + counts[RETRY] + counts[ORPHAN]
        wanting = connected + unserved
        rec[t, :8] = (p.demand[t], connected, wanting, c_counts[SN], c_counts[COOL],
                      c_counts[YOUNG], p.mega[t], counts[LIVE] + stale)
        rec[t, 12:] = (counts[RETRY], wanting + counts[DOWN], tracked, n_cap)

        # 1. sessions end, users without service give up, machines reboot
        keep_c = p.stay[t]
        keep_u = keep_c * p.keep_patient
        h = p.reboot[t]
        u = rng.random(slots)
        v = rng.random(slots)
        conn_mask = (state == CONN_REG) | (state == CONN_MEGA)
        unserved_mask = (state == LIVE) | (state == RETRY) | (state == ORPHAN)
        is_down = state == DOWN
        keep = np.where(conn_mask | is_down, keep_c, keep_u)
        active = conn_mask | unserved_mask
        leaving = (active | is_down) & (u >= keep)
        booting = active & (u < keep * h)
        stale += int(np.count_nonzero((leaving | booting) & (state == LIVE)))
        state[leaving] = OFF
        state[booting] = DOWN
        stage[booting] = 0
        tracked -= int(np.count_nonzero(leaving))
        # rebooting machines wait out their downtime (Erlang stages, exact kernel)
        down = np.flatnonzero(state == DOWN)
        moved = _advance(stage[down], booting[down], v[down], cum["down_kernel"],
                         cum["down_half"])
        back = moved >= stages
        stage[down] = np.minimum(moved, stages - 1)
        returning = down[back]
        level[returning] = 0  # (still DOWN: they log in below, spread over the sub-steps)

        # 2. capable peers: reboots, promotion after uptime, restart after a shutdown
        hs = p.sn_reboot[t]
        cu = rng.random(n_cap)
        cv = rng.random(n_cap)
        dead = np.zeros(n_cap, bool)
        if hs > 0:
            hit = (c_state != CDOWN) & (cu < hs)
            dead |= hit & (c_state == SN)
            c_state[hit] = CDOWN
            c_stage[hit] = 0
            c_new[hit] = True
        for chain, kernel, to in ((CDOWN, "down", YOUNG), (YOUNG, "promote", SN),
                                  (COOL, "restart", SN)):
            idx = np.flatnonzero(c_state == chain)
            if not len(idx):
                continue
            moved = _advance(c_stage[idx], c_new[idx], cv[idx], cum[f"{kernel}_kernel"],
                             cum[f"{kernel}_half"])
            c_new[idx] = False
            out = moved >= stages
            c_stage[idx] = np.minimum(moved, stages - 1)
            leave = idx[out]
            c_state[leave] = to
            c_stage[leave] = 0
            c_new[leave] = to != SN
        if dead.any():
            orphaned = (state == CONN_REG) & dead[home]
            state[orphaned] = ORPHAN

        n_attempts = n_good = n_searches = n_shut = 0
        new_per_sub = np.diff(np.linspace(0, int(arrivals_all[t]), n_sub + 1).round().astype(int))
        returning_by_sub = np.array_split(rng.permutation(returning), n_sub)
        for sub in range(n_sub):
            # 3. login attempts: retries due (at the next level), new sessions, returning machines
            retrying = np.flatnonzero(state == RETRY)
            due = retrying[rng.random(len(retrying)) < retry_exit[level[retrying]]]
            level[due] = np.minimum(level[due] + 1, levels - 1)
            n_new = new_per_sub[sub]
            free = np.flatnonzero(state == OFF)[:n_new]
            tracked += len(free)
            level[free] = 0
            attempts = np.concatenate([due, free, returning_by_sub[sub]])
            n_attempts += len(attempts)
            queue_before = np.flatnonzero(state == LIVE)
            if s.admission_control:
                stale = 0
                room_now = max(0, room_int - len(queue_before))
                if n_attempts > room_now:
                    attempts = rng.permutation(attempts)
                    state[attempts[room_now:]] = RETRY
                    attempts = attempts[:room_now]
            state[attempts] = LIVE

            # 4. the login servers: oldest first; the head is still waited for w.p. exp(-W/T)
            credit += p.login_cap
            budget = int(credit)
            credit -= budget
            queue = np.concatenate([queue_before, attempts])
            waiting = len(queue)
            backlog = waiting + stale
            served = min(budget, backlog)
            head_alive = math.exp(-(backlog - served) / timeout_work)
            good = int(rng.binomial(served, head_alive)) if served else 0
            good = min(min(served, waiting), max(good, served - stale))
            n_good += good
            stale -= served - good
            got_in = rng.choice(queue, size=good, replace=False) if good < waiting else queue
            state[got_in] = SEARCHING
            still = np.flatnonzero(state == LIVE)
            timed_out = still[rng.random(len(still)) >= p.keep_waiting]
            state[timed_out] = RETRY
            stale += len(timed_out)
            stale = int(rng.binomial(stale, p.keep_stale)) if stale else 0

            # 5. supernode search: logged-in clients and orphans; overload shutdowns
            orphans = np.flatnonzero(state == ORPHAN)
            released = orphans[rng.random(len(orphans)) < p.research]
            level[released] = 0
            state[released] = SEARCHING
            searchers = rng.permutation(np.concatenate([got_in, released]))
            n_search = len(searchers)
            n_searches += n_search
            n_mega = int(np.count_nonzero(state == CONN_MEGA))
            to_mega = searchers[:max(0, min(n_search, mega_slots[t] - n_mega))]
            state[to_mega] = CONN_MEGA
            rest = searchers[len(to_mega):]
            target = rng.integers(0, n_cap, len(rest))
            rate = len(rest) / (n_cap * sub_dt)
            shut_share = 0.0
            if shutdown_mode and not p.fixed[t]:
                shut_share = -math.expm1(-sub_dt * float(overload_hazard(rate, p.threshold)))
            alive = c_state == SN
            shut = alive & (rng.random(n_cap) < shut_share)
            n_shut_sub = int(np.count_nonzero(shut))
            n_shut += n_shut_sub
            if n_shut_sub:
                c_state[shut] = COOL
                c_stage[shut] = 0
                c_new[shut] = True
                orphaned = (state == CONN_REG) & shut[home]
                state[orphaned] = ORPHAN
            reached = rest[c_state[target] == SN]
            homes = target[c_state[target] == SN]
            n_conn = int(np.count_nonzero(state == CONN_REG))
            free_slots = max(0, int(np.count_nonzero(c_state == SN) * capacity) - n_conn)
            state[reached[:free_slots]] = CONN_REG
            home[reached[:free_slots]] = homes[:free_slots]
            # 6. failures wait under the retry policy
            state[state == SEARCHING] = RETRY
        rec[t, 8:12] = (n_attempts, n_good, n_searches, n_shut)
    out = {name: rec[:, j].copy() for j, name in enumerate(SERIES)}
    out["hours"] = p.hours
    return out
