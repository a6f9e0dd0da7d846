"""The agent engine: every client and every supernode-capable peer, with random draws.

It follows the phases of :mod:`p2plib.outage.aggregate` with the same
:class:`~p2plib.outage.schedule.Schedule`: each agent leaves a compartment with the
probability the aggregate engine moves as a share (``1 - exp(-rate dt)``), Erlang delays
advance by draws from the same exact kernel, the login servers serve whole requests, and
arrivals are Poisson. The aggregate engine is its large-population limit (Kurtz 1970), so the two
agree up to fluctuations of order ``1 / sqrt(peers)`` away from tipping points; through a
tipping point they agree in distribution (tests/test_outage_agent.py). Near one, a run tips
when its own supernode pool at the daily peak is below the aggregate's critical pool (about
0.75 of the capable peers in the 2007 preset); the pool scatters binomially over the ``K``
capable peers (sd ``sqrt(a (1 - a) / K)``), so a run tips with probability
``Phi((0.75 - a) / sd)``: at the 2007 preset with 10^5 peers (``K`` = 333, ``a`` = 0.733),
about 3 runs in 4 (benchmarks/bench_outage_agent.py --tipping).

One step is a sequence of named phases over a small mutable state (:class:`_Peers`), in the
order of the aggregate engine's phases:

1. :func:`_end_sessions`: sessions end, users without service give up, machines reboot and
   wait out their downtime;
2. :func:`_capable_peers`: capable peers reboot, prove uptime and are promoted; supernodes
   that shut down restart;
3. to 6., in each sub-step of the fast loop (:func:`_fast_loop`): :func:`_login_attempts`,
   :func:`_login_servers`, :func:`_supernode_search` (with the overload shutdowns), and the
   failures wait under the retry policy.

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
from dataclasses import dataclass

import numpy as np

from p2plib._validate import as_rng
from p2plib.outage.aggregate import SERIES
from p2plib.outage.scenario import DELAY_STAGES, Scenario
from p2plib.outage.schedule import Schedule, build_schedule, overload_hazard

__all__ = ["simulate_agent"]

# client states (one per client slot) and capable-peer states
OFF, CONN_REG, CONN_MEGA, LIVE, RETRY, ORPHAN, DOWN, SEARCHING = range(8)
SN, YOUNG, COOL, CDOWN = range(4)

_KERNELS = ("down_kernel", "down_half", "promote_kernel", "promote_half", "restart_kernel",
            "restart_half")


@dataclass(frozen=True, eq=False)
class _Rules:
    """What one run needs besides the schedule: per-scenario constants, in whole agents."""

    cum: dict            # cumulative Erlang kernels (stages passed in one step / half a step)
    capacity: float      # clients per supernode
    shutdown_mode: bool  # overload="shutdown"
    admission: bool      # login admission control
    timeout_work: float  # requests the login servers complete within the client timeout
    room_int: int        # requests admitted: served now + within the timeout
    n_cap: int           # supernode-capable peers (whole peers)
    slots: int           # client slots (the most clients ever online, with Poisson margin)
    mega_slots: np.ndarray  # whole mega-supernode slots per step


@dataclass(eq=False)
class _Peers:
    """The mutable state of one run: every client slot and every capable peer."""

    state: np.ndarray    # client state per slot (OFF, CONN_REG, ...)
    level: np.ndarray    # retry level of the client's next attempt
    stage: np.ndarray    # Erlang stage of a rebooting client's downtime
    home: np.ndarray     # capable peer a CONN_REG client is homed on
    c_state: np.ndarray  # capable-peer state (SN, YOUNG, COOL, CDOWN)
    c_stage: np.ndarray  # Erlang stage of the capable peer's current delay
    c_new: np.ndarray    # entered its delay during this step (advances by the half kernel)
    tracked: int         # clients online (wanting service or rebooting)
    stale: int = 0       # queued login requests nobody waits for any more
    credit: float = 0.0  # login capacity carried over to the next sub-step (fractions)
    # scratch buffers of phase 1, one value per slot, reused every step: freeing and
    # re-allocating them each step costs a page fault per 4 kB (measured: twice the run time)
    u: np.ndarray = None
    v: np.ndarray = None
    keep: np.ndarray = None
    bar: np.ndarray = None

    def __post_init__(self):
        for name in ("u", "v", "keep", "bar"):
            setattr(self, name, np.empty(len(self.state)))


@dataclass(eq=False)
class _Tally:
    """Counts of one step: login attempts, logins served, supernode searches, shutdowns."""

    attempts: int = 0
    good: int = 0
    searches: int = 0
    shutdowns: int = 0


def _advance(stage, new, u, cum_full, cum_half):
    """Erlang stages passed in one step: ``stage + draws``; ``>= DELAY_STAGES`` leaves."""
    step = np.searchsorted(cum_full, u, side="right")
    if new.any():
        step[new] = np.searchsorted(cum_half, u[new], side="right")
    return stage + step


def _rules(s: Scenario, p: Schedule) -> _Rules:
    """The run's constants; the slots hold the highest demand with a Poisson margin."""
    timeout_work = p.login_cap_per_min * p.timeout_min
    peak = p.demand.max()
    return _Rules(
        cum={name: np.cumsum(getattr(p, name)[:DELAY_STAGES]) for name in _KERNELS},
        capacity=s.sn_capacity, shutdown_mode=s.overload == "shutdown",
        admission=bool(s.admission_control), timeout_work=timeout_work,
        room_int=math.floor(timeout_work + p.login_cap + 1e-9),
        n_cap=max(1, round(p.capable)),
        slots=int(peak * 1.05 + 8 * math.sqrt(peak) + 200),
        mega_slots=np.floor(p.mega + 1e-9).astype(np.int64))


