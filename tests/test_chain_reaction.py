"""The minimal chain-reaction model: invariants, conservation, analytic cases, step convergence."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from p2plib.chain_reaction import ChainReaction, login_goodput, simulate

FLAT = dict(daily_amplitude=0.0, reboot_fraction=0.0)  # constant demand, no trigger


def _invariants(r):
    """Asserted on the raw series (the model clips nothing)."""
    scale = r.demand.max()
    assert np.all(r.connected >= -1e-9 * scale)
    assert np.all(r.waiting >= -1e-9 * scale)
    assert np.all(r.login_queue >= -1e-9 * scale)
    assert np.all(r.connected <= r.slots * (1 + 1e-12) + 1e-6)
    assert np.all(r.login_goodput >= 0)
    assert np.all(r.login_goodput <= r.params.login_capacity_per_min * (1 + 1e-12))
    assert np.all(r.service <= 1 + 1e-12)


def test_conservation_connected_plus_waiting_is_demand():
    # Flows in and out of `connected` and `waiting` are computed separately; their sum must
    # follow the demand exactly (up to rounding), through the whole outage.
    r = simulate(ChainReaction())
    np.testing.assert_allclose(r.connected + r.waiting, r.demand, rtol=1e-9)
    _invariants(r)


@settings(max_examples=25, deadline=None)
@given(reboot=st.floats(0, 1), capacity=st.floats(200, 900), retry=st.floats(1.0, 10),
       login=st.floats(2e4, 5e5), amplitude=st.floats(0, 0.9), dt=st.sampled_from([0.25, 0.5]))
def test_invariants_and_conservation_over_parameters(reboot, capacity, retry, login, amplitude,
                                                     dt):
    p = ChainReaction(reboot_fraction=reboot, sn_capacity=capacity, retry_min=retry,
                      login_capacity_per_min=login, daily_amplitude=amplitude, step_min=dt,
                      days=4.0)
    r = simulate(p)
    np.testing.assert_allclose(r.connected + r.waiting, r.demand, rtol=1e-9)
    _invariants(r)


def test_healthy_steady_state_matches_the_balance_of_logins_and_session_ends():
    # Constant demand, no trigger: logins (waiting / retry) balance session ends
    # (connected / session), so service = session / (session + retry). The Euler step shifts
    # the balance by a relative O(step / session) ~ 3e-3 of the waiting share, i.e. < 1e-4 here.
    p = ChainReaction(**FLAT, days=2.0)
    r = simulate(p)
    s, retry = p.session_h * 60, p.retry_min
    assert np.max(np.abs(r.service - s / (s + retry))) < 1e-4
    assert r.login_queue.max() == 0.0


def _drained(demand_over_threshold, days=2.0):
    """Constant demand; at hour 1 half the pool leaves for longer than the run."""
    p = ChainReaction(daily_amplitude=0.0, reboot_fraction=0.5, reboot_nights=1,
                      reboot_start_h=1.0, reboot_window_h=0.5, promotion_uptime_h=24 * 14,
                      days=days)
    slots_after = p.supernodes * p.sn_capacity * 0.5
    threshold = slots_after + p.retry_min * p.login_capacity_per_min
    return simulate(p.replace(online_peers=threshold * demand_over_threshold)), slots_after


def test_flood_starts_where_unserved_retries_exceed_login_capacity():
    # Pool-limited state: connected = slots, waiting = demand - slots, attempts = waiting / retry.
    # The queue can only grow once attempts exceed the login capacity: demand = slots + retry x
    # capacity. Just below it the queue stays empty and service is slots / demand.
    below, slots = _drained(0.97)
    tail = below.time_h > 6
    assert below.login_queue[tail].max() == 0.0
    np.testing.assert_allclose(below.service[tail], slots / below.demand[tail], rtol=1e-6)
    above, _ = _drained(1.03)
    assert above.login_queue[-1] > 0


def test_stuck_state_queue_matches_its_fixed_point():
    # Far above the threshold, goodput collapses; everyone waits, attempts = demand / retry,
    # and the queue settles where stale drops balance the excess: Q* = (attempts - capacity) x
    # drop time (discrete map: x dt e^-dt/d / (1 - e^-dt/d), i.e. drop - dt/2 to first order).
    r, _ = _drained(1.5, days=3.0)
    p = r.params
    assert r.service[-1] < 1e-6
    attempts = r.demand[-1] / p.retry_min
    dt, drop = p.step_min, p.stale_drop_min
    expected = (attempts - p.login_capacity_per_min) * dt * math.exp(-dt / drop) / (
        -math.expm1(-dt / drop))
    assert r.login_queue[-1] == pytest.approx(expected, rel=1e-3)
    assert r.login_goodput[-1] < 1e-6 * p.login_capacity_per_min


def test_results_converge_as_the_step_shrinks():
    # Euler is first order: the onset moved by 0.03 h between 1 and 0.25 min when written.
    # A quarter hour (15 steps of 1 min) is the stated tolerance; the outage hours likewise.
    runs = {dt: simulate(ChainReaction(step_min=dt)) for dt in (0.25, 0.5, 1.0)}
    onsets = {dt: r.first_below(0.5) for dt, r in runs.items()}
    assert all(math.isfinite(v) for v in onsets.values())
    assert abs(onsets[1.0] - onsets[0.25]) < 0.25
    assert abs(onsets[0.5] - onsets[0.25]) <= abs(onsets[1.0] - onsets[0.25]) + 1e-9
    hours = {dt: r.hours_below(0.5) for dt, r in runs.items()}
    assert abs(hours[1.0] - hours[0.25]) < 0.25


def test_the_2007_situation_tips_at_the_thursday_peak_and_does_not_heal():
    r = simulate(ChainReaction())
    assert 60 < r.first_below(0.5) < 66          # Thursday 16 August, afternoon UTC
    assert r.service[r.time_h >= 40].size and r.service[r.time_h < 48].min() > 0.95
    # Every supernode is back by +107 h, yet nothing in this model drains the stale queue.
    assert r.slots[-1] == pytest.approx(r.params.supernodes * r.params.sn_capacity)
    assert r.service[-1] < 0.01


def test_login_goodput_rule():
    assert login_goodput(0.0, 40_000.0, 1e5, 2.0) == 40_000.0
    values = [login_goodput(q, 1e5, 1e5, 2.0) for q in (0, 1e4, 1e5, 1e6)]
    assert all(a > b for a, b in itertools.pairwise(values))
    assert login_goodput(1e5, 1e5, 1e5, 4.0) > login_goodput(1e5, 1e5, 1e5, 2.0)


def test_a_rule_that_breaks_the_contract_is_named():
    with pytest.raises(ValueError, match="goodput_rule"):
        simulate(ChainReaction(days=0.1), goodput_rule=lambda q, s, c, t: -1.0)


@pytest.mark.parametrize("field, value", [("online_peers", 10.0), ("reboot_fraction", 1.5),
                                          ("step_min", 1.5), ("reboot_nights", 0),
                                          ("login_timeout_min", 0.0)])
def test_bad_parameters_name_themselves(field, value):
    with pytest.raises(ValueError, match=field):
        ChainReaction(**{field: value})


def test_wrong_types():
    with pytest.raises(TypeError, match="online_peers"):
        ChainReaction(online_peers="many")
    with pytest.raises(TypeError, match="ChainReaction"):
        simulate({"online_peers": 1e6})


def test_from_scenario_takes_the_full_models_numbers():
    from p2plib import scenarios

    s = scenarios.skype_2007()
    p = ChainReaction.from_scenario(s)
    assert p.supernodes == pytest.approx(s.supernodes)
    assert p.login_capacity_per_min == pytest.approx(s.login_capacity_per_min)
    assert p.reboot_nights == s.reboot_waves and p.days == s.days
    assert ChainReaction.from_scenario(s, days=1.0).days == 1.0
