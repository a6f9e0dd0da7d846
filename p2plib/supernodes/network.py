"""The two-tier network: elected supernodes, attached clients and the supernodes' own overlay.

:func:`build_network` elects the supernodes of a population (:mod:`.election`), attaches every
other peer to one (:mod:`.rehoming`) and links the supernodes by a
:func:`p2plib.overlay.random_overlay`.

Examples
--------
>>> from p2plib.supernodes.population import sample_population
>>> network = build_network(sample_population(20_000, seed=1), capacity=300, seed=1)
>>> network.homing.orphans == 0 and int(network.homing.loads.max()) <= 300
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from p2plib._validate import as_rng, check_int, check_real
from p2plib.overlay import Overlay, random_overlay
from p2plib.supernodes.election import ElectionPolicy, elect
from p2plib.supernodes.population import Population
from p2plib.supernodes.rehoming import Homing, attach

__all__ = ["TwoTierNetwork", "build_network"]

@dataclass(frozen=True, eq=False)
class TwoTierNetwork:
    """A population split into supernodes and clients, attached, with a supernode overlay.

    Built by :func:`build_network`: every peer is in exactly one tier.

    Attributes
    ----------
    population : Population
        The online peers.
    supernode_ids, client_ids : int64 arrays
        Peer indices (into ``population``) of the supernodes and of the clients;
        ``homing.home`` indexes ``supernode_ids``.
    homing : Homing
        Which supernode each client is attached to.
    overlay : p2plib.overlay.Overlay
        Links between supernodes (nodes numbered as ``supernode_ids``).
    serving_share : float
        Share of online peers that serve as supernodes, in ``[0, 1]`` (a property).

    References
    ----------
    S. A. Baset and H. G. Schulzrinne, "An analysis of the Skype peer-to-peer Internet
    telephony protocol", IEEE INFOCOM 2006 (the two tiers: clients attached to supernodes,
    supernodes linked to each other).

    Examples
    --------
    >>> from p2plib.supernodes.population import sample_population
    >>> net = build_network(sample_population(2000, seed=1), capacity=100, seed=1)
    >>> len(net.supernode_ids) + len(net.client_ids)
    2000
    """

    population: Population
    supernode_ids: np.ndarray
    client_ids: np.ndarray
    homing: Homing
    overlay: Overlay

    @property
    def serving_share(self) -> float:
        """Share of online peers that serve as supernodes."""
        return len(self.supernode_ids) / max(self.population.n, 1)

    def __repr__(self) -> str:
        return (f"TwoTierNetwork(peers={self.population.n}, supernodes="
                f"{len(self.supernode_ids)}, orphans={self.homing.orphans})")


def build_network(population: Population, policy: ElectionPolicy | None = None, capacity=300,
                  overlay_degree=8.0, attach_rounds=20, seed=None) -> TwoTierNetwork:
    """Elect supernodes, attach every other peer to one, and link the supernodes.

    Parameters
    ----------
    population : Population
        The online peers.
    policy : ElectionPolicy, optional
        The promotion thresholds (default ``ElectionPolicy()``).
    capacity : int
        Clients per supernode, ``>= 1`` ("several hundred", Rabbe 2010; default a model
        assumption).
    overlay_degree : float
        Mean links per supernode in the supernode overlay (model assumption), ``>= 0``;
        capped at ``supernodes - 1``.
    attach_rounds : int
        Rounds of :func:`~p2plib.supernodes.rehoming.attach`, in ``[0, 1000]``.
    seed : None, int or numpy.random.Generator
        Source of the attachment and overlay draws.

    Returns
    -------
    TwoTierNetwork
        Supernodes, clients, who is attached where, and the supernode overlay.

    References
    ----------
    Baset & Schulzrinne, IEEE INFOCOM 2006 (the two-tier structure); L. Rabbe, "CIO update:
    Post-mortem on the Skype outage", Skype, 29 December 2010 (promotion rules, "several
    hundred" clients per supernode); the overlay is an Erdos-Renyi random graph (Erdos &
    Renyi 1960).

    Examples
    --------
    >>> from p2plib.supernodes.population import sample_population
    >>> net = build_network(sample_population(5000, seed=4), capacity=200, seed=4)
    >>> net.overlay.n == len(net.supernode_ids) == net.homing.supernodes
    True
    """
    if not isinstance(population, Population):
        raise TypeError(f"population must be a Population, got {type(population).__name__}")
    policy = ElectionPolicy() if policy is None else policy
    capacity = check_int("capacity", capacity, minimum=1)
    overlay_degree = check_real("overlay_degree", overlay_degree, 0)
    attach_rounds = check_int("attach_rounds", attach_rounds, 0, 1000)
    rng = as_rng(seed)
    serving = elect(population, policy)
    supernode_ids = np.flatnonzero(serving)
    client_ids = np.flatnonzero(~serving)
    homing = attach(len(client_ids), len(supernode_ids), capacity, attach_rounds, seed=rng)
    s = len(supernode_ids)
    overlay = random_overlay(max(s, 1), min(overlay_degree, max(s - 1, 0)), seed=rng)
    if s == 0:
        overlay = Overlay(0, np.empty((0, 2), dtype=np.int64))
    return TwoTierNetwork(population, supernode_ids, client_ids, homing, overlay)
