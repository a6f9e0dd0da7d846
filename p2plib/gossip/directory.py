"""A replicated directory: anti-entropy, what reconciliation costs, and repair vs rebuild.

A *directory* maps each user to a presence/address record carrying a version number (who is
online, and where to reach them). Replicas hold copies; :mod:`p2plib.gossip.epidemic` says how fast
an update spreads, this module says what it costs in bytes and seconds to bring replicas that
*disagree* back into agreement.

* :func:`session_bytes`: bytes one pairwise reconciliation costs when two replicas of
  ``records`` records differ in ``differences`` of them, by **full** comparison (ship the whole
  copy), **digest** (ship key + version of every record, then the records that differ) or a
  **Merkle** tree (compare hashes top-down, descend only into subtrees that differ; Merkle
  1987; as in Amazon's Dynamo, DeCandia et al. SOSP 2007).
* :func:`directory_anti_entropy`: an exact simulation of anti-entropy (push, pull or
  push-pull; Demers et al., PODC 1987) over a small directory, with the bytes of each method.
* :func:`desync`: a restart storm in which a share of the replicas restore an old snapshot
  while users keep logging in; the divergence over time, and the time and bytes to reconverge
  by incremental anti-entropy against a full rebuild from a central copy.

Every size, rate and bandwidth here is a parameter: Skype never published its directory's
design, so the chapter shows answers over plausible ranges (model assumptions).

Examples
--------
>>> from p2plib.gossip.directory import session_bytes
>>> int(session_bytes(1_000_000, 10, "full", protocol="push"))   # 10^6 records x 100 bytes
100000000
>>> session_bytes(1_000_000, 10, "merkle") < 20_000
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from p2plib._validate import as_rng, check_array, check_choice, check_int, check_real
from p2plib.gossip.epidemic import PROTOCOLS, _spread_state

__all__ = [
    "METHODS",
    "AntiEntropyResult",
    "DesyncResult",
    "central_rebuild_seconds",
    "desync",
    "directory_anti_entropy",
    "merkle_depth",
    "records_changed",
    "session_bytes",
    "session_round_trips",
]

#: Reconciliation methods understood by :func:`session_bytes`.
METHODS = ("full", "digest", "merkle")


def merkle_depth(records, fanout=16) -> int:
    """Levels below the root of a Merkle tree with one record per leaf: ``ceil(log_b records)``.

    Examples
    --------
    >>> merkle_depth(1_000_000, 16)
    5
    """
    records = check_int("records", records, minimum=1)
    fanout = check_int("fanout", fanout, minimum=2)
    depth, width = 0, 1
    while width < records:
        width *= fanout
        depth += 1
    return depth


def session_bytes(records, differences, method="digest", record_bytes=100, digest_bytes=16,
                  hash_bytes=20, fanout=16, protocol="push-pull"):
    """Bytes one anti-entropy session costs between two replicas that differ in some records.

    Parameters
    ----------
    records : int
        Records each replica holds, ``>= 1``.
    differences : int or array_like
        Records in which the two replicas differ, in ``[0, records]``.
    method : {"full", "digest", "merkle"}
        * full: ship the whole copy, ``records * record_bytes`` (each way for push-pull);
        * digest: ship ``key + version`` of every record, ``records * digest_bytes``, then the
          records that differ;
        * merkle: exchange the root hash; at each level, the ``fanout`` child hashes of every
          node whose hash differs; then the records that differ. With ``d`` differences spread
          at random, a level of ``B`` nodes has ``B (1 - (1 - 1/B)**d)`` differing nodes in
          expectation.
    record_bytes, digest_bytes, hash_bytes : float
        Sizes in bytes (model assumptions: 100-byte presence record, 8-byte key + 8-byte
        version, 20-byte SHA-1).
    fanout : int
        Children per Merkle node, ``>= 2``.
    protocol : {"push", "pull", "push-pull"}
        Only changes "full": push-pull ships both copies.

    Returns
    -------
    float or numpy.ndarray
        Bytes per session, the shape of ``differences``.

    Examples
    --------
    >>> int(session_bytes(1000, 0, "digest"))
    16000
    >>> int(session_bytes(1000, 0, "merkle"))   # identical replicas: the root hashes agree
    20
    """
    records = check_int("records", records, minimum=1)
    method = check_choice("method", method, METHODS)
    protocol = check_choice("protocol", protocol, PROTOCOLS)
    for name, value in (("record_bytes", record_bytes), ("digest_bytes", digest_bytes),
                        ("hash_bytes", hash_bytes)):
        check_real(name, value, 0)
    fanout = check_int("fanout", fanout, minimum=2)
    d = check_array("differences", differences, 0, records)
    if method == "full":
        out = records * record_bytes * (2.0 if protocol == "push-pull" else 1.0) + 0 * d
    elif method == "digest":
        out = records * digest_bytes + d * record_bytes
    else:
        hashes = np.ones_like(d)  # the root
        width = 1
        for _ in range(merkle_depth(records, fanout)):
            touched = width * -np.expm1(d * np.log1p(-1.0 / width)) if width > 1 else (d > 0)
            hashes = hashes + fanout * touched
            width *= fanout
        out = hashes * hash_bytes + d * record_bytes
    return float(out) if np.ndim(out) == 0 else out


def session_round_trips(records, method="digest", fanout=16) -> int:
    """Request/answer round trips of one session: 1 (full), 2 (digest), tree depth + 1 (Merkle).

    Examples
    --------
    >>> session_round_trips(1_000_000, "merkle")
    6
    """
    method = check_choice("method", method, METHODS)
    if method == "full":
        return 1
    if method == "digest":
        return 2
    return merkle_depth(records, fanout) + 1


def records_changed(records, update_rate, seconds):
    """Distinct records changed in ``seconds`` when ``update_rate`` updates/s hit random records.

    ``records * (1 - exp(-update_rate * seconds / records))``: the occupancy of ``records``
    bins by Poisson arrivals. This is how far a replica restored from a snapshot ``seconds``
    old is behind.

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

    Each replica downloads the whole copy; the central server's ``central_bandwidth`` (bytes/s)
    is shared, and no replica receives faster than ``replica_bandwidth`` (bytes/s):
    ``replicas * records * record_bytes / min(central_bandwidth, replicas * replica_bandwidth)``.

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


