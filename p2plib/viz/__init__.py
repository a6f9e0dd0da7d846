"""The course's figures: :mod:`~p2plib.viz.style` plus one module of plots per concept.

Every plotting function takes an optional ``ax``, draws a *result* (it never runs a model)
and returns the ``matplotlib.axes.Axes`` it drew on.
"""

from p2plib.viz.availability import *  # noqa: F403
from p2plib.viz.capacity import *  # noqa: F403
from p2plib.viz.chain_reaction import *  # noqa: F403
from p2plib.viz.continuity import *  # noqa: F403
from p2plib.viz.facts import *  # noqa: F403
from p2plib.viz.failures import *  # noqa: F403
from p2plib.viz.gossip import *  # noqa: F403
from p2plib.viz.outage import *  # noqa: F403
from p2plib.viz.overlay import *  # noqa: F403
from p2plib.viz.policy import *  # noqa: F403
from p2plib.viz.providers import *  # noqa: F403
from p2plib.viz.style import *  # noqa: F403
from p2plib.viz.supernodes import *  # noqa: F403
from p2plib.viz.swarm import *  # noqa: F403
