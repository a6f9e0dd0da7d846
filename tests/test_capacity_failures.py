"""Client-server vs P2P distribution time (Kurose & Ross) and correlated failures."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from p2plib.capacity import distribution_time
from p2plib.failures import exceedance_probability, simultaneous_failure_fractions


def test_distribution_time_closed_forms():
    F, us, u, d = 800.0, 100.0, 2.0, 20.0
    n = np.array([1, 10, 100, 10_000])
    cs = distribution_time(n, F, us, u, d, "client-server")
    p2p = distribution_time(n, F, us, u, d, "p2p")
    assert np.allclose(cs, np.maximum(n * F / us, F / d))
    assert np.allclose(p2p, np.maximum.reduce([np.full(4, F / us), np.full(4, F / d),
                                               n * F / (us + n * u)]))
    # client-server grows linearly; P2P is bounded by F / u as N grows
    assert cs[-1] / cs[-2] == pytest.approx(100)
    assert p2p[-1] < F / u


@settings(max_examples=50, deadline=None)
@given(n=st.integers(1, 10**7), F=st.floats(0.1, 1e5), us=st.floats(0.1, 1e4),
       u=st.floats(0, 1e3), d=st.floats(0.1, 1e4))
def test_p2p_never_slower_than_client_server(n, F, us, u, d):
    cs = distribution_time(n, F, us, u, d, "client-server")
    p2p = distribution_time(n, F, us, u, d, "p2p")
    assert p2p <= cs * (1 + 1e-12)
    assert p2p >= F / d * (1 - 1e-12)


@pytest.mark.parametrize("kwargs, words", [
    (dict(peers=0), "peers"), (dict(peers=2.5), "peers"),
    (dict(file_size_mbit=0), "file_size_mbit"), (dict(server_upload_mbps=-1), "server_upload"),
    (dict(peer_upload_mbps=float("nan")), "peer_upload_mbps"),
    (dict(peer_download_mbps=0), "peer_download_mbps"), (dict(architecture="cdn"), "architecture"),
])
def test_distribution_time_bad_input(kwargs, words):
    args = dict(peers=10, file_size_mbit=8, server_upload_mbps=10, peer_upload_mbps=1,
                peer_download_mbps=5, architecture="p2p") | kwargs
    with pytest.raises((ValueError, TypeError), match=words):
        distribution_time(**args)


@pytest.mark.parametrize("rho", [0.0, 0.05, 0.3])
def test_failure_days_match_beta_binomial(rho):
    n, q, days = 2000, 0.1, 20_000
    fractions = simultaneous_failure_fractions(n, q, rho, days, seed=4)
    # mean: q; variance of the share: q (1 - q) (1/n + rho (1 - 1/n)) (beta-binomial)
    var = q * (1 - q) * (1 / n + rho * (1 - 1 / n))
    assert abs(fractions.mean() - q) < 5 * math.sqrt(var / days)
    # the sample variance's sd is at most ~ var * sqrt((kurtosis - 1) / days); 8 sds
    assert abs(fractions.var() - var) < 8 * var * math.sqrt(2 / days) * 3
    # the share of days above a threshold matches the exact tail within binomial error
    for threshold in (0.12, 0.3):
        p = exceedance_probability(threshold, n, q, rho)
        observed = (fractions > threshold).mean()
        assert abs(observed - p) < 5 * math.sqrt(max(p * (1 - p), 1e-12) / days) + 1 / days


def test_independent_failures_never_break_the_overlay_correlated_ones_do():
    assert exceedance_probability(0.5, 10_000, 0.05, 0.0) < 1e-100
    assert exceedance_probability(0.5, 10_000, 0.05, 0.3) > 0.01
    assert exceedance_probability(0.0, 100, 0.5, 0.0) == pytest.approx(1 - 0.5**100)
    tail = exceedance_probability([0.1, 0.2], 100, 0.1, 0.0)
    assert np.allclose(tail, stats.binom.sf([10, 20], 100, 0.1))


@pytest.mark.parametrize("call, words", [
    (lambda: simultaneous_failure_fractions(0, 0.1, 0.1, 10), "n must be"),
    (lambda: simultaneous_failure_fractions(10, 1.0, 0.1, 10), "failure_prob"),
    (lambda: simultaneous_failure_fractions(10, 0.1, 1.0, 10), "correlation"),
    (lambda: simultaneous_failure_fractions(10, 0.1, 0.1, 0), "days"),
    (lambda: exceedance_probability(1.5, 10, 0.1, 0.1), "threshold"),
])
def test_failure_bad_input(call, words):
    with pytest.raises((ValueError, TypeError), match=words):
        call()
