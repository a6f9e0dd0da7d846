"""The fluid thresholds against a slow load ramp simulated by the model.

Tolerance, from the model: on the ramp the load moves at most ``dL/dt = 2 pi a / cycle`` per
hour (``a`` the amplitude); the model follows its stationary states with a lag of about its
slowest delays (promotion and restart, Erlang means, plus a session length for the pool to fill
or empty). The ramp therefore fails and recovers within ``dL/dt x (promotion + restart +
session)`` of the frozen-load thresholds, plus the bisection's resolution.
"""

import math

import pytest

from p2plib.outage import fluid_thresholds, simulate
from p2plib.outage.theory import settle_hours
from p2plib.scenarios import load_ramp


def _tolerance(s):
    rate = 2 * math.pi * s.daily_amplitude / s.cycle_h   # load per hour, at its fastest
    return rate * (s.promotion_uptime_h + s.sn_restart_h + s.session_h)


@pytest.mark.parametrize("changes", [dict(), dict(retry_policy="full_jitter",
                                                  retry_base_min=1.0)])
def test_ramp_fails_and_recovers_at_the_fluid_thresholds(changes):
    s = load_ramp(online_peers=100_000, step_min=2, **changes)
    th = fluid_thresholds(s)
    r = simulate(s)
    tol = _tolerance(s) + th.resolution
    assert r.load_at_failure() == pytest.approx(th.collapse_load, abs=tol)
    assert r.load_at_recovery() == pytest.approx(th.recovery_load, abs=tol)
    # lagging behind the stationary states: fails a little late, recovers a little late
    assert r.load_at_failure() >= th.collapse_load - th.resolution
    assert r.load_at_recovery() <= th.recovery_load + th.resolution


def test_thresholds_are_bistable_where_the_ramp_shows_hysteresis():
    th = fluid_thresholds(load_ramp(online_peers=100_000))
    assert th.bistable and th.recovery_load < th.collapse_load - 0.2
    # it needs refused clients (load above the pool's capacity), and it comes before the
    # capacity alone would push service below 50% (load = capacity / 0.5): the cascade
    s = load_ramp()
    capacity = s.supernode_fraction * s.sn_capacity
    assert capacity < th.collapse_load < capacity / 0.5


def test_supernodes_that_refuse_have_no_stuck_state():
    # Without shutdowns the served share is min(1, capacity / load) up to the patience of the
    # unserved: below 50% only above twice the capacity, and the same way up and down.
    s = load_ramp(online_peers=100_000, overload="refuse")
    th = fluid_thresholds(s)
    capacity = s.supernode_fraction * s.sn_capacity
    assert th.collapse_load > capacity / 0.5 * 0.9
    assert th.recovery_load == pytest.approx(th.collapse_load, abs=0.02)   # no hysteresis


def test_settle_hours_covers_the_slowest_delays():
    s = load_ramp()
    assert settle_hours(s) >= 3 * (s.promotion_uptime_h + s.sn_restart_h)
    with pytest.raises(TypeError, match="scenario"):
        fluid_thresholds("ramp")


def test_ensemble_probability_and_its_consistency_filter():
    from p2plib.outage import ensemble, tornado

    ens = ensemble(n=64, seed=2)
    assert 0.0 < ens.p_outage < 1.0          # neither certain nor impossible over the ranges
    assert ens.p_outage_se < 0.1
    # a run left out fails before the trigger; every run kept is fine until then
    before = ens.first_below < ens.base.reboot_start_h
    assert not (before & ens.consistent).any()
    q = ens.length_quantiles()
    assert q[0.1] <= q[0.5] <= q[0.9]
    t = tornado()
    assert (t.swing[:-1] >= t.swing[1:]).all()        # sorted, widest first
    # more room in the pool never lengthens the outage
    k = t.names.index("sn_capacity")
    assert t.high_hours[k] <= t.low_hours[k]
