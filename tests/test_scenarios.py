"""Presets reproduce the documented shapes, interventions act through their mechanism, sweeps.

Documented shapes (facts file): 2007 - patches Tuesday 14 August, failure Thursday 16 August,
about two days of outage (AP: Thursday to Saturday; GigaOm: 30 hours; Irish Times: two to three
days), then recovery. 2010 - near-total failure a few hours after the crash, restored about 24
hours later with mega-supernodes. The aggregate model is deterministic, so these are exact
checks of the model's behaviour, with windows as wide as the sources' own spread.
"""

import functools
import itertools
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import numpy as np
import pytest

from p2plib import sweep as sw
from p2plib.outage import Scenario, simulate
from p2plib.scenarios import CRASH_2010_H, PATCH_RELEASE_H, PRESETS

THURSDAY, SATURDAY, SUNDAY = 48.0, 96.0, 120.0  # hours from Tuesday 14 August 00:00 UTC


@functools.cache
def run(name, **changes):
    return simulate(PRESETS[name]().replace(**changes))


def test_presets_are_the_contract():
    assert set(PRESETS) == {"skype_2007", "skype_2007_jittered_backoff",
                            "skype_2007_staggered_reboots", "skype_2010",
                            "skype_2010_no_mega_supernodes"}
    for make in PRESETS.values():
        s = make()
        assert isinstance(s, Scenario)
        assert s.online_peers >= 1e6  # real scale
        assert s == make()  # deterministic, zero-argument
    assert PRESETS["skype_2007"]().days >= 5


def test_2007_fails_on_thursday_for_about_two_days_then_recovers():
    r = run("skype_2007")
    assert PRESETS["skype_2007"]().reboot_start_h > PATCH_RELEASE_H  # reboots follow the patch
    assert r.served_fraction[r.time_h < THURSDAY].min() > 0.9  # Tuesday and Wednesday fine
    fail = r.first_below(0.5)
    assert THURSDAY <= fail < THURSDAY + 24  # failure on Thursday 16 August
    assert r.min_service() < 0.1  # unavailable to most users
    assert 24 <= r.hours_below(0.5) <= 60  # "about two days", 30 h to 2-3 days
    back = fail + r.time_to_recover(0.5)
    assert SATURDAY - 12 <= back < SUNDAY  # back by the weekend
    assert r.recovered(0.9)


def test_2007_failure_needs_the_drained_pool_at_the_daily_peak():
    r = run("skype_2007")
    s = r.scenario
    i = np.flatnonzero(r.served_fraction < 0.9)[0]
    # at the first drop the pool cannot hold the clients; a day earlier it could
    assert r.supernodes_alive[i] * s.sn_capacity < r.wanting[i]
    j = i - 24 * 60
    assert r.supernodes_alive[j] * s.sn_capacity > r.wanting[j]
    assert 12 <= r.time_h[i] % 24 <= 20  # the daily peak (Europe evening, US day)


def test_2007_without_the_fix_never_heals():
    r = run("skype_2007", fix_h=None)
    assert not r.recovered(0.5)
    stale = r.login_queue > r.scenario.login_capacity_per_min * r.scenario.login_timeout_min
    assert stale[r.time_h > SATURDAY].all()  # the login servers serve stale requests


def test_2007_jittered_backoff_avoids_the_outage_by_lowering_the_retry_load():
    fixed, jitter = run("skype_2007"), run("skype_2007_jittered_backoff")
    assert jitter.min_service() > 0.5
    assert jitter.hours_below(0.5) < fixed.hours_below(0.5)
    # mechanism: the same drained pool, but far fewer login attempts at the Thursday peak
    thursday = (fixed.time_h >= THURSDAY) & (fixed.time_h < THURSDAY + 24)
    before = fixed.time_h < fixed.first_below(0.5)
    np.testing.assert_allclose(jitter.supernodes_alive[before], fixed.supernodes_alive[before],
                               rtol=0.02)
    assert jitter.login_attempts[thursday].max() < 0.5 * fixed.login_attempts[thursday].max()
    cap = jitter.scenario.login_capacity_per_min
    assert jitter.login_queue.max() < cap * jitter.scenario.login_timeout_min


