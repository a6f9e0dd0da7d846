"""Overlay model: structure, classic percolation results, invariants and input checks.

Tolerances come from the theory: a binomial count has standard deviation sqrt(N p (1 - p));
the giant component of supercritical G(n, p) with mean degree c has share s with
Var(s_n) ~ s (1 - s) / (n (1 - c (1 - s))^2) (e.g. Bollobás, *Random Graphs*, ch. 6; Janson,
Łuczak & Ruciński, ch. 5), so we allow 5 such standard deviations plus an O(1/n) bias.
"""

import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from p2plib import overlay as ov
from p2plib.overlay import (
    Overlay,
    critical_failed_fraction,
    er_giant_fraction,
    giant_fraction_curve,
    giant_fraction_theory,
    random_overlay,
    scale_free_overlay,
    surviving_giant_fraction,
)


def assert_simple(o: Overlay):
    e = o.edges
    assert e.dtype == np.int64 and e.ndim == 2 and e.shape[1] == 2
    assert np.all(e[:, 0] < e[:, 1])
    keys = e[:, 0] * o.n + e[:, 1]
    assert np.all(np.diff(keys) > 0)
    assert o.degrees().sum() == 2 * o.m


# --- structure -------------------------------------------------------------------------------


def test_random_overlay_link_count_is_binomial():
    n, c = 200_000, 6.0
    o = random_overlay(n, c, seed=11)
    assert_simple(o)
    pairs = n * (n - 1) / 2
    p = c / (n - 1)
    expected, sd = pairs * p, math.sqrt(pairs * p * (1 - p))
    assert abs(o.m - expected) < 5 * sd


def test_random_overlay_every_pair_equally_likely():
    # Each of the 15 pairs of 6 peers is present with probability p = 0.5 in every sample.
    n, runs = 6, 4000
    counts = np.zeros((n, n))
    rng = np.random.default_rng(5)
    for _ in range(runs):
        e = random_overlay(n, 2.5, seed=rng).edges
        counts[e[:, 0], e[:, 1]] += 1
    freq = counts[np.triu_indices(n, 1)] / runs
    sd = math.sqrt(0.25 / runs)
    assert np.all(np.abs(freq - 0.5) < 5 * sd)


def test_random_overlay_degree_is_poisson_like():
    n, c = 300_000, 4.0
    d = random_overlay(n, c, seed=3).degrees()
    # binomial(n-1, p) degrees: variance c (1 - p); the sample variance has sd ~ c sqrt(2/n)
    assert abs(d.var() - c) < 5 * c * math.sqrt(2 / n) + 5 * math.sqrt(c / n)
    share_isolated = (d == 0).mean()
    assert abs(share_isolated - math.exp(-c)) < 5 * math.sqrt(math.exp(-c) / n)


def test_complete_and_empty_overlays():
    assert random_overlay(5, 4, seed=1).m == 10
    assert random_overlay(5, 0, seed=1).m == 0
    assert random_overlay(1, 0, seed=1).m == 0


def test_scale_free_degrees_follow_the_power_law():
    n, gamma, kmin = 200_000, 3.0, 2
    o = scale_free_overlay(n, gamma, min_degree=kmin, seed=8)
    assert_simple(o)
    d = o.degrees()
    cutoff = kmin * n ** (1 / (gamma - 1))
    k = np.arange(kmin, int(cutoff) + 1)
    pmf = k**-gamma / (k**-gamma).sum()
    # Erasing self-loops and repeated links lowers a few degrees; at degree kmin the share of
    # stubs erased is below 1%, far inside the binomial band below plus that margin.
    for degree in (2, 3, 4):
        p = pmf[degree - kmin]
        observed = (d == degree).mean()
        assert abs(observed - p) < 5 * math.sqrt(p * (1 - p) / n) + 0.01 * p + 0.003
    assert d.max() <= cutoff + 1


def test_scale_free_has_hubs_far_above_random():
    sf = scale_free_overlay(100_000, 2.2, min_degree=2, seed=2).degrees()
    er = random_overlay(100_000, sf.mean(), seed=2).degrees()
    assert sf.max() > 20 * er.max()


def test_networkx_round_trip():
    g = nx.karate_club_graph()
    o = Overlay.from_networkx(g)
    assert o.n == 34 and o.m == g.number_of_edges()
    back = o.to_networkx()
    assert nx.is_isomorphic(g, back)
    assert sorted(dict(back.degree()).values()) == sorted(o.degrees().tolist())