# --- exact anti-entropy over a small directory ----------------------------------------------


@dataclass(frozen=True, eq=False)
class AntiEntropyResult:
    """Outcome of :func:`directory_anti_entropy`.

    Attributes
    ----------
    stale_replicas : numpy.ndarray
        Replicas that disagree with the newest version of some record: before round 1, then
        after each round (ends at 0 when converged).
    stale_entries : numpy.ndarray
        (replica, record) pairs out of date, same rounds.
    bytes : dict of method -> numpy.ndarray
        Bytes sent in each round by each reconciliation method (length ``rounds``).
    """

    protocol: str
    stale_replicas: np.ndarray
    stale_entries: np.ndarray
    bytes: dict

    @property
    def rounds(self) -> int:
        return len(self.stale_replicas) - 1


def directory_anti_entropy(versions, protocol="push-pull", seed=None, record_bytes=100,
                           digest_bytes=16, hash_bytes=20, fanout=16,
                           max_rounds=1000) -> AntiEntropyResult:
    """Anti-entropy over a directory until every replica holds the newest version of each record.

    ``versions[r, u]`` is the version of user ``u``'s record held by replica ``r``. In each
    round every replica calls a random other replica (Demers et al. 1987); push: the callee
    takes the newer of each record; pull: the caller does; push-pull: both. A full exchange
    resolves every difference of the pair in one session. The bytes each session would cost
    are counted for all three :data:`METHODS` from the pair's actual differences.

    Parameters
    ----------
    versions : array_like of int, shape (replicas, records)
        At least 2 replicas. Not modified.
    protocol : {"push", "pull", "push-pull"}
    seed : None, int or numpy.random.Generator
    record_bytes, digest_bytes, hash_bytes, fanout
        As in :func:`session_bytes`.
    max_rounds : int
        Stop after this many rounds even if not converged.

    Returns
    -------
    AntiEntropyResult

    Examples
    --------
    >>> v = np.zeros((50, 200), dtype=np.int64)
    >>> v[0, :10] = 1                        # replica 0 has ten new records
    >>> result = directory_anti_entropy(v, "pull", seed=1)
    >>> int(result.stale_replicas[0]), int(result.stale_replicas[-1])
    (49, 0)
    """
    versions = np.array(versions)
    if versions.ndim != 2 or versions.shape[0] < 2 or not np.issubdtype(versions.dtype,
                                                                         np.integer):
        raise ValueError("versions must be an integer array of shape (replicas >= 2, records)")
    protocol = check_choice("protocol", protocol, PROTOCOLS)
    max_rounds = check_int("max_rounds", max_rounds, minimum=0)
    rng = as_rng(seed)
    replicas, records = versions.shape
    newest = versions.max(axis=0)
    everyone = np.arange(replicas)
    v = versions.copy()
    stale = [(v != newest).any(axis=1).sum()]
    entries = [(v != newest).sum()]
    sent = {m: [] for m in METHODS}
    while stale[-1] > 0 and len(sent["full"]) < max_rounds:
        partner = rng.integers(0, replicas - 1, size=replicas)
        partner += partner >= everyone
        old = v.copy()
        differences = (old != old[partner]).sum(axis=1)
        for m in METHODS:
            cost = session_bytes(records, differences, m, record_bytes, digest_bytes,
                                 hash_bytes, fanout, protocol)
            sent[m].append(float(np.sum(cost)))
        if protocol in ("pull", "push-pull"):
            v = np.maximum(v, old[partner])
        if protocol in ("push", "push-pull"):
            # callees called by several replicas: merge one layer of distinct callees at a time
            order = np.argsort(partner, kind="stable")
            callee = partner[order]
            rank = np.arange(replicas) - np.searchsorted(callee, callee)
            for layer in range(int(rank.max()) + 1):
                pick = order[rank == layer]
                v[partner[pick]] = np.maximum(v[partner[pick]], old[pick])
        stale.append((v != newest).any(axis=1).sum())
        entries.append((v != newest).sum())
    return AntiEntropyResult(protocol, np.asarray(stale, dtype=np.int64),
                             np.asarray(entries, dtype=np.int64),
                             {m: np.asarray(b) for m, b in sent.items()})


