"""The policy lab judges a policy exactly as the chapter's check does.

``checks.check_policy`` runs ``policy.evaluate_policy`` at its own time step; the lab must
not use a coarser one to answer faster: at 5-minute steps 17 of the lab's 5,720 positions
(2010 with headroom 0.5-0.7 and a dedicated share of 0.1-0.5) get another verdict than at 1
and 2 minutes, which agree. The positions below include such knife edges.
"""

import pytest

from p2plib import checks, outage
from p2plib.policy import Policy, evaluate_policy
from p2plib.widgets.policy import _policy_run

#: (retry_policy, admission_control, overload, supernode_headroom, dedicated_share)
POSITIONS = [
    ("fixed", "off", "shutdown", 1.0, 0.0),          # the default: fails
    ("fixed", "off", "refuse", 0.5, 0.5),            # step 5 says PASSED, steps 1-2 do not
    ("immediate", "off", "shutdown", 0.7, 0.5),      # step 5 says not yet, steps 1-2 PASSED
    ("full_jitter", "off", "refuse", 0.5, 0.4),
    ("exponential", "on", "refuse", 1.5, 0.0),
]


def _policy(retry_policy, admission_control, overload, headroom, dedicated):
    return Policy(retry_policy=retry_policy, retry_base_min=outage.retry_base_for(retry_policy),
                  admission_control=admission_control == "on", overload=overload,
                  supernode_headroom=headroom, dedicated_share=dedicated)


@pytest.mark.parametrize("position", POSITIONS)
def test_lab_verdict_is_the_checks_verdict(position):
    report = _policy_run(*position)
    assert report.policy == _policy(*position)
    assert bool(checks.check_policy(report.policy)) == report.passed


def test_the_positions_include_a_knife_edge_of_the_time_step():
    coarse = evaluate_policy(_policy(*POSITIONS[1]), online_peers=100_000, step_min=5)
    assert coarse.passed != _policy_run(*POSITIONS[1]).passed