def test_from_edges_drops_loops_and_repeats():
    o = Overlay.from_edges(4, [(1, 0), (0, 1), (2, 2), (3, 2)])
    assert o.edges.tolist() == [[0, 1], [2, 3]]


def test_overlay_is_immutable():
    o = random_overlay(100, 3, seed=1)
    with pytest.raises(ValueError):
        o.edges[0, 0] = 5
    with pytest.raises(AttributeError):
        o.n = 3


# --- percolation: classic results -----------------------------------------------------------


@pytest.mark.parametrize("failed", [0.0, 0.3, 0.6])
def test_er_giant_after_random_failure_matches_theory(failed):
    n, c = 200_000, 4.0
    o = random_overlay(n, c, seed=21)
    measured = surviving_giant_fraction(o, failed, seed=22)
    q = 1 - failed
    expected = er_giant_fraction(c, failed)
    s = expected / q
    survivors = q * n
    sd = q * math.sqrt(s * (1 - s) / survivors) / (1 - c * q * (1 - s))
    assert abs(measured - expected) < 5 * sd + 10 / n


def test_er_closed_form_solves_the_fixed_point():
    for c, f in [(2.0, 0.0), (4.0, 0.5), (10.0, 0.85)]:
        q = 1 - f
        s = er_giant_fraction(c, f) / q
        assert abs(s - (1 - math.exp(-c * q * s))) < 1e-12


def test_generating_function_theory_reduces_to_erdos_renyi():
    c = 5.0
    degrees = np.random.default_rng(1).poisson(c, 1_000_000)
    for f in (0.0, 0.4, 0.7):
        # the empirical Poisson sample's share differs from the exact law by O(n^-1/2)
        assert abs(giant_fraction_theory(degrees, f) - er_giant_fraction(c, f)) < 5e-3


def test_cohen_threshold_closed_forms():
    # Poisson degrees: kappa = c + 1, so f_c = 1 - 1/c; k-regular: kappa = k, f_c = 1 - 1/(k-1)
    poisson = np.random.default_rng(2).poisson(4.0, 2_000_000)
    assert abs(critical_failed_fraction(poisson) - 0.75) < 2e-3
    assert critical_failed_fraction([3] * 10) == pytest.approx(0.5)
    assert critical_failed_fraction([2] * 10) == 0.0  # kappa = 2: no giant component
    assert critical_failed_fraction([0] * 10) == 0.0


def test_giant_component_vanishes_past_cohen_threshold():
    n = 200_000
    o = random_overlay(n, 4.0, seed=4)
    fc = critical_failed_fraction(o.degrees())
    # Below f_c a giant of order n survives; above it the largest group is O(log n) peers.
    assert surviving_giant_fraction(o, fc - 0.1, seed=5) > 0.1
    assert surviving_giant_fraction(o, fc + 0.1, seed=5) < 200 / n
    assert giant_fraction_theory(o.degrees(), fc + 0.01) == 0.0
    assert giant_fraction_theory(o.degrees(), fc - 0.01) > 0.0


def test_configuration_model_attack_and_failure_match_theory():
    # Mean over R independent overlays; tolerance: 5 standard errors of that mean
    # (observed spread) plus 3/sqrt(n), a bound on the O(n^-1/2) finite-size bias of the
    # erased configuration model at this size.
    n, runs = 50_000, 6
    for strategy, f in (("random", 0.5), ("targeted", 0.05)):
        values, theory = [], []
        for seed in range(runs):
            o = scale_free_overlay(n, 2.7, min_degree=2, seed=seed)
            values.append(surviving_giant_fraction(o, f, strategy, seed=seed))
            theory.append(giant_fraction_theory(o.degrees(), f, strategy))
        values, theory = np.array(values), np.array(theory)
        tol = 5 * values.std(ddof=1) / math.sqrt(runs) + 3 / math.sqrt(n)
        assert abs(values.mean() - theory.mean()) < tol, strategy


def test_attack_is_worse_than_random_failure_on_scale_free():
    o = scale_free_overlay(50_000, 2.5, min_degree=2, seed=9)
    for f in (0.05, 0.1, 0.2):
        assert surviving_giant_fraction(o, f, "targeted", seed=1) < surviving_giant_fraction(
            o, f, "random", seed=1
        )


