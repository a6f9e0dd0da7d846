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
× chunks). Each numbered phase is one method of the private ``_Swarm`` state object, which
:func:`simulate_swarm` steps through time.

Examples
--------
>>> from p2plib.swarm import poisson_arrivals, simulate_swarm
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
    "SwarmAverage",
    "SwarmRun",
    "flash_crowd_arrivals",
    "poisson_arrivals",
    "simulate_swarm",
]

#: Chunk-selection policies understood by :func:`simulate_swarm`.
POLICIES = ("rarest", "random")

_WAITING, _DOWNLOADING, _SEEDING, _LEFT, _ABORTED = 0, 1, 2, 3, 4
_SERIES = ("downloaders", "seeds", "offline", "peer_chunks", "server_chunks", "min_copies",
           "stuck")


def poisson_arrivals(peers, rate, start=0.0, seed=None) -> np.ndarray:
    """Arrival times of viewers who arrive as a Poisson process (a steady audience).

    Inter-arrival times are independent exponentials of mean ``1 / rate``, the arrival process
    of the fluid model's constant λ.

    Parameters
    ----------
    peers : int
        Number of viewers, ``>= 1``.
    rate : float
        λ, viewers per unit time (per hour in the course), ``> 0``.
    start : float
        Time the process starts (same unit), any finite number.
    seed : None, int or numpy.random.Generator
        Source of randomness (same seed, same times).

    Returns
    -------
    numpy.ndarray
        ``peers`` increasing arrival times (unit of ``1 / rate``), all after ``start``.

    References
    ----------
    The Poisson arrival process of Qiu & Srikant, "Modeling and performance analysis of
    BitTorrent-like peer-to-peer networks", ACM SIGCOMM 2004.

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

    Parameters
    ----------
    peers : int
        Audience: viewers who arrive in all, ``>= 1``.
    decay : float
        Time constant of the decaying arrival rate (hours in the course), ``> 0``; half the
        audience arrives within ``decay · ln 2``.
    release_time : float
        When the programme is published (same unit), any finite number.
    seed : None, int or numpy.random.Generator
        Source of randomness (same seed, same times).

    Returns
    -------
    numpy.ndarray
        ``peers`` sorted arrival times, none before ``release_time``.

    References
    ----------
    Exponentially decreasing arrivals measured by Guo et al., "Measurements, analysis, and
    modeling of BitTorrent-like systems", IMC 2005.

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


@dataclass(frozen=True)
class SwarmAverage:
    """Time averages of a simulated swarm over the steps after a burn-in time.

    Attributes
    ----------
    downloaders : float
        Mean number of online downloaders (peers): the fluid model's x̄.
    seeds : float
        Mean number of online seeds (peers): the fluid model's ȳ.
    server_rate : float
        Mean load of the origin servers, in chunks per unit time (per hour in the course):
        the fluid model's server rate times ``chunks``.

    References
    ----------
    Course model (chapter 05): the simulation's counterparts of the steady state of Qiu &
    Srikant (SIGCOMM 2004).

    Examples
    --------
    >>> SwarmAverage(downloaders=30.0, seeds=120.0, server_rate=0.0).seeds
    120.0
    """

    downloaders: float
    seeds: float
    server_rate: float


@dataclass(frozen=True, eq=False)
class SwarmRun:
    """Result of :func:`simulate_swarm`: time series per step and totals per peer.

    Attributes
    ----------
    chunks : int
        Pieces per file.
    dt : float
        Step length (unit of the rates: hours in the course).
    policy : str
        ``"rarest"`` or ``"random"`` chunk choice.
    times : numpy.ndarray
        End of each step (length ``steps``).
    downloaders, seeds, offline : numpy.ndarray
        Per step, peers online downloading, online seeding, and offline (in an outage).
    peer_chunks, server_chunks : numpy.ndarray
        Per step, chunks sent by peers and by the origin servers.
    min_copies : numpy.ndarray
        Per step, fewest online copies of any chunk, servers excluded (0: some chunk is only
        on the servers).
    stuck : numpy.ndarray
        Per step, online downloaders that received nothing although they had capacity.
    arrival, finish, ninety : numpy.ndarray
        Per peer (length ``peers``): arrival time, finish time (``nan`` if not finished) and
        the time the peer held 90% of the chunks (unit of the rates).
    received, peer_sent, from_server, held : numpy.ndarray
        Per peer, chunks received, chunks uploaded, chunks got from the servers, chunks held
        at the end.
    state : numpy.ndarray
        Per peer, final state: 0 waiting, 1 downloading, 2 seeding, 3 left, 4 gave up.

    References
    ----------
    Course model (chapter 05): a chunk-level counterpart of Qiu & Srikant's fluid model
    (SIGCOMM 2004) with rarest-first piece selection (Cohen, "Incentives build robustness in
    BitTorrent", 2003) and Kontiki's fallback to its origin servers.

    Examples
    --------
    >>> run = simulate_swarm(np.zeros(20), 1.0, 4.0, 1.0, server_rate=2, chunks=8,
    ...                      duration=2, seed=1)
    >>> run.chunks, len(run.arrival), bool(run.peer_share > 0)
    (8, 20, True)
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

    def time_average(self, start: float) -> SwarmAverage:
        """Mean online downloaders, seeds and server load (chunks per unit time) after ``start``."""
        keep = self.times > start
        if not keep.any():
            raise ValueError(f"start must be before the end of the run ({self.times[-1]:g})")
        return SwarmAverage(float(self.downloaders[keep].mean()),
                            float(self.seeds[keep].mean()),
                            float(self.server_chunks[keep].mean() / self.dt))


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


@dataclass(frozen=True)
class _Settings:
    """The checked inputs of one run, in per-step units."""

    chunks: int
    policy: str
    tries: int
    rounds: int
    dt: float
    t0: float
    steps: int
    up_mean: float          # chunks one peer uploads per step (mean)
    down_mean: float        # chunks one peer may download per step (mean)
    server_mean: float      # chunks the origin servers send per step (mean)
    p_leave: float          # a seed's chance to leave in one step
    p_abort: float          # a downloader's chance to give up in one step
    outage_time: float | None
    outage_fraction: float
    outage_duration: float


def _settings(arrival, upload_rate, download_rate, seed_departure_rate, server_rate,
              abort_rate, chunks, policy, duration, dt, tries, rounds, outage_time,
              outage_fraction, outage_duration) -> _Settings:
    """Check every argument of :func:`simulate_swarm` and turn the rates into per-step units."""
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
    return _Settings(k, policy, tries, rounds, dt, t0, steps, mu * k * dt, c * k * dt,
                     s * k * dt, -np.expm1(-gamma * dt), -np.expm1(-theta * dt), outage_time,
                     outage_fraction, outage_duration)


class _Swarm:
    """The state of every peer and chunk during a run; its methods are the step's phases.

    Per peer: ``have`` (chunk bitmask), ``count`` (chunks held), ``state``, ``back_at``
    (offline until then), ``finish``, ``ninety``, ``received``, ``peer_sent``,
    ``from_server``; per chunk: ``copies`` (online copies). Within a step, ``down`` (online
    downloaders), ``ups`` (online peers with something to upload), ``cap`` (each downloader's
    capacity this step) and ``got`` (what it received so far) link the phases.
    """

    def __init__(self, arrival: np.ndarray, settings: _Settings, rng):
        n, k = len(arrival), settings.chunks
        self.settings, self.rng = settings, rng
        self.order = np.argsort(arrival, kind="stable")
        self.sorted_arrival = arrival[self.order]
        self.next_arrival = 0
        self.outage_done = settings.outage_time is None
        self.returns_pending = False              # hit peers not yet back online
        self.full = np.uint64((1 << k) - 1) if k < 64 else np.uint64(np.iinfo(np.uint64).max)
        self.need90 = int(np.ceil(0.9 * k))
        self.shift = np.arange(k, dtype=np.uint64)
        self.have = np.zeros(n, np.uint64)
        self.count = np.zeros(n, np.int64)
        self.state = np.zeros(n, np.int8)
        self.back_at = np.full(n, -np.inf)        # offline until this time
        self.finish = np.full(n, np.nan)
        self.ninety = np.full(n, np.nan)
        self.received = np.zeros(n, np.int64)
        self.peer_sent = np.zeros(n, np.int64)
        self.from_server = np.zeros(n, np.int64)
        self.copies = np.zeros(k, np.int64)       # online copies of each chunk
        self.series = {name: np.zeros(settings.steps, np.int64) for name in _SERIES}

    def add_copies(self, peers: np.ndarray, sign: int) -> None:
        """Count ``peers``' chunks in (``+1``) or out of (``-1``) the online copies."""
        if len(peers):
            self.copies[:] += sign * _bits(self.have[peers], self.settings.chunks).sum(axis=0)

    def give(self, target: np.ndarray, chunk: np.ndarray) -> None:
        """Deliver ``chunk[i]`` to peer ``target[i]`` (pairs unique; a target may repeat)."""
        np.bitwise_or.at(self.have, target, np.left_shift(np.uint64(1), chunk.astype(np.uint64)))
        np.add.at(self.count, target, 1)
        np.add.at(self.received, target, 1)
        self.copies[:] += np.bincount(chunk, minlength=self.settings.chunks)

    def chunk_keys(self, shape) -> np.ndarray:
        """Random tie-breaking keys per (row, chunk); rarest-first adds the online copies."""
        key = self.rng.random(shape)
        if self.settings.policy == "rarest":
            key = key + self.copies[None, :]
        return key

    # -- the phases of one step, in order ------------------------------------------------

    def admit_arrivals(self, now: float) -> None:
        """Phase 1: viewers whose arrival time has come start downloading."""
        upto = int(np.searchsorted(self.sorted_arrival, now, side="right"))
        self.state[self.order[self.next_arrival:upto]] = _DOWNLOADING
        self.next_arrival = upto

    def outage_and_return(self, now: float) -> None:
        """Phase 5: the correlated outage strikes once; peers whose outage is over come back.

        Every peer the outage hits is back at the same time, so the return is looked for only
        between the outage and that time."""
        cfg, state, back_at = self.settings, self.state, self.back_at
        if not self.outage_done and now >= cfg.outage_time:
            self.outage_done = self.returns_pending = True
            live = np.flatnonzero(((state == _DOWNLOADING) | (state == _SEEDING))
                                  & (back_at <= now))
            hit = live[self.rng.random(len(live)) < cfg.outage_fraction]
            back_at[hit] = cfg.outage_time + cfg.outage_duration
            self.add_copies(hit, -1)
        if not self.returns_pending or now < cfg.outage_time + cfg.outage_duration:
            return
        self.returns_pending = False
        returning = np.flatnonzero((back_at > -np.inf) & (back_at <= now))
        if len(returning):
            back_at[returning] = -np.inf
            returning = returning[(state[returning] == _DOWNLOADING)
                                  | (state[returning] == _SEEDING)]
            self.add_copies(returning, +1)

    def open_step(self, now: float) -> None:
        """Who is online, who downloads and who can upload this step; download capacities."""
        state = self.state
        self.online = self.back_at <= now
        downloading = state == _DOWNLOADING
        self.down = np.flatnonzero(downloading & self.online)
        self.ups = np.flatnonzero(((state == _SEEDING) | (downloading & (self.count > 0)))
                                  & self.online)
        self.got = np.zeros(len(self.down), np.int64)
        self.cap = _stochastic_round(self.settings.down_mean, len(self.down), self.rng)

    def peer_uploads(self, step: int) -> None:
        """Phase 2: rounds of random matching; a slot refused (nothing useful, a duplicate, or
        the downloader's link full) tries again with other downloaders."""
        cfg = self.settings
        if not (len(self.down) and len(self.ups) and cfg.up_mean > 0):
            return
        owner = np.repeat(self.ups, _stochastic_round(cfg.up_mean, len(self.ups), self.rng))
        sent = 0
        for _ in range(cfg.rounds):
            open_ = np.flatnonzero(self.got < self.cap)
            if len(owner) == 0 or len(open_) == 0:
                break
            owner, accepted = self.match_round(owner, open_)
            sent += accepted
        self.series["peer_chunks"][step] = sent

    def match_round(self, owner: np.ndarray, open_: np.ndarray) -> tuple[np.ndarray, int]:
        """One matching round of upload slots ``owner`` with downloaders ``open_`` (indices
        into ``down``); returns the slots still unserved and the chunks accepted."""
        rng, k, down = self.rng, self.settings.chunks, self.down
        cand = open_[rng.integers(0, len(open_), size=(len(owner), self.settings.tries))]
        useful = self.have[owner][:, None] & ~self.have[down[cand]]
        first = np.argmax(useful != 0, axis=1)
        ok = useful[np.arange(len(owner)), first] != 0
        slot = np.flatnonzero(ok)
        tgt = cand[slot, first[slot]]
        bits = ((useful[slot, first[slot]][:, None] >> self.shift) & np.uint64(1)).astype(bool)
        chunk = np.argmin(np.where(bits, self.chunk_keys(bits.shape), np.inf), axis=1)
        # one copy of a chunk per downloader per step (random winner), then at most the
        # downloader's free capacity, chosen at random
        perm = rng.permutation(len(chunk))
        _, first_idx = np.unique(tgt[perm] * k + chunk[perm], return_index=True)
        pick = perm[first_idx]
        pick = pick[np.lexsort((rng.random(len(pick)), tgt[pick]))]
        keep = pick[_rank_in_group(tgt[pick]) < (self.cap - self.got)[tgt[pick]]]
        self.give(down[tgt[keep]], chunk[keep])
        np.add.at(self.peer_sent, owner[slot[keep]], 1)
        np.add.at(self.got, tgt[keep], 1)
        accepted = np.zeros(len(owner), bool)
        accepted[slot[keep]] = True
        return owner[~accepted], len(keep)

    def server_fill(self, step: int) -> None:
        """Phase 3: the origin servers fill what peers did not, up to their capacity."""
        cfg, rng, down = self.settings, self.rng, self.down
        if not (len(down) and cfg.server_mean > 0):
            return
        want = np.minimum(self.cap - self.got, cfg.chunks - self.count[down])
        budget = int(_stochastic_round(cfg.server_mean, 1, rng)[0])
        if want.sum() > budget:
            units = np.repeat(np.arange(len(down)), want)
            chosen = rng.permutation(len(units))[:budget]
            want = np.bincount(units[chosen], minlength=len(down))
        served = np.flatnonzero(want > 0)
        if not len(served):
            return
        lacks = ~_bits(self.have[down[served]], cfg.chunks)
        rank = np.argsort(np.where(lacks, self.chunk_keys(lacks.shape), np.inf), axis=1)
        rows = np.repeat(np.arange(len(served)), want[served])
        cols = rank[rows, _rank_in_group(rows)]
        self.give(down[served[rows]], cols)
        np.add.at(self.from_server, down[served[rows]], 1)
        np.add.at(self.got, served[rows], 1)
        self.series["server_chunks"][step] = len(rows)

    def finish_and_leave(self, end: float) -> None:
        """Phase 4: completions (and the 90% mark), seeds leaving, downloaders giving up."""
        cfg, rng, state, down = self.settings, self.rng, self.state, self.down
        crossed = down[(self.count[down] >= self.need90) & np.isnan(self.ninety[down])]
        self.ninety[crossed] = end
        done = down[self.have[down] == self.full]
        state[done] = _SEEDING
        self.finish[done] = end
        seeds = np.flatnonzero((state == _SEEDING) & self.online)
        leave = seeds[rng.random(len(seeds)) < cfg.p_leave]
        state[leave] = _LEFT
        self.add_copies(leave, -1)
        if cfg.p_abort > 0:
            still = down[state[down] == _DOWNLOADING]
            quit_ = still[rng.random(len(still)) < cfg.p_abort]
            state[quit_] = _ABORTED
            self.add_copies(quit_, -1)

    def record(self, step: int, end: float) -> None:
        """The step's counts, taken at its end."""
        series, state = self.series, self.state
        series["stuck"][step] = int(np.count_nonzero((self.got == 0) & (self.cap > 0)))
        online_after = self.back_at <= end
        downloading, seeding = state == _DOWNLOADING, state == _SEEDING
        series["downloaders"][step] = np.count_nonzero(downloading & online_after)
        series["seeds"][step] = np.count_nonzero(seeding & online_after)
        series["offline"][step] = np.count_nonzero((downloading | seeding) & ~online_after)
        series["min_copies"][step] = int(self.copies.min())

    def step(self, step: int) -> None:
        """Advance the swarm by one step of ``dt``: the phases in their order."""
        now = self.settings.t0 + step * self.settings.dt
        self.admit_arrivals(now)
        self.outage_and_return(now)
        self.open_step(now)
        self.peer_uploads(step)
        self.server_fill(step)
        end = now + self.settings.dt
        self.finish_and_leave(end)
        self.record(step, end)

    def result(self, arrival: np.ndarray) -> SwarmRun:
        """Pack the run into a :class:`SwarmRun`."""
        cfg, series = self.settings, self.series
        times = cfg.t0 + cfg.dt * np.arange(1, cfg.steps + 1)
        return SwarmRun(cfg.chunks, cfg.dt, cfg.policy, times,
                        *(series[name] for name in _SERIES), arrival, self.finish,
                        self.ninety, self.received, self.peer_sent, self.from_server,
                        self.state, np.bitwise_count(self.have).astype(np.int64))


def simulate_swarm(arrival_times, upload_rate, download_rate, seed_departure_rate,
                   server_rate=0.0, *, abort_rate=0.0, chunks=32, policy="rarest",
                   duration=None, dt=None, tries=4, rounds=4, outage_time=None, outage_fraction=0.0,
                   outage_duration=0.0, seed=None) -> SwarmRun:
    """Simulate a peer-assisted swarm chunk by chunk (vectorised over peers).

    Follows every viewer and every chunk through the phases of each step listed in the
    module's description. Rates may be in any time unit if it is the same for all of them
    (the course uses hours).

    Parameters
    ----------
    arrival_times : array_like
        When each viewer starts (sorted or not), from :func:`poisson_arrivals` or
        :func:`flash_crowd_arrivals`; 1 to 10^6 finite times.
    upload_rate : float
        μ, one peer's upload in files per unit time (upload bandwidth / file size), ``>= 0``.
    download_rate : float
        c, one peer's download in files per unit time, ``> 0``.
    seed_departure_rate : float
        γ, per unit time: seeds leave after an exponential time of mean 1/γ, ``> 0``.
    server_rate : float
        s, the origin servers' total upload in files per unit time, ``>= 0``.
    abort_rate : float, keyword-only
        θ, per unit time: downloaders give up at this rate, ``>= 0``.
    chunks : int, keyword-only
        Pieces per file, in ``[1, 64]``.
    policy : {"rarest", "random"}, keyword-only
        How an uploader picks which of its useful chunks to send.
    duration : float, optional, keyword-only
        Simulated time after the first arrival (unit of the rates), ``> 0``; default: the last
        arrival + 10 / c. At most 200,000 steps of ``dt``.
    dt : float, optional, keyword-only
        Step length (unit of the rates), ``> 0``; default ``1 / (c · chunks)`` (one chunk per
        step at the full download rate).
    tries : int, keyword-only
        Random downloaders an upload slot tries per round, in ``[1, 16]``.
    rounds : int, keyword-only
        Matching rounds per step, in ``[1, 16]``: a slot refused in one round (nothing
        useful, a duplicate, or a full download link) tries again in the next.
    outage_time : float, optional, keyword-only
        When a correlated outage strikes (unit of the rates; ``None``: no outage).
    outage_fraction : float, keyword-only
        Share of the online peers the outage takes offline, in ``[0, 1]``.
    outage_duration : float, keyword-only
        How long they stay offline (no upload, no download, no departure), ``>= 0``.
    seed : None, int or numpy.random.Generator, keyword-only
        Source of randomness: the same seed gives the same run.

    Returns
    -------
    SwarmRun
        Per-step series (peers online, chunks sent by peers and servers, copies of the rarest
        chunk) and per-peer totals (arrival, finish, chunks received and uploaded).

    References
    ----------
    Course model (chapter 05): the fluid model of Qiu & Srikant ("Modeling and performance
    analysis of BitTorrent-like peer-to-peer networks", SIGCOMM 2004) made discrete, with
    BitTorrent's rarest-first piece selection (Cohen, "Incentives build robustness in
    BitTorrent", 2003) and Kontiki's fallback to its origin servers.

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
    settings = _settings(arrival, upload_rate, download_rate, seed_departure_rate, server_rate,
                         abort_rate, chunks, policy, duration, dt, tries, rounds, outage_time,
                         outage_fraction, outage_duration)
    swarm = _Swarm(arrival, settings, as_rng(seed))
    for step in range(settings.steps):
        swarm.step(step)
    return swarm.result(arrival)
