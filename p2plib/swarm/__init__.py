"""Peer-assisted delivery as Kontiki did it (chapter 05): one package, one module per model.

* :mod:`p2plib.swarm.fluid`: the fluid (mean-field) model of Qiu & Srikant (SIGCOMM 2004) with
  origin servers: steady state, regime boundary, trajectories, flash crowds, unit conversion;
* :mod:`p2plib.swarm.simulation`: the chunk-level simulation (every peer, every chunk);
* :mod:`p2plib.swarm.delivery_cost`: who pays for the bytes, and the break-even price;
* :mod:`p2plib.swarm.iplayer`: chapter 05's case (a 2008 programme over 2008 broadband) in the
  fluid model's units, as the explorers show it.

Every public name of those modules is importable from here (``from p2plib import swarm``,
then ``swarm.simulate_swarm(...)``).

Examples
--------
>>> from p2plib import swarm
>>> swarm.fluid_steady_state(60, 0.5, 2, 0.5).regime
'download-constrained'
"""

from p2plib.swarm.delivery_cost import (
    DeliveryCosts,
    break_even_price,
    cdn_comparison,
    delivery_costs,
)
from p2plib.swarm.fluid import (
    FlashCrowd,
    FluidSteadyState,
    FluidTrajectory,
    critical_seed_time,
    files_per_hour,
    flash_crowd,
    flash_crowd_arrival_rate,
    fluid_derivatives,
    fluid_steady_state,
    fluid_trajectory,
)
from p2plib.swarm.iplayer import (
    IPLAYER_2008,
    SEED_LIFETIMES_H,
    BroadbandSetting,
    SteadyDelivery,
    evening_flash_crowd,
    steady_delivery,
)
from p2plib.swarm.simulation import (
    POLICIES,
    SwarmAverage,
    SwarmRun,
    flash_crowd_arrivals,
    poisson_arrivals,
    simulate_swarm,
)

__all__ = [
    "IPLAYER_2008",
    "POLICIES",
    "SEED_LIFETIMES_H",
    "BroadbandSetting",
    "DeliveryCosts",
    "FlashCrowd",
    "FluidSteadyState",
    "FluidTrajectory",
    "SteadyDelivery",
    "SwarmAverage",
    "SwarmRun",
    "break_even_price",
    "cdn_comparison",
    "critical_seed_time",
    "delivery_costs",
    "evening_flash_crowd",
    "files_per_hour",
    "flash_crowd",
    "flash_crowd_arrival_rate",
    "flash_crowd_arrivals",
    "fluid_derivatives",
    "fluid_steady_state",
    "fluid_trajectory",
    "poisson_arrivals",
    "simulate_swarm",
    "steady_delivery",
]
