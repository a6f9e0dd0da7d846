"""Two-tier overlays: who may serve, who serves whom, and what serving costs the owner.

Skype (like KaZaA's FastTrack, on which it was built) had two tiers. Ordinary peers ("clients")
keep one connection to a *supernode*, which relays their presence and search traffic and helps
calls between peers that sit behind NATs and firewalls; supernodes form an overlay of their
own. Any peer with a public address, enough bandwidth and sufficient uptime may be promoted to
supernode, and each supernode serves "several hundred" clients (Skype 2010 post-mortem;
Baset & Schulzrinne, INFOCOM 2006).

One module per part of the model, at any scale from 10^2 to 10^7 peers (vectorised numpy,
seeded); every name is re-exported here, so ``from p2plib import supernodes as sn`` reaches
them all:

* :mod:`~p2plib.supernodes.population`, the **peers**: public or NAT-ed, upload bandwidth,
  session lengths from heavy-tailed churn distributions (Weibull or log-normal, Stutzbach &
  Rejaie, IMC 2006), current uptime, hours online per day and the operating-system/update group
  (:data:`OS_GROUPS`) that the reboot chapter uses (:func:`sample_population`; :func:`reboot`
  restarts a group);
* :mod:`~p2plib.supernodes.election`, **who may serve**: an :class:`ElectionPolicy`
  (:func:`elect`), the peers left after each condition (:func:`eligibility_funnel`), the
  analytic eligible share, also after a mass reboot (:func:`eligible_share_theory`,
  :func:`eligibility_funnel_theory`) and :func:`supernodes_needed`;
* :mod:`~p2plib.supernodes.rehoming`, **who serves whom**: attachment and re-homing with a
  capacity limit (:class:`Homing`, :func:`attach`, :func:`remove_supernodes`,
  :func:`rehome_round`, :func:`rehome`): clients of a vanished supernode try others; a full
  supernode refuses, or with overload protection shuts itself down and orphans its clients (the
  feedback loop of Skype's December 2010 outage); without protection the orphans settle at
  :func:`orphan_floor`;
* :mod:`~p2plib.supernodes.network`, the whole **two-tier network** (:func:`build_network`),
  whose supernode tier is a :func:`p2plib.overlay.random_overlay`;
* :mod:`~p2plib.supernodes.relay`, the **owner's cost** (:func:`owner_cost`): signalling and
  relay bandwidth, relay blocking with Erlang-B (:func:`erlang_b`, :func:`relay_slots_needed`)
  and traffic per day.

Every number that Skype never published (thresholds, shares, rates) is a *model assumption*,
named as a parameter with a default that the notebooks vary over a range.

Examples
--------
>>> from p2plib.supernodes import ElectionPolicy, build_network, sample_population
>>> peers = sample_population(20_000, seed=1)
>>> network = build_network(peers, ElectionPolicy(), capacity=300, seed=1)
>>> network.homing.orphans == 0 and int(network.homing.loads.max()) <= 300
True
"""

from p2plib.supernodes.election import (
    ElectionPolicy,
    EligibilityFunnel,
    elect,
    eligibility_funnel,
    eligibility_funnel_theory,
    eligible_share_theory,
    supernodes_needed,
)
from p2plib.supernodes.network import TwoTierNetwork, build_network
from p2plib.supernodes.population import (
    CHURN_MODELS,
    OS_GROUPS,
    Population,
    PopulationParams,
    reboot,
    sample_population,
)
from p2plib.supernodes.rehoming import (
    Homing,
    RehomingResult,
    RoundStats,
    attach,
    orphan_floor,
    rehome,
    rehome_round,
    remove_supernodes,
)
from p2plib.supernodes.relay import (
    HOLDING_TIMES,
    OwnerCost,
    erlang_b,
    owner_cost,
    relay_slots_needed,
    simulate_relay_blocking,
)

__all__ = [
    "CHURN_MODELS",
    "HOLDING_TIMES",
    "OS_GROUPS",
    "ElectionPolicy",
    "EligibilityFunnel",
    "Homing",
    "OwnerCost",
    "Population",
    "PopulationParams",
    "RehomingResult",
    "RoundStats",
    "TwoTierNetwork",
    "attach",
    "build_network",
    "elect",
    "eligibility_funnel",
    "eligibility_funnel_theory",
    "eligible_share_theory",
    "erlang_b",
    "orphan_floor",
    "owner_cost",
    "reboot",
    "rehome",
    "rehome_round",
    "relay_slots_needed",
    "remove_supernodes",
    "sample_population",
    "simulate_relay_blocking",
    "supernodes_needed",
]
