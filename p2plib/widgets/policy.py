"""Chapter 06 capstone explorer: the policy lab (choose defences, replay 2007 and 2010).

The lab wires five controls to :func:`p2plib.policy.evaluate_policy` (the model) and draws the
:class:`~p2plib.policy.PolicyReport` it returns with :class:`p2plib.viz.PolicyPanels`, updated
in place. It calls the model exactly as :func:`p2plib.checks.check_policy` does (same peers,
same time step), so the lab and the check never give a policy different verdicts: at 5-minute
steps 17 of the lab's 5,720 positions would (2010 with little headroom and a large dedicated
share, a knife edge where 1- and 2-minute steps agree with each other).
"""

from __future__ import annotations

from p2plib import outage as om
from p2plib import viz
from p2plib.policy import Policy, PolicyReport, evaluate_policy
from p2plib.widgets.core import Explorer, choice, slider

__all__ = ["policy_explorer"]


def _policy_run(retry_policy: str, admission_control: str, overload: str,
                supernode_headroom: float, dedicated_share: float,
                online_peers: float = 100_000) -> PolicyReport:
    """The controls' policy, judged by the model on both events at ``online_peers``."""
    policy = Policy(retry_policy=retry_policy,
                    retry_base_min=om.retry_base_for(retry_policy),
                    admission_control=admission_control == "on", overload=overload,
                    supernode_headroom=supernode_headroom, dedicated_share=dedicated_share)
    # check_policy's call: the same peers and evaluate_policy's own time step
    return evaluate_policy(policy, online_peers=online_peers)


def _policy_title(report: PolicyReport) -> str:
    verdict = "PASSED" if report.passed else "not yet"
    return f"Your policy: {verdict} (dedicated servers: {report.dedicated_servers:,})"


def _policy_drawer():
    """A draw function that builds the panels once and then updates them in place."""
    panels = {}

    def draw(report: PolicyReport):
        if "figure" in panels:
            return panels["figure"].update(report, title=_policy_title(report))
        panels["figure"] = viz.PolicyPanels(report, title=_policy_title(report))
        return panels["figure"].figure

    return draw


def policy_explorer() -> Explorer:
    """Chapter 06 capstone: choose defences, see the 2007 and 2010 events under them.

    Five controls make a :class:`~p2plib.policy.Policy` (retry policy, with the first wait
    the model gives it, :func:`p2plib.outage.retry_base_for`; admission control; what an
    overloaded supernode does; supernode headroom; dedicated operator supernodes); every
    move runs both events at 100,000 peers (the presets scale) and shows each event's
    service with its verdict. Passing means at most 1 h below 50% service in both events,
    and service back at the end of each run, as :func:`p2plib.checks.check_policy` judges.

    Returns
    -------
    p2plib.widgets.core.Explorer
        The lab, drawn at the default policy (Skype's 2007 behaviour: it does not pass).

    Examples
    --------
    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()):    # outside Jupyter display() prints
    ...     lab = policy_explorer()
    ...     lab.controls["overload"].value = "refuse"
    >>> lab.result().passed, lab.figure.texts[0].get_text()
    (True, 'Your policy: PASSED (dedicated servers: 0)')
    """
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
                    run=_policy_run, draw=_policy_drawer())
