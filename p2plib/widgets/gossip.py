"""Chapter 04 explorers: a gossip race, and repair vs rebuild after a restart storm."""

from __future__ import annotations

import numpy as np

from p2plib import gossip, viz
from p2plib.gossip import directory
from p2plib.widgets.core import Explorer, choice, play_steps, slider

__all__ = ["desync_explorer", "gossip_race"]

_RACE_STEPS = 45  # push to 10^6 replicas takes about log2 n + ln n + 2 = 36 rounds


def _race_run(replicas: float, seed: int = 1):
    n = round(replicas)
    return {p: gossip.spread(n, p, seed=seed) for p in gossip.PROTOCOLS}


def _race_draw(results, round_: int):
    fig, axes = viz.new_figure(ncols=2, width=15, height=6)
    n = next(iter(results.values())).n
    viz.plot_gossip_race(results, round_, axes, n_label=f"{n:,} replicas")
    rounds = {p: r.rounds for p, r in results.items()}
    fig.suptitle(f"Round {round_}: push-pull informs all {n:,} replicas in "
                 f"{rounds['push-pull']} rounds, pull in {rounds['pull']}, push in "
                 f"{rounds['push']} (theory: push ~ {gossip.pittel_rounds(n):.0f})",
                 fontweight="bold")
    return fig


def gossip_race(replicas: int = 100_000) -> Explorer:
    """Chapter 04: push, pull and push-pull side by side; press Play to step through rounds."""
    controls = {
        "replicas": slider("Replicas", "count", "how many copies of the directory must learn "
                           "the update", replicas, 2, 6, 0.25, log=True, readout_format=",.0f"),
        "round_": play_steps("Round", "gossip rounds", "each replica calls one random replica "
                             "per round", _RACE_STEPS),
    }
    return Explorer("Gossip race: who tells everyone first?", controls, run=_race_run,
                    draw=_race_draw, view=("round_",))


_METHOD_LABELS = {"full": "full comparison", "digest": "digests", "merkle": "Merkle tree"}


def _desync_run(restart_fraction: float, rollback_minutes: float, bandwidth_kbit: float,
                replicas: float, records: float, central_mbit: float, churn_percent: float,
                seed: int = 1):
    update_rate = churn_percent / 100 * records / 3600
    common = dict(replicas=round(replicas), records=round(records),
                  restart_fraction=restart_fraction, rollback_age=rollback_minutes * 60,
                  update_rate=update_rate, bandwidth=bandwidth_kbit * 1e3 / 8,
                  central_bandwidth=central_mbit * 1e6 / 8, seed=seed)
    return {m: directory.desync(method=m, **common) for m in directory.METHODS}


def _fmt(seconds: float) -> str:
    if not np.isfinite(seconds):
        return "never (no fresh copy left)"
    for unit, size in (("days", 86400), ("hours", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds / size:.1f} {unit}"
    return f"{seconds:.0f} s"


def _desync_draw(results, method: str):
    chosen = method
    fig, (left, right) = viz.new_figure(ncols=2, width=15, height=6)
    pick = results[chosen]
    viz.plot_desync({_METHOD_LABELS[chosen]: pick}, ax=left)
    left.set_title(f"{pick.behind:,.0f} records behind on each rolled-back replica",
                   fontsize="medium")
    labels = [_METHOD_LABELS[m] for m in directory.METHODS] + ["rebuild\n(central copy)"]
    hours = [results[m].repair_seconds / 3600 for m in directory.METHODS]
    hours.append(pick.rebuild_seconds / 3600)
    shown = [h if np.isfinite(h) else np.nan for h in hours]
    colours = [viz.PALETTE["vermillion"], viz.PALETTE["purple"], viz.PALETTE["green"],
               viz.PALETTE["black"]]
    bars = right.barh(labels, np.nan_to_num(shown, nan=0.0), color=colours,
                      edgecolor=["black" if m == chosen else "white"
                                 for m in [*directory.METHODS, "rebuild"]], linewidth=3)
    for bar, h in zip(bars, hours, strict=True):
        right.annotate(_fmt(h * 3600), (max(bar.get_width(), 1e-3), bar.get_y() + 0.4),
                       xytext=(4, 0), textcoords="offset points", va="center")
    finite = [h for h in shown if np.isfinite(h) and h > 0] or [1.0]
    right.set_xlim(min(finite) / 3, max(finite) * 6)
    right.set_xscale("log")  # after the limits: all-zero bars (nothing rolled back) warn otherwise
    right.set_xlabel("time until every replica is consistent (hours)")
    right.invert_yaxis()
    fig.suptitle(f"Repair by {_METHOD_LABELS[chosen]}: {_fmt(pick.repair_seconds)}; "
                 f"rebuild from a central copy: {_fmt(pick.rebuild_seconds)}",
                 fontweight="bold")
    return fig


def desync_explorer(replicas: int = 10_000, records: int = 1_000_000) -> Explorer:
    """Chapter 04: restart storm with rollback; time to reconverge by method vs a rebuild."""
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
                         list(directory.METHODS), "merkle"),
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
