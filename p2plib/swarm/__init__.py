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

from p2plib.swarm.delivery_cost import *  # noqa: F403
from p2plib.swarm.delivery_cost import __all__ as _cost_names
from p2plib.swarm.fluid import *  # noqa: F403
from p2plib.swarm.fluid import __all__ as _fluid_names
from p2plib.swarm.simulation import *  # noqa: F403
from p2plib.swarm.simulation import __all__ as _simulation_names

__all__ = sorted([*_fluid_names, *_simulation_names, *_cost_names])
