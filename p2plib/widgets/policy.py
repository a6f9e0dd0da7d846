"""Chapter 06 capstone explorer: the policy lab (choose defences, replay 2007 and 2010)."""

from __future__ import annotations

from p2plib import outage as om
from p2plib import viz
from p2plib.policy import Policy, evaluate_policy
from p2plib.widgets.core import Explorer, choice, slider

__all__ = ["policy_explorer"]


def _policy_run(retry_policy: str, admission_control: str, overload: str,
                supernode_headroom: float, dedicated_share: float,
                online_peers: float = 100_000):
    policy = Policy(retry_policy=retry_policy,
                    retry_base_min=om.retry_base_for(retry_policy),
                    admission_control=admission_control == "on", overload=overload,
                    supernode_headroom=supernode_headroom, dedicated_share=dedicated_share)
    return evaluate_policy(policy, online_peers=online_peers, step_min=5)


def _policy_draw(report):
    verdict = "PASSED" if report.passed else "not yet"
    return viz.plot_policy_report(
        report, title=f"Your policy: {verdict} (dedicated servers: {report.dedicated_servers:,})")


def policy_explorer() -> Explorer:
    """Chapter 06 capstone: choose defences, see the 2007 and 2010 events under them."""
    default = Policy()
    controls = {
        "retry_policy": choice("Retry policy", "what a client does after a failed login or "
                               "supernode search", list(om.RETRY_POLICIES), default.retry_policy),
        "admission_control": choice("Admission control", "login servers turn away at once what "
                                    "they cannot serve in time", ["off", "on"], "off"),
        "overload": choice("Overloaded supernode", "refuse extra clients, or shut down to "
                           "protect its owner's PC", list(om.OVERLOAD_MODES), default.overload),
        "supernode_headroom": slider("Supernode headroom", "× capacity", "clients a supernode "
                                     "may hold, relative to 500", 1.0, 0.5, 3.0, 0.1),
        "dedicated_share": slider("Dedicated supernodes", "share of clients", "room in "
                                  "operator-run servers from the start (hybrid P2P)", 0.0,
                                  0.0, 0.5, 0.05),
    }
    return Explorer("Policy lab: will your network survive 2007 and 2010?", controls,
                    run=_policy_run, draw=_policy_draw)
