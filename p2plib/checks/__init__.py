"""Exercise checks: :func:`check_number` and friends in ``core``, one module per concept.

Each check takes the student's answer (``None`` until they answer) and returns a
:class:`CheckResult` that prints one line: right, or a hint that points at the idea.
"""

from p2plib.checks.availability import *  # noqa: F403
from p2plib.checks.capacity import *  # noqa: F403
from p2plib.checks.chain_reaction import *  # noqa: F403
from p2plib.checks.continuity import *  # noqa: F403
from p2plib.checks.core import *  # noqa: F403
from p2plib.checks.facts import *  # noqa: F403
from p2plib.checks.gossip import *  # noqa: F403
from p2plib.checks.outage import *  # noqa: F403
from p2plib.checks.overlay import *  # noqa: F403
from p2plib.checks.policy import *  # noqa: F403
from p2plib.checks.providers import *  # noqa: F403
from p2plib.checks.supernodes import *  # noqa: F403
from p2plib.checks.swarm import *  # noqa: F403
