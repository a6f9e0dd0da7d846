"""Outage model: mechanisms against their theory, invariants before any clipping, input.

Tolerances. The aggregate model follows expected counts, so where a mechanism has a closed
form (pool depletion by a Poisson reboot process, the extra logins of a reboot wave, the
arrival balance of the daily cycle, an Erlang delay) it must match to rounding or to the
first-order splitting error stated where used. Monte Carlo checks allow 5 standard deviations.
"""

import dataclasses
import itertools
import json
import math
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from p2plib import outage as om
from p2plib.outage import RETRY_POLICIES, Scenario, retry_delays, simulate, simulate_many
from p2plib.outage.schedule import build_schedule, erlang_kernel, overload_hazard
from p2plib.scenarios import PRESETS, load_ramp

# --- retry policies (Brooker 2015) --------------------------------------------------------------


def test_exponential_backoff_doubles_until_the_cap():
    assert retry_delays("exponential", 1.0, 20.0) == (1.0, 2.0, 4.0, 8.0, 16.0, 20.0)


def test_full_jitter_waits_half_the_exponential_ceiling():
    assert retry_delays("full_jitter", 1.0, 64.0) == tuple(c / 2 for c in
                                                           (1, 2, 4, 8, 16, 32, 64))


def test_decorrelated_jitter_mean_sleeps_grow_to_the_midpoint_of_base_and_cap():
    # E[sleep_k+1] = (base + min(cap, 3 sleep_k)) / 2: increasing, converging to (base + cap)/2
    delays = retry_delays("decorrelated_jitter", 2.0, 30.0)
    assert delays[0] == 2.0
    assert all(b > a for a, b in itertools.pairwise(delays))
    assert delays[-1] == pytest.approx(16.0, rel=2e-3)
    rng = np.random.default_rng(0)   # Monte Carlo of the rule itself: 20000 clients
    sleep = np.full(20_000, 2.0)
    for k in range(1, 4):
        sleep = np.minimum(30.0, rng.uniform(2.0, 3 * sleep))
        assert sleep.mean() == pytest.approx(delays[k], rel=0.1)  # (mean of the means)


def test_immediate_and_fixed():
    assert retry_delays("immediate", 5.0, 10.0) == (om.scenario.IMMEDIATE_RETRY_MIN,)
    assert retry_delays("fixed", 5.0, 10.0) == (5.0,)


# --- rate building blocks -----------------------------------------------------------------------


@pytest.mark.parametrize("mean, dt", [(60.0, 1.0), (60.0, 5.0), (5.0, 5.0), (2880.0, 2.0)])
def test_erlang_kernel_is_the_exact_poisson_stage_count(mean, dt):
    k = erlang_kernel(mean, dt, 4)
    lam = 4 * dt / mean
    np.testing.assert_allclose(k[:4], stats.poisson.pmf(np.arange(4), lam), rtol=1e-12)
    assert k.sum() == pytest.approx(1.0, abs=1e-12)


def test_erlang_delay_in_the_aggregate_has_the_right_mean():
    # Reboot a share F of supernodes in a short window, nothing else happening: the pool comes
    # back as an Erlang(4, mean promotion) delay after the downtime. The mean time to return
    # equals downtime + promotion up to the half-step entry convention (|error| < dt).
    s = Scenario(online_peers=1e5, days=3.0, reboot_fraction=0.5, sn_reboot_fraction=0.5,
                 reboot_start_h=2.0, reboot_window_h=0.25, promotion_uptime_h=20.0,
                 reboot_downtime_min=30.0, sn_capacity=5000.0, step_min=2)
    r = simulate(s)
    missing = s.supernodes - r.supernodes_alive
    t = r.time_h
    mean_away = (missing.sum() * s.step_min / 60) / missing.max()
    assert mean_away == pytest.approx(20.0 + 0.5, abs=0.25)
    assert t[np.argmax(missing)] < 3.0


def test_overload_hazard_matches_a_poisson_window_count():
    rng = np.random.default_rng(3)
    for rate in (10.0, 20.0, 30.0):
        counts = rng.poisson(rate, 200_000)
        freq = (counts >= 20).mean()
        sd = math.sqrt(freq * (1 - freq) / 200_000)
        assert overload_hazard(rate, 20.0) == pytest.approx(freq, abs=5 * sd + 1e-4)


