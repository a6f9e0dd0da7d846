"""Parameter sweeps of the outage model (re-exported from :mod:`p2plib.outage.sweep`).

Examples
--------
>>> from p2plib import sweep
>>> sweep.NO_OUTAGE, sweep.RECOVERED, sweep.STUCK
(0, 1, 2)
"""

from p2plib.outage.sweep import (
    LASTING_H,
    METRICS,
    NO_OUTAGE,
    RECOVERED,
    STUCK,
    SweepResult,
    outcome,
    sweep,
)

__all__ = ["LASTING_H", "METRICS", "NO_OUTAGE", "RECOVERED", "STUCK", "SweepResult",
           "outcome", "sweep"]
