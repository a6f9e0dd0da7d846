"""The fluid thresholds against a slow load ramp simulated by the model.

Tolerance, from the model: on the ramp the load moves at most ``dL/dt = 2 pi a / cycle`` per
hour (``a`` the amplitude); the model follows its stationary states with a lag of about its
slowest delays (promotion and restart, Erlang means, plus a session length for the pool to fill
or empty). The ramp therefore fails and recovers within ``dL/dt x (promotion + restart +
session)`` of the frozen-load thresholds, plus the bisection's resolution.
"""

import math

import numpy as np
import pytest

from p2plib.outage import fluid_thresholds, simulate, stationary_service
from p2plib.outage.theory import fluid_thresholds_many, load_extremes, settle_hours
from p2plib.scenarios import load_ramp, skype_2007


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


RAMPS = [dict(), dict(retry_policy="full_jitter", retry_base_min=1.0)]


@pytest.mark.parametrize("changes", RAMPS)
def test_branches_end_at_the_thresholds(changes):
    # The same frozen-load runs and the same end-state rule: just inside a threshold (half a
    # bracket width is the bisection's uncertainty, so one full width is outside it) the
    # branch exists, just outside it does not.
    s = load_ramp(online_peers=100_000, **changes)
    th = fluid_thresholds(s, iterations=4)
    res = th.resolution
    st = stationary_service(s, [th.recovery_load - res, th.recovery_load + res,
                                th.collapse_load - res, th.collapse_load + res])
    assert np.isnan(st.stuck[0]) and np.isfinite(st.stuck[1])
    assert np.isfinite(st.healthy[2]) and np.isnan(st.healthy[3])
    # in between both exist; the healthy state serves at least `level`, the stuck one less
    assert st.bistable[1] and st.bistable[2]
    assert (st.healthy_low[np.isfinite(st.healthy)] >= st.level).all()
    assert (st.stuck_high[np.isfinite(st.stuck)] < st.level).all()


@pytest.mark.parametrize("changes", RAMPS)
def test_ramp_follows_the_healthy_branch_up_and_the_stuck_branch_down(changes):
    # Tolerance, from the model: the ramp lags its stationary state by the model's slowest
    # delays, tau = promotion + restart + session hours, i.e. by at most
    # delta = (fastest dL/dt) x tau in load; so at load L its service lies within the range the
    # branch takes over [L - delta, L + delta] (widened by the bisection's resolution). After
    # it changes branch (it fails on the way up) it needs as long to forget the old state as a
    # frozen-load run is given to settle (settle_hours), so the stuck branch is checked only
    # from then on; the healthy branch is checked below collapse - delta on the way up.
    s = load_ramp(online_peers=100_000, step_min=2, **changes)
    r = simulate(s)
    loads = np.round(np.arange(0.05, 1.951, 0.025), 3)
    st = stationary_service(s, loads, step_min=2)
    th = fluid_thresholds(s, iterations=3, step_min=2)
    delta = _tolerance(s) + th.resolution
    load, service = r.demand / s.online_peers, r.served_fraction
    top = int(np.argmax(load))
    fail_h = r.first_below(0.5)
    checked = {"healthy": 0, "stuck": 0}
    for i in range(0, len(load), 5):
        x = load[i]
        if i <= top and x < th.collapse_load - delta:
            branch = "healthy"
        elif i >= top and r.time_h[i] > fail_h + settle_hours(s) and x > th.recovery_load + delta:
            branch = "stuck"
        else:
            continue
        near = (loads >= x - delta) & (loads <= x + delta)
        low = np.nanmin(getattr(st, f"{branch}_low")[near])
        high = np.nanmax(getattr(st, f"{branch}_high")[near])
        assert low - 1e-9 <= service[i] <= high + 1e-9, (branch, x, service[i], low, high)
        checked[branch] += 1
    assert checked["healthy"] > 50 and checked["stuck"] > 50


def test_stationary_service_rejects_bad_loads():
    s = load_ramp(online_peers=10_000)
    for bad in ([], [0.0], [6.0], [[1.0]]):
        with pytest.raises(ValueError, match="loads"):
            stationary_service(s, bad)
    with pytest.raises(TypeError, match="scenario"):
        stationary_service("ramp", [1.0])


def test_fluid_thresholds_many_equals_one_at_a_time():
    a, b = load_ramp(online_peers=1e4), load_ramp(online_peers=1e4, sn_capacity=500.0)
    both = fluid_thresholds_many([a, b], iterations=3)
    assert both == [fluid_thresholds(a, iterations=3), fluid_thresholds(b, iterations=3)]


