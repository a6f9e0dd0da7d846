"""Directory anti-entropy: reconciliation bytes, exact anti-entropy, the desync scenario.

Tolerances: Monte Carlo means over R samples are compared with the closed forms within
5 standard errors (``sd / sqrt(R)``, ``sd`` measured); a count of distinct records hit by a
Poisson number of random updates has variance at most its mean (negatively associated bins),
so 5 * sqrt(mean) is allowed.
"""

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from p2plib.gossip import (
    METHODS,
    PROTOCOLS,
    central_rebuild_seconds,
    compare_repair,
    desync,
    directory_anti_entropy,
    merkle_depth,
    records_changed,
    session_bytes,
    session_round_trips,
    susceptible_recurrence,
)

# --- bytes of one session --------------------------------------------------------------------


def test_full_and_digest_costs():
    assert session_bytes(1000, 7, "full", record_bytes=50, protocol="push") == 50_000
    assert session_bytes(1000, 7, "full", record_bytes=50, protocol="push-pull") == 100_000
    assert session_bytes(1000, 7, "digest", record_bytes=50, digest_bytes=16) == 16_000 + 350


def test_merkle_exact_for_one_difference():
    # 16**3 records: a single difference costs the root plus 16 hashes on each of 3 levels.
    records = 16**3
    assert merkle_depth(records, 16) == 3
    cost = session_bytes(records, 1, "merkle", record_bytes=100, hash_bytes=20, fanout=16)
    assert cost == pytest.approx((1 + 16 * 3) * 20 + 100)
    assert session_bytes(records, 0, "merkle", hash_bytes=20) == 20


