"""Chunk-level simulation of a peer-assisted swarm: what the fluid model cannot show.

A programme is cut into ``chunks`` pieces (at most 64, so that a peer's pieces fit in one
64-bit mask). Time advances in steps of ``dt``. In each step

1. viewers whose arrival time has come start downloading;
2. every online peer that holds something uploads up to its upload capacity (``μ · chunks ·
   dt`` chunks, rounded at random so that the mean is exact): each upload slot tries a few
   random downloaders and serves the first that lacks one of its chunks, choosing the chunk
   *rarest first* (fewest copies among online peers) or *at random*; refused slots (nothing
   useful, a duplicate, a full download link) try again for a few rounds;
3. each downloader accepts at most its download capacity (``c · chunks · dt``); what peers
   did not fill, the origin servers fill, up to their capacity ``s · chunks · dt``
   (Kontiki's fallback to its servers);
4. finished downloaders become seeds; seeds leave at rate γ and downloaders give up at rate
   θ (exponential clocks, as in the fluid model of Qiu & Srikant 2004);
5. optionally, at ``outage_time`` a share of the online peers goes offline at once for
   ``outage_duration`` (a mass reboot, or laptops closed at bedtime) and then comes back.

Every transfer is counted, so bytes are conserved exactly: what downloaders received equals
what peers and servers sent. The arrays are vectorised over peers; a step costs O(active peers
× chunks).

Examples
--------
>>> from p2plib.swarm_sim import poisson_arrivals, simulate_swarm
>>> arrivals = poisson_arrivals(500, rate=100, seed=1)
>>> run = simulate_swarm(arrivals, upload_rate=0.5, download_rate=2, seed_departure_rate=0.5,
...                      server_rate=5, chunks=20, duration=8, seed=2)
>>> bool(run.received.sum() == run.peer_sent.sum() + run.server_sent.sum())
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from p2plib._validate import as_rng, check_array, check_choice, check_int, check_real

__all__ = [
    "POLICIES",
    "SwarmRun",
    "flash_crowd_arrivals",
    "poisson_arrivals",
    "simulate_swarm",
]

#: Chunk-selection policies understood by :func:`simulate_swarm`.
POLICIES = ("rarest", "random")

_WAITING, _DOWNLOADING, _SEEDING, _LEFT, _ABORTED = 0, 1, 2, 3, 4


def poisson_arrivals(peers, rate, start=0.0, seed=None) -> np.ndarray:
    """Arrival times of ``peers`` viewers arriving as a Poisson process of ``rate`` per unit time.

    Examples
    --------
    >>> t = poisson_arrivals(10_000, rate=50, seed=3)
    >>> round(float(t[-1]) / 200, 1)   # 10,000 arrivals at 50 per unit time take ~200
    1.0
    """
    peers = check_int("peers", peers, minimum=1)
    rate = check_real("rate", rate, 0, open_min=True)
    start = check_real("start", start)
    return start + np.cumsum(as_rng(seed).exponential(1.0 / rate, size=peers))


def flash_crowd_arrivals(peers, decay, release_time=0.0, seed=None) -> np.ndarray:
    """Sorted arrival times of a flash crowd: ``release_time`` plus Exponential(``decay``).

    The arrival rate is ``peers / decay * exp(-(t - release_time) / decay)``, the stochastic
    counterpart of :func:`p2plib.swarm.flash_crowd_arrival_rate`.

    Examples
    --------
    >>> t = flash_crowd_arrivals(1000, decay=1.0, release_time=21.0, seed=1)
    >>> bool(t.min() >= 21.0), bool(20.0 < t.mean() < 23.0)
    (True, True)
    """
    peers = check_int("peers", peers, minimum=1)
    decay = check_real("decay", decay, 0, open_min=True)
    release_time = check_real("release_time", release_time)
    return release_time + np.sort(as_rng(seed).exponential(decay, size=peers))


@dataclass(frozen=True, eq=False)
class SwarmRun:
    """Result of :func:`simulate_swarm`: time series per step and totals per peer.

    Per step (length ``steps``; counts are of peers, transfers are in chunks):
    ``times`` (end of each step), ``downloaders``, ``seeds`` (online), ``offline``,
    ``peer_chunks`` and ``server_chunks`` (sent in the step), ``min_copies`` (fewest online
    copies of any chunk, servers excluded: 0 means some chunk is only on the servers),
    ``stuck`` (online downloaders that received nothing in the step although they had capacity).

    Per peer (length ``peers``): ``arrival``, ``finish`` (``nan`` if not finished),
    ``ninety`` (time the peer held 90% of the chunks), ``received``, ``peer_sent`` (chunks the
    peer uploaded), ``from_server`` (chunks it got from the servers), ``state`` (final:
    0 waiting, 1 downloading, 2 seeding, 3 left, 4 gave up).

    ``server_sent`` is the total chunks the servers sent (per step: ``server_chunks``).
    """

    chunks: int
    dt: float
    policy: str
    times: np.ndarray
    downloaders: np.ndarray
    seeds: np.ndarray
    offline: np.ndarray
    peer_chunks: np.ndarray
    server_chunks: np.ndarray
    min_copies: np.ndarray
    stuck: np.ndarray
    arrival: np.ndarray
    finish: np.ndarray
    ninety: np.ndarray
    received: np.ndarray
    peer_sent: np.ndarray
    from_server: np.ndarray
    state: np.ndarray
    held: np.ndarray

    @property
    def server_sent(self) -> np.ndarray:
        """Chunks sent by the origin servers in each step (alias of ``server_chunks``)."""
        return self.server_chunks

    @property
    def download_time(self) -> np.ndarray:
        """Download time of every peer that finished (unit of the rates)."""
        done = np.isfinite(self.finish)
        return self.finish[done] - self.arrival[done]

    @property
    def peer_share(self) -> float:
        """Share of all chunks delivered that came from peers."""
        total = self.peer_chunks.sum() + self.server_chunks.sum()
        return float(self.peer_chunks.sum() / total) if total else 0.0

    @property
    def last_chunks_share(self) -> float:
        """Mean share of a finished peer's download time spent on its last 10% of chunks
        (0.1 if chunks arrived at an even pace; more is the last-chunk problem)."""
        done = np.isfinite(self.finish) & (self.finish > self.arrival)
        if not done.any():
            return float("nan")
        total = self.finish[done] - self.arrival[done]
        return float(np.mean((self.finish[done] - self.ninety[done]) / total))

    def time_average(self, start: float) -> dict:
        """Mean online downloaders, seeds and server load (chunks per unit time) after ``start``."""
        keep = self.times > start
        if not keep.any():
            raise ValueError(f"start must be before the end of the run ({self.times[-1]:g})")
        return {"downloaders": float(self.downloaders[keep].mean()),
                "seeds": float(self.seeds[keep].mean()),
                "server_rate": float(self.server_chunks[keep].mean() / self.dt)}


def _stochastic_round(value: float, size: int, rng) -> np.ndarray:
    """Integers with mean ``value``: floor plus a Bernoulli(frac) draw."""
    base = int(np.floor(value))
    return base + (rng.random(size) < value - base).astype(np.int64)


def _bits(masks: np.ndarray, chunks: int) -> np.ndarray:
    """Expand uint64 masks to a bool matrix (len(masks), chunks)."""
    return ((masks[:, None] >> np.arange(chunks, dtype=np.uint64)) & np.uint64(1)).astype(bool)


def _rank_in_group(keys: np.ndarray) -> np.ndarray:
    """Position of each element among the elements with the same key (keys must be sorted)."""
    if len(keys) == 0:
        return keys
    starts = np.r_[0, np.flatnonzero(np.diff(keys)) + 1]
    lengths = np.diff(np.r_[starts, len(keys)])
    return np.arange(len(keys)) - np.repeat(starts, lengths)


def simulate_swarm(arrival_times, upload_rate, download_rate, seed_departure_rate,
                   server_rate=0.0, *, abort_rate=0.0, chunks=32, policy="rarest",
                   duration=None, dt=None, tries=4, rounds=4, outage_time=None, outage_fraction=0.0,
                   outage_duration=0.0, seed=None) -> SwarmRun:
    """Simulate a swarm chunk by chunk (vectorised over peers).

    Parameters
    ----------
    arrival_times : array_like
        When each of the viewers starts (sorted or not), from :func:`poisson_arrivals` or
        :func:`flash_crowd_arrivals`; 1 to 10^6 viewers.
    upload_rate, download_rate : float
        μ and c: one peer's upload and download in files per unit time (``c > 0``).
    seed_departure_rate : float
        γ: seeds leave after an exponential time of mean 1/γ (``> 0``).
    server_rate : float
        s: the origin servers' total upload in files per unit time (``>= 0``).
    abort_rate : float
        θ: downloaders give up at this rate (``>= 0``).
    chunks : int
        Pieces per file, in ``[1, 64]``.
    policy : {"rarest", "random"}
        How an uploader picks which of its useful chunks to send.
    duration : float, optional
        Simulated time after the first arrival (default: last arrival + 10 / c).
    dt : float, optional
        Step length; default ``1 / (c · chunks)`` (one chunk per step at full download rate).
    tries : int
        Random downloaders an upload slot tries per round, in ``[1, 16]``.
    rounds : int
        Matching rounds per step, in ``[1, 16]``: a slot refused in one round (nothing
        useful, a duplicate, or a full download link) tries again in the next.
    outage_time, outage_fraction, outage_duration : float
        A correlated outage: at ``outage_time`` that share of the online peers goes offline
        for ``outage_duration`` (no upload, no download, no departure), then comes back.
    seed : None, int or numpy.random.Generator

    Returns
    -------
    SwarmRun

    Examples
    --------
    >>> run = simulate_swarm(flash_crowd_arrivals(200, 0.5, seed=1), upload_rate=1,
    ...                      download_rate=4, seed_departure_rate=0.5, server_rate=2,
    ...                      chunks=16, duration=6, seed=1)
    >>> bool(run.peer_share > 0.5), int(run.received.sum()) == int(run.held.sum())
    (True, True)
    """
    arrival = check_array("arrival_times", arrival_times)
    if arrival.ndim != 1 or not 1 <= len(arrival) <= 1_000_000 or not np.isfinite(arrival).all():
        raise ValueError("arrival_times must be a 1-d array of 1 to 10^6 finite times")
    mu = check_real("upload_rate", upload_rate, 0)
    c = check_real("download_rate", download_rate, 0, open_min=True)
    gamma = check_real("seed_departure_rate", seed_departure_rate, 0, open_min=True)
    s = check_real("server_rate", server_rate, 0)
    theta = check_real("abort_rate", abort_rate, 0)
    k = check_int("chunks", chunks, minimum=1, maximum=64)
    policy = check_choice("policy", policy, POLICIES)
    tries = check_int("tries", tries, minimum=1, maximum=16)
    rounds = check_int("rounds", rounds, minimum=1, maximum=16)
    dt = 1.0 / (c * k) if dt is None else check_real("dt", dt, 0, open_min=True)
    t0 = float(arrival.min())
    if duration is None:
        duration = float(arrival.max()) - t0 + 10.0 / c
    duration = check_real("duration", duration, 0, open_min=True)
    steps = int(np.ceil(duration / dt))
    if steps > 200_000:
        raise ValueError(f"duration / dt must be at most 200,000 steps, got {steps}")
    outage_fraction = check_real("outage_fraction", outage_fraction, 0, 1)
    outage_duration = check_real("outage_duration", outage_duration, 0)
    if outage_time is not None:
        outage_time = check_real("outage_time", outage_time)
    rng = as_rng(seed)

    n = len(arrival)
    order = np.argsort(arrival, kind="stable")
    sorted_arrival = arrival[order]
    full = np.uint64((1 << k) - 1) if k < 64 else np.uint64(np.iinfo(np.uint64).max)
    have = np.zeros(n, np.uint64)
    count = np.zeros(n, np.int64)
    state = np.zeros(n, np.int8)
    back_at = np.full(n, -np.inf)        # offline until this time
    finish = np.full(n, np.nan)
    ninety = np.full(n, np.nan)
    need90 = int(np.ceil(0.9 * k))
    received = np.zeros(n, np.int64)
    peer_sent = np.zeros(n, np.int64)
    from_server = np.zeros(n, np.int64)
    copies = np.zeros(k, np.int64)       # online copies of each chunk
    shift = np.arange(k, dtype=np.uint64)
    up_mean, down_mean, srv_mean = mu * k * dt, c * k * dt, s * k * dt
    p_leave, p_abort = -np.expm1(-gamma * dt), -np.expm1(-theta * dt)
    series = {name: np.zeros(steps, np.int64) for name in
              ("downloaders", "seeds", "offline", "peer_chunks", "server_chunks", "min_copies",
               "stuck")}
    next_arrival, outage_done = 0, outage_time is None

    def add_copies(peers_, sign):
        if len(peers_):
            copies[:] += sign * _bits(have[peers_], k).sum(axis=0)

    def give(target, chunk):
        # (target, chunk) pairs are unique (deduplicated by the caller); a target may repeat
        np.bitwise_or.at(have, target, np.left_shift(np.uint64(1), chunk.astype(np.uint64)))
        np.add.at(count, target, 1)
        np.add.at(received, target, 1)
        copies[:] += np.bincount(chunk, minlength=k)

    for step in range(steps):
        now = t0 + step * dt
        # 1. arrivals
        upto = int(np.searchsorted(sorted_arrival, now, side="right"))
        state[order[next_arrival:upto]] = _DOWNLOADING
        next_arrival = upto
        # 5. correlated outage (and return)
        if not outage_done and now >= outage_time:
            outage_done = True
            live = np.flatnonzero(((state == _DOWNLOADING) | (state == _SEEDING))
                                  & (back_at <= now))
            hit = live[rng.random(len(live)) < outage_fraction]
            back_at[hit] = outage_time + outage_duration
            add_copies(hit, -1)
        returning = np.flatnonzero((back_at > -np.inf) & (back_at <= now))
        if len(returning):
            back_at[returning] = -np.inf
            returning = returning[(state[returning] == _DOWNLOADING)
                                  | (state[returning] == _SEEDING)]
            add_copies(returning, +1)
        online = back_at <= now
        down = np.flatnonzero((state == _DOWNLOADING) & online)
        ups = np.flatnonzero(((state == _SEEDING) | ((state == _DOWNLOADING) & (count > 0)))
                             & online)
        got = np.zeros(len(down), np.int64)
        cap = _stochastic_round(down_mean, len(down), rng)
        # 2. peer uploads: rounds of random matching; a slot refused (nothing useful, a
        # duplicate, or the downloader's link full) tries again with other downloaders
        if len(down) and len(ups) and up_mean > 0:
            owner = np.repeat(ups, _stochastic_round(up_mean, len(ups), rng))
            sent = 0
            for _ in range(rounds):
                open_ = np.flatnonzero(got < cap)
                if len(owner) == 0 or len(open_) == 0:
                    break
                cand = open_[rng.integers(0, len(open_), size=(len(owner), tries))]
                useful = have[owner][:, None] & ~have[down[cand]]
                first = np.argmax(useful != 0, axis=1)
                ok = useful[np.arange(len(owner)), first] != 0
                slot = np.flatnonzero(ok)
                tgt = cand[slot, first[slot]]
                bits = ((useful[slot, first[slot]][:, None] >> shift) & np.uint64(1)).astype(bool)
                key = rng.random(bits.shape)
                if policy == "rarest":
                    key = key + copies[None, :]
                chunk = np.argmin(np.where(bits, key, np.inf), axis=1)
                # one copy of a chunk per downloader per step (random winner), then at most
                # the downloader's free capacity, chosen at random
                perm = rng.permutation(len(chunk))
                _, first_idx = np.unique(tgt[perm] * k + chunk[perm], return_index=True)
                pick = perm[first_idx]
                pick = pick[np.lexsort((rng.random(len(pick)), tgt[pick]))]
                keep = pick[_rank_in_group(tgt[pick]) < (cap - got)[tgt[pick]]]
                give(down[tgt[keep]], chunk[keep])
                np.add.at(peer_sent, owner[slot[keep]], 1)
                np.add.at(got, tgt[keep], 1)
                sent += len(keep)
                accepted = np.zeros(len(owner), bool)
                accepted[slot[keep]] = True
                owner = owner[~accepted]
            series["peer_chunks"][step] = sent
        # 3. origin servers fill what peers did not
        if len(down) and srv_mean > 0:
            missing = k - count[down]
            want = np.minimum(cap - got, missing)
            budget = int(_stochastic_round(srv_mean, 1, rng)[0])
            if want.sum() > budget:
                units = np.repeat(np.arange(len(down)), want)
                chosen = rng.permutation(len(units))[:budget]
                want = np.bincount(units[chosen], minlength=len(down))
            served = np.flatnonzero(want > 0)
            if len(served):
                lacks = ~_bits(have[down[served]], k)
                key = rng.random(lacks.shape)
                if policy == "rarest":
                    key = key + copies[None, :]
                rank = np.argsort(np.where(lacks, key, np.inf), axis=1)
                rows = np.repeat(np.arange(len(served)), want[served])
                cols = rank[rows, _rank_in_group(rows)]
                give(down[served[rows]], cols)
                np.add.at(from_server, down[served[rows]], 1)
                np.add.at(got, served[rows], 1)
                series["server_chunks"][step] = len(rows)
        series["stuck"][step] = int(np.count_nonzero((got == 0) & (cap > 0)))
        end = now + dt
        # 4. completions, departures, aborts
        crossed = down[(count[down] >= need90) & np.isnan(ninety[down])]
        ninety[crossed] = end
        done = down[have[down] == full]
        state[done] = _SEEDING
        finish[done] = end
        seeds = np.flatnonzero((state == _SEEDING) & online)
        leave = seeds[rng.random(len(seeds)) < p_leave]
        state[leave] = _LEFT
        add_copies(leave, -1)
        if p_abort > 0:
            still = down[state[down] == _DOWNLOADING]
            quit_ = still[rng.random(len(still)) < p_abort]
            state[quit_] = _ABORTED
            add_copies(quit_, -1)
        online_after = back_at <= end
        series["downloaders"][step] = np.count_nonzero((state == _DOWNLOADING) & online_after)
        series["seeds"][step] = np.count_nonzero((state == _SEEDING) & online_after)
        series["offline"][step] = np.count_nonzero(
            ((state == _DOWNLOADING) | (state == _SEEDING)) & ~online_after)
        series["min_copies"][step] = int(copies.min())

    times = t0 + dt * np.arange(1, steps + 1)
    return SwarmRun(k, dt, policy, times, series["downloaders"], series["seeds"],
                    series["offline"], series["peer_chunks"], series["server_chunks"],
                    series["min_copies"], series["stuck"], arrival, finish, ninety, received,
                    peer_sent, from_server, state, np.bitwise_count(have).astype(np.int64))
