"""Chapter 03 explorers: the reboot trigger, the login flood, and the phase diagram.

:func:`outage_explorer` wires the unknowns and defences of 2007 to the outage model
(:func:`p2plib.outage.simulate` on the ``skype_2007`` preset with the controls' changes) and
draws each run with :class:`p2plib.viz.OutagePanels`, updated in place;
:func:`phase_explorer` shows precomputed :func:`p2plib.sweep.sweep` grids.
"""

from __future__ import annotations

from p2plib import outage as om
from p2plib import scenarios, viz
from p2plib.widgets.core import Explorer, choice, play_steps, slider

__all__ = ["FRIDAY_OBSERVED", "outage_explorer", "phase_explorer"]


#: What observers counted on Friday 17 August 2007, 16:00 UTC (+88 h, noon US Eastern): about
#: 3 million online against about 8 million on a usual day (Computerworld; sources page).
FRIDAY_OBSERVED = ((88.0, 3.0 / 8.0, "observed Fri +88 h: ~3 M of ~8 M usual (Computerworld)"),)

#: Supernode counts offered by the explorer, at Skype's 6 million online (never published;
#: "about 25,000" is hearsay).
_SKYPE_ONLINE = 6_000_000.0


def _outage_run(reboot_fraction: float, reboot_window_h: float, sn_capacity: float,
                retry_policy: str, admission_control: str, mega_supernodes: str,
                online_peers: float = 100_000, supernodes_at_skype: float | None = None,
                sn_overload_factor: float | None = None, fix: str = "off",
                fix_h: float = 102.0, step_min: int = 5):
    """One aggregate run of the 2007 situation with the controls' changes (at ``online_peers``).

    ``supernodes_at_skype`` is the pool size at Skype's 6 million online (the run scales it);
    ``fix`` switches the operator's fix at ``fix_h`` on or off.
    """
    base = scenarios.skype_2007()
    changes = dict(
        name="2007 situation, your settings", online_peers=online_peers, days=5.0,
        step_min=step_min, reboot_fraction=reboot_fraction, reboot_window_h=reboot_window_h,
        sn_capacity=sn_capacity, retry_policy=retry_policy,
        retry_base_min=om.retry_base_for(retry_policy),
        admission_control=admission_control == "on",
        mega_share=0.3 if mega_supernodes == "on" else 0.0, mega_start_h=72.0, mega_ramp_h=6.0,
        fix_h=fix_h if fix == "on" else None,
        events=((scenarios.PATCH_RELEASE_H, "patches released"),))
    if supernodes_at_skype is not None:
        changes["supernode_fraction"] = supernodes_at_skype / _SKYPE_ONLINE
    if sn_overload_factor is not None:
        changes["sn_overload_factor"] = sn_overload_factor
    return om.simulate(base.replace(**changes))


def _outage_drawer():
    """A draw function that builds the panels once and then updates them in place."""
    panels = {}

    def draw(result, hour: int):
        if "figure" in panels:
            return panels["figure"].update(result, now_h=float(hour))
        panels["figure"] = viz.OutagePanels(result, now_h=float(hour), observed=FRIDAY_OBSERVED,
                                            scale=_SKYPE_ONLINE / result.scenario.online_peers)
        return panels["figure"].figure

    return draw


