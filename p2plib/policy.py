"""The capstone policy (re-exported from :mod:`p2plib.outage.policy`).

Examples
--------
>>> from p2plib.policy import Policy
>>> Policy().retry_policy
'fixed'
"""

from p2plib.outage.policy import (
    CLIENTS_PER_DEDICATED_SERVER,
    EVENTS,
    SHARED_FIELDS,
    Policy,
    PolicyReport,
    apply_policy,
    evaluate_policy,
)

__all__ = ["CLIENTS_PER_DEDICATED_SERVER", "EVENTS", "SHARED_FIELDS", "Policy", "PolicyReport",
           "apply_policy", "evaluate_policy"]
