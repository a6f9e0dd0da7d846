"""Gossip and the replicated directory (chapter 04): :mod:`~p2plib.gossip.epidemic` and
:mod:`~p2plib.gossip.directory`, every public name re-exported here.

Examples
--------
>>> from p2plib import gossip
>>> gossip.PROTOCOLS
('push', 'pull', 'push-pull')
"""

from p2plib.gossip import directory, epidemic
from p2plib.gossip.directory import *  # noqa: F403
from p2plib.gossip.epidemic import *  # noqa: F403

__all__ = [*epidemic.__all__, *directory.__all__]