# --- the desync scenario ---------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class DesyncResult:
    """Outcome of :func:`desync`: repair by anti-entropy vs a rebuild from a central copy.

    Attributes
    ----------
    behind : float
        Records a rolled-back replica is missing (changed since its snapshot).
    time : numpy.ndarray
        Seconds since the restart, at the start and after each anti-entropy round.
    stale_replicas : numpy.ndarray
        Rolled-back replicas not yet repaired, at each ``time``.
    divergence : numpy.ndarray
        Mean records out of date per replica at each ``time``.
    round_seconds : float
        Length of a round: the gossip period, or one session if that takes longer.
    session_bytes : float
        Bytes of a session between a repaired and a rolled-back replica.
    repair_seconds, repair_bytes : float
        Time until every replica is repaired (``inf`` if no replica kept a fresh copy) and the
        bytes all sessions sent meanwhile.
    rebuild_seconds, rebuild_bytes : float
        The same for reloading the rolled-back replicas (or all, see ``rebuild_all``) from a
        central copy.
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


def desync(replicas=10_000, records=1_000_000, restart_fraction=0.3, rollback_age=3600.0,
           update_rate=1000.0, bandwidth=125e3, method="merkle", protocol="push-pull",
           gossip_period=60.0, rtt=0.2, record_bytes=100, central_bandwidth=125e6,
           download_bandwidth=1e6, rebuild_all=False, digest_bytes=16, hash_bytes=20, fanout=16,
           seed=None) -> DesyncResult:
    """A restart storm: some replicas restore an old snapshot; repair them or rebuild?

    At time 0 a share ``restart_fraction`` of the ``replicas`` restart and restore a snapshot
    ``rollback_age`` seconds old. Users kept logging in meanwhile (``update_rate`` record
    changes per second at random records), so each rolled-back replica is behind by
    :func:`records_changed` records; new updates after the restart reach every replica by
    rumor mongering as usual, and are not counted here.

    **Repair** (incremental anti-entropy): rounds of :func:`p2plib.gossip.spread` in which
    the replicas that kept a fresh copy are the informed ones. A rolled-back replica is
    repaired by one session with a fresh one. A round lasts ``gossip_period`` seconds, or as
    long as a session needs if longer: ``session_bytes / bandwidth + round_trips * rtt``
    (sessions of one round run in parallel; each replica serves about one, a model
    assumption). The bytes of a round count every replica's session: with a share ``s`` of
    replicas still behind, ``2 s (1 - s)`` of the sessions pair a stale with a fresh replica,
    the rest compare equal copies (which costs nothing extra only for Merkle trees).

    **Rebuild**: every rolled-back replica (all replicas if ``rebuild_all``) reloads the whole
    copy from one central server (:func:`central_rebuild_seconds`).

    Parameters
    ----------
    replicas : int
        Replicas of the directory, ``>= 2`` (model assumption; Skype never published how many
        supernodes held directory data).
    records : int
        Records each replica holds, ``>= 1``.
    restart_fraction : float
        Share of replicas that roll back, in ``[0, 1]``.
    rollback_age : float
        Age of the restored snapshot, seconds, ``>= 0``.
    update_rate : float
        Record changes per second (logins, logouts, address changes), ``>= 0``.
    bandwidth : float
        Upload bandwidth of a replica, bytes/s (125e3 = 1 Mbit/s).
    method : {"full", "digest", "merkle"}
        Reconciliation method (:func:`session_bytes`).
    protocol : {"push", "pull", "push-pull"}
    gossip_period : float
        Seconds between a replica's anti-entropy sessions, ``> 0``.
    rtt : float
        Round-trip time between replicas, seconds.
    record_bytes : float
        Bytes per record.
    central_bandwidth : float
        Upload bandwidth of the central copy, bytes/s (125e6 = 1 Gbit/s).
    download_bandwidth : float
        Download bandwidth of a replica during a rebuild, bytes/s (1e6 = 8 Mbit/s ADSL, a
        model assumption).
    rebuild_all : bool
        Rebuild every replica, not only the rolled-back ones.
    digest_bytes, hash_bytes, fanout
        As in :func:`session_bytes`.
    seed : None, int or numpy.random.Generator

    Returns
    -------
    DesyncResult

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
    replicas = check_int("replicas", replicas, minimum=2)
    records = check_int("records", records, minimum=1)
    restart_fraction = check_real("restart_fraction", restart_fraction, 0, 1)
    rollback_age = check_real("rollback_age", rollback_age, 0)
    update_rate = check_real("update_rate", update_rate, 0)
    bandwidth = check_real("bandwidth", bandwidth, 0, open_min=True)
    method = check_choice("method", method, METHODS)
    protocol = check_choice("protocol", protocol, PROTOCOLS)
    gossip_period = check_real("gossip_period", gossip_period, 0, open_min=True)
    rtt = check_real("rtt", rtt, 0)
    record_bytes = check_real("record_bytes", record_bytes, 0, open_min=True)
    central_bandwidth = check_real("central_bandwidth", central_bandwidth, 0, open_min=True)
    download_bandwidth = check_real("download_bandwidth", download_bandwidth, 0, open_min=True)
    rng = as_rng(seed)
    behind = records_changed(records, update_rate, rollback_age)
    # nothing changed since the snapshot: nothing to repair
    rolled_effective = round(restart_fraction * replicas) if behind >= 0.5 else 0
    cost = lambda d: session_bytes(records, d, method, record_bytes, digest_bytes,  # noqa: E731
                                   hash_bytes, fanout, protocol)
    pair = cost(behind)
    equal = cost(0)
    trips = session_round_trips(records, method, fanout)
    round_seconds = max(gossip_period, pair / bandwidth + trips * rtt)
    if rolled_effective == 0:
        stale = np.array([0], dtype=np.int64)
    elif rolled_effective == replicas:
        stale = np.array([replicas], dtype=np.int64)
    else:
        fresh = np.zeros(replicas, dtype=bool)
        fresh[rolled_effective:] = True
        counts, _ = _spread_state(fresh, protocol, rng)
        stale = replicas - counts
    share = stale[:-1] / replicas
    mixed = 2 * share * (1 - share)
    per_round = replicas * (mixed * pair + (1 - mixed) * equal)
    if stale[-1] > 0:
        repair_seconds, repair_bytes = math.inf, math.inf
    else:
        repair_seconds = (len(stale) - 1) * round_seconds
        repair_bytes = float(per_round.sum())
    time = np.arange(len(stale)) * round_seconds
    divergence = stale / replicas * behind
    to_rebuild = replicas if rebuild_all else rolled_effective
    rebuild_seconds = central_rebuild_seconds(to_rebuild, records, record_bytes,
                                              central_bandwidth, download_bandwidth)
    rebuild_bytes = float(to_rebuild) * records * record_bytes
    return DesyncResult(replicas, records, method, protocol, float(behind), time.astype(float),
                        stale.astype(np.int64), divergence, float(round_seconds), float(pair),
                        float(repair_seconds), float(repair_bytes), float(rebuild_seconds),
                        rebuild_bytes)
