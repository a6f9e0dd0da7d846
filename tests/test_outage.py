"""Outage model: mechanisms against their theory, invariants, the two levels of detail, input.

Tolerances. The aggregate model follows expected counts, so where a mechanism has a closed
form (pool depletion by a Poisson reboot process, the extra logins of a reboot wave, the
arrival balance of the daily cycle) it must match to rounding (relative 1e-6). The agent model
draws every peer, so its counts are binomial/Poisson: a count with mean m and variance at most
m has standard deviation at most sqrt(m); we allow 5 such standard deviations (a false alarm
rate below 1e-6 per check) plus the model's own discretisation (whole requests per step,
stated where used).
"""

import dataclasses
import json
import math
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from p2plib import outage as om
from p2plib.outage import RETRY_POLICIES, Scenario, retry_kernel, simulate
from p2plib.scenarios import PRESETS, load_ramp

# --- retry policies (Brooker 2015) --------------------------------------------------------------


@pytest.mark.parametrize("policy", RETRY_POLICIES)
def test_retry_kernel_rows_are_distributions(policy):
    kernel, first = retry_kernel(policy, 2, 32)
    sums = kernel.reshape(kernel.shape[0], -1).sum(axis=1)
    np.testing.assert_allclose(sums, 1.0, atol=1e-12)
    assert 0 <= first < kernel.shape[0]
    assert np.all(kernel >= 0)


def test_exponential_backoff_doubles_until_the_cap():
    kernel, first = retry_kernel("exponential", 1, 20)
    level, delays = first, []
    for _ in range(7):
        row = kernel[level]
        d, level = np.unravel_index(row.argmax(), row.shape)
        delays.append(int(d) + 1)
    assert delays == [1, 2, 4, 8, 16, 20, 20]


def test_full_jitter_is_uniform_below_the_exponential_ceiling():
    kernel, _ = retry_kernel("full_jitter", 1, 64)
    for k, ceiling in enumerate([1, 2, 4, 8, 16, 32, 64]):
        delay = kernel[k].sum(axis=1)
        assert np.count_nonzero(delay) == ceiling
        mean = (np.arange(1, len(delay) + 1) * delay).sum()
        assert mean == pytest.approx((ceiling + 1) / 2)  # uniform on 1..ceiling


def test_decorrelated_jitter_stays_between_base_and_three_times_previous():
    base, cap = 2, 30
    kernel, first = retry_kernel("decorrelated_jitter", base, cap)
    assert first == base - 1  # the first sleep counts as "previous = base"
    for previous in range(1, cap + 1):
        delay = kernel[previous - 1].sum(axis=1)
        support = np.flatnonzero(delay) + 1
        assert support.min() == base
        assert support.max() == max(base, min(cap, 3 * previous))
        # the next level is the sleep just taken
        d, nxt = np.nonzero(kernel[previous - 1])
        assert np.array_equal(d, nxt)


def test_immediate_and_fixed():
    k, _ = retry_kernel("immediate", 5, 10)
    assert k.shape == (1, 1, 1)
    k, _ = retry_kernel("fixed", 5, 10)
    assert k.shape == (1, 5, 1) and k[0, 4, 0] == 1


# --- mechanisms against theory ------------------------------------------------------------------


def quiet(**changes):
    return Scenario(**{"online_peers": 100_000, "days": 2.0, **changes})


def test_quiet_day_is_served_and_online_follows_the_cycle():
    r = simulate(quiet())
    assert r.min_service() > 0.99
    # arrivals balance departures: the online count follows the cycle to rounding
    np.testing.assert_allclose(r.wanting, r.demand, rtol=1e-6)
    # every login is a new session: attempts per step = mu * N + growth of the cycle
    mu = 1 / (r.scenario.session_h * 60)
    growth = np.maximum(0, np.diff(r.demand, append=r.demand[-1]))
    np.testing.assert_allclose(r.login_attempts[1:-1], (mu * r.demand + growth)[1:-1],
                               rtol=1e-6)


def test_reboots_drain_the_pool_as_a_poisson_process():
    # refuse mode, promotion longer than the run: survivors = K (1 - F) at the window's end
    F = 0.4
    s = quiet(reboot_fraction=F, reboot_start_h=10, reboot_window_h=5, promotion_uptime_h=100,
              days=1.0, sn_capacity=2000)
    r = simulate(s)
    after = r.time_h >= 15.5
    np.testing.assert_allclose(r.supernodes_alive[after], s.supernodes * (1 - F), rtol=1e-9)
    assert r.supernodes_alive[r.time_h < 10].min() == pytest.approx(s.supernodes)