def test_reboot_hazard_reboots_the_share_over_any_step():
    for step in (1, 2, 5, 7):
        s = Scenario(online_peers=1e4, days=2.0, reboot_fraction=0.3, reboot_start_h=3.1,
                     reboot_window_h=2.3, reboot_waves=2, step_min=step)
        sched = build_schedule(s)
        assert 1 - np.prod(1 - sched.reboot) == pytest.approx(0.3, rel=1e-9)


# --- mechanisms against theory ------------------------------------------------------------------


def quiet(**changes):
    return Scenario(**{"online_peers": 100_000, "days": 2.0, **changes})


def test_quiet_day_is_served_and_online_follows_the_cycle():
    r = simulate(quiet())
    assert r.min_service() > 0.99
    # arrivals balance departures: the online count follows the cycle to rounding
    np.testing.assert_allclose(r.wanting, r.demand, rtol=1e-6)
    # every login is a new session: attempts per step = (1 - e^-dt/session) N + growth
    keep = math.exp(-1 / (r.scenario.session_h * 60))
    growth = np.maximum(0, np.diff(r.demand, append=r.demand[-1]))
    np.testing.assert_allclose(r.login_attempts[1:-1], ((1 - keep) * r.demand + growth)[1:-1],
                               rtol=1e-6)


def test_reboots_drain_the_pool_as_a_poisson_process():
    # refuse mode, promotion much longer than the run: survivors = K (1 - F) after the window
    F = 0.4
    s = quiet(reboot_fraction=F, reboot_start_h=10, reboot_window_h=5, promotion_uptime_h=200,
              days=1.0, sn_capacity=2000)
    r = simulate(s)
    after = (r.time_h >= 15.5) & (r.time_h < 17)
    # (what returns within 2 h of an Erlang(4, 200 h) delay: P(Gamma(4, 50 h) < 2 h) < 1e-5)
    np.testing.assert_allclose(r.supernodes_alive[after], s.supernodes * (1 - F), rtol=1e-4)
    assert r.supernodes_alive[r.time_h < 10].min() == pytest.approx(s.supernodes)


def test_reboot_wave_floods_the_login_servers_with_one_login_per_reboot():
    F = 0.5
    s = quiet(reboot_fraction=F, sn_reboot_fraction=0.0, reboot_start_h=8, reboot_window_h=1,
              login_headroom=100, days=0.75)
    base = simulate(s.replace(reboot_fraction=0.0))
    r = simulate(s)
    extra = (r.login_attempts - base.login_attempts).sum()
    # expected reboots: each client online in the window reboots at rate -ln(1-F)/W
    # minus those whose session ends while down: E[exp(-D / session)] for D ~ Erlang(4, 5 min)
    sched = build_schedule(s)
    still_on = (1 + s.reboot_downtime_min / (4 * s.session_h * 60)) ** -4
    expected = (r.wanting * sched.reboot).sum() * still_on
    assert extra == pytest.approx(expected, rel=0.01)
    assert r.login_attempts.max() > 1.5 * base.login_attempts.max()


def test_fifo_login_queue_with_timeouts_collapses_goodput_and_admission_control_restores_it():
    # Offered load twice the capacity: FIFO serves stale requests first (goodput -> 0);
    # admission control keeps goodput at capacity (Huang et al. 2022 "goodput collapse").
    s = quiet(reboot_fraction=0.9, sn_reboot_fraction=0.0, reboot_start_h=6,
              reboot_window_h=0.5, login_headroom=1.5, retry_policy="immediate",
              patience_h=None, days=1.0)
    r = simulate(s)
    ac = simulate(s.replace(admission_control=True))
    cap = s.login_capacity_per_min
    stuck = np.flatnonzero(r.login_attempts > 2 * cap)[5:]  # once the queue has formed
    assert len(stuck) > 60
    assert r.login_goodput[stuck].max() < 0.05 * cap
    busy = ac.login_attempts > 1.05 * cap  # admission control: overloaded, yet all useful work
    assert busy.sum() > 5
    assert ac.login_goodput[busy].min() > 0.95 * cap
    assert ac.hours_below(0.5) < r.hours_below(0.5)