def _initial_state(p: Schedule, c: _Rules, rng) -> _Peers:
    """A normal day's steady state: every client connected, as far as the pool has room."""
    st = _Peers(state=np.zeros(c.slots, np.int8), level=np.zeros(c.slots, np.int8),
                stage=np.zeros(c.slots, np.int8), home=np.zeros(c.slots, np.int64),
                c_state=np.full(c.n_cap, SN, np.int8), c_stage=np.zeros(c.n_cap, np.int8),
                c_new=np.zeros(c.n_cap, bool), tracked=0)
    n0 = min(int(rng.poisson(p.demand[0])), c.slots)
    conn0 = min(n0, int(c.n_cap * c.capacity))
    st.state[:conn0] = CONN_REG
    st.home[:conn0] = rng.integers(0, c.n_cap, conn0)
    st.state[conn0:n0] = RETRY
    st.tracked = n0
    return st


def _record(row, st: _Peers, p: Schedule, c: _Rules, t: int) -> None:
    """Write the state at the start of step ``t`` into ``row`` (the :data:`SERIES` order)."""
    counts = np.bincount(st.state, minlength=8)
    c_counts = np.bincount(st.c_state, minlength=4)
    connected = counts[CONN_REG] + counts[CONN_MEGA]
    wanting = connected + counts[LIVE] + counts[RETRY] + counts[ORPHAN]
    row[:8] = (p.demand[t], connected, wanting, c_counts[SN], c_counts[COOL], c_counts[YOUNG],
               p.mega[t], counts[LIVE] + st.stale)
    row[12:] = (counts[RETRY], wanting + counts[DOWN], st.tracked, c.n_cap)


