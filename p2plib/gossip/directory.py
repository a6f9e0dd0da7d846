"""A replicated directory: what bringing two replicas into agreement costs, and anti-entropy.

A *directory* maps each user to a presence/address record carrying a version number (who is
online, and where to reach them). Replicas hold copies; :mod:`p2plib.gossip.epidemic` says how
fast an update spreads, this module says what it costs in bytes to bring replicas that
*disagree* back into agreement.

* :func:`session_bytes`: bytes one pairwise reconciliation costs when two replicas of
  ``records`` records differ in ``differences`` of them, by **full** comparison (ship the whole
  copy), **digest** (ship key + version of every record, then the records that differ) or a
  **Merkle** tree (compare hashes top-down, descend only into subtrees that differ; Merkle
  1987; as in Amazon's Dynamo, DeCandia et al. SOSP 2007); :func:`session_round_trips` and
  :func:`merkle_depth` go with it.
* :func:`directory_anti_entropy`: an exact simulation of anti-entropy (push, pull or
  push-pull; Demers et al., PODC 1987) over a small directory, with the bytes of each method.

Every size here is a parameter: Skype never published its directory's design, so the chapter
shows answers over plausible ranges (model assumptions).

Examples
--------
>>> from p2plib.gossip import session_bytes
>>> int(session_bytes(1_000_000, 10, "full", protocol="push"))   # 10^6 records x 100 bytes
100000000
>>> session_bytes(1_000_000, 10, "merkle") < 20_000
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from p2plib._validate import as_rng, check_array, check_choice, check_int, check_real
from p2plib.gossip.epidemic import PROTOCOLS

__all__ = [
    "METHODS",
    "AntiEntropyResult",
    "directory_anti_entropy",
    "merkle_depth",
    "session_bytes",
    "session_round_trips",
]

#: Reconciliation methods understood by :func:`session_bytes`.
METHODS = ("full", "digest", "merkle")


def merkle_depth(records, fanout=16) -> int:
    """Levels below the root of a Merkle tree with one record per leaf: ``ceil(log_b records)``.

    Parameters
    ----------
    records : int
        Records (leaves), ``>= 1``.
    fanout : int
        Children per node ``b``, ``>= 2``.

    Returns
    -------
    int
        Tree depth (levels below the root; 0 for a single record).

    References
    ----------
    Merkle, "A digital signature based on a conventional encryption function", CRYPTO 1987.

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


def _merkle_hashes(records: int, d: np.ndarray, fanout: int) -> np.ndarray:
    """Expected hashes exchanged: the root, then ``fanout`` children of each differing node."""
    hashes = np.ones_like(d)  # the root
    width = 1
    for _ in range(merkle_depth(records, fanout)):
        touched = width * -np.expm1(d * np.log1p(-1.0 / width)) if width > 1 else (d > 0)
        hashes = hashes + fanout * touched
        width *= fanout
    return hashes


def session_bytes(records, differences, method="digest", record_bytes=100, digest_bytes=16,
                  hash_bytes=20, fanout=16, protocol="push-pull"):
    """Bytes one anti-entropy session costs between two replicas that differ in some records.

    * full: ship the whole copy, ``records * record_bytes`` (each way for push-pull);
    * digest: ship ``key + version`` of every record, ``records * digest_bytes``, then the
      records that differ;
    * merkle: exchange the root hash; at each level, the ``fanout`` child hashes of every node
      whose hash differs; then the records that differ. With ``d`` differences spread at
      random, a level of ``B`` nodes has ``B (1 - (1 - 1/B)**d)`` differing nodes in
      expectation.

    Parameters
    ----------
    records : int
        Records each replica holds, ``>= 1`` (records).
    differences : int or array_like
        Records in which the two replicas differ, in ``[0, records]`` (records).
    method : {"full", "digest", "merkle"}
        Reconciliation method (:data:`METHODS`).
    record_bytes, digest_bytes, hash_bytes : float
        Sizes, ``>= 0`` (bytes; model assumptions: 100-byte presence record, 8-byte key +
        8-byte version, 20-byte SHA-1).
    fanout : int
        Children per Merkle node, ``>= 2``.
    protocol : {"push", "pull", "push-pull"}
        Only changes "full": push-pull ships both copies.

    Returns
    -------
    float or numpy.ndarray
        Bytes per session (bytes), the shape of ``differences``.

    References
    ----------
    Demers et al., PODC 1987 (anti-entropy by full comparison and by checksums); Merkle,
    CRYPTO 1987; DeCandia et al., "Dynamo", SOSP 2007 (Merkle trees for anti-entropy).

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
        out = _merkle_hashes(records, d, fanout) * hash_bytes + d * record_bytes
    return float(out) if np.ndim(out) == 0 else out


def session_round_trips(records, method="digest", fanout=16) -> int:
    """Request/answer round trips of one session: 1 (full), 2 (digest), tree depth + 1 (Merkle).

    Parameters
    ----------
    records : int
        Records each replica holds, ``>= 1`` (records).
    method : {"full", "digest", "merkle"}
        Reconciliation method.
    fanout : int
        Children per Merkle node, ``>= 2``.

    Returns
    -------
    int
        Round trips (each costs one network round-trip time).

    References
    ----------
    Course model (chapter 04): one round trip per exchange of :func:`session_bytes`; a Merkle
    comparison descends one level per round trip (Merkle 1987; DeCandia et al. 2007).

    Examples
    --------
    >>> session_round_trips(1_000_000, "merkle")
    6
    """
    method = check_choice("method", method, METHODS)
    records = check_int("records", records, minimum=1)
    if method == "full":
        return 1
    if method == "digest":
        return 2
    return merkle_depth(records, fanout) + 1


@dataclass(frozen=True, eq=False)
class AntiEntropyResult:
    """Outcome of :func:`directory_anti_entropy`, round by round.

    Attributes
    ----------
    protocol : str
        ``"push"``, ``"pull"`` or ``"push-pull"``.
    stale_replicas : numpy.ndarray of int64
        Replicas that disagree with the newest version of some record: before round 1, then
        after each round; ends at 0 when converged (replicas).
    stale_entries : numpy.ndarray of int64
        (replica, record) pairs out of date, same rounds (entries).
    bytes : dict of method -> numpy.ndarray
        Bytes sent in each round by each reconciliation method of :data:`METHODS` (length
        ``rounds``; bytes).
    rounds : int
        Rounds run (a property).

    References
    ----------
    Demers et al., "Epidemic algorithms for replicated database maintenance", PODC 1987.

    Examples
    --------
    >>> v = np.zeros((10, 20), dtype=np.int64)
    >>> v[0, 0] = 1
    >>> sorted(directory_anti_entropy(v, seed=1).bytes)
    ['digest', 'full', 'merkle']
    """

    protocol: str
    stale_replicas: np.ndarray
    stale_entries: np.ndarray
    bytes: dict

    @property
    def rounds(self) -> int:
        """Rounds run."""
        return len(self.stale_replicas) - 1


def _check_versions(versions) -> np.ndarray:
    versions = np.array(versions)
    if versions.ndim != 2 or versions.shape[0] < 2 or not np.issubdtype(versions.dtype,
                                                                         np.integer):
        raise ValueError("versions must be an integer array of shape (replicas >= 2, records)")
    return versions


def _merge_round(v: np.ndarray, partner: np.ndarray, protocol: str) -> np.ndarray:
    """One round's merges: callers pull the newer records, callees take the pushed ones."""
    old = v.copy()
    if protocol in ("pull", "push-pull"):
        v = np.maximum(v, old[partner])
    if protocol in ("push", "push-pull"):
        # callees called by several replicas: merge one layer of distinct callees at a time
        order = np.argsort(partner, kind="stable")
        callee = partner[order]
        rank = np.arange(len(partner)) - np.searchsorted(callee, callee)
        for layer in range(int(rank.max()) + 1):
            pick = order[rank == layer]
            v[partner[pick]] = np.maximum(v[partner[pick]], old[pick])
    return v


