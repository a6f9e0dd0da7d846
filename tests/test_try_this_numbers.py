"""The numbers that chapters 02, 04 and 05 quote in their "What you should see" blocks come
from the explorers' own run functions at the settings the "Try this" items name: if a model
changes, these fail and the prose must be updated with it."""

from __future__ import annotations

import numpy as np
import pytest

from p2plib.swarm import evening_flash_crowd, steady_delivery
from p2plib.widgets.gossip import _desync_run, _race_run
from p2plib.widgets.supernodes import _election_run, _plug_run


def _stranded(min_uptime_hours, capacity):
    run = _election_run("yes", 1500.0, float(min_uptime_hours), capacity, "no")
    return run["network"].homing.orphans


def test_chapter_02_election_edge_and_reboot():
    assert _stranded(36, 300) == 0 and _stranded(37, 300) > 0        # "about 37 hours"
    assert _stranded(13, 100) == 0 and _stranded(14, 100) > 0        # "about 14 hours"
    assert _stranded(48, 500) == 0                                   # "at 500 or more"
    rebooted = _election_run("yes", 1500.0, 12.0, 300, "1 h ago")["network"]
    assert len(rebooted.supernode_ids) == pytest.approx(483, abs=5)


@pytest.mark.parametrize(("removed", "load", "collapses"),
                         [(0.30, 0.6, False), (0.35, 0.6, True), (0.65, 0.3, False),
                          (0.70, 0.3, True)])
def test_chapter_02_pull_the_plug_edges(removed, load, collapses):
    history = _plug_run(removed, load, "shut down")["history"]
    assert (history.alive[-1].sum() == 0) == collapses


def test_chapter_04_explorer_numbers():
    race = _race_run(1e5)
    assert race["push"].informed[10] == 1019 and race["push-pull"].informed[10] > 25_000
    base = dict(restart_fraction=0.3, rollback_minutes=60.0, bandwidth_kbit=1000.0,
                replicas=10_000, records=1e6, central_mbit=1000.0, churn_percent=10.0)
    everyone = _desync_run(**{**base, "restart_fraction": 1.0})["merkle"]
    assert not np.isfinite(everyone.repair_seconds)
    assert everyone.rebuild_seconds / 3600 == pytest.approx(2.2, abs=0.05)
    early = _desync_run(**{**base, "rollback_minutes": 850.0})["merkle"]
    late = _desync_run(**{**base, "rollback_minutes": 950.0})["merkle"]
    assert early.repair_seconds < early.rebuild_seconds < late.repair_seconds  # "about 900"
    slow = _desync_run(**{**base, "bandwidth_kbit": 100.0})["full"]
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