def _end_sessions(st: _Peers, p: Schedule, c: _Rules, t: int, rng) -> np.ndarray:
    """Phase 1: sessions end, users without service give up, machines reboot.

    Rebooting machines wait out their downtime (Erlang stages, exact kernel). Returns the
    slots whose downtime ends in this step: they stay DOWN and log in during the fast loop.
    """
    state = st.state
    keep_c = p.stay[t]
    keep_u = keep_c * p.keep_patient
    u = rng.random(out=st.u)
    v = rng.random(out=st.v)
    conn_mask = (state == CONN_REG) | (state == CONN_MEGA)
    unserved_mask = (state == LIVE) | (state == RETRY) | (state == ORPHAN)
    is_down = state == DOWN
    keep = st.keep
    keep.fill(keep_u)
    keep[conn_mask | is_down] = keep_c
    active = conn_mask | unserved_mask
    leaving = (active | is_down) & (u >= keep)
    booting = active & (u < np.multiply(keep, p.reboot[t], out=st.bar))
    st.stale += int(np.count_nonzero((leaving | booting) & (state == LIVE)))
    state[leaving] = OFF
    state[booting] = DOWN
    st.stage[booting] = 0
    st.tracked -= int(np.count_nonzero(leaving))
    down = np.flatnonzero(state == DOWN)
    moved = _advance(st.stage[down], booting[down], v[down], c.cum["down_kernel"],
                     c.cum["down_half"])
    st.stage[down] = np.minimum(moved, DELAY_STAGES - 1)
    returning = down[moved >= DELAY_STAGES]
    st.level[returning] = 0
    return returning


def _capable_peers(st: _Peers, p: Schedule, c: _Rules, t: int, rng) -> None:
    """Phase 2: capable peers reboot, prove uptime and are promoted; shut-down ones restart.

    Clients homed on a supernode that reboots are orphaned.
    """
    c_state, c_stage, c_new = st.c_state, st.c_stage, st.c_new
    hs = p.sn_reboot[t]
    cu = rng.random(c.n_cap)
    cv = rng.random(c.n_cap)
    dead = None
    if hs > 0:
        hit = (c_state != CDOWN) & (cu < hs)
        dead = hit & (c_state == SN)
        c_state[hit] = CDOWN
        c_stage[hit] = 0
        c_new[hit] = True
    for chain, kernel, to in ((CDOWN, "down", YOUNG), (YOUNG, "promote", SN),
                              (COOL, "restart", SN)):
        idx = np.flatnonzero(c_state == chain)
        if not len(idx):
            continue
        moved = _advance(c_stage[idx], c_new[idx], cv[idx], c.cum[f"{kernel}_kernel"],
                         c.cum[f"{kernel}_half"])
        c_new[idx] = False
        c_stage[idx] = np.minimum(moved, DELAY_STAGES - 1)
        leave = idx[moved >= DELAY_STAGES]
        c_state[leave] = to
        c_stage[leave] = 0
        c_new[leave] = to != SN
    if dead is not None and dead.any():
        st.state[(st.state == CONN_REG) & dead[st.home]] = ORPHAN


def _login_attempts(st: _Peers, p: Schedule, c: _Rules, n_new: int, returning: np.ndarray,
                    tally: _Tally, rng) -> tuple[np.ndarray, np.ndarray]:
    """Phase 3: retries due (at the next level), new sessions, returning machines.

    Admission control turns away (back to RETRY) what the login servers cannot serve within
    the timeout. Returns (the admitted attempts, the queue already waiting), slot indices.
    """
    state, level = st.state, st.level
    retrying = np.flatnonzero(state == RETRY)
    due = retrying[rng.random(len(retrying)) < p.retry_exit[level[retrying]]]
    level[due] = np.minimum(level[due] + 1, p.levels - 1)
    free = np.flatnonzero(state == OFF)[:n_new]
    st.tracked += len(free)
    level[free] = 0
    attempts = np.concatenate([due, free, returning])
    tally.attempts += len(attempts)
    queue_before = np.flatnonzero(state == LIVE)
    if c.admission:
        st.stale = 0
        room_now = max(0, c.room_int - len(queue_before))
        if tally.attempts > room_now:
            attempts = rng.permutation(attempts)
            state[attempts[room_now:]] = RETRY
            attempts = attempts[:room_now]
    state[attempts] = LIVE
    return attempts, queue_before


