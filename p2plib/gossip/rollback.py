"""Rollback: a restart storm rolls replicas back; repair them by anti-entropy, or rebuild?

* :func:`records_changed`: how far a replica restored from an old snapshot is behind;
* :func:`central_rebuild_seconds`: how long reloading replicas from one central copy takes;
* :func:`desync`: a restart storm in which a share of the replicas restore an old snapshot
  while users keep logging in; the divergence over time, and the time and bytes to reconverge
  by incremental anti-entropy (:func:`p2plib.gossip.spread_from` with the session costs of
  :func:`p2plib.gossip.session_bytes`) against a full rebuild from a central copy;
* :func:`compare_repair`: the same storm repaired by each reconciliation method (the chapter's
  explorer).

Every size, rate and bandwidth here is a parameter: Skype never published its directory's
design, so the chapter shows answers over plausible ranges (model assumptions).

Examples
--------
>>> from p2plib.gossip import records_changed
>>> round(records_changed(1_000_000, 100.0, 3600))      # an hour of 100 updates a second
302324
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from p2plib._validate import as_rng, check_array, check_choice, check_int, check_real
from p2plib.gossip.directory import METHODS, session_bytes, session_round_trips
from p2plib.gossip.epidemic import PROTOCOLS, spread_from

__all__ = [
    "DesyncResult",
    "RepairComparison",
    "central_rebuild_seconds",
    "compare_repair",
    "desync",
    "records_changed",
]


def records_changed(records, update_rate, seconds):
    """Distinct records changed in ``seconds`` when ``update_rate`` updates/s hit random records.

    ``records * (1 - exp(-update_rate * seconds / records))``: the occupancy of ``records``
    bins by Poisson arrivals. This is how far a replica restored from a snapshot ``seconds``
    old is behind.

    Parameters
    ----------
    records : int
        Records in the directory, ``>= 1`` (records).
    update_rate : float
        Record updates per second, each at a uniformly random record, ``>= 0`` (updates/s).
    seconds : float or array_like
        Time over which updates arrive, ``>= 0`` (seconds).

    Returns
    -------
    float or numpy.ndarray
        Distinct records changed (records), in ``[0, records]``, the shape of ``seconds``.

    References
    ----------
    Feller, *An Introduction to Probability Theory and Its Applications*, vol. 1, 1968
    (occupancy: balls in bins); Poisson arrivals of updates are a course assumption.

    Examples
    --------
    >>> round(records_changed(1000, 1.0, 1000))
    632
    """
    records = check_int("records", records, minimum=1)
    update_rate = check_real("update_rate", update_rate, 0)
    s = check_array("seconds", seconds, 0)
    out = -records * np.expm1(-update_rate * s / records)
    return float(out) if np.ndim(out) == 0 else out


def central_rebuild_seconds(replicas, records, record_bytes=100, central_bandwidth=125e6,
                            replica_bandwidth=125e3) -> float:
    """Seconds to reload ``replicas`` copies of ``records`` records from one central copy.

    Each replica downloads the whole copy; the central server's ``central_bandwidth`` is
    shared, and no replica receives faster than ``replica_bandwidth``:
    ``replicas * records * record_bytes / min(central_bandwidth, replicas * replica_bandwidth)``.

    Parameters
    ----------
    replicas : int
        Replicas to reload, ``>= 0`` (replicas).
    records : int
        Records in a copy, ``>= 1`` (records).
    record_bytes : float
        Bytes per record, ``> 0`` (bytes).
    central_bandwidth : float
        Upload bandwidth of the central copy, ``> 0`` (bytes/s; 125e6 = 1 Gbit/s).
    replica_bandwidth : float
        Download bandwidth of one replica, ``> 0`` (bytes/s; 125e3 = 1 Mbit/s).

    Returns
    -------
    float
        Time until the last replica is reloaded (seconds); 0 for no replica.

    References
    ----------
    Course model (chapter 04): a bottleneck link shared fairly (the slower of the server's
    upload and the replicas' total download sets the rate).

    Examples
    --------
    >>> round(central_rebuild_seconds(25_000, 9_000_000, 200, 125e6) / 86400, 1)  # days
    4.2
    """
    replicas = check_int("replicas", replicas, minimum=0)
    records = check_int("records", records, minimum=1)
    record_bytes = check_real("record_bytes", record_bytes, 0, open_min=True)
    central_bandwidth = check_real("central_bandwidth", central_bandwidth, 0, open_min=True)
    replica_bandwidth = check_real("replica_bandwidth", replica_bandwidth, 0, open_min=True)
    if replicas == 0:
        return 0.0
    rate = min(central_bandwidth, replicas * replica_bandwidth)
    return replicas * records * record_bytes / rate


@dataclass(frozen=True, eq=False)
class DesyncResult:
    """Outcome of :func:`desync`: repair by anti-entropy vs a rebuild from a central copy.

    Attributes
    ----------
    replicas, records : int
        Replicas of the directory (replicas) and records in each (records).
    method, protocol : str
        Reconciliation method (:data:`p2plib.gossip.METHODS`) and gossip protocol.
    behind : float
        Records a rolled-back replica is missing (changed since its snapshot; records).
    time : numpy.ndarray
        Time since the restart, at the start and after each anti-entropy round (seconds).
    stale_replicas : numpy.ndarray of int64
        Rolled-back replicas not yet repaired, at each ``time`` (replicas).
    divergence : numpy.ndarray
        Mean records out of date per replica at each ``time`` (records).
    round_seconds : float
        Length of a round: the gossip period, or one session if that takes longer (seconds).
    session_bytes : float
        Bytes of a session between a repaired and a rolled-back replica (bytes).
    repair_seconds, repair_bytes : float
        Time until every replica is repaired (seconds; ``inf`` if no replica kept a fresh
        copy) and the bytes all sessions sent meanwhile (bytes).
    rebuild_seconds, rebuild_bytes : float
        The same for reloading the rolled-back replicas (or all, see ``rebuild_all``) from a
        central copy (seconds, bytes).
    rounds : int
        Anti-entropy rounds (a property).

    References
    ----------
    Course model (chapter 04), built on Demers et al., PODC 1987 (anti-entropy).

    Examples
    --------
    >>> r = desync(replicas=1000, records=10_000, seed=1)
    >>> r.stale_replicas[0], r.stale_replicas[-1], r.time[0]
    (np.int64(300), np.int64(0), np.float64(0.0))
    """

    replicas: int
    records: int
    method: str
    protocol: str
    behind: float
    time: np.ndarray
    stale_replicas: np.ndarray
    divergence: np.ndarray
    round_seconds: float
    session_bytes: float
    repair_seconds: float
    repair_bytes: float
    rebuild_seconds: float
    rebuild_bytes: float

    @property
    def rounds(self) -> int:
        """Anti-entropy rounds."""
        return len(self.time) - 1

    def __repr__(self) -> str:
        return (f"DesyncResult({self.replicas:,} replicas x {self.records:,} records, "
                f"{self.method}/{self.protocol}: {self.behind:,.0f} records behind; repair "
                f"{_human(self.repair_seconds)}, rebuild {_human(self.rebuild_seconds)})")


def _human(seconds: float) -> str:
    if not math.isfinite(seconds):
        return "impossible"
    for unit, size in (("days", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds / size:.1f} {unit}"
    return f"{seconds:.0f} s"


@dataclass(frozen=True)
class _Storm:
    """The checked parameters of :func:`desync` and what follows from them before any round."""

    replicas: int
    records: int
    restart_fraction: float
    rollback_age: float
    update_rate: float
    bandwidth: float
    method: str
    protocol: str
    gossip_period: float
    rtt: float
    record_bytes: float
    central_bandwidth: float
    download_bandwidth: float
    rebuild_all: bool
    digest_bytes: float
    hash_bytes: float
    fanout: int

    @classmethod
    def checked(cls, **kw) -> _Storm:
        for name in ("replicas", "records"):
            kw[name] = check_int(name, kw[name], minimum=2 if name == "replicas" else 1)
        kw["restart_fraction"] = check_real("restart_fraction", kw["restart_fraction"], 0, 1)
        for name in ("rollback_age", "update_rate", "rtt"):
            kw[name] = check_real(name, kw[name], 0)
        for name in ("bandwidth", "gossip_period", "record_bytes", "central_bandwidth",
                     "download_bandwidth"):
            kw[name] = check_real(name, kw[name], 0, open_min=True)
        kw["method"] = check_choice("method", kw["method"], METHODS)
        kw["protocol"] = check_choice("protocol", kw["protocol"], PROTOCOLS)
        return cls(**kw)

    def session(self, differences) -> float:
        """Bytes of one session between replicas that differ in ``differences`` records."""
        return session_bytes(self.records, differences, self.method, self.record_bytes,
                             self.digest_bytes, self.hash_bytes, self.fanout, self.protocol)

    @property
    def behind(self) -> float:
        return records_changed(self.records, self.update_rate, self.rollback_age)

    @property
    def rolled_back(self) -> int:
        """Replicas that rolled back and miss something (none if nothing changed)."""
        return round(self.restart_fraction * self.replicas) if self.behind >= 0.5 else 0

    @property
    def round_seconds(self) -> float:
        trips = session_round_trips(self.records, self.method, self.fanout)
        return max(self.gossip_period, self.session(self.behind) / self.bandwidth
                   + trips * self.rtt)


def _stale_per_round(storm: _Storm, rng) -> np.ndarray:
    """Rolled-back replicas not yet repaired: before round 1, then after each round."""
    rolled, replicas = storm.rolled_back, storm.replicas
    if rolled == 0 or rolled == replicas:   # nothing to repair, or no fresh copy left
        return np.array([rolled], dtype=np.int64)
    fresh = np.zeros(replicas, dtype=bool)
    fresh[rolled:] = True
    return replicas - spread_from(fresh, storm.protocol, seed=rng).informed


def _repair_cost(storm: _Storm, stale: np.ndarray) -> tuple[float, float]:
    """Seconds and bytes until every replica is repaired (``inf`` if never).

    With a share ``s`` of replicas still behind, ``2 s (1 - s)`` of a round's sessions pair a
    stale with a fresh replica; the rest compare equal copies.
    """
    if stale[-1] > 0:
        return math.inf, math.inf
    share = stale[:-1] / storm.replicas
    mixed = 2 * share * (1 - share)
    per_round = storm.replicas * (mixed * storm.session(storm.behind)
                                  + (1 - mixed) * storm.session(0))
    return (len(stale) - 1) * storm.round_seconds, float(per_round.sum())


def _rebuild_cost(storm: _Storm) -> tuple[float, float]:
    """Seconds and bytes to reload the rolled-back (or all) replicas from the central copy."""
    to_rebuild = storm.replicas if storm.rebuild_all else storm.rolled_back
    seconds = central_rebuild_seconds(to_rebuild, storm.records, storm.record_bytes,
                                      storm.central_bandwidth, storm.download_bandwidth)
    return seconds, float(to_rebuild) * storm.records * storm.record_bytes


def _result(storm: _Storm, stale: np.ndarray) -> DesyncResult:
    """The storm's outcome, from the stale replicas after each round of repair."""
    (repair_s, repair_b), (rebuild_s, rebuild_b) = _repair_cost(storm, stale), _rebuild_cost(storm)
    return DesyncResult(
        storm.replicas, storm.records, storm.method, storm.protocol, float(storm.behind),
        (np.arange(len(stale)) * storm.round_seconds).astype(float), stale.astype(np.int64),
        stale / storm.replicas * storm.behind, float(storm.round_seconds),
        float(storm.session(storm.behind)), float(repair_s), float(repair_b), float(rebuild_s),
        rebuild_b)


def desync(replicas=10_000, records=1_000_000, restart_fraction=0.3, rollback_age=3600.0,
           update_rate=1000.0, bandwidth=125e3, method="merkle", protocol="push-pull",
           gossip_period=60.0, rtt=0.2, record_bytes=100, central_bandwidth=125e6,
           download_bandwidth=1e6, rebuild_all=False, digest_bytes=16, hash_bytes=20, fanout=16,
           seed=None) -> DesyncResult:
    """A restart storm: some replicas restore an old snapshot; repair them or rebuild?

    At time 0 a share ``restart_fraction`` of the replicas restore a snapshot ``rollback_age``
    old; users kept changing records meanwhile, so each is behind by :func:`records_changed`.
    **Repair**: rounds of :func:`p2plib.gossip.spread_from` from the replicas that kept a fresh
    copy; one session with a fresh replica repairs a stale one. A round lasts ``gossip_period``,
    or one session if longer (``session_bytes / bandwidth + round_trips * rtt``; sessions run
    in parallel, each replica serves about one: a model assumption). **Rebuild**: the
    rolled-back replicas (all if ``rebuild_all``) reload the whole copy from one central server
    (:func:`central_rebuild_seconds`). Updates after the restart are not counted.

    Parameters
    ----------
    replicas, records : int
        Replicas of the directory (``>= 2``; a model assumption) and records each holds
        (``>= 1``).
    restart_fraction : float
        Share of replicas that roll back, in ``[0, 1]``.
    rollback_age : float
        Age of the restored snapshot, ``>= 0`` (seconds).
    update_rate : float
        Record changes (logins, logouts, address changes), ``>= 0`` (updates/s).
    bandwidth : float
        Upload bandwidth of a replica, ``> 0`` (bytes/s; 125e3 = 1 Mbit/s).
    method : {"full", "digest", "merkle"}
        Reconciliation method (:func:`p2plib.gossip.session_bytes`).
    protocol : {"push", "pull", "push-pull"}
        How calls are used.
    gossip_period, rtt : float
        Seconds between a replica's sessions (``> 0``) and the round-trip time (``>= 0``).
    record_bytes : float
        Bytes per record, ``> 0`` (bytes).
    central_bandwidth, download_bandwidth : float
        Upload of the central copy (125e6 = 1 Gbit/s) and download of a replica during a
        rebuild (1e6 = 8 Mbit/s ADSL, a model assumption), ``> 0`` (bytes/s).
    rebuild_all : bool
        Rebuild every replica, not only the rolled-back ones.
    digest_bytes, hash_bytes, fanout
        As in :func:`p2plib.gossip.session_bytes` (bytes, bytes, children per node).
    seed : None, int or numpy.random.Generator
        Source of randomness.

    Returns
    -------
    DesyncResult
        The divergence over time, and the time and bytes of repair and of rebuild.

    References
    ----------
    Course model (chapter 04), built on Demers et al., PODC 1987 (anti-entropy) and Merkle
    trees as in DeCandia et al., SOSP 2007.

    Examples
    --------
    >>> r = desync(replicas=25_000, records=10**6, restart_fraction=0.5, rollback_age=300,
    ...            update_rate=200, seed=1)
    >>> r
    DesyncResult(25,000 replicas x 1,000,000 records, merkle/push-pull: 58,235 records behind; \
repair 7.9 min, rebuild 2.8 h)
    >>> r.stale_replicas[0], r.stale_replicas[-1]
    (np.int64(12500), np.int64(0))
    """
    storm = _Storm.checked(
        replicas=replicas, records=records, restart_fraction=restart_fraction,
        rollback_age=rollback_age, update_rate=update_rate, bandwidth=bandwidth, method=method,
        protocol=protocol, gossip_period=gossip_period, rtt=rtt, record_bytes=record_bytes,
        central_bandwidth=central_bandwidth, download_bandwidth=download_bandwidth,
        rebuild_all=rebuild_all, digest_bytes=digest_bytes, hash_bytes=hash_bytes,
        fanout=fanout)
    return _result(storm, _stale_per_round(storm, as_rng(seed)))


@dataclass(frozen=True, eq=False)
class RepairComparison:
    """One restart storm repaired by each reconciliation method (:func:`compare_repair`).

    Attributes
    ----------
    full, digest, merkle : DesyncResult
        The storm repaired by full comparison, digests and a Merkle tree.
    by_method : dict of str -> DesyncResult
        The three keyed by method, in :data:`p2plib.gossip.METHODS` order (a property).
    rebuild_seconds : float
        Time to rebuild the rolled-back replicas from the central copy, the same for every
        method (seconds; a property).

    References
    ----------
    Course model (chapter 04): :func:`desync` for each method.

    Examples
    --------
    >>> c = compare_repair(replicas=1000, records=10_000, seed=1)
    >>> list(c.by_method), c.merkle.repair_seconds <= c.full.repair_seconds
    (['full', 'digest', 'merkle'], True)
    """

    full: DesyncResult
    digest: DesyncResult
    merkle: DesyncResult

    @property
    def by_method(self) -> dict:
        """The three results keyed by method, in :data:`p2plib.gossip.METHODS` order."""
        return {"full": self.full, "digest": self.digest, "merkle": self.merkle}

    @property
    def rebuild_seconds(self) -> float:
        """Time to rebuild the rolled-back replicas from the central copy (seconds)."""
        return self.merkle.rebuild_seconds


def compare_repair(replicas=10_000, records=1_000_000, restart_fraction=0.3,
                   rollback_age=3600.0, churn_per_hour=0.1, bandwidth=125e3,
                   central_bandwidth=125e6, seed=None) -> RepairComparison:
    """One restart storm repaired by full comparison, digests and a Merkle tree.

    Runs :func:`desync` once per method with the same storm; the churn is given as record
    updates per hour, as a share of the records (0.1: updates amounting to 10 % of the
    records each hour, at random records), so ``update_rate = churn_per_hour * records /
    3600`` updates per second. The other parameters of :func:`desync` keep their defaults.

    Parameters
    ----------
    replicas : int
        Replicas of the directory, ``>= 2`` (replicas).
    records : int
        Records each replica holds, ``>= 1`` (records).
    restart_fraction : float
        Share of replicas that roll back, in ``[0, 1]``.
    rollback_age : float
        Age of the restored snapshot, ``>= 0`` (seconds).
    churn_per_hour : float
        Record updates per hour as a share of the records, ``>= 0`` (per hour).
    bandwidth, central_bandwidth : float
        Upload of a replica and of the central copy, ``> 0`` (bytes/s).
    seed : None, int or numpy.random.Generator
        Source of randomness: each method runs with this seed (with an int, each repair
        sees the same gossip rounds).

    Returns
    -------
    RepairComparison
        One :class:`DesyncResult` per method.

    References
    ----------
    Course model (chapter 04): :func:`desync`.

    Examples
    --------
    >>> c = compare_repair(replicas=2000, records=100_000, churn_per_hour=0.1, seed=1)
    >>> c.merkle
    DesyncResult(2,000 replicas x 100,000 records, merkle/push-pull: 9,516 records behind; \
repair 3.0 min, rebuild 48 s)
    >>> c.merkle.repair_seconds < c.full.repair_seconds
    True
    """
    records = check_int("records", records, minimum=1)
    churn_per_hour = check_real("churn_per_hour", churn_per_hour, 0)
    as_rng(seed)   # check the seed once, before any run
    update_rate = churn_per_hour * records / 3600
    runs = [desync(replicas=replicas, records=records, restart_fraction=restart_fraction,
                   rollback_age=rollback_age, update_rate=update_rate, bandwidth=bandwidth,
                   method=method, central_bandwidth=central_bandwidth, seed=seed)
            for method in METHODS]
    return RepairComparison(*runs)