def test_overload_shutdowns_feed_back_through_orphans():
    # The 2010 mechanism: a crash orphans clients, whose searches overload the rest, which shut
    # down and orphan more. With supernodes that refuse, the same trigger does not cascade.
    s = PRESETS["skype_2010_no_mega_supernodes"]().replace(online_peers=1e5, days=1.5)
    shut = simulate(s)
    refuse = simulate(s.replace(overload="refuse"))
    assert shut.sn_shutdowns.sum() > 0.5 * s.supernodes
    assert refuse.sn_shutdowns.sum() == 0
    assert refuse.min_service() > shut.min_service() + 0.3


def test_everything_scales_with_online_peers():
    s = PRESETS["skype_2010"]()
    big, small = simulate(s), simulate(s.replace(online_peers=10_000))
    np.testing.assert_allclose(big.served_fraction, small.served_fraction, atol=1e-6)
    np.testing.assert_allclose(big.supernodes_alive / s.supernodes,
                               small.supernodes_alive / (s.supernodes / 2000), atol=1e-6)


def test_batched_runs_equal_single_runs():
    base = PRESETS["skype_2007"]().replace(online_peers=1e5, step_min=5)
    variants = [base.replace(reboot_fraction=f, retry_policy=p)
                for f in (0.1, 0.3) for p in ("fixed", "full_jitter")]
    # the same code on arrays: only the order of a few sums differs (padded retry levels), so
    # the runs agree to rounding amplified by at most a few orders of magnitude
    batched = simulate_many(variants)
    for s, b in zip(variants, batched, strict=True):
        single = simulate(s)
        np.testing.assert_allclose(b.served_fraction, single.served_fraction, atol=1e-7)
        np.testing.assert_allclose(b.supernodes_alive, single.supernodes_alive, rtol=1e-7)


def test_result_metrics():
    r = simulate(PRESETS["skype_2007"]().replace(online_peers=100_000, step_min=2))
    below = r.served_fraction < 0.5
    assert r.hours_below(0.5) == pytest.approx(below.sum() * 2 / 60)
    assert r.first_below(0.5) == r.time_h[below.argmax()]
    assert r.min_service() == r.served_fraction.min()
    assert r.time_to_recover(0.5) >= r.hours_below(0.5) - 1e-9
    friday = r.at(88.0)
    assert friday["connected"] == pytest.approx(friday["served_fraction"] * friday["demand"])
    q = simulate(quiet(days=0.5))
    assert math.isnan(q.first_below(0.5)) and math.isnan(q.time_to_recover(0.5))
    with pytest.raises(ValueError, match="level"):
        r.hours_below(1.5)


# --- invariants, before any clipping ------------------------------------------------------------

scenario_strategy = st.builds(
    Scenario,
    online_peers=st.sampled_from([2_000, 5_000]),
    days=st.just(0.5),
    step_min=st.sampled_from([1, 2, 5]),
    reboot_fraction=st.floats(0, 1),
    sn_reboot_fraction=st.one_of(st.none(), st.floats(0, 1)),
    reboot_start_h=st.floats(0, 6),
    reboot_window_h=st.floats(0.1, 4),
    sn_capacity=st.floats(100, 800),
    overload=st.sampled_from(om.OVERLOAD_MODES),
    sn_overload_factor=st.floats(2, 30),
    sn_restart_h=st.floats(0, 6),
    retry_policy=st.sampled_from(RETRY_POLICIES),
    retry_base_min=st.sampled_from([1.0, 2.0]),
    admission_control=st.booleans(),
    login_headroom=st.floats(0.5, 10),
    patience_h=st.one_of(st.none(), st.floats(0.2, 5)),
    mega_share=st.floats(0, 0.5),
    mega_start_h=st.floats(0, 10),
    promotion_uptime_h=st.floats(0, 5),
)