def _login_servers(st: _Peers, p: Schedule, c: _Rules, queue_before: np.ndarray,
                   attempts: np.ndarray, tally: _Tally, rng) -> np.ndarray:
    """Phase 4: the login servers serve whole requests out of the queue.

    A request served is a login only if its client still waits: the head of a queue that
    takes ``W`` minutes to drain is still waited for with probability ``exp(-W/T)``; the
    others were stale. Waiting clients time out at rate ``1/T`` (their requests stay queued,
    stale, reset at the stale-reset rate). Returns the slots logged in (now SEARCHING).
    """
    state = st.state
    st.credit += p.login_cap
    budget = int(st.credit)
    st.credit -= budget
    queue = np.concatenate([queue_before, attempts])
    waiting = len(queue)
    backlog = waiting + st.stale
    served = min(budget, backlog)
    head_alive = math.exp(-(backlog - served) / c.timeout_work)
    good = int(rng.binomial(served, head_alive)) if served else 0
    good = min(min(served, waiting), max(good, served - st.stale))
    tally.good += good
    st.stale -= served - good
    got_in = rng.choice(queue, size=good, replace=False) if good < waiting else queue
    state[got_in] = SEARCHING
    still = np.flatnonzero(state == LIVE)
    timed_out = still[rng.random(len(still)) >= p.keep_waiting]
    state[timed_out] = RETRY
    st.stale += len(timed_out)
    st.stale = int(rng.binomial(st.stale, p.keep_stale)) if st.stale else 0
    return got_in


def _supernode_search(st: _Peers, p: Schedule, c: _Rules, t: int, got_in: np.ndarray,
                      tally: _Tally, rng) -> None:
    """Phase 5: logged-in clients and orphans search for a supernode; overload shutdowns.

    Mega-supernodes take searchers first; each other searcher contacts one capable peer of
    the host cache at random and is homed if it serves and the pool has a free slot.
    Serving supernodes shut down with the :func:`~p2plib.outage.schedule.overload_hazard` of
    the search rate per capable peer (unless they refuse), orphaning their clients.
    """
    state, c_state = st.state, st.c_state
    orphans = np.flatnonzero(state == ORPHAN)
    released = orphans[rng.random(len(orphans)) < p.research]
    st.level[released] = 0
    state[released] = SEARCHING
    searchers = rng.permutation(np.concatenate([got_in, released]))
    tally.searches += len(searchers)
    n_mega = int(np.count_nonzero(state == CONN_MEGA))
    to_mega = searchers[:max(0, min(len(searchers), c.mega_slots[t] - n_mega))]
    state[to_mega] = CONN_MEGA
    rest = searchers[len(to_mega):]
    target = rng.integers(0, c.n_cap, len(rest))
    rate = len(rest) / (c.n_cap * p.sub_dt)
    shut_share = 0.0
    if c.shutdown_mode and not p.fixed[t]:
        shut_share = -math.expm1(-p.sub_dt * float(overload_hazard(rate, p.threshold)))
    shut = (c_state == SN) & (rng.random(c.n_cap) < shut_share)
    n_shut = int(np.count_nonzero(shut))
    tally.shutdowns += n_shut
    if n_shut:
        c_state[shut] = COOL
        st.c_stage[shut] = 0
        st.c_new[shut] = True
        state[(state == CONN_REG) & shut[st.home]] = ORPHAN
    serving = c_state[target] == SN
    reached, homes = rest[serving], target[serving]
    n_conn = int(np.count_nonzero(state == CONN_REG))
    free_slots = max(0, int(np.count_nonzero(c_state == SN) * c.capacity) - n_conn)
    state[reached[:free_slots]] = CONN_REG
    st.home[reached[:free_slots]] = homes[:free_slots]


