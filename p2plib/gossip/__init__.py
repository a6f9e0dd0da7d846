"""Gossip and the replicated directory: chapter 04's distributed database, in four modules.

* :mod:`~p2plib.gossip.epidemic`: one update spreads by push, pull or push-pull gossip until
  every replica has it (:func:`spread`, :func:`spread_from`, :func:`race`), with its theory
  (:func:`pittel_rounds`, :func:`karp_rounds`, :func:`susceptible_recurrence`);
* :mod:`~p2plib.gossip.rumor`: rumor mongering, which stops early and leaves a residue
  (:func:`rumor_mongering`, :func:`rumor_residue_theory`, :data:`DEMERS_TABLES`);
* :mod:`~p2plib.gossip.directory`: what one reconciliation session between two replicas of a
  directory costs by full comparison, digests or a Merkle tree (:func:`session_bytes`), and
  exact anti-entropy over a small directory (:func:`directory_anti_entropy`);
* :mod:`~p2plib.gossip.rollback`: a restart storm rolls replicas back; repair by anti-entropy
  against a rebuild from a central copy (:func:`desync`, :func:`compare_repair`).

Every public name is re-exported here: ``from p2plib import gossip`` then ``gossip.spread``,
``gossip.desync``, ``gossip.METHODS``, ...

Examples
--------
>>> from p2plib import gossip
>>> gossip.spread(1000, "push-pull", seed=1).informed[-1]
np.int64(1000)
>>> gossip.PROTOCOLS, gossip.METHODS
(('push', 'pull', 'push-pull'), ('full', 'digest', 'merkle'))
"""

from p2plib.gossip.directory import (
    METHODS,
    AntiEntropyResult,
    directory_anti_entropy,
    merkle_depth,
    session_bytes,
    session_round_trips,
)
from p2plib.gossip.epidemic import (
    MAX_ROUNDS,
    PROTOCOLS,
    RaceResult,
    SpreadResult,
    karp_rounds,
    pittel_rounds,
    race,
    spread,
    spread_from,
    spread_rounds,
    susceptible_recurrence,
)
from p2plib.gossip.rollback import (
    DesyncResult,
    RepairComparison,
    central_rebuild_seconds,
    compare_repair,
    desync,
    records_changed,
)
from p2plib.gossip.rumor import (
    CONTACTS,
    DEMERS_TABLES,
    RumorResult,
    rumor_mongering,
    rumor_residue_theory,
)

__all__ = [
    "CONTACTS",
    "DEMERS_TABLES",
    "MAX_ROUNDS",
    "METHODS",
    "PROTOCOLS",
    "AntiEntropyResult",
    "DesyncResult",
    "RaceResult",
    "RepairComparison",
    "RumorResult",
    "SpreadResult",
    "central_rebuild_seconds",
    "compare_repair",
    "desync",
    "directory_anti_entropy",
    "karp_rounds",
    "merkle_depth",
    "pittel_rounds",
    "race",
    "records_changed",
    "rumor_mongering",
    "rumor_residue_theory",
    "session_bytes",
    "session_round_trips",
    "spread",
    "spread_from",
    "spread_rounds",
    "susceptible_recurrence",
]
