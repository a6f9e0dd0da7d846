"""The aggregate (mean-field) outage model: expected counts of every compartment, minute by minute.

Its cost does not depend on the number of peers. The rules are those of :mod:`p2plib.outage`
(where :func:`p2plib.outage.simulate` is the entry point); the agent model
(:mod:`p2plib._outage_agent`) follows the same rules peer by peer.
"""

from __future__ import annotations

import numpy as np

from p2plib.outage import OutageResult, Scenario, _overload_fractions, _result, _schedule

_add = np.add.reduce  # (sums without the ndarray.sum wrapper: the loop runs 10^4 times)
_SERIES = ("served", "wanting", "connected", "sn", "mega", "queue", "attempts", "goodput",
           "requests", "shutdowns", "retrying", "total", "tracked", "capable")


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
        good = _add(share[:timeout, None] * live, 0)   # (not `@`: see simulate_aggregate)
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


def simulate_aggregate(s: Scenario) -> OutageResult:
    p = _schedule(s)
    steps, kernel, first = p["steps"], p["kernel"], p["first"]
    levels, max_delay = kernel.shape[0], kernel.shape[1]
    # The retry kernel as its non-zero entries (most of it is zero), spread with bincount. Not
    # `failed @ kernel`: BLAS picks its kernels by CPU and they round the last bits differently
    # (tests/test_determinism.py runs a second set), and this model's tipping points can turn a
    # last-bit difference into another outcome. bincount adds in one fixed order everywhere.
    kernel_from, kernel_to = np.nonzero(kernel.reshape(levels, -1))
    kernel_share = kernel.reshape(levels, -1)[kernel_from, kernel_to]
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
                wait += np.bincount(kernel_to, weights=failed[kernel_from] * kernel_share,
                                    minlength=max_delay * levels).reshape(max_delay, levels)
        rec[t, 6:10] = (n_attempts, n_good, n_search, shut)
    out = dict(zip(_SERIES, rec.T.copy(), strict=True))
    return _result(s, "aggregate", p, out)
