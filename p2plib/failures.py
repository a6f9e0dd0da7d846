"""Independent vs correlated failures: how many peers are down at the same moment.

"If one peer fails, another takes its place" assumes that failures are independent: if each of
``n`` peers is down with probability ``q``, the share down at once is almost exactly ``q``
(binomial, standard deviation ``sqrt(q (1-q) / n)``). A shared cause (every PC that installs
the same patch reboots in the same hour) makes failures *correlated*: the same average ``q``,
but on a bad day a large share fails together.

The model is the exchangeable (beta-binomial) failure model used in reliability engineering
for common-cause failures: on each day a latent failure probability ``P`` is drawn from a Beta
distribution with mean ``q`` and intra-class correlation ``rho`` (the correlation between any
two peers' failures), then each peer fails with probability ``P``. ``rho = 0`` is independent
failure; ``rho -> 1`` is all-or-nothing. The number down is then beta-binomial
(Skellam 1948), which gives the exact analytic baseline for the simulation.

Examples
--------
>>> from p2plib.failures import simultaneous_failure_fractions
>>> days = simultaneous_failure_fractions(10_000, 0.05, correlation=0.0, days=1000, seed=1)
>>> bool(abs(days.mean() - 0.05) < 0.002 and days.max() < 0.06)
True
"""

from __future__ import annotations

import numpy as np
from scipy import special, stats

from p2plib._validate import as_rng, check_array, check_int, check_real

__all__ = [
    "correlated_outages",
    "exceedance_probability",
    "log10_exceedance_probability",
    "simultaneous_failure_fractions",
]


def _beta_parameters(failure_prob: float, correlation: float) -> tuple[float, float]:
    """Beta(a, b) with mean ``q`` and intra-class correlation ``rho = 1 / (a + b + 1)``."""
    total = (1.0 - correlation) / correlation
    return failure_prob * total, (1.0 - failure_prob) * total


def _check(n, failure_prob, correlation):
    n = check_int("n", n, minimum=1)
    failure_prob = check_real("failure_prob", failure_prob, 0, 1, open_min=True, open_max=True)
    correlation = check_real("correlation", correlation, 0, 1, open_max=True)
    return n, failure_prob, correlation


def _daily_failure_prob(failure_prob, correlation, days, rng) -> np.ndarray:
    """Each day's latent failure probability: fixed if independent, else Beta-distributed."""
    if correlation == 0:
        return np.full(days, failure_prob)
    return rng.beta(*_beta_parameters(failure_prob, correlation), size=days)


def correlated_outages(n, failure_prob, correlation, days, seed=None) -> np.ndarray:
    """Which of ``n`` units (peers, providers) are down on each day: bool array (days, n).

    The same exchangeable model as :func:`simultaneous_failure_fractions`, keeping identities.

    Parameters
    ----------
    n : int
        Number of units (peers, providers), ``>= 1``.
    failure_prob : float
        Probability that a given unit is down on a given day, in ``(0, 1)``.
    correlation : float
        Correlation between two units' failures, in ``[0, 1)``; 0 means independent.
    days : int
        Number of days simulated, ``>= 1``.
    seed : None, int or numpy.random.Generator
        Source of each day's latent failure probability and of the failures.

    Returns
    -------
    numpy.ndarray of bool, shape (days, n)
        True where a unit is down on a day.

    References
    ----------
    J. G. Skellam, "A probability distribution derived from the binomial distribution by
    regarding the probability of success as variable between the sets of trials", *J. R.
    Stat. Soc. B* 10, 257-261, 1948 (the beta-binomial law of exchangeable failures).

    Examples
    --------
    >>> down = correlated_outages(3, 0.1, 0.5, days=4, seed=1)
    >>> down.shape, down.dtype
    ((4, 3), dtype('bool'))
    """
    n, failure_prob, correlation = _check(n, failure_prob, correlation)
    days = check_int("days", days, minimum=1)
    rng = as_rng(seed)
    daily_prob = _daily_failure_prob(failure_prob, correlation, days, rng)
    return rng.random((days, n)) < daily_prob[:, None]


def simultaneous_failure_fractions(n, failure_prob, correlation, days, seed=None) -> np.ndarray:
    """Share of ``n`` peers down at the same time, on each of ``days`` independent days.

    Parameters
    ----------
    n : int
        Number of peers, ``>= 1``.
    failure_prob : float
        Probability that a given peer is down on a given day, in ``(0, 1)``.
    correlation : float
        Correlation between two peers' failures, in ``[0, 1)``; 0 means independent.
    days : int
        Number of days simulated, ``>= 1``.
    seed : None, int or numpy.random.Generator
        Source of each day's latent failure probability and of the failures.

    Returns
    -------
    numpy.ndarray of shape (days,)
        Share of the ``n`` peers down on each day, each in ``[0, 1]``.

    References
    ----------
    J. G. Skellam, "A probability distribution derived from the binomial distribution by
    regarding the probability of success as variable between the sets of trials", *J. R.
    Stat. Soc. B* 10, 257-261, 1948 (the beta-binomial law of exchangeable failures).

    Examples
    --------
    >>> bad_days = simultaneous_failure_fractions(10_000, 0.05, 0.3, days=1000, seed=1)
    >>> bool(bad_days.max() > 0.5)           # same mean, but some days most peers are down
    True
    """
    n, failure_prob, correlation = _check(n, failure_prob, correlation)
    days = check_int("days", days, minimum=1)
    rng = as_rng(seed)
    return rng.binomial(n, _daily_failure_prob(failure_prob, correlation, days, rng)) / n


