"""Chapter 04 explorers: a gossip race, and repair vs rebuild after a restart storm.

The explorers convert the controls' units (minutes, kbit/s, Mbit/s, % per hour) to the
model's (seconds, bytes/s, share per hour), run :func:`p2plib.gossip.race` and
:func:`p2plib.gossip.compare_repair`, and draw their typed results with :mod:`p2plib.viz`.
"""

from __future__ import annotations

from p2plib import gossip, viz
from p2plib.widgets.core import Explorer, choice, play_steps, slider

__all__ = ["desync_explorer", "gossip_race"]

_RACE_STEPS = 45  # push to 10^6 replicas takes about log2 n + ln n + 2 = 36 rounds


def _race_run(replicas: float, seed: int = 1) -> gossip.RaceResult:
    return gossip.race(round(replicas), seed=seed)


def _race_draw(race: gossip.RaceResult, round_: int):
    fig, axes = viz.new_figure(ncols=2, width=15, height=6)
    viz.plot_gossip_race(race.runs, round_, axes, n_label=f"{race.n:,} replicas")
    fig.suptitle(f"Round {round_}: push-pull informs all {race.n:,} replicas in "
                 f"{race.push_pull.rounds} rounds, pull in {race.pull.rounds}, push in "
                 f"{race.push.rounds} (theory: push ~ {race.push_theory_rounds:.0f})",
                 fontweight="bold")
    return fig


def gossip_race(replicas: int = 100_000) -> Explorer:
    """Chapter 04: push, pull and push-pull side by side; press Play to step through rounds.

    Parameters
    ----------
    replicas : int
        Starting value of the replicas slider, in ``[100, 10^6]`` (replicas).

    Returns
    -------
    Explorer
        Controls: replicas (runs :func:`p2plib.gossip.race`) and a Play control for the round
        (redraws only).

    Examples
    --------
    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()):   # outside Jupyter: no display
    ...     explorer = gossip_race(1000)
    >>> sorted(explorer.controls), explorer.view
    (['replicas', 'round_'], ('round_',))
    >>> explorer.result().n
    1000
    """
    controls = {
        "replicas": slider("Replicas", "count", "how many copies of the directory must learn "
                           "the update", replicas, 2, 6, 0.25, log=True, readout_format=",.0f"),
        "round_": play_steps("Round", "gossip rounds", "each replica calls one random replica "
                             "per round", _RACE_STEPS),
    }
    return Explorer("Gossip race: who tells everyone first?", controls, run=_race_run,
                    draw=_race_draw, view=("round_",))


def _desync_run(restart_fraction: float, rollback_minutes: float, bandwidth_kbit: float,
                replicas: float, records: float, central_mbit: float, churn_percent: float,
                seed: int = 1) -> gossip.RepairComparison:
    return gossip.compare_repair(
        replicas=round(replicas), records=round(records), restart_fraction=restart_fraction,
        rollback_age=rollback_minutes * 60, churn_per_hour=churn_percent / 100,
        bandwidth=bandwidth_kbit * 1e3 / 8, central_bandwidth=central_mbit * 1e6 / 8, seed=seed)


def _desync_draw(comparison: gossip.RepairComparison, method: str):
    fig, axes = viz.new_figure(ncols=2, width=15, height=6)
    viz.plot_repair_vs_rebuild(comparison, method, axes)
    return fig


def desync_explorer(replicas: int = 10_000, records: int = 1_000_000) -> Explorer:
    """Chapter 04: restart storm with rollback; time to reconverge by method vs a rebuild.

    Parameters
    ----------
    replicas : int
        Starting value of the replicas slider, in ``[100, 10^5]`` (replicas).
    records : int
        Starting value of the records slider, in ``[10^4, 10^7.5]`` (records per replica).

    Returns
    -------
    Explorer
        Model controls run :func:`p2plib.gossip.compare_repair`; the method control only
        picks which repair the left panel shows.

    Examples
    --------
    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()):   # outside Jupyter: no display
    ...     explorer = desync_explorer(replicas=1000, records=10_000)
    >>> explorer.view, sorted(explorer.result().by_method)
    (('method',), ['digest', 'full', 'merkle'])
    """
    controls = {
        "restart_fraction": slider("Rolled back", "share of replicas", "replicas that "
                                   "restarted and restored an old snapshot",
                                   0.3, 0.0, 1.0, 0.05),
        "rollback_minutes": slider("Snapshot age", "minutes", "how old the restored copy is",
                                   60.0, 0, 3, 0.25, log=True, readout_format=",.0f"),
        "bandwidth_kbit": slider("Replica bandwidth", "kbit/s", "upload of one replica "
                                 "(1000 = a well-connected 2007 line; ADSL: 256-448)", 1000.0,
                                 2, 5, 0.25, log=True, readout_format=",.0f"),
        "churn_percent": slider("Churn", "% of records per hour", "logins, logouts and "
                                "address changes while the snapshot aged", 10.0, 0.0, 100.0, 1.0),
        "method": choice("Reconcile by", "how two replicas find what differs",
                         list(gossip.METHODS), "merkle"),
        "replicas": slider("Replicas", "count", "copies of the directory (model assumption)",
                           replicas, 2, 5, 0.25, log=True, readout_format=",.0f"),
        "records": slider("Records", "per replica", "user records each copy holds",
                          records, 4, 7.5, 0.25, log=True, readout_format=",.0f"),
        "central_mbit": slider("Central copy", "Mbit/s", "upload of the server a rebuild "
                               "reloads from", 1000.0, 1, 5, 0.25, log=True,
                               readout_format=",.0f"),
    }
    return Explorer("Desync: repair by gossip or rebuild from a central copy?", controls,
                    run=_desync_run, draw=_desync_draw, view=("method",))