def outage_explorer(online_peers: float = 100_000) -> Explorer:
    """Chapter 03: change the unknowns and the defences of 2007; watch the chain reaction.

    The 2007 situation (two nights of reboots, Wednesday and Thursday) run by the aggregate
    model for five days at 5-minute steps, with the controls' changes: the pool size and
    capacity, the reboots and their window, the overload threshold, the retry policy (with
    its first wait, :func:`p2plib.outage.retry_base_for`), admission control, the operator's
    fix and its hour, mega-supernodes. The panels show service against what observers
    counted on Friday 17 August, the pool and the login servers, at Skype's scale. The hour
    is a view control with a Play button: it moves the cursor without re-running the model.

    Parameters
    ----------
    online_peers : float
        Mean online peers of the runs, in ``[1e3, 3e7]`` (every count scales with it; the
        panels show Skype's 6 million).

    Returns
    -------
    p2plib.widgets.core.Explorer
        The explorer, drawn at the 2007 preset with the fix on, at +88 h.

    Examples
    --------
    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()):    # outside Jupyter display() prints
    ...     explorer = outage_explorer(online_peers=20_000)
    ...     explorer.controls["hour"].value = 100
    >>> explorer.result().scenario.retry_policy, explorer.figure.texts[0].get_text()[:16]
    ('fixed', '2007 situation, ')
    """
    base = scenarios.skype_2007()
    controls = {
        "supernodes_at_skype": slider("Supernodes", "at 6 M online", "size of the pool "
                                      "(never published; 'about 25,000' is hearsay)",
                                      base.supernodes, 10_000.0, 40_000.0, 2_500.0,
                                      readout_format=",.0f"),
        "sn_capacity": slider("Supernode capacity", "clients", "clients one supernode serves",
                              base.sn_capacity, 300.0, 800.0, 25.0, readout_format=".0f"),
        "reboot_fraction": slider("Reboots", "share", "share of supernode-capable peers "
                                  "rebooted over the two nights", base.reboot_fraction,
                                  0.0, 0.6, 0.05),
        "reboot_window_h": slider("Reboot window", "hours", "length of each night's reboot "
                                  "window (longer = spread out)", base.reboot_window_h,
                                  1.0, 24.0, 1.0, readout_format=".0f"),
        "sn_overload_factor": slider("Overload shutdown", "x normal load", "a supernode "
                                     "shuts down above this multiple of its normal requests",
                                     base.sn_overload_factor, 3.0, 20.0, 1.0,
                                     readout_format=".0f"),
        "retry_policy": choice("Retry policy", "what a client does after a failed login",
                               list(om.RETRY_POLICIES), base.retry_policy),
        "admission_control": choice("Admission control", "login servers refuse what they "
                                    "cannot serve in time, and drop stale requests",
                                    ["off", "on"], "on" if base.admission_control else "off"),
        "fix": choice("Operator's fix", "supernodes refuse instead of shutting down, from the "
                      "fix hour on", ["off", "on"], "on"),
        "fix_h": slider("Fix hour", "+h", "when the fix goes live (unknown)",
                        float(base.fix_h), 66.0, 118.0, 4.0, readout_format=".0f"),
        "mega_supernodes": choice("Mega-supernodes", "operator servers for 30% of clients, "
                                  "added from Friday 00:00 UTC (+72 h)", ["off", "on"], "off"),
        "hour": play_steps("Time", "+h", "move through the run (no re-run)", 24 * 5,
                           interval_ms=150),
    }
    controls["hour"].value = 88
    controls["hour"].play.value = 88

    def run(**values):
        return _outage_run(online_peers=online_peers, **values)

    return Explorer("The reboot trigger and the chain reaction (2007)", controls, run=run,
                    draw=_outage_drawer(), view=("hour",))


def phase_explorer(results: dict) -> Explorer:
    """Chapter 03: precomputed phase diagrams, one per retry policy (a view control).

    Parameters
    ----------
    results : dict of retry policy -> SweepResult
        Each a 2-D :func:`p2plib.sweep.sweep` with metric ``"outcome"`` over
        ``reboot_fraction`` and one other scenario field; at least one.

    Returns
    -------
    p2plib.widgets.core.Explorer
        The explorer, showing the first policy's grid with the base scenario marked.

    Examples
    --------
    >>> import contextlib, io
    >>> from p2plib import scenarios, sweep
    >>> base = scenarios.skype_2007().replace(online_peers=5_000, fix_h=None, days=3.0)
    >>> grid = {"reboot_fraction": [0.1, 0.4], "sn_capacity": [400.0, 700.0]}
    >>> with contextlib.redirect_stdout(io.StringIO()):
    ...     explorer = phase_explorer({"fixed": sweep.sweep(base, grid, progress=False)})
    >>> explorer.figure.axes[0].get_title()
    "Retry policy 'fixed': where the outage sticks"
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
