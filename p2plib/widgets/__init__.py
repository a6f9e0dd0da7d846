"""Explorers for the notebooks: the frame in :mod:`~p2plib.widgets.core`, one module per chapter.

Only notebooks import this package.
"""

from p2plib.widgets.basics import *  # noqa: F403
from p2plib.widgets.core import *  # noqa: F403
from p2plib.widgets.gossip import *  # noqa: F403
from p2plib.widgets.intro import *  # noqa: F403
from p2plib.widgets.lessons import *  # noqa: F403
from p2plib.widgets.outage import *  # noqa: F403
from p2plib.widgets.supernodes import *  # noqa: F403
from p2plib.widgets.swarm import *  # noqa: F403
