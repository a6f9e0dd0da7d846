"""Chapter 03 explorers: the reboot trigger, the login flood, and the phase diagram."""

from __future__ import annotations

from p2plib import outage as om
from p2plib import scenarios, viz
from p2plib.widgets.core import Explorer, choice, play_steps, slider

__all__ = ["outage_explorer", "phase_explorer"]


def _outage_run(reboot_fraction: float, reboot_window_h: float, sn_capacity: float,
                retry_policy: str, admission_control: str, mega_supernodes: str,
                online_peers: float = 100_000):
    """One aggregate run of the 2007 situation (without Skype's fix) with the chosen changes."""
    base = scenarios.skype_2007().replace(online_peers=online_peers, fix_h=None, days=5.0,
                                          step_min=5,
                                          events=((scenarios.PATCH_RELEASE_H, "patches"),))
    policy_base = 2.0 if retry_policy in ("immediate", "fixed") else 1.0
    scenario = base.replace(
        name="2007 situation, your settings", reboot_fraction=reboot_fraction,
        reboot_window_h=reboot_window_h, sn_capacity=sn_capacity, retry_policy=retry_policy,
        retry_base_min=policy_base, admission_control=admission_control == "on",
        mega_share=0.3 if mega_supernodes == "on" else 0.0, mega_start_h=72.0, mega_ramp_h=6.0)
    return om.simulate(scenario)


def _outage_draw(result, hour: int):
    return viz.plot_outage_panels(result, now_h=float(hour))


def outage_explorer(online_peers: float = 100_000) -> Explorer:
    """Chapter 03: change the trigger and the defences, watch service, supernodes and logins.

    The 2007 situation (two nights of reboots, Wednesday and Thursday) without Skype's fix,
    run with the aggregate model at ``online_peers`` (every count scales with it). The hour is
    a view control with a Play button: it moves the cursor without re-running the model.
    """
    base = scenarios.skype_2007()
    controls = {
        "reboot_fraction": slider("Reboots", "share of peers", "share of supernode-capable "
                                  "peers rebooted over the two nights", base.reboot_fraction,
                                  0.0, 0.6, 0.05),
        "reboot_window_h": slider("Reboot window", "hours", "length of each night's reboot "
                                  "window (longer = spread out)", base.reboot_window_h,
                                  1.0, 24.0, 1.0),
        "sn_capacity": slider("Supernode capacity", "clients", "clients one supernode serves "
                              "(more = headroom)", base.sn_capacity, 300.0, 800.0, 25.0,
                              readout_format=".0f"),
        "retry_policy": choice("Retry policy", "what a client does after a failed login",
                               list(om.RETRY_POLICIES), base.retry_policy),
        "admission_control": choice("Admission control", "login servers refuse what they "
                                    "cannot serve in time, and drop stale requests",
                                    ["off", "on"], "off"),
        "mega_supernodes": choice("Mega-supernodes", "operator servers for 30% of clients, "
                                  "added from Friday 00:00 UTC", ["off", "on"], "off"),
        "hour": play_steps("Time", "hours", "move through the run (no re-run)", 24 * 5,
                           interval_ms=150),
    }
    controls["hour"].value = 64
    controls["hour"].play.value = 64

    def run(**values):
        return _outage_run(online_peers=online_peers, **values)

    return Explorer("The reboot trigger and the chain reaction (2007 situation, no fix)",
                    controls, run=run, draw=_outage_draw, view=("hour",))


def phase_explorer(results: dict) -> Explorer:
    """Chapter 03: precomputed phase diagrams, one per retry policy (a view control).

    Parameters
    ----------
    results : dict of retry policy -> SweepResult
        Each a 2-D :func:`p2plib.sweep.sweep` with metric ``"outcome"``.
    """
    if not results:
        raise ValueError("results must hold at least one SweepResult")
    policies = list(results)
    first = results[policies[0]]
    mark = (first.base.reboot_fraction,
            getattr(first.base, list(first.axes)[1]))
    controls = {
        "retry_policy": choice("Retry policy", "which precomputed grid to show", policies,
                               policies[0]),
    }

    def run(**_):
        return results

    def draw(all_results, retry_policy):
        fig, ax = viz.new_figure(width=12, height=6)
        viz.plot_phase_diagram(all_results[retry_policy], ax=ax, mark=mark,
                               title=f"Retry policy '{retry_policy}': where the outage sticks")
        return fig

    return Explorer("Phase diagram: reboots x headroom", controls, run=run, draw=draw,
                    view=("retry_policy",))
