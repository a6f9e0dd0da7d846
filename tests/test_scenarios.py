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
from p2plib.outage import sweep as sw_module
from p2plib.scenarios import CRASH_2010_H, PATCH_RELEASE_H, PRESETS

THURSDAY, SATURDAY, SUNDAY = 48.0, 96.0, 120.0
# (hours from Tuesday 14 August 00:00 UTC; runs at step_min=2: the verdicts do not depend on
# the step, tests/test_outage_numerics.py)


@functools.cache
def run(name, **changes):
    return simulate(PRESETS[name]().replace(step_min=2, **changes))


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
    assert 24 <= r.hours_below(0.5) <= 72  # "about two days", 30 h to 2-3 days
    back = fail + r.time_to_recover(0.5)
    assert SATURDAY - 12 <= back < SUNDAY + 12  # back over the weekend
    assert r.recovered(0.9)


def test_2007_failure_needs_the_drained_pool_at_the_daily_peak():
    r = run("skype_2007")
    s = r.scenario
    i = np.flatnonzero(r.served_fraction < 0.9)[0]
    # at the first drop the pool cannot hold the clients; a day earlier it could
    assert r.supernodes_alive[i] * s.sn_capacity < r.wanting[i]
    j = i - 24 * 60
    assert r.supernodes_alive[j] * s.sn_capacity > r.wanting[j]
    assert 10 <= r.time_h[i] % 24 <= 20  # the daily peak (Europe evening, US day)


def test_2007_the_p2p_layer_sustains_it_and_the_fix_there_ends_it():
    # Without the fix the pool stays drained: supernodes shut down as fast as they come back
    no_fix = run("skype_2007", fix_h=None)
    assert not no_fix.recovered(0.5)
    late = no_fix.time_h > SATURDAY
    assert no_fix.sn_shutdowns[late].sum() > 0.5 * no_fix.scenario.supernodes
    assert no_fix.sn_cooling[late].min() > 0.5 * no_fix.scenario.supernodes
    # the fix acts there (supernodes refuse instead): the pool regrows, service comes back
    fixed = run("skype_2007")
    after = fixed.time_h > fixed.scenario.fix_h
    assert fixed.sn_shutdowns[after].sum() == 0
    assert fixed.recovered(0.9)


@pytest.mark.parametrize("fix_h", [78.0, 90.0, 102.0, 114.0])
def test_2007_a_later_fix_means_a_longer_outage(fix_h):
    earlier = run("skype_2007", fix_h=fix_h - 12)
    later = run("skype_2007", fix_h=fix_h)
    assert later.hours_below(0.5) > earlier.hours_below(0.5)


def test_2007_login_servers_without_admission_control_stick_in_another_state():
    # With a FIFO queue that serves stale requests, the login servers collapse too: then the
    # P2P fix alone does not end the outage (why the preset takes load-shedding login servers)
    fifo = run("skype_2007", admission_control=False)
    s = fifo.scenario
    stale = fifo.login_queue > s.login_capacity_per_min * s.login_timeout_min
    assert stale.any()
    assert fifo.hours_below(0.5) > run("skype_2007").hours_below(0.5)


def test_2007_staggered_reboots_keep_the_pool_above_the_peak():
    burst, spread = run("skype_2007"), run("skype_2007_staggered_reboots")
    assert spread.min_service() > 0.9
    assert spread.supernodes_alive.min() > burst.supernodes_alive[:3000].min()
    s = spread.scenario
    assert (spread.supernodes_alive * s.sn_capacity >= spread.wanting).all()


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


def test_2010_collapses_over_hours_and_recovers_about_a_day_after_the_trigger():
    r = run("skype_2010")
    fail = r.first_below(0.5)
    assert CRASH_2010_H + 1 <= fail <= CRASH_2010_H + 4  # a few hours after the trigger
    assert r.min_service() < 0.05  # near-total failure
    assert r.sn_shutdowns.sum() > 0.5 * r.scenario.supernodes  # the protection feeds back
    back = fail + r.time_to_recover(0.9)
    assert 16 <= back - CRASH_2010_H <= 36  # "about 24 hours"
    assert r.recovered(0.9)