def test_reboot_wave_floods_the_login_servers_with_one_login_per_reboot():
    F = 0.5
    s = quiet(reboot_fraction=F, sn_reboot_fraction=0.0, reboot_start_h=8, reboot_window_h=1,
              login_headroom=100, days=0.75)
    base = simulate(s.replace(reboot_fraction=0.0))
    r = simulate(s)
    extra = (r.login_attempts - base.login_attempts).sum()
    # expected reboots: each client online in the window reboots at rate -ln(1-F)/W
    w = (r.time_h >= 8) & (r.time_h < 9)
    rate = -math.log1p(-F) / w.sum()
    expected = (r.wanting[w] * -math.expm1(-rate)).sum()
    assert extra == pytest.approx(expected, rel=0.01)
    assert r.login_attempts.max() > 1.5 * base.login_attempts.max()


def test_overload_fractions_match_random_placement():
    # Requests land on supernodes at random (multinomial ~ Poisson). Monte Carlo with 2000
    # supernodes x 200 repetitions: shares have sd <= 0.5 / sqrt(400000) < 1e-3.
    rng = np.random.default_rng(3)
    alive, threshold = 2000, 12
    for per_sn in (5.0, 10.0, 15.0):
        requests = int(per_sn * alive)
        over_sn, over_req = [], []
        for _ in range(200):
            load = np.bincount(rng.integers(0, alive, requests), minlength=alive)
            over = load > threshold
            over_sn.append(over.mean())
            over_req.append(load[over].sum() / requests)
        req, sn = om._overload_fractions(requests, alive, threshold)
        assert sn == pytest.approx(np.mean(over_sn), abs=5e-3)
        assert req == pytest.approx(np.mean(over_req), abs=5e-3)


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


def test_outage_outlives_its_trigger():
    # 2007 without the fix: long after the reboots end and the pool has regrown above demand,
    # service is still down (metastable: sustained by the retry storm, not by the trigger).
    r = simulate(PRESETS["skype_2007"]().replace(fix_h=None, online_peers=100_000))
    s = r.scenario
    pool_ok = (r.supernodes_alive * s.sn_capacity > r.demand) & (r.time_h > 96)
    assert pool_ok.any()
    assert r.served_fraction[pool_ok].max() < 0.1
    assert not r.recovered(0.5)


def test_hysteresis_fails_high_recovers_low():
    for policy in ("fixed", "full_jitter"):
        r = simulate(load_ramp(online_peers=100_000, retry_policy=policy))
        assert r.load_at_failure() > 1.3
        assert r.load_at_recovery() < r.load_at_failure() - 0.5


def test_everything_scales_with_online_peers():
    s = PRESETS["skype_2010"]()
    big, small = simulate(s), simulate(s.replace(online_peers=10_000))
    np.testing.assert_allclose(big.served_fraction, small.served_fraction, atol=1e-6)
    np.testing.assert_allclose(big.supernodes_alive / s.supernodes,
                               small.supernodes_alive / (s.supernodes / 2000), atol=1e-6)


def test_result_metrics():
    r = simulate(PRESETS["skype_2007"]().replace(online_peers=100_000))
    below = r.served_fraction < 0.5
    assert r.hours_below(0.5) == pytest.approx(below.sum() / 60)
    assert r.first_below(0.5) == r.time_h[below.argmax()]
    assert r.min_service() == r.served_fraction.min()
    assert r.time_to_recover(0.5) >= r.hours_below(0.5)
    q = simulate(quiet(days=0.5))
    assert math.isnan(q.first_below(0.5)) and math.isnan(q.time_to_recover(0.5))
    with pytest.raises(ValueError, match="level"):
        r.hours_below(1.5)


# --- invariants ---------------------------------------------------------------------------------