def _fast_loop(st: _Peers, p: Schedule, c: _Rules, t: int, arrivals: int,
               returning: np.ndarray, rng) -> _Tally:
    """Phases 3-6 over the sub-steps of step ``t``; new and returning logins spread evenly."""
    tally = _Tally()
    n_sub = p.substeps
    new_per_sub = np.diff(np.linspace(0, arrivals, n_sub + 1).round().astype(int))
    returning_by_sub = np.array_split(rng.permutation(returning), n_sub)
    for sub in range(n_sub):
        attempts, queue_before = _login_attempts(st, p, c, new_per_sub[sub],
                                                 returning_by_sub[sub], tally, rng)
        got_in = _login_servers(st, p, c, queue_before, attempts, tally, rng)
        _supernode_search(st, p, c, t, got_in, tally, rng)
        # 6. failures wait under the retry policy
        st.state[st.state == SEARCHING] = RETRY
    return tally


def simulate_agent(s: Scenario, seed=None) -> dict:
    """Run the agent model of the outage for one scenario: every peer, with random draws.

    Each client (one slot per client that could be online) and each supernode-capable peer
    is followed through the phases of the aggregate engine (:mod:`p2plib.outage.aggregate`),
    with the same rates from the same :class:`~p2plib.outage.schedule.Schedule`: sessions,
    reboots and downtime, promotion after uptime, login attempts and retries, the login
    servers, the supernode search and the overload shutdowns. Means follow the aggregate
    engine within ``1 / sqrt(peers)``; near a tipping point single runs tip or not with the
    fluctuations of the supernode pool (tests/test_outage_agent.py).

    Parameters
    ----------
    s : Scenario
        The situation (sizes in peers, times in hours and minutes, see
        :class:`~p2plib.outage.scenario.Scenario`); memory is a few bytes per peer, so
        ``s.online_peers`` up to about 10^6-10^7 (:data:`p2plib.outage.AGENT_MAX_PEERS`
        through :func:`p2plib.outage.simulate`).
    seed : None, int or numpy.random.Generator
        The randomness (every draw comes from it): same seed, same output.

    Returns
    -------
    dict
        :data:`~p2plib.outage.aggregate.SERIES` name -> numpy array of float, one value per
        step (counts of clients, supernodes or requests; the per-step counters
        ``login_attempts``, ``login_goodput``, ``sn_requests``, ``sn_shutdowns`` sum over
        the step), and ``"hours"``: the start of each step, hours.

    References
    ----------
    Course model (chapter 03): the individual-based form of the aggregate engine, which is
    its large-population limit: T. G. Kurtz, "Solutions of ordinary differential equations
    as limits of pure jump Markov processes", J. Appl. Probab. 7 (1970) 49-58. Supernode
    overlay as measured by S. A. Baset and H. Schulzrinne, "An analysis of the Skype
    peer-to-peer Internet telephony protocol", IEEE INFOCOM 2006.

    Examples
    --------
    >>> from p2plib.outage.scenario import Scenario
    >>> series = simulate_agent(Scenario(online_peers=2_000, days=0.25, step_min=5), seed=1)
    >>> round(float(series["connected"][0] / series["demand"][0]), 2)   # a normal day
    1.0
    >>> int(series["capable_total"][0])   # supernode-capable peers: 1 in 300 online
    7
    """
    if not isinstance(s, Scenario):
        raise TypeError(f"s must be a Scenario, got {type(s).__name__}")
    rng = as_rng(seed)
    p = build_schedule(s)
    c = _rules(s, p)
    st = _initial_state(p, c, rng)
    arrivals_all = rng.poisson(p.arrive)
    rec = np.empty((p.steps, len(SERIES)))
    for t in range(p.steps):
        _record(rec[t], st, p, c, t)
        returning = _end_sessions(st, p, c, t, rng)
        _capable_peers(st, p, c, t, rng)
        tally = _fast_loop(st, p, c, t, int(arrivals_all[t]), returning, rng)
        rec[t, 8:12] = (tally.attempts, tally.good, tally.searches, tally.shutdowns)
    out = {name: rec[:, j].copy() for j, name in enumerate(SERIES)}
    out["hours"] = p.hours
    return out