def directory_anti_entropy(versions, protocol="push-pull", seed=None, record_bytes=100,
                           digest_bytes=16, hash_bytes=20, fanout=16,
                           max_rounds=1000) -> AntiEntropyResult:
    """Anti-entropy over a directory until every replica holds the newest version of each record.

    ``versions[r, u]`` is the version of user ``u``'s record held by replica ``r``. In each
    round every replica calls a random other replica; push: the callee takes the newer of each
    record; pull: the caller does; push-pull: both. A full exchange resolves every difference
    of the pair in one session. The bytes each session would cost are counted for all three
    :data:`METHODS` from the pair's actual differences.

    Parameters
    ----------
    versions : array_like of int, shape (replicas, records)
        Version numbers, at least 2 replicas. Not modified.
    protocol : {"push", "pull", "push-pull"}
        How calls are used.
    seed : None, int or numpy.random.Generator
        Source of randomness.
    record_bytes, digest_bytes, hash_bytes : float
        Sizes (bytes), as in :func:`session_bytes`.
    fanout : int
        Children per Merkle node, ``>= 2``.
    max_rounds : int
        Stop after this many rounds even if not converged, ``>= 0`` (rounds).

    Returns
    -------
    AntiEntropyResult
        Stale replicas and entries per round, and the bytes per round of each method.

    References
    ----------
    Demers et al., "Epidemic algorithms for replicated database maintenance", PODC 1987
    (anti-entropy); session costs as in :func:`session_bytes`.

    Examples
    --------
    >>> v = np.zeros((50, 200), dtype=np.int64)
    >>> v[0, :10] = 1                        # replica 0 has ten new records
    >>> result = directory_anti_entropy(v, "pull", seed=1)
    >>> int(result.stale_replicas[0]), int(result.stale_replicas[-1])
    (49, 0)
    """
    versions = _check_versions(versions)
    protocol = check_choice("protocol", protocol, PROTOCOLS)
    max_rounds = check_int("max_rounds", max_rounds, minimum=0)
    rng = as_rng(seed)
    replicas, records = versions.shape
    newest = versions.max(axis=0)
    everyone = np.arange(replicas)
    v = versions.copy()
    stale, entries = [(v != newest).any(axis=1).sum()], [(v != newest).sum()]
    sent = {m: [] for m in METHODS}
    while stale[-1] > 0 and len(sent["full"]) < max_rounds:
        partner = rng.integers(0, replicas - 1, size=replicas)
        partner += partner >= everyone
        differences = (v != v[partner]).sum(axis=1)
        for m in METHODS:
            sent[m].append(float(np.sum(session_bytes(
                records, differences, m, record_bytes, digest_bytes, hash_bytes, fanout,
                protocol))))
        v = _merge_round(v, partner, protocol)
        stale.append((v != newest).any(axis=1).sum())
        entries.append((v != newest).sum())
    return AntiEntropyResult(protocol, np.asarray(stale, dtype=np.int64),
                             np.asarray(entries, dtype=np.int64),
                             {m: np.asarray(b) for m, b in sent.items()})
