"""Chapter 06 explorers: open providers vs one network, and the capstone policy lab."""

from __future__ import annotations

import numpy as np

from p2plib import outage as om
from p2plib import providers, viz
from p2plib.policy import Policy, evaluate_policy
from p2plib.widgets.core import Explorer, choice, slider

__all__ = ["policy_explorer", "provider_explorer"]


#: Share of affected users able to move to another service (model assumption, as in the chapter).
_CAN_SWITCH = 0.5


def _provider_run(providers_count: int, outage_prob: float, correlation: float,
                  switch_rate: float, days: int = 20_000, seed: int = 1):
    shares = np.full(providers_count, 1.0 / providers_count)
    return {
        "one": providers.provider_days([1.0], outage_prob, days=days, seed=seed),
        "many": providers.provider_days(shares, outage_prob, correlation, days=days, seed=seed),
        "providers": providers_count, "correlation": correlation, "switch_rate": switch_rate,
    }


def _provider_draw(result, outage_hours: float):
    fig, (left, right) = viz.new_figure(ncols=2, width=15, height=6)
    n, rho = result["providers"], result["correlation"]
    many = f"{n} SIP providers, ρ = {rho:.2f}"
    worst_one, worst_many = (result[k].worst_day_share(0.5) for k in ("one", "many"))
    viz.plot_blast_radius({"one network": result["one"], many: result["many"]}, ax=left,
                          title=f"Over half cut off: one network {worst_one:.2%} of days, "
                                f"{n} providers {worst_many:.2%}")
    hours = np.linspace(0, 48, 193)
    rate = result["switch_rate"]
    curves = {      # the same switching assumption for both markets: like with like
        "one network down": providers.served_during_outage(hours, 1.0, rate, _CAN_SWITCH),
        f"one of {n} SIP providers down": providers.served_during_outage(
            hours, 1.0 / n, rate, _CAN_SWITCH),
    }
    viz.plot_switching(hours, curves, ax=right)
    right.axvline(outage_hours, color=viz.PALETTE["grey"], linewidth=6, alpha=0.3)
    sip = float(providers.served_during_outage(outage_hours, 1.0 / n, rate, _CAN_SWITCH))
    one = float(providers.served_during_outage(outage_hours, 1.0, rate, _CAN_SWITCH))
    right.set_title(f"After {outage_hours:.0f} h: SIP {sip:.0%} served, "
                    f"one network {one:.0%}")
    return fig


def provider_explorer() -> Explorer:
    """Chapter 06: one proprietary network vs several interoperable (SIP) providers."""
    controls = {
        "providers_count": slider("Providers", "count", "equal-sized SIP providers sharing the "
                                  "users", 5, 2, 20, integer=True),
        "outage_prob": slider("Outage chance", "per provider per day", "chance that a given "
                              "provider is down on a given day", 0.01, 0.001, 0.1, 0.001,
                              readout_format=".3f"),
        "correlation": slider("Shared cause ρ", "0 to 1", "how often providers fail together "
                              "(same software, same patch)", 0.0, 0.0, 0.95, 0.05),
        "switch_rate": slider("Switching", "per hour", "rate at which users who can move to "
                              "another service do so (half of them can, in both markets)",
                              0.1, 0.0, 1.0, 0.05),
        "outage_hours": slider("Outage so far", "hours", "hour of the outage to read off",
                               24.0, 0.0, 48.0, 1.0),
    }
    return Explorer("One network or many? Blast radius and switching", controls,
                    run=_provider_run, draw=_provider_draw, view=("outage_hours",))


def _policy_run(retry_policy: str, admission_control: str, overload: str,
                supernode_headroom: float, dedicated_share: float,
                online_peers: float = 100_000):
    policy = Policy(retry_policy=retry_policy,
                    retry_base_min=2.0 if retry_policy in ("immediate", "fixed") else 1.0,
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