def test_why_the_2007_preset_cannot_heal_by_itself():
    # Its whole normal week (night low to daily peak) lies inside the bistable band: the stuck
    # state exists at every load the week brings, so nothing but a change to the system ends
    # it. Backoff with jitter moves the recovery load above the night low (necessary to heal),
    # and with supernodes back within hours instead of two days it heals on its own.
    s = skype_2007().replace(online_peers=100_000)
    low, high = load_extremes(s)
    assert low == pytest.approx((1 - s.daily_amplitude) * (1 - s.weekend_dip))
    assert high == pytest.approx(1 + s.daily_amplitude)
    jitter = s.replace(retry_policy="full_jitter", retry_base_min=1.0)
    # the recovery loads chapter 03 states (section 10), from fluid_thresholds at its default
    # resolution; here at a coarser one (2 rounds), so each must agree within that resolution
    stated = {"preset": (s, 0.35), "full jitter": (jitter, 0.77),
              "exponential": (s.replace(retry_policy="exponential", retry_base_min=1.0), 0.90),
              "patience 15 min": (s.replace(patience_h=0.25), 0.87),
              "retry every 10 min": (s.replace(retry_base_min=10.0), 1.0),
              "patience 3 h": (s.replace(patience_h=3.0), 0.21),
              "restart 6 h": (s.replace(sn_restart_h=6.0), 0.47)}
    found = dict(zip(stated, fluid_thresholds_many([v[0] for v in stated.values()],
                                                   iterations=2, max_load=2.5), strict=True))
    for name, (_s, value) in stated.items():
        assert found[name].recovery_load == pytest.approx(value, abs=found[name].resolution), name
    preset, backoff = found["preset"], found["full jitter"]
    half = preset.resolution / 2
    assert preset.recovery_load + half < low and preset.collapse_load - half > high
    assert backoff.recovery_load - half > low > found["restart 6 h"].recovery_load + half
    healed = simulate(jitter.replace(fix_h=None, sn_restart_h=6.0, events=()))
    stuck = simulate(jitter.replace(fix_h=None, events=()))
    assert healed.recovered(0.9) and not stuck.recovered(0.5)


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


def test_ensemble_depth_at_friday_and_the_draws_that_match():
    from p2plib.outage import ensemble

    ens = ensemble(n=32, seed=3)
    counted = ens.outage & ens.consistent
    q = ens.depth_quantiles()
    assert q[0.1] <= q[0.5] <= q[0.9]
    # the percentile is the share of counted depths below the value, from both ends
    assert ens.depth_percentile(1.0) == pytest.approx(100 * (ens.served_at[counted] < 1).mean())
    assert ens.depth_percentile(0.0) == 0.0
    band = ens.matching(0.2, 0.6)
    assert not (band & ~counted).any()
    assert ((ens.served_at[band] >= 0.2) & (ens.served_at[band] <= 0.6)).all()
    # a sample rebuilds its run exactly (the same scenario, the same engine)
    k = int(np.flatnonzero(counted)[0]) if counted.any() else 0
    again = simulate(ens.sample(k))
    assert again.hours_below(0.5) == pytest.approx(ens.hours_below[k])
    assert again.at(ens.at_hour)["served_fraction"] == pytest.approx(ens.served_at[k])
    rho = ens.depth_correlations()
    assert set(rho) == set(ens.names)
    assert all(not np.isfinite(r) or -1 <= r <= 1 for r in rho.values())
    with pytest.raises(ValueError, match="keep"):
        ens.depth_quantiles(keep=[True])


def test_tornado_depth_follows_the_mechanism():
    from p2plib.outage import tornado

    t = tornado()
    base = simulate(t.base)
    assert t.baseline_depth == pytest.approx(base.at(t.at_hour)["served_fraction"])
    swing = t.depth_swing()
    # a fix before Friday noon (the range starts at +72 h) lets the pool regrow before +88 h:
    # Friday is shallower, while the outage itself remains; a later fix changes nothing then
    k = t.names.index("fix_h")
    assert t.low_values[k] < t.at_hour < t.high_values[k]
    assert t.low_depth[k] > t.baseline_depth + 0.05 and t.low_hours[k] > 0
    assert t.high_depth[k] == pytest.approx(t.baseline_depth, abs=1e-9)
    assert next(iter(swing)) == "fix_h" and swing["fix_h"] > 0
