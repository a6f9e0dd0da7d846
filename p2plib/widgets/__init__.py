"""Explorers for the notebooks: the frame in :mod:`~p2plib.widgets.core`, one module per concept.

Only notebooks import this package (and the tests and benchmarks that drive every explorer,
found by :func:`explorer_factories`).
"""

import inspect as _inspect

from p2plib.widgets.availability import *  # noqa: F403
from p2plib.widgets.core import *  # noqa: F403
from p2plib.widgets.failures import *  # noqa: F403
from p2plib.widgets.gossip import *  # noqa: F403
from p2plib.widgets.outage import *  # noqa: F403
from p2plib.widgets.overlay import *  # noqa: F403
from p2plib.widgets.policy import *  # noqa: F403
from p2plib.widgets.providers import *  # noqa: F403
from p2plib.widgets.supernodes import *  # noqa: F403
from p2plib.widgets.swarm import *  # noqa: F403


def explorer_factories() -> dict:
    """Every public function here that builds an :class:`Explorer` with no arguments, by name.

    (``phase_explorer(results)`` needs a precomputed sweep, so it is not among them.)

    Returns
    -------
    dict of name -> callable
        The explorer factories, sorted by name.

    Examples
    --------
    >>> factories = explorer_factories()
    >>> "failure_explorer" in factories, "phase_explorer" in factories
    (True, False)
    """
    found = {}
    for name, obj in sorted(globals().items()):
        if name.startswith("_") or not _inspect.isfunction(obj):
            continue
        signature = _inspect.signature(obj)
        if signature.return_annotation in (Explorer, "Explorer") and all(  # noqa: F405
                p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
                for p in signature.parameters.values()):
            found[name] = obj
    return found