def check_invariants(r, slack=0.0):
    """``slack``: the agent model's online count is Poisson around the demand (6 sd allowed)."""
    extra = slack * np.sqrt(r.demand)
    # served_fraction is connected / demand and is never clipped: it must lie in [0, 1]
    assert np.all(r.served_fraction >= -1e-12)
    assert np.all(r.connected <= r.demand * (1 + 1e-9) + extra)
    # conservation: every client compartment summed = arrivals minus departures (independent)
    np.testing.assert_allclose(r.peers_total, r.peers_tracked, rtol=1e-9, atol=1e-6)
    # capable peers over their four states: constant
    np.testing.assert_allclose(r.capable_total, r.capable_total[0], rtol=1e-9)
    for name in ("connected", "supernodes_alive", "sn_cooling", "sn_young", "login_queue",
                 "login_attempts", "login_goodput", "retrying", "sn_shutdowns"):
        assert np.all(getattr(r, name) >= -1e-6), name
    assert np.all(r.connected <= r.wanting * (1 + 1e-9) + 1e-6)
    assert np.all(r.peers_total <= r.demand * (1 + 1e-9) + 1e-6 + extra)  # nobody extra
    assert np.all(r.login_goodput <= r.scenario.login_capacity_per_min * r.scenario.step_min
                  * (1 + 1e-9) + 1)
    assert len(r.time_h) == len(r.served_fraction) == r.scenario.steps


@settings(max_examples=30, deadline=None)
@given(scenario_strategy)
def test_aggregate_conserves_peers(scenario):
    check_invariants(simulate(scenario))


@settings(max_examples=8, deadline=None)
@given(scenario_strategy, st.integers(0, 2**31))
def test_agent_conserves_peers_exactly(scenario, seed):
    r = simulate(scenario, seed=seed, model="agent")
    check_invariants(r, slack=6.0)
    assert np.array_equal(r.peers_total, r.peers_tracked)  # whole peers: exact


def _fingerprint(r):
    return [float(x.sum()) for x in (r.served_fraction, r.supernodes_alive, r.login_queue)]


def test_agent_model_is_reproducible_across_processes():
    s = PRESETS["skype_2010"]().replace(online_peers=3_000, days=1.0, step_min=5)
    here = _fingerprint(simulate(s, seed=42, model="agent"))
    code = ("import json; from p2plib.outage import simulate; "
            "from p2plib.scenarios import PRESETS; "
            "s = PRESETS['skype_2010']().replace(online_peers=3_000, days=1.0, step_min=5); "
            "r = simulate(s, seed=42, model='agent'); "
            "print(json.dumps([float(x.sum()) for x in (r.served_fraction, "
            "r.supernodes_alive, r.login_queue)]))")
    there = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True,
                                      text=True, check=True).stdout)
    assert here == there
    assert _fingerprint(simulate(s, seed=43, model="agent")) != here


# --- hysteresis on the slow ramp (the theory is in tests/test_outage_theory.py) --------------


def test_hysteresis_fails_high_recovers_low():
    r = simulate(load_ramp(online_peers=100_000, step_min=2))
    assert r.load_at_failure() > 1.0
    assert r.load_at_recovery() < r.load_at_failure() - 0.2


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize("field, value", [
    ("sn_capacity", -5.0), ("reboot_fraction", 1.5), ("reboot_fraction", -0.1),
    ("sn_reboot_fraction", 2.0), ("reboot_window_h", 0.0), ("retry_policy", "sometimes"),
    ("overload", "explode"), ("online_peers", 10), ("login_headroom", 0.0),
    ("supernode_fraction", 0.0), ("daily_amplitude", 1.0), ("days", 0.0),
    ("patience_h", 0.0), ("mega_share", -1.0), ("reboot_waves", 0), ("step_min", 11),
    ("login_timeout_min", 0.0), ("retry_cap_min", 0.5), ("retry_base_min", 300.0),
    ("sn_overload_factor", 0.5),
])
def test_bad_scenarios_name_the_field(field, value):
    with pytest.raises(ValueError, match=field):
        Scenario(**{field: value})


def test_bad_calls():
    with pytest.raises(TypeError, match="scenario"):
        simulate({"online_peers": 10})
    with pytest.raises(ValueError, match="model"):
        simulate(quiet(), model="exact")
    with pytest.raises(ValueError, match="online_peers"):
        simulate(Scenario(online_peers=5e6), model="agent")
    with pytest.raises(TypeError, match="admission_control"):
        Scenario(admission_control="yes")
    with pytest.raises(ValueError, match="policy"):
        retry_delays("later", 1, 2)
    with pytest.raises(TypeError, match="scenarios"):
        simulate_many([])
    assert dataclasses.replace(quiet(), online_peers=1_000).supernodes == pytest.approx(1000 / 300)