def test_2010_earlier_mega_supernodes_mean_a_shorter_outage():
    hours = [run("skype_2010", mega_start_h=CRASH_2010_H + d,
                 events=()).hours_below(0.5) for d in (2.0, 6.0, 12.0)]
    assert hours[0] < hours[1] < hours[2]
    without = run("skype_2010_no_mega_supernodes")
    assert without.hours_below(0.5) > hours[-1] + 10
    assert not without.recovered(0.9)


def test_2010_overload_protection_is_the_feedback():
    refuse = run("skype_2010_no_mega_supernodes", overload="refuse")
    assert refuse.sn_shutdowns.sum() == 0
    assert refuse.hours_below(0.5) < run("skype_2010_no_mega_supernodes").hours_below(0.5)


# --- sweeps ------------------------------------------------------------------------------------


def test_sweep_on_a_thread_pool_matches_direct_runs():
    base = PRESETS["skype_2007"]().replace(online_peers=50_000, fix_h=None, days=5.0,
                                           step_min=5)
    grid = {"reboot_fraction": [0.1, 0.3], "sn_capacity": [500.0, 700.0]}
    with ThreadPoolExecutor(2) as pool:
        result = sw.sweep(base, grid, metric="hours_below_50", executor=pool, progress=False,
                          batch_size=3)
    assert result.values.shape == (2, 2)
    for i, f in enumerate(grid["reboot_fraction"]):
        for j, c in enumerate(grid["sn_capacity"]):
            direct = simulate(base.replace(reboot_fraction=f, sn_capacity=c)).hours_below(0.5)
            assert result.values[i, j] == pytest.approx(direct, abs=2 * 5 / 60)  # (a step)
    assert "reboot_fraction[2]" in repr(result)


def test_sweep_on_a_process_pool_and_outcome_codes():
    base = PRESETS["skype_2007"]().replace(online_peers=50_000, fix_h=None, days=5.0,
                                           step_min=5)
    with ProcessPoolExecutor(2) as pool:
        result = sw.sweep(base, {"reboot_fraction": [0.0, 0.3]}, executor=pool,
                          progress=False)
    assert result.values.tolist() == [sw.NO_OUTAGE, sw.STUCK]
    brief = sw.outcome(simulate(PRESETS["skype_2010"]().replace(online_peers=10_000)))
    assert brief == sw.RECOVERED


def test_outcome_does_not_depend_on_the_run_length():
    base = PRESETS["skype_2007"]().replace(online_peers=20_000, step_min=5)
    for changes in (dict(fix_h=None), dict(), dict(reboot_fraction=0.0),
                    dict(fix_h=72.0)):
        codes = {sw.outcome(simulate(base.replace(days=d, **changes))) for d in (5.0, 6.0, 9.0)}
        assert len(codes) == 1, changes
    short = simulate(base.replace(days=3.0, fix_h=None))   # ends during the outage
    assert np.isnan(sw.outcome(short))


def test_sweep_runs_in_process_where_no_pool_can_start(monkeypatch):
    base = PRESETS["skype_2010"]().replace(online_peers=10_000, step_min=5)
    grid = {"sn_overload_factor": [10.0, 100.0]}
    expected = sw.sweep(base, grid, progress=False).values

    def no_pool(*args, **kwargs):
        raise OSError("no process pool here")

    monkeypatch.setattr(sw_module, "ProcessPoolExecutor", no_pool)
    fallback = sw.sweep(base, grid, progress=False, max_workers=2, batch_size=1)
    np.testing.assert_array_equal(fallback.values, expected)
    monkeypatch.setattr(sw_module.sys, "platform", "emscripten")   # JupyterLite (Pyodide)
    assert sw_module._process_pool(2) is None


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
    base = PRESETS["skype_2007"]().replace(online_peers=10_000, fix_h=None, days=5.0,
                                           step_min=5)
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
