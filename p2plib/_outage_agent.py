"""The agent (per-peer) outage model: every peer and supernode, with random draws.

The rules are those of :mod:`p2plib.outage` (where :func:`p2plib.outage.simulate` is the entry
point); the aggregate model (:mod:`p2plib._outage_aggregate`) is its large-population limit.
"""

from __future__ import annotations

import math

import numpy as np

from p2plib.outage import OutageResult, Scenario, _result, _schedule

_OFF, _CONN_REG, _CONN_MEGA, _QUEUE, _WAIT, _DOWN, _ORPHAN = range(7)
_SN, _YOUNG, _COOL, _CDOWN = range(4)


def simulate_agent(s: Scenario, rng: np.random.Generator) -> OutageResult:
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
