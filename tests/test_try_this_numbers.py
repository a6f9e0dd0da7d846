"""The numbers that chapters 02, 03, 04 and 05 quote in their "What you should see" blocks come
from the explorers' own run functions at the settings the "Try this" items name: if a model
changes, these fail and the prose must be updated with it."""

from __future__ import annotations

import numpy as np
import pytest

from p2plib import gossip
from p2plib.swarm import evening_flash_crowd, steady_delivery
from p2plib.widgets.outage import _outage_run
from p2plib.widgets.supernodes import _election_run, _plug_run


def _stranded(min_uptime_hours, capacity):
    run = _election_run("yes", 1500.0, float(min_uptime_hours), capacity, "no")
    return run.network.homing.orphans


def test_chapter_02_election_edge_and_reboot():
    assert _stranded(36, 300) == 0 and _stranded(37, 300) > 0        # "about 37 hours"
    assert _stranded(13, 100) == 0 and _stranded(14, 100) > 0        # "about 14 hours"
    assert _stranded(48, 500) == 0                                   # "at 500 or more"
    rebooted = _election_run("yes", 1500.0, 12.0, 300, "1 h ago").network
    assert len(rebooted.supernode_ids) == pytest.approx(483, abs=5)


@pytest.mark.parametrize(("removed", "load", "collapses"),
                         [(0.30, 0.6, False), (0.35, 0.6, True), (0.65, 0.3, False),
                          (0.70, 0.3, True)])
def test_chapter_02_pull_the_plug_edges(removed, load, collapses):
    history = _plug_run(removed, load, "shut down").history
    assert (history.alive[-1].sum() == 0) == collapses


def test_chapter_03_explorer_numbers():
    # section 13's "What you should see", item by item, at the explorer's defaults
    preset = dict(reboot_fraction=0.3, reboot_window_h=10.0, sn_capacity=500.0,
                  retry_policy="fixed", admission_control="on", mega_supernodes="off",
                  supernodes_at_skype=20_000.0, sn_overload_factor=6.0, fix="on", fix_h=102.0)

    def run(**changes):
        return _outage_run(**{**preset, **changes})

    assert run().hours_below(0.5) == pytest.approx(53, abs=0.5)            # "instead of 53 h"
    assert run(fix="off").served_fraction[-1] == pytest.approx(0.10, abs=0.015)  # "near 10%"
    assert run(fix_h=66.0).hours_below(0.5) == pytest.approx(31, abs=0.5)  # "about 31 h"
    assert run(fix_h=98.0).hours_below(0.5) == pytest.approx(50, abs=0.5)  # "about 50 h"
    assert run(fix_h=118.0).served_fraction[-1] < 0.5                     # "before it is back"
    for fix in ("on", "off"):                                              # "no outage at 25,000"
        assert run(supernodes_at_skype=25_000.0, fix=fix).hours_below(0.5) == 0
    assert run(sn_overload_factor=8.0).hours_below(0.5) == 0               # "no outage at 8"
    assert run(retry_policy="full_jitter").hours_below(0.5) == pytest.approx(49, abs=0.5)
    jitter_open = run(retry_policy="full_jitter", admission_control="off")
    assert jitter_open.hours_below(0.5) == pytest.approx(35, abs=1) and jitter_open.recovered()
    assert run(admission_control="off").served_fraction[-1] < 0.5          # "still down"


def test_chapter_04_explorer_numbers():
    # the explorers' run functions call these with the same arguments (unit conversions only)
    race = gossip.race(100_000, seed=1)
    assert race.push.informed[10] == 1019 and race.push_pull.informed[10] > 25_000
    base = dict(restart_fraction=0.3, rollback_age=60 * 60.0, bandwidth=1000.0 * 1e3 / 8,
                replicas=10_000, records=1_000_000, central_bandwidth=1000.0 * 1e6 / 8,
                churn_per_hour=10.0 / 100, seed=1)

    def _desync_run(**kw):
        return gossip.compare_repair(**{**base, **kw}).by_method

    everyone = _desync_run(restart_fraction=1.0)["merkle"]
    assert not np.isfinite(everyone.repair_seconds)
    assert everyone.rebuild_seconds / 3600 == pytest.approx(2.2, abs=0.05)
    early = _desync_run(rollback_age=850.0 * 60)["merkle"]
    late = _desync_run(rollback_age=950.0 * 60)["merkle"]
    assert early.repair_seconds < early.rebuild_seconds < late.repair_seconds  # "about 900"
    slow = _desync_run(bandwidth=100.0 * 1e3 / 8)["full"]
    assert slow.round_seconds / 3600 == pytest.approx(4.4, abs=0.05)


def test_chapter_05_explorer_numbers():
    def minutes(**kw):
        return steady_delivery(**{**dict(viewers_per_hour=20_000, server_gbps=2.0,
                                         upload_share=1.0, seed_hours=1.0), **kw})
    assert minutes().assisted.download_time * 60 == pytest.approx(26.8, abs=0.1)
    assert minutes(server_gbps=4.0).assisted.download_time * 60 > 15
    assert minutes(server_gbps=4.1).assisted.download_time * 60 < 15
    assert minutes(server_gbps=14.7).alone.download_time * 60 > 15
    assert minutes(server_gbps=14.8).alone.download_time * 60 < 15
    crowd = evening_flash_crowd(100_000, 2.0, 1.0, 1.0).peer_assisted
    peak = crowd.times[np.argmax(crowd.peer_rate_used)]
    assert 22.25 <= peak <= 22.42                                     # "around 22:20"