def test_2007_staggered_reboots_keep_the_pool_above_the_peak():
    burst, spread = run("skype_2007"), run("skype_2007_staggered_reboots")
    assert spread.min_service() > 0.9
    assert spread.supernodes_alive.min() > burst.supernodes_alive[:3000].min()
    s = spread.scenario
    assert (spread.supernodes_alive * s.sn_capacity >= spread.wanting).all()


def test_2007_admission_control_moves_the_bottleneck_to_the_supernodes():
    # Admission control keeps the login servers doing useful work (no stale queue) ...
    base = run("skype_2007", fix_h=None)
    ac = run("skype_2007", fix_h=None, admission_control=True)
    s = ac.scenario
    assert ac.login_queue.max() <= s.login_capacity_per_min * s.login_timeout_min * 1.001
    assert base.login_queue.max() > 10 * ac.login_queue.max()
    # ... so the full login rate reaches the drained pool, and supernodes shut down instead;
    # together with supernodes that refuse rather than shut down, the outage never starts.
    assert ac.sn_shutdowns.sum() > 10 * base.sn_shutdowns.sum()
    both = run("skype_2007", fix_h=None, admission_control=True, overload="refuse")
    assert both.min_service() > 0.5


@pytest.mark.parametrize("change", [dict(sn_capacity=650.0), dict(supernode_fraction=1 / 200),
                                    dict(overload="refuse")])
def test_2007_other_defences(change):
    base = run("skype_2007", fix_h=None)
    better = run("skype_2007", fix_h=None, **change)
    assert better.hours_below(0.5) < base.hours_below(0.5)
    assert better.recovered(0.9)


def test_2007_unknown_supernode_count_over_a_plausible_range():
    # Skype never published it: more supernodes (per online peer) never make things worse
    hours = [run("skype_2007", supernode_fraction=f).hours_below(0.5)
             for f in (1 / 450, 1 / 350, 1 / 300, 1 / 250, 1 / 150)]
    assert all(a >= b for a, b in itertools.pairwise(hours))
    assert hours[0] > 0 and hours[-1] == 0


def test_2010_collapses_within_hours_and_recovers_in_about_a_day_with_mega_supernodes():
    r = run("skype_2010")
    fail = r.first_below(0.5)
    assert CRASH_2010_H <= fail <= CRASH_2010_H + 4  # a few hours after the trigger
    assert r.min_service() < 0.05  # near-total failure
    assert r.sn_shutdowns.sum() > 0.5 * r.scenario.supernodes  # the protection feeds back
    assert 12 <= r.time_to_recover(0.9) <= 40  # about 24 hours
    assert r.recovered(0.9)


def test_2010_without_mega_supernodes_is_worse():
    with_megas, without = run("skype_2010"), run("skype_2010_no_mega_supernodes")
    assert without.hours_below(0.5) > with_megas.hours_below(0.5) + 10
    assert not without.recovered(0.9)
    # mechanism: the returning supernodes shut down again without the mega-supernodes' slots
    late = without.time_h > CRASH_2010_H + 24
    assert without.sn_shutdowns[late].sum() > with_megas.sn_shutdowns[late].sum()


def test_2010_overload_protection_is_the_feedback():
    refuse = run("skype_2010_no_mega_supernodes", overload="refuse")
    assert refuse.sn_shutdowns.sum() == 0
    assert refuse.hours_below(0.5) < run("skype_2010_no_mega_supernodes").hours_below(0.5)


# --- sweeps ------------------------------------------------------------------------------------


