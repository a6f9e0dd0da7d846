"""Uncertainty: the unknowns of the outage model, their ranges, and what follows from them.

Skype never published most of what the model needs (facts file: supernode count, capacity,
the overload rule, the 2007 client's retry rule, the fix hour). Instead of one tuned
trajectory, :data:`UNKNOWNS` gives each a plausible range with its reasoning, and

* :func:`ensemble` samples the ranges with a scrambled Sobol' sequence (``scipy.stats.qmc``)
  and runs the batched aggregate model on every sample: the probability of an outage, the
  distribution of its length and of its depth at an hour of interest;
* :func:`tornado` moves one unknown at a time to the ends of its range (the others at the
  preset's values): which unknowns matter for the outage length;
* :func:`sobol_sensitivity` gives first-order and total Sobol' indices of the hours below 50%
  (``scipy.stats.sobol_indices``; Saltelli's estimators).

Examples
--------
>>> ens = ensemble(n=16, seed=1)
>>> 0.0 <= ens.p_outage <= 1.0
True
>>> sorted(ens.names)[:2]
['fix_h', 'login_headroom']
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from p2plib._validate import check_int, check_real
from p2plib.outage.presets import skype_2007
from p2plib.outage.scenario import Scenario, retry_base_for
from p2plib.outage.simulation import simulate_many

__all__ = ["UNKNOWNS", "EnsembleResult", "TornadoResult", "Unknown", "ensemble",
           "sobol_sensitivity", "tornado"]


@dataclass(frozen=True)
class Unknown:
    """A scenario field that no source pins down, with a plausible range.

    Attributes
    ----------
    name : str
        The :class:`~p2plib.outage.scenario.Scenario` field.
    low, high : float
        The range (for ``choices``: ignored).
    log : bool
        Sample uniformly in ``log`` (for scale-like quantities spanning a factor of several).
    reason : str
        Why this range.
    choices : tuple
        Discrete values (retry rules), sampled with equal weight.

    References
    ----------
    Course model (chapter 03): each range's reasoning is in :data:`UNKNOWNS` (from the
    course's sources page, ``notebooks/sources.md``).

    Examples
    --------
    >>> Unknown("sn_capacity", 300.0, 800.0).value(0.5)
    550.0
    >>> Unknown("sn_restart_h", 6.0, 72.0, log=True).value(0.0)
    6.0
    """

    name: str
    low: float
    high: float
    log: bool = False
    reason: str = ""
    choices: tuple = ()

    def value(self, u: float):
        """The value at quantile ``u`` in ``[0, 1)``."""
        if self.choices:
            return self.choices[min(int(u * len(self.choices)), len(self.choices) - 1)]
        if self.log:
            return float(math.exp(math.log(self.low) + u * (math.log(self.high)
                                                             - math.log(self.low))))
        return float(self.low + u * (self.high - self.low))


#: The 2007 unknowns, their ranges and why (the preset's value lies inside each range).
UNKNOWNS = (
    Unknown("supernode_fraction", 1 / 450, 1 / 150, log=True,
            reason="never published; 'about 25,000' supernodes is hearsay (1 per 240 online "
                   "peers at 6 M); a factor 1.5 either side of the preset's 1/300"),
    Unknown("sn_capacity", 300.0, 800.0,
            reason="'several hundred' clients per supernode (Skype, 2010 post-mortem)"),
    Unknown("sn_overload_factor", 4.0, 20.0, log=True,
            reason="requests per minute, as a multiple of a full supernode's normal rate, that "
                   "trip the protection: below about 4 the fluctuations of a normal day's "
                   "peak already trip it (the pool fails without any trigger); in 2010 the "
                   "load that tripped it reached about 100x normal, so it lies well below"),
    Unknown("retry_policy", 0, 1, choices=("fixed", "exponential", "full_jitter"),
            reason="the 2007 client's retry rule is unknown: a fixed interval or one of the "
                   "backoff rules a careful client would use (Brooker 2015)"),
    Unknown("promotion_uptime_h", 12.0, 72.0, log=True,
            reason="uptime before a peer serves as a supernode: of the order of supernode "
                   "residual lifetimes (median 1.75 days, Bremler-Barr & Goldschmidt 2011)"),
    Unknown("sn_restart_h", 6.0, 72.0, log=True,
            reason="time before a supernode that protected itself serves again: unknown; from "
                   "a quarter of a day to three days"),
    Unknown("login_headroom", 2.0, 10.0, log=True,
            reason="login server capacity over the mean login rate: unpublished; servers are "
                   "sized for peaks and reboot waves, so a few times the mean"),
    Unknown("reboot_fraction", 0.15, 0.45,
            reason="share of supernode-capable machines (always-on Windows PCs with automatic "
                   "updates) restarted over the two nights: most install patches "
                   "automatically, not all restart"),
    Unknown("fix_h", 72.0, 120.0,
            reason="when the retuned P2P core went live: unknown; AP reported service back on "
                   "Saturday; from Friday 00:00 to Sunday 00:00 UTC"),
    Unknown("patience_h", 0.5, 3.0, log=True,
            reason="how long a user without service keeps the client trying: unknown"),
)

_BY_NAME = {u.name: u for u in UNKNOWNS}
_CHUNK = 256   # runs simulated and reduced together in ensemble (simulate_many's batch)


def _check_unknowns(unknowns) -> tuple:
    unknowns = tuple(unknowns)
    if not unknowns or not all(isinstance(u, Unknown) for u in unknowns):
        raise TypeError("unknowns must be a non-empty sequence of Unknown")
    fields = set(Scenario.__dataclass_fields__)
    for u in unknowns:
        if u.name not in fields:
            raise ValueError(f"unknowns: {u.name!r} is not a Scenario field")
    return unknowns


def _apply(base: Scenario, unknowns, row) -> Scenario:
    changes = {u.name: u.value(float(x)) for u, x in zip(unknowns, row, strict=True)}
    if "retry_policy" in changes:
        changes.setdefault("retry_base_min", retry_base_for(changes["retry_policy"]))
    if "fix_h" in changes:
        changes["events"] = ()
    return base.replace(**changes)


@dataclass(frozen=True, eq=False)
class EnsembleResult:
    """An ensemble of runs over the unknowns' ranges.

    Attributes
    ----------
    base : Scenario
        The scenario the samples change.
    names : tuple of str
        The unknowns sampled, in column order.
    quantiles : numpy.ndarray of shape (n, d)
        Each sample's position in each range, in ``[0, 1)`` (the Sobol' points).
    values : list of dict
        Each sample's field values.
    hours_below : numpy.ndarray
        Hours below 50% service in each run.
    first_below : numpy.ndarray
        Hour of the first fall below 50% (``nan``: none).
    served_at : numpy.ndarray
        Served fraction (connected / demand) at ``at_hour`` in each run.
    at_hour : float
        The hour of ``served_at`` (default Friday 17 August 16:00 UTC for 2007).
    consistent : numpy.ndarray of bool
        Runs whose normal days before the trigger work (service at least 90% until
        ``base.reboot_start_h``): Skype ran for years without such failures, so samples that
        fail on an ordinary day contradict the observations and are left out of
        :attr:`p_outage` and :meth:`length_quantiles` (their share is
        :attr:`inconsistent_share`).
    unknowns : tuple of Unknown
        The unknowns sampled (for :meth:`sample`).
    step_min : int
        Integration step of the runs, minutes.

    References
    ----------
    Course model (chapter 03): a quasi-Monte Carlo ensemble over the unknowns' ranges
    (scrambled Sobol' points, Owen 1995; ``scipy.stats.qmc``).

    Examples
    --------
    >>> ens = ensemble(n=8, seed=0)
    >>> ens.sample(0).sn_capacity == ens.values[0]["sn_capacity"]
    True
    """

    base: Scenario
    names: tuple
    quantiles: np.ndarray
    values: list
    hours_below: np.ndarray
    first_below: np.ndarray
    served_at: np.ndarray
    at_hour: float
    consistent: np.ndarray
    unknowns: tuple = ()
    step_min: int = 5

    def sample(self, k: int) -> Scenario:
        """The scenario of run ``k`` (``base`` with that run's values, at :attr:`step_min`)."""
        k = check_int("k", k, 0, len(self.hours_below) - 1)
        return _apply(self.base.replace(step_min=self.step_min), self.unknowns,
                      self.quantiles[k])

    @property
    def outage(self) -> np.ndarray:
        """Whether each run had service below 50% at some point."""
        return self.hours_below > 0

    @property
    def inconsistent_share(self) -> float:
        """Share of the samples that fail on an ordinary day (left out)."""
        return float(1 - self.consistent.mean())

    @property
    def p_outage(self) -> float:
        """Share of the consistent runs with an outage (``nan`` if none is consistent)."""
        if not self.consistent.any():
            return math.nan
        return float(self.outage[self.consistent].mean())

    @property
    def p_outage_se(self) -> float:
        """Binomial standard error of :attr:`p_outage` (an upper bound for a Sobol' design)."""
        p, n = self.p_outage, int(self.consistent.sum())
        return math.sqrt(max(p * (1 - p), 0.25 / n) / n) if n else math.nan

    def length_quantiles(self, q=(0.1, 0.5, 0.9)) -> dict:
        """Quantiles of the outage length (hours below 50%) among consistent runs with one."""
        hours = self.hours_below[self.outage & self.consistent]
        if not len(hours):
            return {float(x): math.nan for x in q}
        return {float(x): float(np.quantile(hours, x)) for x in q}

    def column(self, name: str) -> np.ndarray:
        """Each sample's value of one unknown (in its own unit; a choice as its name)."""
        if name not in self.names:
            raise ValueError(f"name must be one of {self.names}, got {name!r}")
        return np.array([v[name] for v in self.values])

    def _counted(self, keep) -> np.ndarray:
        counted = self.outage & self.consistent
        if keep is not None:
            keep = np.asarray(keep, bool)
            if keep.shape != counted.shape:
                raise ValueError(f"keep must be a boolean array of {len(counted)} runs")
            counted = counted & keep
        return counted

    def depth_quantiles(self, q=(0.1, 0.5, 0.9), keep=None) -> dict:
        """Quantiles of the served fraction at :attr:`at_hour` (connected / demand, share in
        [0, 1]) among the consistent runs with an outage (and ``keep``, a boolean mask):
        the depth of the outage, conditional on there being one."""
        depth = self.served_at[self._counted(keep)]
        if not len(depth):
            return {float(x): math.nan for x in q}
        return {float(x): float(np.quantile(depth, x)) for x in q}

    def depth_percentile(self, observed: float, keep=None) -> float:
        """Percentage of the counted outages (as :meth:`depth_quantiles`) that serve less than
        ``observed`` (share in [0, 1]) at :attr:`at_hour`: where an observation lies in the
        ensemble's distribution (``nan`` if no run counts)."""
        observed = check_real("observed", observed, 0, 1)
        depth = self.served_at[self._counted(keep)]
        return float(100 * (depth < observed).mean()) if len(depth) else math.nan

    def depth_percentile_interval(self, observed: float, keep=None,
                                  confidence: float = 0.95) -> tuple:
        """Wilson score interval of :meth:`depth_percentile`, in percent: ``(low, high)``.

        The percentile rests on the few counted outages (an outage is rare over the ranges),
        so it moves from one seed of the scrambling to the next; the binomial interval over
        that count says by how much (for a Sobol' design it is an upper bound, as
        :attr:`p_outage_se`).

        Parameters
        ----------
        observed : float
            The observed served fraction, share in [0, 1].
        keep : boolean array, optional
            Runs that may count (as :meth:`depth_quantiles`).
        confidence : float
            Coverage of the interval, in [0.5, 0.999].

        Returns
        -------
        (float, float)
            Low and high end, percent in [0, 100]; ``(nan, nan)`` if no run counts.

        References
        ----------
        E. B. Wilson, "Probable inference, the law of succession, and statistical inference",
        J. Am. Stat. Assoc. 22, 1927.

        Examples
        --------
        >>> ens = ensemble(n=16, seed=1)
        >>> low, high = ens.depth_percentile_interval(0.5)
        >>> bool(low <= ens.depth_percentile(0.5) <= high) or math.isnan(low)
        True
        """
        observed = check_real("observed", observed, 0, 1)
        confidence = check_real("confidence", confidence, 0.5, 0.999)
        depth = self.served_at[self._counted(keep)]
        k, m = int((depth < observed).sum()), len(depth)
        if not m:
            return math.nan, math.nan
        z = float(stats.norm.ppf(0.5 + confidence / 2))
        p = k / m
        centre = (p + z * z / (2 * m)) / (1 + z * z / m)
        half = z / (1 + z * z / m) * math.sqrt(p * (1 - p) / m + z * z / (4 * m * m))
        return float(100 * max(centre - half, 0.0)), float(100 * min(centre + half, 1.0))

    def matching(self, low: float, high: float, keep=None) -> np.ndarray:
        """Counted outages whose served fraction at :attr:`at_hour` lies in ``[low, high]``
        (shares in [0, 1]): the draws consistent with an observation and its uncertainty."""
        low = check_real("low", low, 0, 1)
        high = check_real("high", high, low, 1)
        return self._counted(keep) & (self.served_at >= low) & (self.served_at <= high)

    def depth_correlations(self, keep=None) -> dict:
        """Spearman rank correlation of each unknown with the depth at :attr:`at_hour`, over
        the counted outages: which unknowns move the depth most, largest ``|rho|`` first.

        A global, model-free measure that suits a handful of runs (Saltelli et al., *Global
        Sensitivity Analysis: The Primer*, 2008, ch. 1); ``nan`` with fewer than 3 runs.
        """
        counted = self._counted(keep)
        out = {}
        for j, name in enumerate(self.names):
            if counted.sum() < 3 or np.ptp(self.quantiles[counted, j]) == 0:
                out[name] = math.nan
                continue
            out[name] = float(stats.spearmanr(self.quantiles[counted, j],
                                              self.served_at[counted]).statistic)
        return dict(sorted(out.items(), key=lambda kv: -abs(kv[1]) if np.isfinite(kv[1])
                           else 0.0))

    def p_outage_by(self, name: str, bins: int = 4) -> tuple:
        """P(outage) in equal-width bins of one unknown's range (consistent runs):
        ``(bin centres, P)``."""
        j = self.names.index(name)
        edges = np.linspace(0, 1, bins + 1)
        which = np.clip(np.digitize(self.quantiles[:, j], edges) - 1, 0, bins - 1)
        keep = self.consistent
        p = np.array([self.outage[(which == b) & keep].mean() if ((which == b) & keep).any()
                      else np.nan for b in range(bins)])
        unknown = _BY_NAME.get(name)
        centres = (edges[:-1] + edges[1:]) / 2
        if unknown is not None and not unknown.choices:
            centres = np.array([unknown.value(c) for c in centres])
        return centres, p


def _scenarios_from(base, unknowns, quantiles):
    return [_apply(base, unknowns, row) for row in quantiles]


def ensemble(base: Scenario | None = None, unknowns=UNKNOWNS, n: int = 128, seed=0,
             step_min: int = 5, at_hour: float = 88.0) -> EnsembleResult:
    """Run the model over a scrambled Sobol' sample of the unknowns' ranges.

    Parameters
    ----------
    base : Scenario, optional
        Default: the ``skype_2007`` preset at 10^5 peers (every count scales with it).
    unknowns : sequence of Unknown
        Default :data:`UNKNOWNS`.
    n : int
        Number of samples, in ``[2, 4096]`` (a power of two keeps the Sobol' balance). The
        runs are simulated and reduced to their scalars 256 at a time, so memory does not grow
        with ``n``; time grows about linearly (2,048 runs: 7-10 s measured on 2 shared cores).
    seed : int
        Seed of the scrambling, ``>= 0``.
    step_min : int
        Integration step of the runs, minutes.
    at_hour : float
        Hour of the depth reported in ``served_at`` (88 = Friday 16:00 UTC in the 2007 runs).

    Returns
    -------
    EnsembleResult

    References
    ----------
    Course model (chapter 03): the aggregate model over scrambled Sobol' points (Sobol' 1967;
    Owen 1995; ``scipy.stats.qmc.Sobol``); the consistency filter is the course's own.

    Examples
    --------
    >>> ens = ensemble(n=8, seed=0)
    >>> len(ens.hours_below)
    8
    """
    base = skype_2007().replace(online_peers=100_000) if base is None else base
    if not isinstance(base, Scenario):
        raise TypeError(f"base must be a Scenario, got {type(base).__name__}")
    unknowns = _check_unknowns(unknowns)
    n = check_int("n", n, 2, 4096)
    seed = check_int("seed", seed, 0)
    step_min = check_int("step_min", step_min, 1, 10)
    at_hour = check_real("at_hour", at_hour, 0, base.days * 24)
    sampler = stats.qmc.Sobol(d=len(unknowns), scramble=True, seed=seed)
    quantiles = sampler.random(n)
    scenarios = _scenarios_from(base.replace(step_min=step_min), unknowns, quantiles)
    i = min(round(at_hour * 60 / step_min), scenarios[0].steps - 1)
    hours_below, first_below, served_at, consistent = [], [], [], []
    for start in range(0, n, _CHUNK):   # reduce each chunk to scalars: memory stays flat in n
        for r in simulate_many(scenarios[start:start + _CHUNK]):
            hours_below.append(r.hours_below(0.5))
            first_below.append(r.first_below(0.5))
            served_at.append(r.served_fraction[i])
            consistent.append(r.min_service() >= 0.9 if base.reboot_fraction == 0 else
                              r.served_fraction[r.time_h < base.reboot_start_h].min() >= 0.9)
    return EnsembleResult(
        base=base, names=tuple(u.name for u in unknowns), quantiles=quantiles,
        values=[{u.name: getattr(s, u.name) for u in unknowns} for s in scenarios],
        hours_below=np.array(hours_below), first_below=np.array(first_below),
        served_at=np.array(served_at), at_hour=at_hour, unknowns=unknowns,
        step_min=step_min, consistent=np.array(consistent))


@dataclass(frozen=True, eq=False)
class TornadoResult:
    """One-at-a-time sensitivity of the outage length and of its depth at one hour.

    Attributes
    ----------
    base : Scenario
        The scenario each run changes in one unknown.
    baseline_hours : float
        Hours below 50% of ``base`` itself.
    names : tuple of str
        Unknowns, sorted by the width of their swing in hours (widest first).
    low_hours, high_hours : numpy.ndarray
        Hours below 50% with the unknown at the low / high end of its range (for a choice:
        the first / last choice).
    low_values, high_values : tuple
        The values used (in each unknown's unit).
    at_hour : float
        Hour of the depth (hours since the run start; 88 = Friday 16:00 UTC in 2007).
    baseline_depth : float
        Served fraction (connected / demand, share in [0, 1]) of ``base`` at ``at_hour``.
    low_depth, high_depth : numpy.ndarray
        Served fraction at ``at_hour`` at each end (same order as ``names``).

    References
    ----------
    Course model (chapter 03): a one-at-a-time ("tornado") sensitivity analysis (Saltelli et
    al., *Global Sensitivity Analysis: The Primer*, 2008, ch. 1) of the aggregate model.

    Examples
    --------
    >>> t = tornado(unknowns=UNKNOWNS[:2])
    >>> t.baseline_hours > 0 and 0 <= t.baseline_depth <= 1
    True
    """

    base: Scenario
    baseline_hours: float
    names: tuple
    low_hours: np.ndarray
    high_hours: np.ndarray
    low_values: tuple
    high_values: tuple
    at_hour: float = 88.0
    baseline_depth: float = math.nan
    low_depth: np.ndarray = None
    high_depth: np.ndarray = None

    @property
    def swing(self) -> np.ndarray:
        """``|high - low|`` hours for each unknown."""
        return np.abs(self.high_hours - self.low_hours)

    def depth_swing(self) -> dict:
        """How far each unknown moves the depth at :attr:`at_hour` while an outage remains:
        name -> the change ``depth - baseline_depth`` (share of a normal day; positive:
        shallower) of largest size over the ends of its range that still have hours below 50%
        (``nan`` if neither does), largest first."""
        out = {}
        for k, name in enumerate(self.names):
            moves = [d - self.baseline_depth for d, h in (
                (self.low_depth[k], self.low_hours[k]), (self.high_depth[k], self.high_hours[k]))
                if h > 0]
            out[name] = float(max(moves, key=abs)) if moves else math.nan
        return dict(sorted(out.items(), key=lambda kv: -abs(kv[1]) if np.isfinite(kv[1])
                           else 1.0))


def tornado(base: Scenario | None = None, unknowns=UNKNOWNS, step_min: int = 5,
            at_hour: float = 88.0) -> TornadoResult:
    """Move each unknown to both ends of its range, one at a time (the others at ``base``).

    Parameters
    ----------
    base : Scenario, optional
        Default: the ``skype_2007`` preset at 10^5 peers.
    unknowns : sequence of Unknown
        Default :data:`UNKNOWNS`.
    step_min : int
        Integration step of the runs, minutes, in ``[1, 10]``.
    at_hour : float
        Hour of the depth reported (hours since the run start, within the run).

    Returns
    -------
    TornadoResult

    References
    ----------
    Course model (chapter 03); see :class:`TornadoResult`.

    Examples
    --------
    >>> t = tornado()
    >>> t.names[0] in [u.name for u in UNKNOWNS]
    True
    """
    base = skype_2007().replace(online_peers=100_000) if base is None else base
    if not isinstance(base, Scenario):
        raise TypeError(f"base must be a Scenario, got {type(base).__name__}")
    unknowns = _check_unknowns(unknowns)
    step_min = check_int("step_min", step_min, 1, 10)
    at_hour = check_real("at_hour", at_hour, 0, base.days * 24)
    base = base.replace(step_min=step_min)
    ends = []
    for u in unknowns:
        lo, hi = (u.choices[0], u.choices[-1]) if u.choices else (u.low, u.high)
        ends.append((lo, hi))
    scenarios = [base]
    for u, (lo, hi) in zip(unknowns, ends, strict=True):
        for v in (lo, hi):
            changes = {u.name: v}
            if u.name == "retry_policy":
                changes["retry_base_min"] = retry_base_for(v)
            scenarios.append(base.replace(**changes))
    runs = simulate_many(scenarios)
    hours = np.array([r.hours_below(0.5) for r in runs])
    i = min(round(at_hour * 60 / step_min), base.steps - 1)
    depth = np.array([r.served_fraction[i] for r in runs])
    low, high = hours[1::2], hours[2::2]
    order = np.argsort(-np.abs(high - low), kind="stable")
    return TornadoResult(
        base=base, baseline_hours=float(hours[0]),
        names=tuple(unknowns[k].name for k in order), low_hours=low[order],
        high_hours=high[order], low_values=tuple(ends[k][0] for k in order),
        high_values=tuple(ends[k][1] for k in order), at_hour=at_hour,
        baseline_depth=float(depth[0]), low_depth=depth[1::2][order],
        high_depth=depth[2::2][order])


def sobol_sensitivity(base: Scenario | None = None, unknowns=UNKNOWNS, n: int = 64, seed=0,
                      step_min: int = 5) -> dict:
    """First-order and total Sobol' indices of the hours below 50% over the unknowns.

    Uses ``scipy.stats.sobol_indices`` (Saltelli 2002 / Jansen estimators), which runs the
    model ``n (d + 2)`` times (batched).

    Parameters
    ----------
    base : Scenario, optional
        Default: the ``skype_2007`` preset at 10^5 peers.
    unknowns : sequence of Unknown
        Default :data:`UNKNOWNS`.
    n : int
        Base sample size, a power of two in ``[8, 1024]``.
    seed : int
        Seed of the sampling, ``>= 0``.
    step_min : int
        Integration step of the runs, minutes, in ``[1, 10]``.

    Returns
    -------
    dict
        ``{"names": tuple, "first_order": ndarray, "total_order": ndarray}``.

    References
    ----------
    A. Saltelli, "Making best use of model evaluations to compute sensitivity indices",
    Computer Physics Communications 145, 2002; M. J. W. Jansen, 1999 (the estimators of
    ``scipy.stats.sobol_indices``).

    Examples
    --------
    >>> s = sobol_sensitivity(n=8, unknowns=UNKNOWNS[:2])
    >>> len(s["first_order"])
    2
    """
    base = skype_2007().replace(online_peers=100_000) if base is None else base
    if not isinstance(base, Scenario):
        raise TypeError(f"base must be a Scenario, got {type(base).__name__}")
    unknowns = _check_unknowns(unknowns)
    n = check_int("n", n, 8, 1024)
    if n & (n - 1):
        raise ValueError(f"n must be a power of two in [8, 1024], got {n}")
    seed = check_int("seed", seed, 0)
    step_min = check_int("step_min", step_min, 1, 10)
    base = base.replace(step_min=step_min)

    def func(x):   # x: (d, m) quantiles -> (m,) hours below 50%
        runs = simulate_many(_scenarios_from(base, unknowns, x.T))
        return np.array([r.hours_below(0.5) for r in runs])

    dists = [stats.uniform(0, 1) for _ in unknowns]
    res = stats.sobol_indices(func=func, n=n, dists=dists,
                              rng=np.random.default_rng(seed))
    return {"names": tuple(u.name for u in unknowns),
            "first_order": np.asarray(res.first_order),
            "total_order": np.asarray(res.total_order)}