scenario_strategy = st.builds(
    Scenario,
    online_peers=st.sampled_from([2_000, 5_000]),
    days=st.just(0.5),
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


def check_invariants(r):
    assert np.all((r.served_fraction >= 0) & (r.served_fraction <= 1))
    np.testing.assert_allclose(r.peers_total, r.peers_tracked, rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(r.capable_total, r.capable_total[0], rtol=1e-9)
    for name in ("connected", "supernodes_alive", "login_queue", "login_attempts",
                 "login_goodput", "retrying"):
        assert np.all(getattr(r, name) >= -1e-6), name
    assert np.all(r.connected <= r.wanting * (1 + 1e-9) + 1e-6)
    assert len(r.time_h) == len(r.served_fraction) == r.scenario.steps


@settings(max_examples=30, deadline=None)
@given(scenario_strategy)
def test_aggregate_conserves_peers(scenario):
    check_invariants(simulate(scenario))


@settings(max_examples=12, deadline=None)
@given(scenario_strategy, st.integers(0, 2**31))
def test_agent_conserves_peers_exactly(scenario, seed):
    r = simulate(scenario, seed=seed, model="agent")
    check_invariants(r)
    assert np.array_equal(r.peers_total, r.peers_tracked)  # whole peers, exactly


def _fingerprint(result):
    return [float(np.round(result.served_fraction.sum(), 9)), float(result.login_attempts.sum()),
            float(result.supernodes_alive.sum())]


def test_same_seed_same_result_in_another_process():
    s = PRESETS["skype_2010"]().replace(online_peers=3_000, days=1.0)
    here = _fingerprint(simulate(s, seed=42, model="agent"))
    code = (
        "import json, numpy as np; from p2plib.scenarios import PRESETS; "
        "from p2plib.outage import simulate; "
        "s = PRESETS['skype_2010']().replace(online_peers=3_000, days=1.0); "
        "r = simulate(s, seed=42, model='agent'); "
        "print(json.dumps([float(np.round(r.served_fraction.sum(), 9)), "
        "float(r.login_attempts.sum()), float(r.supernodes_alive.sum())]))"
    )
    there = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True,
                                      text=True, check=True).stdout)
    assert here == there
    assert _fingerprint(simulate(s, seed=43, model="agent")) != here


# --- the two levels of detail agree -------------------------------------------------------------


def test_agent_and_aggregate_agree_away_from_tipping_points():
    # A reboot wave with room to spare: no tipping point, so the agent model (3x10^4 peers)
    # must scatter around the mean-field path. Served fraction: a share of n >= 2x10^4 wanting
    # clients, sd <= 0.5/sqrt(n) < 0.004; 5 sd = 0.02 on hourly means. Supernodes: binomial
    # out of K = 100, sd <= 5; 5 sd = 25. Total logins T ~ 10^5: 5 sqrt(T) ~ 1.6% plus 1% for
    # the whole-request login budget per step.
    s = Scenario(online_peers=30_000, days=1.0, reboot_fraction=0.5, reboot_start_h=6,
                 reboot_window_h=2, sn_capacity=700, login_headroom=3,
                 retry_policy="full_jitter", promotion_uptime_h=4)
    agg = simulate(s)
    agent = simulate(s, seed=7, model="agent")
    hourly = lambda x: x.reshape(-1, 60).mean(axis=1)  # noqa: E731
    assert np.abs(hourly(agg.served_fraction) - hourly(agent.served_fraction)).max() < 0.02
    assert np.abs(agg.supernodes_alive - agent.supernodes_alive).max() < 25
    total = agg.login_attempts.sum()
    assert agent.login_attempts.sum() == pytest.approx(total, rel=5 / math.sqrt(total) + 0.01)
    assert agent.wanting.mean() == pytest.approx(agg.wanting.mean(), rel=0.01)


def test_agent_and_aggregate_agree_on_the_2010_collapse():
    # Through the tipping point, compare the shape: both collapse within an hour of the crash
    # and are back above 90% once the mega-supernodes run (10^4 peers, 2 seeds).
    s = PRESETS["skype_2010"]().replace(online_peers=10_000, days=2.25)
    agg = simulate(s)
    for seed in (1, 2):
        agent = simulate(s, seed=seed, model="agent")
        for r in (agg, agent):
            assert 16.0 <= r.first_below(0.5) <= 17.5
            assert r.served_fraction[(r.time_h > 20) & (r.time_h < 24)].max() < 0.1
            assert r.served_fraction[r.time_h > 52].min() > 0.9


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize("field, value", [
    ("sn_capacity", -5.0), ("reboot_fraction", 1.5), ("reboot_fraction", -0.1),
    ("sn_reboot_fraction", 2.0), ("reboot_window_h", 0.0), ("retry_policy", "sometimes"),
    ("overload", "explode"), ("online_peers", 10), ("login_headroom", 0.0),
    ("supernode_fraction", 0.0), ("daily_amplitude", 1.0), ("days", 0.0),
    ("patience_h", 0.0), ("mega_share", -1.0), ("reboot_waves", 0), ("step_min", 11),
    ("login_timeout_min", 0.0), ("retry_cap_min", 0.5),
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
        retry_kernel("later", 1, 2)
    assert dataclasses.replace(quiet(), online_peers=1_000).supernodes == pytest.approx(1000 / 300)