def test_sweep_on_a_thread_pool_matches_direct_runs():
    base = PRESETS["skype_2007"]().replace(online_peers=50_000, fix_h=None, days=5.0)
    grid = {"reboot_fraction": [0.1, 0.3], "sn_capacity": [500.0, 700.0]}
    with ThreadPoolExecutor(2) as pool:
        result = sw.sweep(base, grid, metric="hours_below_50", executor=pool, progress=False)
    assert result.values.shape == (2, 2)
    for i, f in enumerate(grid["reboot_fraction"]):
        for j, c in enumerate(grid["sn_capacity"]):
            direct = simulate(base.replace(reboot_fraction=f, sn_capacity=c)).hours_below(0.5)
            assert result.values[i, j] == direct
    assert "reboot_fraction[2]" in repr(result)


def test_sweep_on_a_process_pool_and_outcome_codes():
    base = PRESETS["skype_2007"]().replace(online_peers=50_000, fix_h=None, days=5.0)
    with ProcessPoolExecutor(2) as pool:
        result = sw.sweep(base, {"reboot_fraction": [0.0, 0.3]}, executor=pool,
                          progress=False)
    assert result.values.tolist() == [sw.NO_OUTAGE, sw.STUCK]
    recovering = sw.outcome(simulate(PRESETS["skype_2007"]()))
    assert recovering == sw.RECOVERED


def test_sweep_rejects_bad_grids():
    base = Scenario(online_peers=1_000, days=0.1)
    with pytest.raises(ValueError, match="colour"):
        sw.sweep(base, {"colour": [1]}, progress=False)
    with pytest.raises(ValueError, match="metric"):
        sw.sweep(base, {"days": [0.1]}, metric="beauty", progress=False)
    with pytest.raises(ValueError, match="reboot_fraction"):
        sw.sweep(base, {"reboot_fraction": [2.0]}, progress=False)
    with pytest.raises(ValueError, match="grid"):
        sw.sweep(base, {}, progress=False)


# --- exercise checks and explorers ------------------------------------------------------------


def test_exercise_checks():
    from p2plib import checks

    assert checks.check_depleted_headroom(1.23 * 0.7, headroom=1.23, reboot_fraction=0.3)
    assert not checks.check_depleted_headroom(1.23, headroom=1.23, reboot_fraction=0.3)
    assert "No answer" in repr(checks.check_depleted_headroom(None, 1.2, 0.3))
    assert checks.check_login_backlog_minutes(100, 2e6, 8e4, 1e5)
    assert not checks.check_login_backlog_minutes(20, 2e6, 8e4, 1e5)
    assert checks.check_login_backlog_minutes(float("inf"), 2e6, 1.2e5, 1e5)
    assert not checks.check_login_backlog_minutes(100, 2e6, 1.2e5, 1e5)
    r = run("skype_2010_no_mega_supernodes")
    assert checks.check_hours_below(r.hours_below(0.5), r)
    assert not checks.check_hours_below(r.hours_below(0.5) / 2, r)
    with pytest.raises(TypeError, match="result"):
        checks.check_hours_below(1.0, "not a result")


def test_explorers_run_once_per_model_change():
    import matplotlib.pyplot as plt

    from p2plib import widgets

    explorer = widgets.outage_explorer(online_peers=20_000)
    first = explorer.result()
    explorer.controls["hour"].value = 100  # view control: same cached result
    assert explorer.result() is first
    explorer.controls["retry_policy"].value = "full_jitter"
    assert explorer.result() is not first
    assert explorer.result().scenario.retry_policy == "full_jitter"
    explorer.reset()
    assert explorer.values == explorer.defaults
    base = PRESETS["skype_2007"]().replace(online_peers=10_000, fix_h=None, days=4.0)
    with ThreadPoolExecutor(2) as pool:
        grids = {p: sw.sweep(base.replace(retry_policy=p), {"reboot_fraction": [0.1, 0.3],
                                                             "sn_capacity": [500.0, 700.0]},
                             executor=pool, progress=False)
                 for p in ("fixed", "full_jitter")}
    phase = widgets.phase_explorer(grids)
    phase.controls["retry_policy"].value = "full_jitter"
    assert phase.figure is not None
    with pytest.raises(ValueError, match="results"):
        widgets.phase_explorer({})
    plt.close("all")