# --- invariants (hypothesis) ----------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 400),
    c=st.floats(0, 8),
    seed=st.integers(0, 2**32 - 1),
    fractions=st.lists(st.floats(0, 1), min_size=1, max_size=6),
    strategy=st.sampled_from(ov.STRATEGIES),
)
def test_giant_fraction_invariants(n, c, seed, fractions, strategy):
    o = random_overlay(n, min(c, n - 1), seed=seed)
    assert_simple(o)
    fractions = sorted(fractions)
    curve = giant_fraction_curve(o, fractions, strategy, seed=seed)
    assert np.all((curve >= 0) & (curve <= 1))
    assert np.all(np.diff(curve) <= 1e-12)  # failures accumulate: never more connected
    again = giant_fraction_curve(o, fractions, strategy, seed=seed)
    assert np.array_equal(curve, again)
    # no more connected than the survivors
    assert np.all(curve <= 1 - np.rint(np.array(fractions) * n) / n + 1e-12)


@settings(max_examples=25, deadline=None)
@given(n=st.integers(3, 3000), gamma=st.floats(2.05, 4.0), kmin=st.integers(1, 3),
       seed=st.integers(0, 2**32 - 1))
def test_scale_free_invariants(n, gamma, kmin, seed):
    o = scale_free_overlay(n, gamma, min_degree=min(kmin, n - 1), seed=seed)
    assert_simple(o)
    again = scale_free_overlay(n, gamma, min_degree=min(kmin, n - 1), seed=seed)
    assert np.array_equal(o.edges, again.edges)
    fc = critical_failed_fraction(o.degrees())
    assert 0 <= fc < 1


@settings(max_examples=30, deadline=None)
@given(degrees=st.lists(st.integers(0, 40), min_size=1, max_size=300),
       f=st.floats(0, 1), strategy=st.sampled_from(ov.STRATEGIES))
def test_theory_is_a_share(degrees, f, strategy):
    s = giant_fraction_theory(degrees, f, strategy)
    assert 0 <= s <= 1 - f + 1e-9


def test_same_seed_same_overlay():
    a = random_overlay(10_000, 5, seed=123)
    b = random_overlay(10_000, 5, seed=123)
    c = random_overlay(10_000, 5, seed=124)
    assert np.array_equal(a.edges, b.edges) and not np.array_equal(a.edges, c.edges)


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: random_overlay(0, 1), ValueError, "n must be"),
        (lambda: random_overlay(2.5, 1), TypeError, "n must be an integer"),
        (lambda: random_overlay(True, 1), TypeError, "n must be an integer"),
        (lambda: random_overlay(10, float("nan")), ValueError, "mean_degree"),
        (lambda: random_overlay(10, 12), ValueError, "mean_degree must be in [0, 9]"),
        (lambda: random_overlay(10, -1), ValueError, "mean_degree"),
        (lambda: scale_free_overlay(100, 2.0), ValueError, "exponent must be in (2, 10]"),
        (lambda: scale_free_overlay(100, float("inf")), ValueError, "exponent"),
        (lambda: scale_free_overlay(100, 2.5, min_degree=0), ValueError, "min_degree"),
        (lambda: scale_free_overlay(1, 2.5), ValueError, "n must be"),
        (lambda: random_overlay(10, 2, seed=-1), ValueError, "seed"),
        (lambda: random_overlay(10, 2, seed="x"), TypeError, "seed"),
        (lambda: surviving_giant_fraction(random_overlay(10, 2), 1.5), ValueError,
         "failed_fraction must be in [0, 1]"),
        (lambda: surviving_giant_fraction(random_overlay(10, 2), float("nan")), ValueError,
         "failed_fraction"),
        (lambda: surviving_giant_fraction(random_overlay(10, 2), 0.1, "smart"), ValueError,
         "strategy must be one of"),
        (lambda: surviving_giant_fraction(nx.path_graph(3), 0.1), TypeError, "overlay"),
        (lambda: critical_failed_fraction([]), ValueError, "degrees"),
        (lambda: critical_failed_fraction([1, -2]), ValueError, "degrees"),
        (lambda: critical_failed_fraction([1.5, 2]), ValueError, "degrees"),
        (lambda: giant_fraction_theory([3, 3], 0.5, "random-ish"), ValueError, "strategy"),
        (lambda: Overlay(3, [[0, 5]]), ValueError, "edges"),
        (lambda: Overlay(3, [[1, 0]]), ValueError, "edges"),
        (lambda: er_giant_fraction(-1.0), ValueError, "mean_degree"),
    ],
)
def test_bad_input_names_the_parameter(call, error, words):
    with pytest.raises(error) as info:
        call()
    assert words in str(info.value)