def exceedance_probability(threshold, n, failure_prob, correlation) -> np.ndarray | float:
    """Probability that MORE than ``threshold`` of the ``n`` peers are down at once (exact).

    Binomial tail for independent failures, beta-binomial tail for correlated ones.

    Parameters
    ----------
    threshold : float or array_like
        Share of peers, each in ``[0, 1]``.
    n : int
        Number of peers, ``>= 1``.
    failure_prob : float
        Probability that a given peer is down on a given day, in ``(0, 1)``.
    correlation : float
        Correlation between two peers' failures, in ``[0, 1)``; 0 means independent.

    Returns
    -------
    float or numpy.ndarray, the same shape as ``threshold``
        Probability that more than ``threshold * n`` peers are down at once, in ``[0, 1]``.

    References
    ----------
    J. G. Skellam, "A probability distribution derived from the binomial distribution by
    regarding the probability of success as variable between the sets of trials", *J. R.
    Stat. Soc. B* 10, 257-261, 1948 (the beta-binomial law of exchangeable failures).

    Examples
    --------
    >>> exceedance_probability(0.5, 10_000, 0.05, 0.0) < 1e-300     # independent: never
    True
    >>> round(float(exceedance_probability(0.5, 10_000, 0.05, 0.3)), 3)
    0.019
    """
    n, failure_prob, correlation = _check(n, failure_prob, correlation)
    threshold_arr = check_array("threshold", threshold, 0, 1)
    down_at_most = np.floor(threshold_arr * n + 1e-9)
    if correlation == 0:
        tail = stats.binom.sf(down_at_most, n, failure_prob)
    else:
        tail = stats.betabinom.sf(down_at_most, n, *_beta_parameters(failure_prob, correlation))
    return float(tail) if np.ndim(tail) == 0 else np.asarray(tail)


#: Below this, a tail probability is summed term by term in logs instead (float64 underflows
#: near 1e-308 and loses digits well before that).
_TINY = 1e-280
_CHUNK = 1_000_000


def _log_tail_sum(first: int, n: int, failure_prob: float, correlation: float) -> float:
    """Natural log of P(X >= first), summing the log-pmf over first..n in chunks."""
    if first > n:
        return -np.inf
    if correlation == 0:
        def logpmf(k):
            return stats.binom.logpmf(k, n, failure_prob)
    else:
        a, b = _beta_parameters(failure_prob, correlation)

        def logpmf(k):
            return stats.betabinom.logpmf(k, n, a, b)
    total = -np.inf
    for start in range(first, n + 1, _CHUNK):
        k = np.arange(start, min(start + _CHUNK, n + 1))
        total = np.logaddexp(total, special.logsumexp(logpmf(k)))
    return float(total)


def log10_exceedance_probability(threshold, n, failure_prob,
                                 correlation) -> np.ndarray | float:
    """``log10`` of :func:`exceedance_probability`, finite where the probability underflows.

    For independent failures the chance that a large share of many peers is down at once is
    far below the smallest positive float64 (about 5e-324; digits are lost below about
    2e-308), and :func:`exceedance_probability` returns 0.0. That is not "impossible": this
    function sums the tail in logarithms, so a notebook can print "10^-3610" instead of a
    misleading 0.

    Parameters
    ----------
    threshold : float or array_like
        Share of peers, each in ``[0, 1]``.
    n : int
        Number of peers, ``>= 1``.
    failure_prob : float
        Probability that a given peer is down on a given day, in ``(0, 1)``.
    correlation : float
        Correlation between two peers' failures, in ``[0, 1)``; 0 means independent.

    Returns
    -------
    float or numpy.ndarray, the same shape as ``threshold``
        ``log10`` of the probability, ``<= 0`` (``-inf`` only when the tail is empty, i.e.
        the threshold is the whole network).

    References
    ----------
    J. G. Skellam, "A probability distribution derived from the binomial distribution by
    regarding the probability of success as variable between the sets of trials", *J. R.
    Stat. Soc. B* 10, 257-261, 1948 (the beta-binomial law of exchangeable failures).

    Examples
    --------
    >>> round(float(log10_exceedance_probability(0.5, 10_000, 0.05, 0.0)), 1)
    -3609.6
    >>> round(float(log10_exceedance_probability(0.1, 10_000, 0.05, 0.0)), 2)   # = log10(sf)
    -91.62
    """
    n, failure_prob, correlation = _check(n, failure_prob, correlation)
    threshold_arr = check_array("threshold", threshold, 0, 1)
    tail = np.atleast_1d(np.asarray(
        exceedance_probability(threshold_arr, n, failure_prob, correlation), dtype=float))
    down_at_most = np.atleast_1d(np.floor(threshold_arr * n + 1e-9)).astype(np.int64)
    out = np.empty(tail.shape)
    for i, (p, k0) in enumerate(zip(tail, down_at_most, strict=True)):
        if p > _TINY:
            out[i] = np.log10(p)
        else:
            out[i] = _log_tail_sum(int(k0) + 1, n, failure_prob, correlation) / np.log(10)
    return float(out[0]) if np.ndim(threshold_arr) == 0 else out.reshape(np.shape(threshold_arr))