def test_merkle_expectation_matches_monte_carlo():
    # Count the differing tree nodes for d random differing leaves, level by level.
    records, fanout, d, samples = 16**4, 16, 300, 200
    rng = np.random.default_rng(2)
    hashes = []
    for _ in range(samples):
        leaves = rng.choice(records, size=d, replace=False)
        count = 1
        for level in range(merkle_depth(records, fanout)):  # nodes at depth `level`
            count += fanout * len(np.unique(leaves // fanout ** (4 - level)))
        hashes.append(count)
    hashes = np.asarray(hashes, float)
    formula = (session_bytes(records, d, "merkle", record_bytes=0, hash_bytes=1, fanout=fanout))
    # the formula draws leaves with replacement: differs from without by O(d^2 / records) nodes
    bias = fanout * d * d / records
    assert abs(hashes.mean() - formula) <= 5 * hashes.std(ddof=1) / math.sqrt(samples) + bias


def test_merkle_wins_for_few_differences_and_loses_for_many():
    records = 10**6
    assert session_bytes(records, 100, "merkle") < session_bytes(records, 100, "digest") / 10
    assert session_bytes(records, records, "merkle") > session_bytes(records, records, "digest")


@settings(max_examples=40, deadline=None)
@given(records=st.integers(1, 10**7), a=st.floats(0, 1), b=st.floats(0, 1),
       method=st.sampled_from(METHODS))
def test_session_bytes_grow_with_differences(records, a, b, method):
    low, high = sorted((a * records, b * records))
    assert session_bytes(records, low, method) <= session_bytes(records, high, method) + 1e-6
    assert session_bytes(records, high, method) >= high * 100 - 1e-6


def test_round_trips():
    assert session_round_trips(10**6, "full") == 1
    assert session_round_trips(10**6, "digest") == 2
    assert session_round_trips(10**6, "merkle", fanout=10) == 7


# --- records behind after a rollback ---------------------------------------------------------


def test_records_changed_matches_poisson_occupancy():
    records, rate, seconds, samples = 5000, 2.0, 3000.0, 200
    rng = np.random.default_rng(4)
    distinct = [len(np.unique(rng.integers(0, records, rng.poisson(rate * seconds))))
                for _ in range(samples)]
    expected = records_changed(records, rate, seconds)
    assert abs(np.mean(distinct) - expected) <= 5 * math.sqrt(expected / samples)
    assert records_changed(records, rate, 0) == 0
    assert records_changed(records, rate, 1e9) == pytest.approx(records)


def test_central_rebuild_bottlenecks():
    # the central server limits many replicas, each replica's download limits few
    assert central_rebuild_seconds(1000, 10**6, 100, 1e8, 1e6) == pytest.approx(1e11 / 1e8)
    assert central_rebuild_seconds(10, 10**6, 100, 1e8, 1e6) == pytest.approx(1e9 / 1e7)
    assert central_rebuild_seconds(0, 10, 100) == 0


# --- exact anti-entropy over a directory -----------------------------------------------------


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_anti_entropy_converges_to_the_newest_versions(protocol):
    rng = np.random.default_rng(1)
    versions = np.zeros((120, 300), dtype=np.int64)
    versions[:15] = rng.integers(0, 4, size=(15, 300))
    r = directory_anti_entropy(versions, protocol, seed=2)
    assert r.stale_replicas[-1] == 0 and r.stale_entries[-1] == 0
    assert np.all(np.diff(r.stale_entries) <= 0)  # anti-entropy never loses a newer version
    full = 120 * 300 * 100 * (2 if protocol == "push-pull" else 1)
    assert np.allclose(r.bytes["full"], full)
    # when few records differ a Merkle tree is cheapest; when most differ it costs more than a
    # full copy (hashes on top of nearly every record)
    assert r.bytes["merkle"][-1] < r.bytes["digest"][-1] < r.bytes["full"][-1]


def test_one_update_by_anti_entropy_is_the_simple_epidemic():
    # One new record at replica 0 spreads exactly as :func:`gossip.spread`: compare one-step
    # conditional expectations for pull (see tests/test_gossip.py).
    n = 3000
    versions = np.zeros((n, 4), dtype=np.int64)
    versions[0, 2] = 1
    r = directory_anti_entropy(versions, "pull", seed=5)
    u = r.stale_replicas.astype(float)
    for before, after in itertools.pairwise(u):
        p = (before - 1) / (n - 1)
        assert abs(after - before * p) <= 5 * math.sqrt(before * p * (1 - p)) + 1e-9


@settings(max_examples=25, deadline=None)
@given(replicas=st.integers(2, 40), records=st.integers(1, 30),
       protocol=st.sampled_from(PROTOCOLS), seed=st.integers(0, 999))
def test_anti_entropy_invariants(replicas, records, protocol, seed):
    rng = np.random.default_rng(seed)
    versions = rng.integers(0, 3, size=(replicas, records))
    r = directory_anti_entropy(versions, protocol, seed=seed)
    assert r.stale_replicas[-1] == 0
    assert np.all(np.diff(r.stale_entries) <= 0)
    assert r.rounds == len(r.bytes["digest"])


# --- the desync scenario ---------------------------------------------------------------------


def test_desync_repairs_every_rolled_back_replica():
    r = desync(replicas=5000, records=10**5, restart_fraction=0.4, rollback_age=600,
               update_rate=50, seed=3)
    assert r.stale_replicas[0] == 2000 and r.stale_replicas[-1] == 0
    assert r.behind == pytest.approx(records_changed(10**5, 50, 600))
    assert r.repair_seconds == pytest.approx(r.rounds * r.round_seconds)
    assert r.round_seconds >= 60
    assert r.divergence[0] == pytest.approx(0.4 * r.behind)
    assert "repair" in repr(r)


def test_desync_repair_rounds_follow_push_pull_from_many_sources():
    # with 1 - f fresh replicas, Demers' push-pull recurrence p -> p^2 exp(-(1-p)) from p0 = f
    f = 0.5
    r = desync(replicas=200_000, records=1000, restart_fraction=f, seed=4)
    share = r.stale_replicas / 200_000
    predicted = susceptible_recurrence(f, 2, "push-pull")
    # binomial sd per round; an error in round 1 is carried into round 2 with a factor
    # d p2 / d p1 = 2 p1 e^-(1-p1) + p1^2 e^-(1-p1) < 1, so 2 sd per round covers both rounds
    sd = np.sqrt(predicted * (1 - predicted) / 200_000)
    assert np.all(np.abs(share[:3] - predicted) <= 5 * 2 * sd + 1e-5)


def test_everyone_rolled_back_cannot_be_repaired_by_gossip():
    r = desync(replicas=100, records=1000, restart_fraction=1.0, seed=1)
    assert math.isinf(r.repair_seconds) and math.isfinite(r.rebuild_seconds)


def test_no_rollback_nothing_to_do():
    r = desync(replicas=100, records=1000, restart_fraction=0.5, rollback_age=0, seed=1)
    assert r.behind == 0 and r.repair_seconds == 0 and r.rebuild_seconds == 0


def test_full_comparison_is_slow_whatever_the_damage():
    kw = dict(replicas=1000, records=10**6, restart_fraction=0.3, seed=2)
    small = desync(rollback_age=10, method="full", **kw)
    large = desync(rollback_age=10_000, method="full", **kw)
    assert small.session_bytes == large.session_bytes
    merkle = desync(rollback_age=10, method="merkle", **kw)
    assert merkle.repair_seconds < small.repair_seconds


def test_rebuild_scales_with_replicas():
    kw = dict(records=10**6, restart_fraction=0.5, rollback_age=60, seed=1, rebuild_all=True)
    a, b = desync(replicas=10_000, **kw), desync(replicas=20_000, **kw)
    assert b.rebuild_seconds == pytest.approx(2 * a.rebuild_seconds)
    assert b.rebuild_bytes == pytest.approx(2 * a.rebuild_bytes)


def test_compare_repair_is_desync_for_each_method():
    # the churn rule of the chapter's explorer: a share of the records updated per hour
    kw = dict(replicas=3000, records=200_000, restart_fraction=0.4, rollback_age=1800,
              bandwidth=2e5, central_bandwidth=5e7)
    c = compare_repair(churn_per_hour=0.25, seed=5, **kw)
    assert list(c.by_method) == list(METHODS)
    for method, r in c.by_method.items():
        direct = desync(update_rate=0.25 * 200_000 / 3600, method=method, seed=5, **kw)
        assert np.array_equal(r.stale_replicas, direct.stale_replicas)
        assert r.repair_seconds == direct.repair_seconds and r.method == method
        assert r.behind == pytest.approx(records_changed(200_000, 0.25 * 200_000 / 3600, 1800))
    assert c.rebuild_seconds == c.full.rebuild_seconds == c.digest.rebuild_seconds


@pytest.mark.parametrize("call, error, word", [
    (lambda: compare_repair(churn_per_hour=-0.1), ValueError, "churn_per_hour"),
    (lambda: compare_repair(records=0), ValueError, "records"),
    (lambda: compare_repair(seed="x"), TypeError, "seed"),
    (lambda: session_bytes(0, 0), ValueError, "records"),
    (lambda: session_bytes(10, 11), ValueError, "differences"),
    (lambda: session_bytes(10, 1, "rsync"), ValueError, "method"),
    (lambda: session_bytes(10, 1, fanout=1), ValueError, "fanout"),
    (lambda: records_changed(10, -1, 5), ValueError, "update_rate"),
    (lambda: directory_anti_entropy(np.zeros((1, 3), int)), ValueError, "versions"),
    (lambda: directory_anti_entropy(np.zeros((3, 3)), "push"), ValueError, "versions"),
    (lambda: desync(replicas=1), ValueError, "replicas"),
    (lambda: desync(restart_fraction=1.5), ValueError, "restart_fraction"),
    (lambda: desync(bandwidth=0), ValueError, "bandwidth"),
    (lambda: desync(method="copy"), ValueError, "method"),
    (lambda: desync(protocol="flood"), ValueError, "protocol"),
    (lambda: central_rebuild_seconds(10, 10, central_bandwidth=0), ValueError,
     "central_bandwidth"),
])
def test_bad_input(call, error, word):
    with pytest.raises(error, match=word):
        call()