# ------------------------------------------------------------------ two-tier overlay


def test_two_tier_degrees_fall_into_two_groups():
    """Ordinary peers have at most links_per_peer links; supernodes have hundreds.

    A supernode's degree is Binomial(L (n - s), 1/s) from ordinary peers (minus the few
    repeated draws) plus Binomial(s - 1, p) from the core, so its mean over s supernodes is
    L (n - s) / s + c within a few standard errors sqrt(var / s).
    """
    n, share, links, core = 60_000, 1 / 200, 2, 8.0
    net = ov.two_tier_overlay(n, share, links_per_peer=links,
                                   supernode_mean_degree=core, seed=5)
    s = round(share * n)
    k = net.degrees()
    ordinary, super_ = k[s:], k[:s]
    assert ordinary.min() >= 1 and ordinary.max() <= links
    # repeated draws: each peer's two picks coincide with probability 1/s
    assert np.mean(ordinary == 1) == pytest.approx(1 / s, abs=5 * np.sqrt(1 / s / (n - s)))
    clients = links * (n - s) / s * (1 - 1 / (2 * s))  # expected distinct links per supernode
    var = clients + core
    assert super_.mean() == pytest.approx(clients + core, abs=5 * np.sqrt(var / s))
    # two groups with a wide empty range between them: not a power law
    assert super_.min() > 10 * ordinary.max()
    assert net.m == (ordinary.sum() + super_.sum()) // 2


def test_two_tier_survives_random_failure_of_ordinary_peers_but_not_of_supernodes():
    net = ov.two_tier_overlay(20_000, 1 / 100, links_per_peer=2, seed=2)
    s = 200
    alive_without_supernodes = ov.Overlay.from_edges(
        net.n, net.edges[(net.edges >= s).all(axis=1)])
    assert ov.surviving_giant_fraction(alive_without_supernodes, 0.0) < 0.01
    assert ov.surviving_giant_fraction(net, 0.3, "random", seed=1) > 0.6


@pytest.mark.parametrize("kwargs", [dict(supernode_share=0.0), dict(supernode_share=1.0),
                                    dict(supernode_share=0.01, links_per_peer=0),
                                    dict(supernode_share=0.01, links_per_peer=500),
                                    dict(supernode_share=0.01, supernode_mean_degree=-1)])
def test_two_tier_rejects_bad_input(kwargs):
    with pytest.raises(ValueError):
        ov.two_tier_overlay(10_000, **kwargs)


def test_failure_curves_are_the_curves_the_chapter_draws():
    """failure_curves bundles giant_fraction_curve, giant_fraction_theory and the threshold:
    the same numbers as calling them one by one, and on G(n, p) the random-failure simulation
    sits on the closed form (n = 50,000: the giant share's standard deviation is ~0.3 %, so
    0.01 leaves room for finite-size effects of order 1/sqrt(n))."""
    net = ov.random_overlay(50_000, mean_degree=4, seed=5)
    fractions = np.linspace(0, 0.6, 7)
    curves = ov.failure_curves(net, fractions, seed=6, theory_points=31)
    assert set(curves.simulated) == set(curves.theory) == set(ov.STRATEGIES)
    for strategy in ov.STRATEGIES:
        np.testing.assert_array_equal(
            curves.simulated[strategy], ov.giant_fraction_curve(net, fractions, strategy, 6))
        grid, share = curves.theory[strategy]
        assert grid.shape == share.shape == (31,)
        np.testing.assert_allclose(share, ov.giant_fraction_theory(net.degrees(), grid,
                                                                   strategy))
    assert curves.threshold == ov.critical_failed_fraction(net.degrees())
    er = [ov.er_giant_fraction(4, f) for f in fractions]
    np.testing.assert_allclose(curves.simulated["random"], er, atol=0.01)
    with pytest.raises(ValueError, match="theory_points"):
        ov.failure_curves(net, fractions, theory_points=1)
