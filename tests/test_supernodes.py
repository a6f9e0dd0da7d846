"""Supernode model: Erlang-B, population sampling, election, re-homing invariants, owner cost.

Tolerances come from the theory and the sample size: a share p estimated from n independent
peers has standard deviation sqrt(p (1 - p) / n), a sample mean of n draws with variance v has
standard deviation sqrt(v / n); we allow 5 such standard deviations (a false alarm about once
in 3.5 million runs). Erlang-B table values are printed to two decimals, so the offered load
for a stated blocking lies within +-0.005 Erlang of the printed one.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special, stats

from p2plib import checks, viz, widgets
from p2plib import supernodes as sn
from p2plib.supernodes import (
    ElectionPolicy,
    Homing,
    PopulationParams,
    attach,
    build_network,
    elect,
    eligibility_funnel,
    eligibility_funnel_theory,
    eligible_share_theory,
    erlang_b,
    orphan_floor,
    owner_cost,
    reboot,
    rehome,
    rehome_round,
    relay_slots_needed,
    remove_supernodes,
    sample_population,
    supernodes_needed,
)

# --- Erlang-B --------------------------------------------------------------------------------


def test_erlang_b_small_cases_by_hand():
    assert erlang_b(1.0, 1) == 0.5  # E / (1 + E)
    assert erlang_b(2.0, 2) == pytest.approx(0.4)  # (E^2/2) / (1 + E + E^2/2)
    assert erlang_b(3.0, 0) == 1.0  # no slot: every call refused
    assert erlang_b(0.0, 3) == 0.0  # no traffic: nothing refused


@pytest.mark.parametrize(
    ("blocking", "slots", "erlangs"),
    [(0.01, 5, 1.36), (0.01, 10, 4.46), (0.01, 20, 12.03), (0.02, 10, 5.08), (0.05, 10, 6.22)],
)
def test_erlang_b_matches_the_printed_erlang_table(blocking, slots, erlangs):
    # the table rounds E to 0.01 Erlang, and B increases with E: bracket the target blocking
    assert erlang_b(erlangs - 0.005, slots) <= blocking <= erlang_b(erlangs + 0.005, slots)


def test_erlang_b_equals_truncated_poisson():
    # B(E, m) is the probability that a Poisson(E) count, truncated to 0..m, equals m
    loads = np.array([0.1, 0.5, 1.0, 3.0, 10.0, 42.0, 150.0])
    for m in (0, 1, 2, 7, 30, 120):
        expected = stats.poisson.pmf(m, loads) / stats.poisson.cdf(m, loads)
        np.testing.assert_allclose(erlang_b(loads, m), expected, rtol=1e-9)


def test_erlang_b_is_vectorised_and_keeps_shape():
    loads = np.linspace(0, 20, 12).reshape(3, 4)
    out = erlang_b(loads, 8)
    assert out.shape == (3, 4)
    assert out[1, 2] == erlang_b(float(loads[1, 2]), 8)
    assert isinstance(erlang_b(2.0, 3), float)


@settings(max_examples=40, deadline=None)
@given(st.floats(0.0, 500.0), st.integers(0, 200))
def test_erlang_b_in_unit_interval_and_monotone(load, slots):
    b = erlang_b(load, slots)
    assert 0.0 <= b <= 1.0
    assert erlang_b(load, slots + 1) <= b  # one more slot never blocks more
    assert erlang_b(load * 1.1 + 0.01, slots) >= b  # more traffic never blocks less


@pytest.mark.parametrize("load", [0.3, 4.46, 25.0, 300.0])
def test_relay_slots_needed_is_the_smallest_pool(load):
    m = relay_slots_needed(load, 0.01)
    assert erlang_b(load, m) <= 0.01
    assert m == 0 or erlang_b(load, m - 1) > 0.01


@pytest.mark.parametrize("holding", sn.HOLDING_TIMES)
def test_loss_system_simulation_matches_erlang_b_for_any_holding_time(holding):
    # Erlang-B is insensitive to the holding-time distribution (Sevastyanov 1957). Mean of R
    # independent runs; tolerance: 5 standard errors of that mean (observed spread) plus
    # slots / calls, a bound on the bias of starting with every slot free.
    load, slots, calls, runs = 6.0, 8, 5000, 8
    values = [sn.simulate_relay_blocking(load, slots, calls, holding, seed=s) for s in range(runs)]
    tol = 5 * np.std(values, ddof=1) / math.sqrt(runs) + slots / calls
    assert abs(np.mean(values) - erlang_b(load, slots)) < tol
    assert sn.simulate_relay_blocking(3.0, 0, 10, seed=1) == 1.0
    with pytest.raises(ValueError, match="holding"):
        sn.simulate_relay_blocking(1.0, 2, 10, "pareto")


def test_erlang_b_rejects_bad_input():
    with pytest.raises(ValueError, match="slots"):
        erlang_b(1.0, -1)
    with pytest.raises(TypeError, match="slots"):
        erlang_b(1.0, 2.5)
    with pytest.raises(ValueError, match="offered_load"):
        erlang_b(-0.1, 3)
    with pytest.raises(ValueError, match="offered_load"):
        erlang_b([1.0, float("nan")], 3)
    with pytest.raises(TypeError, match="offered_load"):
        erlang_b("a lot", 3)
    with pytest.raises(ValueError, match="target_blocking"):
        relay_slots_needed(1.0, 0.0)


# --- population and election -----------------------------------------------------------------


def test_population_shares_are_binomial():
    n = 200_000
    params = PopulationParams(public_share=0.3)
    peers = sample_population(n, params, seed=1)
    assert abs(peers.public.mean() - 0.3) < 5 * math.sqrt(0.3 * 0.7 / n)
    for code, (name, share) in enumerate(params.os_groups):
        observed = (peers.os_group == code).mean()
        assert abs(observed - share) < 5 * math.sqrt(share * (1 - share) / n), name
    # log-normal upload: the median is the parameter; the sample median has sd ~ 1.2533 s/sqrt(n)
    log_median = np.log(np.median(peers.upload_kbps))
    assert abs(log_median - math.log(512)) < 5 * 1.2533 * params.upload_sigma / math.sqrt(n)
    daily = peers.daily_hours
    # 24 * Beta(2, b): mean and variance of the Beta distribution
    a, b = 2.0, 2.0 * (1 - 8 / 24) / (8 / 24)
    var = 24**2 * a * b / ((a + b) ** 2 * (a + b + 1))
    assert abs(daily.mean() - 8.0) < 5 * math.sqrt(var / n)
    assert daily.min() >= 0 and daily.max() <= 24


@pytest.mark.parametrize(
    ("churn", "shape", "scale"), [("weibull", 2.0, 3.0), ("weibull", 1.0, 2.0),
                                  ("lognormal", 0.5, 2.0)]
)
def test_uptime_shows_the_inspection_paradox(churn, shape, scale):
    # Age A of the session in progress: E[A^j] = E[X^(j+1)] / ((j + 1) E[X]) (renewal theory)
    if churn == "weibull":
        def moment(j):
            return scale**j * math.gamma(1 + j / shape)
    else:
        def moment(j):
            return math.exp(j * math.log(scale) + j**2 * shape**2 / 2)
    n = 200_000
    peers = sample_population(n, PopulationParams(churn=churn, session_shape=shape,
                                                  session_scale_hours=scale), seed=7)
    mean_age = moment(2) / (2 * moment(1))
    var_age = moment(3) / (3 * moment(1)) - mean_age**2
    assert abs(peers.uptime_hours.mean() - mean_age) < 5 * math.sqrt(var_age / n)
    # the session in progress is longer than a typical session: E[X^2]/E[X] > E[X]
    sessions = peers.uptime_hours + peers.residual_hours
    assert sessions.mean() > 1.2 * moment(1)


@pytest.mark.parametrize("churn", ["weibull", "lognormal"])
@pytest.mark.parametrize(
    "policy",
    [ElectionPolicy(), ElectionPolicy(require_public=False, min_upload_kbps=1000,
                                      min_uptime_hours=0.5),
     ElectionPolicy(min_upload_kbps=0, min_uptime_hours=10)],
)
def test_eligible_share_matches_theory(churn, policy):
    n = 200_000
    params = PopulationParams(churn=churn, session_shape=0.6, session_scale_hours=3.0)
    p = eligible_share_theory(params, policy)
    observed = elect(sample_population(n, params, seed=11), policy).mean()
    assert abs(observed - p) < 5 * math.sqrt(p * (1 - p) / n) + 1e-12


def test_weibull_uptime_tail_closed_form():
    # P(A > h) = Q(1/k, (h/s)^k); for k = 1 (exponential sessions) this is exp(-h/s)
    params = PopulationParams(session_shape=1.0, session_scale_hours=4.0, public_share=1.0)
    policy = ElectionPolicy(min_upload_kbps=0, min_uptime_hours=3.0)
    assert eligible_share_theory(params, policy) == pytest.approx(math.exp(-0.75))
    assert special.gammaincc(2.0, 0.0) == 1.0


@pytest.mark.parametrize("churn", ["weibull", "lognormal"])
@pytest.mark.parametrize(
    ("policy", "rebooted", "hours_ago"),
    [(ElectionPolicy(), (), 0.0),
     (ElectionPolicy(), ("windows-auto-update",), 1.0),       # rebooted too recently
     (ElectionPolicy(min_uptime_hours=4), ("windows-auto-update", "mac"), 6.0),  # old enough
     (ElectionPolicy(require_public=False, min_upload_kbps=800, min_uptime_hours=2),
      "windows-manual-update", 0.0)],
)
def test_eligibility_funnel_matches_theory_at_every_stage(churn, policy, rebooted, hours_ago):
    # Each stage counts the peers that pass the conditions so far: Binomial(n, p_stage) with
    # p_stage the product of the independent shares (the OS group is drawn independently of
    # address, upload and session). Tolerance: 5 sd of that count.
    n = 200_000
    params = PopulationParams(churn=churn, session_shape=0.6, session_scale_hours=3.0)
    peers = sample_population(n, params, seed=13)
    if rebooted:
        peers = reboot(peers, rebooted, hours_ago)
    counted = eligibility_funnel(peers, policy)
    expected = eligibility_funnel_theory(n, params, policy, rebooted, hours_ago)
    assert counted.eligible == int(elect(peers, policy).sum())
    assert counted.online >= counted.reachable >= counted.fast >= counted.eligible
    for stage in ("online", "reachable", "fast", "eligible"):
        p = getattr(expected, stage) / n
        assert abs(getattr(counted, stage) - n * p) <= 5 * math.sqrt(n * p * (1 - p)), stage
    assert expected.eligible / n == pytest.approx(
        eligible_share_theory(params, policy, rebooted, hours_ago))
    assert list(counted.stages()) == list(expected.stages())


def test_reboot_theory_is_the_mixture_of_two_uptimes():
    # Exponential sessions (Weibull k = 1): a never-rebooted peer has P(A >= h) = exp(-h/s);
    # a rebooted one has uptime exactly hours_ago. 55% of peers reboot (windows-auto-update).
    params = PopulationParams(session_shape=1.0, session_scale_hours=4.0, public_share=1.0)
    policy = ElectionPolicy(min_upload_kbps=0, min_uptime_hours=3.0)
    r = 0.55
    too_soon = eligible_share_theory(params, policy, "windows-auto-update", 2.9)
    assert too_soon == pytest.approx((1 - r) * math.exp(-0.75))
    long_ago = eligible_share_theory(params, policy, ["windows-auto-update"], 3.0)
    assert long_ago == pytest.approx((1 - r) * math.exp(-0.75) + r)
    assert eligible_share_theory(params, policy, ()) == pytest.approx(math.exp(-0.75))
    with pytest.raises(ValueError, match="rebooted"):
        eligible_share_theory(params, policy, "windows-95")
    with pytest.raises(TypeError, match="rebooted"):
        eligible_share_theory(params, policy, 5)
    with pytest.raises(ValueError, match="hours_ago"):
        eligible_share_theory(params, policy, "mac", -1.0)
    with pytest.raises(TypeError, match="population"):
        eligibility_funnel("peers")


def test_reboot_resets_uptime_of_one_group_only():
    peers = sample_population(50_000, seed=3)
    after = reboot(peers, "windows-auto-update", hours_ago=1.0)
    hit = peers.in_groups("windows-auto-update")
    assert (after.uptime_hours[hit] == 1.0).all()
    assert (after.uptime_hours[~hit] == peers.uptime_hours[~hit]).all()
    policy = ElectionPolicy(min_uptime_hours=2.0)
    assert not elect(after, policy)[hit].any()  # rebooted an hour ago: none may serve
    assert elect(reboot(peers, "windows-auto-update", 5.0), policy).sum() > elect(after,
                                                                                    policy).sum()


def test_population_is_immutable_and_seeded():
    a, b = sample_population(1000, seed=5), sample_population(1000, seed=5)
    assert (a.uptime_hours == b.uptime_hours).all() and (a.os_group == b.os_group).all()
    with pytest.raises(ValueError):
        a.public[0] = True


def test_population_bad_input():
    with pytest.raises(ValueError, match="public_share"):
        PopulationParams(public_share=1.5)
    with pytest.raises(ValueError, match="churn"):
        PopulationParams(churn="exponential")
    with pytest.raises(ValueError, match="mean_daily_hours"):
        PopulationParams(mean_daily_hours=24)
    with pytest.raises(ValueError, match="os_groups"):
        PopulationParams(os_groups=(("a", 0.5), ("b", 0.6)))
    with pytest.raises(ValueError, match="n must"):
        sample_population(-1)
    with pytest.raises(ValueError, match="min_uptime_hours"):
        ElectionPolicy(min_uptime_hours=-1)
    with pytest.raises(ValueError, match="groups"):
        reboot(sample_population(10, seed=1), "windows-95")
    with pytest.raises(TypeError, match="population"):
        elect("peers")


def test_supernodes_needed():
    assert supernodes_needed(9_000_000, 500) == 18_000
    needed = supernodes_needed(np.array([1, 299, 300, 301]), 300)
    assert needed.tolist() == [1, 1, 1, 2]
    assert supernodes_needed(1000, 100, utilisation=0.8) == 13
    with pytest.raises(ValueError, match="utilisation"):
        supernodes_needed(10, 5, utilisation=0)
    with pytest.raises(ValueError, match="capacity"):
        supernodes_needed(10, 0)


# --- attachment and re-homing ----------------------------------------------------------------


def test_first_round_requests_are_balls_in_bins():
    # From "nobody attached" with room to spare, loads are multinomial: mean n/S and
    # variance n/S (1 - 1/S); the sample variance over S bins has sd ~ var sqrt(2/S).
    n, s = 400_000, 2000
    state, _ = rehome_round(attach(n, s, capacity=10**6, rounds=0), seed=2)
    mean, var = n / s, n / s * (1 - 1 / s)
    assert state.orphans == 0 and state.loads.mean() == mean
    assert abs(state.loads.var() - var) < 5 * var * math.sqrt(2 / s)


def test_without_protection_orphans_settle_at_the_capacity_shortfall():
    start = remove_supernodes(attach(6000, 30, 300, seed=1), 0.5, seed=1)
    result = rehome(start, 40, seed=3)
    assert result.orphans[-1] == 6000 - 15 * 300
    assert orphan_floor(start) == (6000 - 15 * 300) / 6000
    assert (result.final.loads[result.final.alive] == 300).all()
    ample = remove_supernodes(attach(20_000, 100, 300, seed=4), 0.2, seed=4)  # 24,000 places
    assert rehome(ample, 60, seed=5).orphans[-1] == 0 and orphan_floor(ample) == 0.0
    assert orphan_floor(attach(0, 3, 10)) == 0.0


@settings(max_examples=30, deadline=None)
@given(clients=st.integers(1, 3000), supernodes=st.integers(1, 30),
       capacity=st.integers(1, 200), removed=st.floats(0, 1), seed=st.integers(0, 1000))
def test_orphan_floor_bounds_every_round(clients, supernodes, capacity, removed, seed):
    # The live places bound the homed clients in every round, with or without protection:
    # orphans >= floor * clients (checked before any clipping: the floor is max(0, ...)).
    start = remove_supernodes(attach(clients, supernodes, capacity, seed=seed), removed,
                              seed=seed)
    floor = orphan_floor(start)
    assert floor == max(0.0, 1 - start.live * capacity / clients)
    for protection in (False, True):
        result = rehome(start, 5, overload_protection=protection, seed=seed)
        assert np.all(result.orphans >= floor * clients - 1e-9)


def test_overload_protection_cascades_past_capacity_but_not_below():
    clients, s, cap = 45_000, 300, 300  # half full: 150 clients each
    start = attach(clients, s, cap, seed=8)
    # 10% lost: demand ~ 150/0.9 = 167 +- 13, far below 300: nobody shuts down
    calm = rehome(remove_supernodes(start, 0.1, seed=9), 20, overload_protection=True, seed=9)
    assert calm.shut_down.sum() == 0 and calm.orphans[-1] == 0
    # 60% lost: demand ~ 150/0.4 = 375 > 300 everywhere: every supernode shuts itself down,
    # although the survivors' capacity (120 x 300 = 36,000) could have carried 80% of clients
    storm = rehome(remove_supernodes(start, 0.6, seed=9), 20, overload_protection=True, seed=9)
    assert storm.live[-1] == 0 and storm.orphans[-1] == clients
    refuse = rehome(remove_supernodes(start, 0.6, seed=9), 20, seed=9)
    assert refuse.orphans[-1] == clients - 120 * 300


def test_a_partly_full_supernode_picks_requests_uniformly():
    # One live supernode with room for 30 of 100 orphans: every orphan gets in with probability
    # 0.3, whatever its index. Over R rounds an orphan's acceptance count is Binomial(R, 0.3);
    # the first and last 20 orphans (20 R trials each) must agree with 0.3 within 5 sd.
    homing = Homing(np.full(100, -1, np.int32), np.ones(1, bool), np.array([270]), 300)
    runs = 2000
    rng = np.random.default_rng(3)
    accepted = np.zeros(100)
    for _ in range(runs):
        after, stats_ = rehome_round(homing, seed=rng)
        assert stats_.accepted == 30
        accepted += after.home >= 0
    sd = math.sqrt(0.3 * 0.7 / (20 * runs))
    assert abs(accepted[:20].mean() / runs - 0.3) < 5 * sd
    assert abs(accepted[-20:].mean() / runs - 0.3) < 5 * sd


def test_rehoming_is_seeded():
    start = remove_supernodes(attach(5000, 40, 200, seed=1), 0.4, seed=1)
    a = rehome(start, 5, overload_protection=True, keep_loads=True, seed=6)
    b = rehome(start, 5, overload_protection=True, keep_loads=True, seed=6)
    assert (a.loads == b.loads).all() and (a.final.home == b.final.home).all()
    assert a.loads.shape == (6, 40)


@settings(max_examples=40, deadline=None)
@given(
    clients=st.integers(0, 3000),
    supernodes=st.integers(0, 40),
    capacity=st.integers(1, 200),
    removed=st.floats(0, 1),
    protection=st.booleans(),
    ratio=st.floats(1, 3),
    seed=st.integers(0, 2**32 - 1),
)
def test_rehoming_invariants(clients, supernodes, capacity, removed, protection, ratio, seed):
    rng = np.random.default_rng(seed)
    state = attach(clients, supernodes, capacity, seed=rng)
    state.check()
    state = remove_supernodes(state, removed, seed=rng)
    state.check()
    assert state.clients == clients
    for _ in range(4):
        before = state
        state, stats_ = rehome_round(state, protection, ratio, seed=rng)
        state.check()  # one live home at most, loads = bincount, nobody above capacity
        # no client lost or duplicated: everyone is either attached once or an orphan
        assert state.clients == clients
        assert state.orphans + int(state.loads.sum()) == clients
        assert stats_.orphans_after == (stats_.orphans_before - stats_.accepted
                                        + stats_.orphaned_by_shutdown)
        # clients with a live home keep it unless their supernode shut down
        alive_or_none = np.append(state.alive, False)  # index -1: "no home"
        kept = alive_or_none[before.home]
        assert (state.home[kept] == before.home[kept]).all()
        assert not (state.alive & ~before.alive).any()  # dead supernodes stay dead


@settings(max_examples=25, deadline=None)
@given(n=st.integers(0, 3000), seed=st.integers(0, 1000), uptime=st.floats(0, 8))
def test_network_partitions_the_population(n, seed, uptime):
    peers = sample_population(n, seed=seed)
    net = build_network(peers, ElectionPolicy(min_uptime_hours=uptime), capacity=50, seed=seed)
    ids = np.concatenate([net.supernode_ids, net.client_ids])
    assert np.array_equal(np.sort(ids), np.arange(n))  # every peer once, in one tier
    assert net.homing.clients == len(net.client_ids)
    assert net.overlay.n == len(net.supernode_ids)
    net.homing.check()


def test_supernode_overlay_is_random_overlay():
    net = build_network(sample_population(200_000, seed=2), capacity=500, overlay_degree=8,
                        seed=2)
    s = len(net.supernode_ids)
    p = 8 / (s - 1)
    pairs = s * (s - 1) / 2
    assert abs(net.overlay.m - pairs * p) < 5 * math.sqrt(pairs * p * (1 - p))


def test_rehoming_bad_input():
    state = attach(100, 5, 30, seed=1)
    with pytest.raises(ValueError, match="shutdown_ratio"):
        rehome_round(state, True, shutdown_ratio=0.5)
    with pytest.raises(TypeError, match="overload_protection"):
        rehome_round(state, "yes")
    with pytest.raises(ValueError, match="exactly one"):
        remove_supernodes(state)
    with pytest.raises(ValueError, match="fraction"):
        remove_supernodes(state, 1.5)
    with pytest.raises(ValueError, match="which"):
        remove_supernodes(state, which=[7])
    with pytest.raises(ValueError, match="capacity"):
        attach(10, 2, 0)
    with pytest.raises(ValueError, match="clients"):
        attach(-5, 2, 10)
    with pytest.raises(TypeError, match="homing"):
        rehome("state")
    with pytest.raises(ValueError, match="capacity"):
        Homing(np.zeros(3, np.int32), np.ones(2, bool), np.zeros(2, np.int64), 0)


def test_remove_by_mask_and_indices_agree():
    state = attach(3000, 20, 200, seed=2)
    mask = np.zeros(20, bool)
    mask[[1, 4, 9]] = True
    a, b = remove_supernodes(state, which=mask), remove_supernodes(state, which=[1, 4, 9])
    assert (a.home == b.home).all() and a.orphans == int(state.loads[mask].sum())


# --- owner's cost ----------------------------------------------------------------------------


def test_owner_cost_by_hand():
    cost = owner_cost(400, hours_per_day=10, signalling_bps_per_client=200, call_share=0.1,
                      relayed_share=0.2, codec_kbps=50, relay_slots=3)
    offered = 400 * 0.1 / 2 * 0.2  # 4 Erlangs of relayed calls
    b = erlang_b(offered, 3)
    assert cost.relay_offered_erlangs == pytest.approx(offered)
    assert cost.relay_blocking == pytest.approx(b)
    total = 400 * 0.2 + offered * (1 - b) * 2 * 50  # kbit/s each way
    assert cost.total_kbps == pytest.approx(total)
    assert cost.gigabytes_per_day == pytest.approx(2 * total * 1e3 * 10 * 3600 / 8 / 1e9)
    assert cost.gigabytes_per_month == pytest.approx(30 * cost.gigabytes_per_day)


def test_owner_cost_vectorised_and_monotone():
    clients = np.arange(0, 1001, 100)
    cost = owner_cost(clients)
    assert cost.total_kbps.shape == clients.shape
    assert np.all(np.diff(cost.total_kbps) > 0) and np.all(np.diff(cost.relay_blocking) >= 0)
    assert owner_cost(500, hours_per_day=0).gigabytes_per_day == 0
    with pytest.raises(ValueError, match="hours_per_day"):
        owner_cost(10, hours_per_day=25)
    with pytest.raises(ValueError, match="clients"):
        owner_cost(-1)


# --- viz, widgets and checks -----------------------------------------------------------------


@pytest.fixture
def course_style():
    viz.use_course_style()


def test_election_explorer_updates_and_resets(course_style):
    explorer = widgets.election_explorer(peers=20_000)
    assert explorer.figure is not None
    first, redraws = explorer.png(), explorer.redraws
    explorer.controls["min_uptime_hours"].value = 30.0
    assert explorer.redraws == redraws + 1 and explorer.png() != first
    explorer.reset()
    assert explorer.values == explorer.defaults
    for control in explorer.controls.values():
        assert control.help
        if hasattr(control, "continuous_update") and not hasattr(control, "play"):
            assert control.continuous_update is False and "(" in control.description


def test_pull_the_plug_explorer_plays_rounds_without_rerunning(course_style):
    explorer = widgets.pull_the_plug_explorer(supernodes=300)
    assert hasattr(explorer.controls["round"], "play")
    misses = explorer._run.cache_info().misses
    explorer.controls["round"].value = 3
    assert explorer._run.cache_info().misses == misses
    assert "round 3" in explorer.figure.axes[0].get_title()
    explorer.controls["protection"].value = "shut down"
    assert explorer._run.cache_info().misses == misses + 1
    explorer.reset()
    assert explorer.values == explorer.defaults


def test_explorers_return_typed_results(course_style):
    election = widgets.election_explorer(peers=20_000)
    election.controls["reboot"].value = "1 h ago"
    run = election.result()
    assert isinstance(run, widgets.ElectionRun)
    assert run.funnel.eligible == len(run.network.supernode_ids)
    params, policy = PopulationParams(), ElectionPolicy()   # the explorer's defaults
    assert run.expected == eligibility_funnel_theory(20_000, params, policy,
                                                     "windows-auto-update", 1.0)
    plug = widgets.pull_the_plug_explorer(supernodes=300)
    plug.controls["removed"].value = 0.6
    result = plug.result()
    assert isinstance(result, widgets.PlugRun)
    assert result.removed == 180    # 54,000 clients, 120 x 300 places left
    assert result.floor_share == pytest.approx(1 - 120 * 300 / 54_000)


def test_pull_the_plug_title_says_who_is_left_stranded(course_style):
    explorer = widgets.pull_the_plug_explorer()
    explorer.controls["round"].value = 5
    assert "absorb the load" in explorer.figure.axes[1].get_title()      # 30% pulled: room
    explorer.controls["removed"].value = 0.6                           # the floor: a third
    title = explorer.figure.axes[1].get_title()
    assert "absorb" not in title and "33% of clients find no room" in title


def test_chapter_checks():
    assert checks.check_supernodes_needed(18_000, 9_000_000, 500)
    assert not checks.check_supernodes_needed(1800, 9_000_000, 500)
    assert checks.check_erlang_b(erlang_b(3.0, 5), 3.0, 5)
    wrong = checks.check_erlang_b(0.5, 3.0, 5)
    assert not wrong and f"{erlang_b(3.0, 5):.2f}" not in wrong.message
    cost = owner_cost(300, hours_per_day=6)
    assert checks.check_gigabytes_per_month(cost.gigabytes_per_month, 300, hours_per_day=6)
    assert "No answer yet" in repr(checks.check_gigabytes_per_month(None, 300))


def test_module_exports_are_complete():
    for name in sn.__all__:
        assert hasattr(sn, name), name


def test_the_package_re_exports_every_part():
    # p2plib.supernodes is a subpackage (issue 17): `from p2plib import supernodes as sn` must
    # still reach every public name of its modules, as the same object
    import importlib
    import pkgutil
    parts = [info.name for info in pkgutil.iter_modules(sn.__path__)]
    assert {"population", "election", "rehoming", "network", "relay"} <= set(parts)
    for part in parts:
        module = importlib.import_module(f"p2plib.supernodes.{part}")
        for name in module.__all__:
            assert name in sn.__all__ and getattr(sn, name) is getattr(module, name), name


# --- chapter 02 exercise checks: right answers pass, each usual slip gets the hint for it -----

def _slots_needed(offered_load, target_blocking, strict=False):
    slots, blocking = 0, 1.0
    while blocking >= target_blocking if strict else blocking > target_blocking:
        slots += 1
        blocking = offered_load * blocking / (slots + offered_load * blocking)
    return slots


def test_erlang_b_check_hints_point_the_right_way():
    from p2plib import checks
    assert checks.check_erlang_b(0.2105, offered_load=2.0, slots=3).correct
    percent = checks.check_erlang_b(21.05, offered_load=2.0, slots=3)   # a percentage
    assert not percent.correct and "not as a percentage" in repr(percent)
    early = checks.check_erlang_b(0.4, offered_load=2.0, slots=3)        # stopped at m = 2
    assert "once for EACH slot" in repr(early)
    late = checks.check_erlang_b(0.095, offered_load=2.0, slots=3)       # went on to m = 4
    assert "Too many steps" in repr(late)
    small = sn.erlang_b(0.75, 4)                                         # 0.6%: typed as 0.6
    assert checks.check_erlang_b(small, offered_load=0.75, slots=4).correct
    assert "not as a percentage" in repr(checks.check_erlang_b(100 * small, 0.75, 4))


def test_slots_needed_function_check():
    from p2plib import checks
    assert checks.check_slots_needed_function(_slots_needed).correct
    assert _slots_needed(2.0, 0.01) == 7
    off_by_one = checks.check_slots_needed_function(
        lambda offered_load, target_blocking: _slots_needed(offered_load, target_blocking,
                                                            strict=True))
    assert "One slot too many" in repr(off_by_one) and "stop as soon" in repr(off_by_one)

    def shifted_recursion(offered_load, target_blocking):   # m - 1 in the denominator
        slots, blocking = 0, 1.0
        while blocking > target_blocking:
            slots += 1
            blocking = offered_load * blocking / (max(slots - 1, 1) + offered_load * blocking)
        return slots

    wrong = checks.check_slots_needed_function(shifted_recursion)
    assert not wrong.correct and "check the recursion" in repr(wrong)
    assert "One slot too few" in repr(checks.check_slots_needed_function(
        lambda offered_load, target_blocking: _slots_needed(offered_load, target_blocking) - 1))
    assert "No function yet" in repr(checks.check_slots_needed_function(None))


def test_supernodes_and_traffic_checks():
    from p2plib import checks
    kw = dict(online_peers=9_000_000, capacity=500, utilisation=0.8)
    assert checks.check_supernodes_needed(22_500, **kw).correct
    assert "actually takes" in repr(checks.check_supernodes_needed(18_000, **kw))
    right = sn.owner_cost(500, hours_per_day=6).gigabytes_per_month
    assert checks.check_gigabytes_per_month(right, clients=500, hours_per_day=6).correct
    one_way = checks.check_gigabytes_per_month(right / 2, clients=500, hours_per_day=6)
    assert "both directions" in repr(one_way)
    bits = checks.check_gigabytes_per_month(8 * right, clients=500, hours_per_day=6)
    assert "Divide kilobits by 8" in repr(bits)
    twice = sn.owner_cost(500, hours_per_day=6, call_share=0.1).gigabytes_per_month  # no / 2
    assert "two parties" in repr(checks.check_gigabytes_per_month(twice, 500, hours_per_day=6))


def test_chapter_02_check_docstrings_give_no_formula():
    from p2plib.checks import supernodes as chapter
    for name in chapter.__all__:
        doc = getattr(chapter, name).__doc__
        for formula in ("E B", "m + E", "ceil", "/ 8", "x utilisation"):
            assert formula not in doc, (name, formula)
