"""Fluid model of a swarm (Qiu & Srikant, SIGCOMM 2004), flash crowds and delivery costs.

The steady state is checked three ways: against the paper's closed form (written here
independently of the module's regime-by-regime derivation), by the derivatives vanishing there,
and against the ODE integrated until it settles. The slowest linear mode of the ODE near its
equilibrium decays at rate min(θ + β, γ) or faster, so integrating for 60 / that rate leaves a
relative error below e^-60 plus the integrator's tolerance (rtol 1e-8): we allow 1e-5.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from p2plib.swarm import (
    break_even_price,
    cdn_comparison,
    critical_seed_time,
    delivery_costs,
    files_per_hour,
    flash_crowd,
    flash_crowd_arrival_rate,
    fluid_derivatives,
    fluid_steady_state,
    fluid_trajectory,
)

rate = st.floats(0.05, 20.0)
share = st.floats(0.0, 1.0)


def paper_closed_form(lam, mu, c, gamma, theta, eta):
    """Qiu & Srikant (2004), section 3: 1/β = max(1/c, (1/η)(1/μ - 1/γ))."""
    second = -math.inf if gamma <= mu else (
        math.inf if eta == 0 or mu == 0 else (1 / mu - 1 / gamma) / eta)
    inv_beta = max(1 / c, second)
    beta = 0.0 if math.isinf(inv_beta) else 1 / inv_beta
    x = lam / (theta + beta)
    y = lam * beta / (gamma * (theta + beta))
    return x, y, 1 / (theta + beta)


@settings(max_examples=40, deadline=None)
@given(lam=rate, mu=rate, c=rate, gamma=rate, theta=st.floats(0.01, 5.0), eta=share)
def test_steady_state_matches_the_papers_closed_form(lam, mu, c, gamma, theta, eta):
    state = fluid_steady_state(lam, mu, c, gamma, theta, eta)
    x, y, t = paper_closed_form(lam, mu, c, gamma, theta, eta)
    assert state.downloaders == pytest.approx(x, rel=1e-9, abs=1e-12)
    assert state.seeds == pytest.approx(y, rel=1e-9, abs=1e-12)
    assert state.download_time == pytest.approx(t, rel=1e-9)
    # Little's law and flow balance: arrivals = aborts + completions
    assert state.download_time == pytest.approx(state.downloaders / lam, rel=1e-12)
    assert lam == pytest.approx(theta * state.downloaders + state.completion_rate, rel=1e-9)


@settings(max_examples=40, deadline=None)
@given(lam=rate, mu=rate, c=rate, gamma=rate,
       # no abort at all, or at least one in a million hours (a subnormal θ overflows x̄ = λ/θ)
       theta=st.one_of(st.just(0.0), st.floats(1e-6, 5.0)), eta=share,
       s=st.floats(0.0, 30.0))
def test_derivatives_vanish_at_the_steady_state(lam, mu, c, gamma, theta, eta, s):
    state = fluid_steady_state(lam, mu, c, gamma, theta, eta, server_rate=s)
    if state.regime == "no steady state":
        assert theta == 0 and math.isinf(state.downloaders)
        return
    dx, dy = fluid_derivatives(state.downloaders, state.seeds, lam, mu, c, gamma, theta, eta, s)
    scale = lam + 1e-12
    assert abs(dx) < 1e-9 * scale and abs(dy) < 1e-9 * scale
    assert state.downloaders >= 0 and state.seeds >= 0
    assert 0 <= state.server_rate_used <= s + 1e-9
    assert state.server_rate_used + state.peer_rate_used == pytest.approx(state.completion_rate)


@pytest.mark.parametrize(
    ("lam", "mu", "c", "gamma", "theta", "eta", "s", "regime"),
    [
        (60, 0.5, 2, 0.5, 0.0, 1.0, 0.0, "download-constrained"),
        (100, 0.5, 4, 1.0, 0.0, 1.0, 0.0, "upload-constrained"),
        (100, 0.3, 4, 1.0, 0.1, 0.7, 20.0, "upload-constrained"),
        (100, 0.0, 4, 1.0, 0.2, 1.0, 80.0, "upload-constrained"),  # a server-only CDN
        (100, 0.5, 4, 1.0, 0.1, 1.0, 80.0, "download-constrained"),
    ],
)
def test_ode_settles_on_the_steady_state(lam, mu, c, gamma, theta, eta, s, regime):
    state = fluid_steady_state(lam, mu, c, gamma, theta, eta, server_rate=s)
    assert state.regime == regime
    # slowest decay rate of the linearised ODE at the equilibrium (finite-difference Jacobian)
    h = 1e-6 * (1 + state.downloaders + state.seeds)
    point = np.array([state.downloaders, state.seeds])
    jac = np.column_stack([
        (np.array(fluid_derivatives(*(point + h * e), lam, mu, c, gamma, theta, eta, s))
         - np.array(fluid_derivatives(*(point - h * e), lam, mu, c, gamma, theta, eta, s)))
        / (2 * h) for e in np.eye(2)])
    slowest = np.abs(np.linalg.eigvals(jac).real).min()
    horizon = 60 / slowest
    for start in [(0.0, 0.0), (5 * state.downloaders, 0.1 * state.seeds)]:
        run = fluid_trajectory([0, horizon], lam, mu, c, gamma, theta, eta, server_rate=s,
                               initial=start)
        assert run.downloaders[-1] == pytest.approx(state.downloaders, rel=1e-5)
        assert run.seeds[-1] == pytest.approx(state.seeds, rel=1e-5)


def test_regimes_meet_at_the_boundary():
    # The regimes meet where 1/c = (1/η)(1/μ - 1/γ); with η = 1 that is γ = 1 / (1/μ - 1/c).
    mu, c, eta = 0.5, 2.0, 1.0
    gamma = 1 / (1 / mu - 1 / c)
    below = fluid_steady_state(50, mu, c, gamma * (1 - 1e-9), 0.1, eta)
    above = fluid_steady_state(50, mu, c, gamma * (1 + 1e-9), 0.1, eta)
    assert below.regime == "download-constrained" and above.regime == "upload-constrained"
    assert below.downloaders == pytest.approx(above.downloaders, rel=1e-6)


@settings(max_examples=60, deadline=None)
@given(lam=rate, mu=rate, c=rate, theta=st.floats(0.0, 5.0), eta=share,
       s=st.one_of(st.just(0.0), st.floats(0.0, 30.0)))
def test_critical_seed_time_is_the_regime_boundary(lam, mu, c, theta, eta, s):
    # The derived boundary 1/γ* = 1/μ - η/c - s(θ+c)/(λμc) against the steady-state solver,
    # which decides the regime by comparing c x̄ with μ(η x̄ + ȳ) + s directly: seeds that stay
    # 0.1% longer than 1/γ* give a download-constrained swarm, 0.1% shorter an upload-
    # constrained one (the solver's own tolerance is 1e-12 relative, far inside 0.1%).
    t = critical_seed_time(mu, c, eta, arrival_rate=lam, abort_rate=theta, server_rate=s)
    longer = fluid_steady_state(lam, mu, c, 1 / (1.001 * t) if t > 0 else 1e6, theta, eta,
                                server_rate=s)
    assert longer.regime == "download-constrained"
    if t > 1e-6:
        shorter = fluid_steady_state(lam, mu, c, 1 / (0.999 * t), theta, eta, server_rate=s)
        assert shorter.regime != "download-constrained"
    # "1/γ >= 1/μ" is sufficient: the true boundary is never above it, and below it whenever
    # downloaders upload (η > 0) or servers help.
    assert t <= 1 / mu + 1e-12
    if eta > 1e-6 or s > 1e-6:
        assert t < 1 / mu


@pytest.mark.parametrize("side", [0.95, 1.05])
def test_ode_settles_in_the_regime_the_boundary_predicts(side):
    # The same boundary checked on the ODE itself, integrated to its long-run state, for the
    # chapter's numbers (448 kbit/s up, 4 Mbit/s down, 350 MB; no servers): the binding term of
    # min(c x, μ(η x + y)) at the end says which regime the dynamics reached. 1.05 × 1/γ* is
    # about 1.62 h, less than one copy's upload time 1/μ ≈ 1.74 h, and still download-limited.
    mu, c, lam = files_per_hour(0.448, 350), files_per_hour(4.0, 350), 300.0
    t = critical_seed_time(mu, c)
    assert t == pytest.approx(1 / mu - 1 / c, rel=1e-12)
    run = fluid_trajectory([0, 2000], lam, mu, c, 1 / (side * t))
    x, y = run.downloaders[-1], run.seeds[-1]
    download_side, upload_side = c * x, mu * (x + y)
    if side > 1:
        assert side * t < 1 / mu
        assert download_side < upload_side
    else:
        assert upload_side < download_side
    # and the integration has settled on the steady state of that regime
    state = fluid_steady_state(lam, mu, c, 1 / (side * t))
    assert x == pytest.approx(state.downloaders, rel=1e-4)


def test_one_copy_is_more_than_the_boundary_needs():
    # Seeds that stay 1.6 h, less than the 1.74 h it takes to upload one copy, still leave the
    # download link as the limit: the chapter's old rule "1/γ >= 1/μ" would call this upload-
    # constrained.
    mu, c = files_per_hour(0.448, 350), files_per_hour(4.0, 350)
    assert 1.6 < 1 / mu
    assert fluid_steady_state(300, mu, c, 1 / 1.6).regime == "download-constrained"


def test_critical_seed_time_edge_cases():
    assert critical_seed_time(0.0, 2.0) == math.inf                     # no upload, no servers
    assert critical_seed_time(0.0, 2.0, arrival_rate=10, server_rate=20) == 0.0
    assert critical_seed_time(10.0, 1.0) == 0.0                         # downloaders suffice
    with pytest.raises(ValueError, match="arrival_rate"):
        critical_seed_time(0.5, 2.0, server_rate=5)
    with pytest.raises(ValueError, match="efficiency"):
        critical_seed_time(0.5, 2.0, efficiency=1.5)


def test_no_steady_state_without_upload_or_aborts():
    state = fluid_steady_state(10, upload_rate=0.5, download_rate=2, seed_departure_rate=1,
                               abort_rate=0.0, efficiency=0.0)
    assert state.regime == "no steady state" and math.isinf(state.download_time)


def test_longer_lived_seeds_never_slow_downloads():
    times = [fluid_steady_state(100, 0.3, 4, g, 0.1).download_time
             for g in np.logspace(-2, 2, 40)]
    assert np.all(np.diff(times) >= -1e-12)


def test_trajectory_download_time_is_littles_law_in_steady_state():
    state = fluid_steady_state(60, 0.5, 2, 0.5)
    run = fluid_trajectory(np.linspace(0, 80, 801), 60, 0.5, 2, 0.5)
    late = (run.times > 40) & (run.times < 60)
    assert np.allclose(run.download_time[late], state.download_time, rtol=1e-3)


def test_flash_crowd_conserves_viewers_and_self_scales():
    crowd = flash_crowd(50_000, 1.0, upload_rate=0.5, download_rate=4, seed_departure_rate=1,
                        server_rate=2000, end=40, points=801)
    for run in (crowd.peer_assisted, crowd.server_only):
        expected = 50_000 * (1 - math.exp(-(40 - 21)))
        assert run.arrived[-1] == pytest.approx(expected, rel=1e-4)
        # nobody gives up (θ = 0): arrived = downloading + finished
        assert np.allclose(run.arrived - run.finished, run.downloaders, atol=1e-3 * 50_000)
        assert np.all(run.server_rate_used <= 2000 * (1 + 1e-9))
    assert crowd.server_only.peer_rate_used.max() == 0
    # peers add capacity with the crowd: the backlog peaks lower and clears (self-scaling)
    assert crowd.peer_assisted.downloaders.max() < crowd.server_only.downloaders.max()
    assert crowd.peer_assisted.downloaders[-1] < 1e-3 * crowd.server_only.downloaders[-1]
    assert crowd.peer_assisted.peer_share > 0.8


def test_flash_crowd_rate_integrates_to_the_audience():
    rate = flash_crowd_arrival_rate(1000, 0.5, release_time=21)
    t = np.linspace(20, 40, 200_001)
    assert np.trapezoid(rate(t), t) == pytest.approx(1000, rel=1e-3)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        (dict(arrival_rate=-1), "arrival_rate"),
        (dict(upload_rate=-0.1), "upload_rate"),
        (dict(download_rate=0), "download_rate"),
        (dict(seed_departure_rate=0), "seed_departure_rate"),
        (dict(abort_rate=-1), "abort_rate"),
        (dict(efficiency=1.5), "efficiency"),
        (dict(server_rate=-3), "server_rate"),
        (dict(arrival_rate=float("nan")), "arrival_rate"),
    ],
)
def test_bad_input_names_the_parameter(kwargs, name):
    args = dict(arrival_rate=1, upload_rate=1, download_rate=1, seed_departure_rate=1)
    args.update(kwargs)
    with pytest.raises(ValueError, match=name):
        fluid_steady_state(**args)


def test_bad_types_and_times():
    with pytest.raises(TypeError, match="upload_rate"):
        fluid_steady_state(1, "fast", 1, 1)
    with pytest.raises(ValueError, match="times"):
        fluid_trajectory([1, 0], 1, 1, 1, 1)
    with pytest.raises(ValueError, match="decay"):
        flash_crowd_arrival_rate(10, 0)


# --- costs -----------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(users=st.floats(1, 1e6), gb=st.floats(0.01, 5), p=share, price=st.floats(0, 2),
       local=share, fixed=st.floats(0, 1e5))
def test_costs_conserve_bytes_and_break_even(users, gb, p, price, local, fixed):
    costs = delivery_costs(users, gb, p, price, local_share=local, fixed_cost_per_day=fixed)
    total = users * gb
    assert float(costs.server_gb + costs.server_gb_saved) == pytest.approx(total)
    # every byte peers deliver is uploaded by some viewer
    assert float(costs.upload_gb_per_user) * users == pytest.approx(
        float(costs.server_gb_saved), rel=1e-9, abs=1e-9)
    assert 0 <= float(costs.transit_gb) <= float(costs.server_gb_saved) + 1e-9
    if p > 1e-6:
        edge = float(costs.break_even_price)
        at = delivery_costs(users, gb, p, edge, fixed_cost_per_day=fixed)
        assert float(at.peer_assisted_cost) == pytest.approx(float(at.server_only_cost),
                                                             rel=1e-9, abs=1e-6)
        cheaper = float(costs.server_only_cost) < float(costs.peer_assisted_cost)
        assert cheaper == (price < edge) or math.isclose(price, edge, rel_tol=1e-9)


def test_break_even_falls_with_peer_share_and_rises_with_fixed_cost():
    shares = np.linspace(0.1, 1.0, 10)
    prices = break_even_price(1e5, shares, 1e4)
    assert np.all(np.diff(prices) < 0)
    assert break_even_price(1e5, 0.5, 2e4) == pytest.approx(2 * break_even_price(1e5, 0.5, 1e4))
    with pytest.raises(ValueError, match="peer_share"):
        break_even_price(1e5, 1.2, 1e4)
    with pytest.raises(ValueError, match="daily_gb"):
        break_even_price(0, 0.5, 1e4)


@settings(max_examples=40, deadline=None)
@given(lam=rate, mu=rate, c=rate, gamma=rate, theta=st.floats(0.05, 5.0), s=st.floats(0, 30))
def test_peer_assistance_never_slows_a_download(lam, mu, c, gamma, theta, s):
    assisted, alone = cdn_comparison(lam, mu, c, gamma, s, abort_rate=theta)
    assert assisted.download_time <= alone.download_time * (1 + 1e-9)
    assert assisted.server_rate_used <= alone.server_rate_used + 1e-9


# --- chapter 05 exercise checks: right answers pass, each usual slip gets the hint for it -----

def _student(formula):
    def download_time(arrival_rate, upload_rate, download_rate, seed_departure_rate,
                      abort_rate=0.0, efficiency=1.0):
        return formula(upload_rate, download_rate, seed_departure_rate, abort_rate, efficiency)
    return download_time


def test_download_time_function_check_accepts_the_closed_form():
    from p2plib import checks
    right = _student(lambda mu, c, g, th, e: 1 / (th + 1 / max(1 / c, (1 / mu - 1 / g) / e)))
    assert checks.check_download_time_function(right).correct
    assert "No function yet" in repr(checks.check_download_time_function(None))
    assert "Expected a function" in repr(checks.check_download_time_function(1.5))
    assert "not a number" in repr(checks.check_download_time_function(lambda **kw: None))


@pytest.mark.parametrize(("formula", "hint"), [
    (lambda mu, c, g, th, e: 1 / (th + c), "upload is the bottleneck"),
    (lambda mu, c, g, th, e: 1 / (th + 1 / (1 / c + max(0, 1 / mu - 1 / g) / e)), "not their sum"),
    (lambda mu, c, g, th, e: max(1 / c, (1 / mu - 1 / g) / e), "give up (θ)"),
    (lambda mu, c, g, th, e: 1 / (th + 1 / max(1 / c, 1 / mu - 1 / g)), "divide the upload term"),
    (lambda mu, c, g, th, e: th + 1 / max(1 / c, (1 / mu - 1 / g) / e), "is its inverse"),
])
def test_download_time_function_check_names_the_slip(formula, hint):
    from p2plib import checks
    result = checks.check_download_time_function(_student(formula))
    assert not result.correct and hint in repr(result)


def test_fluid_download_time_check_hints_point_the_right_way():
    from p2plib import checks
    kw = dict(arrival_rate=120, upload_rate=0.5, download_rate=3, seed_departure_rate=2)
    assert checks.check_fluid_download_time(1.5, **kw).correct
    link_only = checks.check_fluid_download_time(1 / 3, **kw)        # assumed the link limits
    assert "really the bottleneck" in repr(link_only)
    summed = checks.check_fluid_download_time(1 / 3 + 1.5, **kw)
    assert "not their sum" in repr(summed)
    rate = checks.check_fluid_download_time(1 / 1.5, **kw)           # θ + β instead of T
    assert not rate.correct and "inverse" in repr(rate)
    minutes = checks.check_fluid_download_time(90, **kw)
    assert not minutes.correct and "not minutes" in repr(minutes)


def test_upload_and_break_even_checks():
    from p2plib import checks
    assert checks.check_upload_per_viewer(210, file_mb=350, peer_share=0.6).correct
    assert "rest came from the servers" in repr(checks.check_upload_per_viewer(350, 350, 0.6))
    kw = dict(daily_gb=80_000, peer_share=0.5, fixed_cost_per_day=4_000)
    assert checks.check_break_even_price(0.10, **kw).correct
    assert "not in hundredths" in repr(checks.check_break_even_price(10, **kw))
    assert "not by all bytes" in repr(checks.check_break_even_price(0.05, **kw))     # F / V
    assert "still send" in repr(checks.check_break_even_price(0.2, **kw))


def test_chapter_05_check_docstrings_give_no_formula():
    from p2plib.checks import swarm as chapter
    for name in chapter.__all__:
        doc = getattr(chapter, name).__doc__
        for formula in ("1/β", "1/c", "θ + β", "max(", "p·V", "F/"):
            assert formula not in doc, (name, formula)


# --- chapter 05's case (p2plib.swarm.iplayer): what the explorers run -----------------------

def test_broadband_setting_converts_links_into_files_per_hour():
    from p2plib.swarm import IPLAYER_2008, BroadbandSetting
    mu, c, s = IPLAYER_2008.rates(server_gbps=2.0, upload_share=0.5)
    # 350 MB = 2800 Mbit: a 448 kbit/s upstream at half use sends 0.224 * 3600 / 2800 files/h
    assert mu == pytest.approx(0.224 * 3600 / 2800, rel=1e-12)
    assert c == pytest.approx(4.0 * 3600 / 2800, rel=1e-12)
    assert s == pytest.approx(2000 * 3600 / 2800, rel=1e-12)
    assert IPLAYER_2008.gbit_per_s(s) == pytest.approx(2.0, rel=1e-12)   # the way back
    with pytest.raises(ValueError, match="file_mb"):
        BroadbandSetting(file_mb=0)
    with pytest.raises(ValueError, match="upload_share"):
        IPLAYER_2008.rates(2.0, upload_share=1.5)


@settings(max_examples=40, deadline=None)
@given(viewers=st.floats(1, 1e5), gbps=st.floats(0.1, 20), upload=share,
       seed_hours=st.floats(0.01, 48), abort=st.floats(0, 1))
def test_steady_delivery_is_the_fluid_model_at_the_settings_rates(viewers, gbps, upload,
                                                                  seed_hours, abort):
    from p2plib.swarm import BroadbandSetting, steady_delivery
    setting = BroadbandSetting(abort_rate_per_h=abort)
    result = steady_delivery(viewers, gbps, upload, seed_hours, setting=setting,
                             lifetimes_h=[0.1, seed_hours, 10.0])
    mu, c, s = setting.rates(gbps, upload)
    assisted, alone = cdn_comparison(viewers, mu, c, 1 / seed_hours, s, abort_rate=abort)
    assert result.assisted == assisted and result.alone == alone
    assert result.assisted_minutes[1] == pytest.approx(assisted.download_time * 60, rel=1e-12)
    assert result.assisted_minutes[0] >= result.assisted_minutes[2] - 1e-9  # seeding helps
    # bytes: what viewers upload is the peers' share of what they download, and with nobody
    # giving up every arriving viewer downloads the whole programme
    if math.isfinite(assisted.download_time):
        assert result.uploaded_mb_per_viewer == pytest.approx(
            assisted.peer_share * result.downloaded_mb_per_viewer, rel=1e-9, abs=1e-9)
        assert result.downloaded_mb_per_viewer <= setting.file_mb * (1 + 1e-9)
        if abort == 0:
            assert result.downloaded_mb_per_viewer == pytest.approx(setting.file_mb, rel=1e-9)


def test_steady_delivery_without_peer_upload_is_the_servers_alone():
    from p2plib.swarm import steady_delivery
    result = steady_delivery(20_000, 2.0, upload_share=0.0, seed_hours=1.0)
    assert result.assisted == result.alone
    assert result.uploaded_mb_per_viewer == 0.0
    assert steady_delivery(0.0, 2.0, 1.0, 1.0).downloaded_mb_per_viewer == 0.0
    with pytest.raises(TypeError, match="setting"):
        steady_delivery(20_000, 2.0, 1.0, 1.0, setting="2008")
    with pytest.raises(ValueError, match="lifetimes_h"):
        steady_delivery(20_000, 2.0, 1.0, 1.0, lifetimes_h=[0.0, 1.0])


def test_evening_flash_crowd_is_the_flash_crowd_at_the_settings_rates():
    from p2plib.swarm import IPLAYER_2008, evening_flash_crowd
    crowd = evening_flash_crowd(50_000, 3.0, 0.8, 2.0, start=20, end=26, step_minutes=10)
    assert np.allclose(np.diff(crowd.peer_assisted.times) * 60, 10)
    mu, c, s = IPLAYER_2008.rates(3.0, 0.8)
    same = flash_crowd(50_000, 1.0, mu, c, 0.5, s, abort_rate=IPLAYER_2008.abort_rate_per_h,
                       start=20, end=26, points=37)
    assert np.array_equal(crowd.peer_assisted.downloaders, same.peer_assisted.downloaders)
    assert np.array_equal(crowd.server_only.downloaders, same.server_only.downloaders)
    with pytest.raises(ValueError, match="decay_hours"):
        evening_flash_crowd(50_000, 3.0, 0.8, 2.0, decay_hours=0)
