"""The analytic baseline of the outage model: its stationary states and where they vanish.

At a frozen load ``L`` (demand ``L x online_peers``, no daily cycle, no trigger) the fluid model
has up to two stable stationary states: *healthy* (the pool holds the clients, supernodes see
their normal request rate) and *stuck* (the pool drained, refused clients retrying, supernodes
shutting down as fast as they come back). The healthy state exists below ``collapse_load``;
the stuck state exists above ``recovery_load``. In between both exist (bistability): the
system stays in whichever it is in, which is why an outage can outlive its trigger
(metastability; Bronson et al., HotOS 2021) and why a slow load ramp fails at a higher load
than the one at which it recovers (hysteresis).

Both results come from the same frozen-load runs: at each load the aggregate model (the same
equations, batched) is integrated from a healthy start and from a drained start for
:func:`settle_hours`, and the state it ends in is read off.

* :func:`stationary_service` gives, at chosen loads, the served fraction on each branch (the
  bifurcation diagram), ``nan`` where that state does not exist;
* :func:`fluid_thresholds` finds, by bisection over the same runs, the loads at which each
  branch ends (:func:`fluid_thresholds_many` does it for several scenarios in one batch);
* :func:`load_extremes` gives the lowest and highest load of a scenario's normal week, to set
  beside the thresholds: a stuck system heals by itself only if its load falls below
  ``recovery_load``.

Examples
--------
>>> from p2plib.scenarios import load_ramp
>>> th = fluid_thresholds(load_ramp(online_peers=10_000))
>>> th.recovery_load < th.collapse_load
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from p2plib._validate import check_array, check_int, check_real
from p2plib.outage.scenario import Scenario
from p2plib.outage.schedule import demand_curve
from p2plib.outage.simulation import simulate_many

__all__ = ["FluidThresholds", "StationaryService", "fluid_thresholds", "fluid_thresholds_many",
           "load_extremes", "settle_hours", "stationary_service"]

#: Points tried per bisection round (each round narrows the bracket ninefold).
_POINTS = 8


@dataclass(frozen=True)
class FluidThresholds:
    """Loads (multiples of ``online_peers``) at which the fluid model's states vanish.

    Attributes
    ----------
    collapse_load : float
        Above it the healthy state does not exist: the system fails (``inf`` if it never
        does up to the largest load tried), multiple of ``online_peers``.
    recovery_load : float
        Below it the stuck state does not exist: the system heals (``0.0`` if the stuck state
        persists at every load tried, ``nan`` if it exists at none), multiple of
        ``online_peers``.
    resolution : float
        Width of the final bisection bracket (each load is known to within half of it),
        multiple of ``online_peers``.
    settle_h : float
        Hours each frozen-load run was integrated.

    References
    ----------
    Course model (chapter 03): the fixed points of the login/retry/supernode loop of the fluid
    model, after the metastability picture of Bronson et al., "Metastable Failures in
    Distributed Systems", HotOS 2021.

    Examples
    --------
    >>> FluidThresholds(1.4, 0.3, 1e-3, 21.0).bistable
    True
    """

    collapse_load: float
    recovery_load: float
    resolution: float
    settle_h: float

    @property
    def bistable(self) -> bool:
        """Whether both states exist over a range of loads (hysteresis)."""
        return self.recovery_load < self.collapse_load


@dataclass(frozen=True, eq=False)
class StationaryService:
    """The fluid model's stationary served fraction on its two branches, against the load.

    Each value is read off the last :attr:`window_h` hours of a frozen-load run (the stuck
    state is not a fixed point but a cycle: supernodes come back, are overloaded and shut down
    again, so its mean and its range are given).

    Attributes
    ----------
    loads : numpy.ndarray
        Frozen loads, multiples of ``online_peers``.
    healthy, stuck : numpy.ndarray
        Mean served fraction (connected / demand, in [0, 1]) over the window, started from a
        healthy pool / from a drained pool; ``nan`` where that start does not end in that
        state (the run from a healthy start ends below :attr:`level`, or the one from a
        drained start ends at or above it).
    healthy_low, healthy_high, stuck_low, stuck_high : numpy.ndarray
        Lowest and highest served fraction over the window (``nan`` where the state does not
        exist).
    level : float
        Service level that separates the two states (the same rule as
        :func:`fluid_thresholds`).
    settle_h : float
        Hours each run was integrated (:func:`settle_hours`).
    window_h : float
        Hours at the end of each run over which the state is read (a third of ``settle_h``).

    References
    ----------
    Course model (chapter 03): the stable stationary states of the fluid model, found by
    integrating it to rest (as in numerical continuation by simulation; Strogatz, *Nonlinear
    Dynamics and Chaos*, 1994, ch. 3 for saddle-node bifurcations and hysteresis).

    Examples
    --------
    >>> from p2plib.scenarios import load_ramp
    >>> st = stationary_service(load_ramp(online_peers=10_000), [0.5, 1.2, 2.0])
    >>> [bool(np.isfinite(x)) for x in st.healthy]
    [True, True, False]
    """

    loads: np.ndarray
    healthy: np.ndarray
    stuck: np.ndarray
    healthy_low: np.ndarray
    healthy_high: np.ndarray
    stuck_low: np.ndarray
    stuck_high: np.ndarray
    level: float
    settle_h: float
    window_h: float

    @property
    def bistable(self) -> np.ndarray:
        """Loads at which both states exist (boolean array)."""
        return np.isfinite(self.healthy) & np.isfinite(self.stuck)

    @property
    def collapse_between(self) -> tuple:
        """``(last load with the healthy state, next load tried)``: the healthy branch ends in
        between (``(nan, nan)`` if it exists at every load tried or at none)."""
        return _branch_end(self.loads, np.isfinite(self.healthy), rising=False)

    @property
    def recovery_between(self) -> tuple:
        """``(last load without the stuck state, first load with it)``: the stuck branch ends
        in between (``(nan, nan)`` if it exists at every load tried or at none)."""
        return _branch_end(self.loads, np.isfinite(self.stuck), rising=True)


def _branch_end(loads, exists, rising: bool) -> tuple:
    order = np.argsort(loads)
    x, e = loads[order], exists[order]
    change = np.flatnonzero(e[1:] != e[:-1])
    if not len(change):
        return (math.nan, math.nan)
    k = change[0] if rising else change[-1]
    return (float(x[k]), float(x[k + 1]))


def settle_hours(scenario: Scenario) -> float:
    """Hours a frozen-load run needs to settle: the slowest delays of the model, three times.

    Parameters
    ----------
    scenario : Scenario
        Its promotion uptime, restart time and session length (hours) set the delays.

    Returns
    -------
    float
        ``3 x (promotion_uptime_h + sn_restart_h + session_h) + 6``, hours.

    References
    ----------
    Course model (chapter 03): three times the sum of the model's slowest (Erlang-distributed)
    delays, so that a run forgets its start.

    Examples
    --------
    >>> float(settle_hours(Scenario(promotion_uptime_h=2, sn_restart_h=1, session_h=3)))
    24.0
    """
    if not isinstance(scenario, Scenario):
        raise TypeError(f"scenario must be a Scenario, got {type(scenario).__name__}")
    return 3 * (scenario.promotion_uptime_h + scenario.sn_restart_h + scenario.session_h) + 6


def load_extremes(scenario: Scenario) -> tuple:
    """Lowest and highest load of the scenario's normal week (daily cycle and weekend dip).

    Set beside :func:`fluid_thresholds`: a system in the stuck state heals by itself only
    where its load falls below ``recovery_load`` (necessary, not sufficient: the load must also
    stay there long enough for the pool to regrow).

    Parameters
    ----------
    scenario : Scenario
        Its ``load``, daily cycle and weekend dip (its trigger and fix are ignored).

    Returns
    -------
    (float, float)
        Night low (of the weekend, if the scenario has a weekend dip) and daily peak, as
        multiples of ``online_peers``, over one week at 5-minute resolution.

    References
    ----------
    Course model (chapter 03): the demand curve of :func:`p2plib.outage.schedule.demand_curve`.

    Examples
    --------
    >>> low, high = load_extremes(Scenario(daily_amplitude=0.35, weekend_dip=0.0))
    >>> round(low, 2), round(high, 2)
    (0.65, 1.35)
    """
    if not isinstance(scenario, Scenario):
        raise TypeError(f"scenario must be a Scenario, got {type(scenario).__name__}")
    load = demand_curve(scenario, np.arange(0, 7 * 24 * 12 + 1) / 12) / scenario.online_peers
    return float(load.min()), float(load.max())


def _frozen(s: Scenario, load: float, drained: bool, hours: float) -> Scenario:
    """The scenario at a constant load, started healthy or with the pool drained."""
    frozen = s.replace(load=load, daily_amplitude=0.0, weekend_dip=0.0, fix_h=None,
                       mega_share=0.0, days=min(30.0, hours / 24), events=(),
                       name=f"frozen load {load:.3f}")
    if drained:   # every capable peer and every client restarts at once: the pool is empty
        return frozen.replace(reboot_fraction=0.999, sn_reboot_fraction=0.999,
                              reboot_start_h=0.0, reboot_window_h=0.25, reboot_waves=1)
    return frozen.replace(reboot_fraction=0.0, sn_reboot_fraction=0.0)


def _frozen_runs(jobs, step_min: int):
    """Run ``(scenario, load, drained)`` jobs at frozen load, batched: list of OutageResult."""
    return simulate_many([_frozen(s.replace(step_min=step_min), x, drained, settle_hours(s))
                          for s, x, drained in jobs])


def _ends_above(run, level: float) -> bool:
    """The state a frozen-load run ends in: True for healthy (service at ``level`` or more)."""
    return bool(run.served_fraction[-1] >= level)


def _check_common(level, max_load, iterations, step_min):
    return (check_real("level", level, 0, 1, open_min=True, open_max=True),
            check_real("max_load", max_load, 0, 5, open_min=True),
            check_int("iterations", iterations, 1, 12),
            check_int("step_min", step_min, 1, 10))


def fluid_thresholds_many(scenarios, level: float = 0.5, max_load: float = 4.0,
                          iterations: int = 7, step_min: int = 5) -> list:
    """:func:`fluid_thresholds` for several scenarios, bisected side by side in one batch.

    Parameters
    ----------
    scenarios : sequence of Scenario
        Their mechanisms; trigger, daily cycle, fix and mega-supernodes are ignored.
    level : float
        Service level that separates the two states, share in ``(0, 1)``.
    max_load : float
        Largest load tried, multiple of ``online_peers``, in ``(0, 5]``.
    iterations : int
        Bisection rounds (each runs one batch of loads), in ``[1, 12]``.
    step_min : int
        Integration step, minutes, in ``[1, 10]``.

    Returns
    -------
    list of FluidThresholds
        In the order of ``scenarios``.

    References
    ----------
    Course model (chapter 03); see :class:`FluidThresholds`.

    Examples
    --------
    >>> from p2plib.scenarios import load_ramp
    >>> a, b = fluid_thresholds_many([load_ramp(online_peers=1e4),
    ...                               load_ramp(online_peers=1e4, sn_capacity=500.0)],
    ...                              iterations=3)
    >>> a.collapse_load < b.collapse_load
    True
    """
    scenarios = list(scenarios)
    if not scenarios or not all(isinstance(s, Scenario) for s in scenarios):
        bad = next((s for s in scenarios if not isinstance(s, Scenario)), scenarios)
        raise TypeError(f"scenario must be a Scenario, got {type(bad).__name__}")
    level, max_load, iterations, step_min = _check_common(level, max_load, iterations,
                                                          step_min)
    # one bracket [lo, hi] per (scenario, start): the smallest load at which the run from that
    # start ends below ``level`` lies inside it
    keys = [(k, drained) for drained in (False, True) for k in range(len(scenarios))]
    runs = _frozen_runs([(scenarios[k], max_load, d) for k, d in keys], step_min)
    never = [_ends_above(r, level) for r in runs]       # survives even at max_load
    lo = dict.fromkeys(keys, 0.0)
    hi = dict.fromkeys(keys, max_load)
    live = [key for key, nv in zip(keys, never, strict=True) if not nv]
    for _ in range(iterations):
        jobs, where = [], []
        for key in live:
            for j in range(_POINTS):
                x = lo[key] + (hi[key] - lo[key]) * (j + 1) / (_POINTS + 1)
                jobs.append((scenarios[key[0]], x, key[1]))
                where.append(key)
        if not jobs:
            break
        ends = [_ends_above(r, level) for r in _frozen_runs(jobs, step_min)]
        new_lo, new_hi = dict(lo), dict(hi)
        done = set()
        for key, (_s, x, _d), good in zip(where, jobs, ends, strict=True):
            if key in done:
                continue
            if good:
                new_lo[key] = x
            else:
                new_hi[key] = x
                done.add(key)
        lo, hi = new_lo, new_hi
    width = max_load / (_POINTS + 1) ** iterations
    out = []
    for k, s in enumerate(scenarios):
        collapse = math.inf if never[k] else (lo[(k, False)] + hi[(k, False)]) / 2
        j = len(scenarios) + k
        recovery = math.nan if never[j] else (lo[(k, True)] + hi[(k, True)]) / 2
        out.append(FluidThresholds(collapse_load=collapse, recovery_load=recovery,
                                   resolution=width, settle_h=settle_hours(s)))
    return out


def fluid_thresholds(scenario: Scenario, level: float = 0.5, max_load: float = 4.0,
                     iterations: int = 7, step_min: int = 5) -> FluidThresholds:
    """Collapse and recovery loads of the fluid model for a scenario's mechanisms.

    At each load tried, the model runs at that frozen load from a healthy and from a drained
    start (:func:`settle_hours` long); ``collapse_load`` is the smallest load at which the
    healthy start ends below ``level``, ``recovery_load`` the smallest at which the drained
    start does (found by batched bisection, eight loads a round).

    Parameters
    ----------
    scenario : Scenario
        Its mechanisms (pool, login servers, retries, overload rule); its trigger, daily cycle,
        fix and mega-supernodes are ignored.
    level : float
        Service level that separates the two states, share in ``(0, 1)``.
    max_load : float
        Largest load tried, multiple of ``online_peers``, in ``(0, 5]``.
    iterations : int
        Bisection rounds (each runs a batch of loads), in ``[1, 12]``; the resolution is
        ``max_load / 9**iterations``.
    step_min : int
        Integration step, minutes, in ``[1, 10]``.

    Returns
    -------
    FluidThresholds

    References
    ----------
    Course model (chapter 03): the saddle-node bifurcations of the fluid model's
    login/retry/supernode loop (Strogatz 1994, ch. 3); metastability after Bronson et al.,
    HotOS 2021.

    Examples
    --------
    >>> from p2plib.scenarios import load_ramp
    >>> th = fluid_thresholds(load_ramp(online_peers=10_000), iterations=5)
    >>> 1.0 < th.collapse_load < 2.0
    True
    """
    if not isinstance(scenario, Scenario):
        raise TypeError(f"scenario must be a Scenario, got {type(scenario).__name__}")
    return fluid_thresholds_many([scenario], level, max_load, iterations, step_min)[0]


def stationary_service(scenario: Scenario, loads, level: float = 0.5,
                       step_min: int = 5) -> StationaryService:
    """The fluid model's stationary served fraction on the healthy and the stuck branch.

    At each load the model runs at that frozen load from a healthy and from a drained start,
    exactly the runs :func:`fluid_thresholds` bisects over; a branch exists at a load where
    the run from its start ends in its state (the same ``level`` rule), and its value is read
    off the run's last third. Drawn against the load, the two branches are the bifurcation
    diagram: the healthy one ends at ``collapse_load``, the stuck one at ``recovery_load``.

    Parameters
    ----------
    scenario : Scenario
        Its mechanisms; its trigger, daily cycle, fix and mega-supernodes are ignored.
    loads : array of float
        Frozen loads, multiples of ``online_peers``, each in ``(0, 5]``; at most 512.
    level : float
        Service level that separates the two states, share in ``(0, 1)``.
    step_min : int
        Integration step, minutes, in ``[1, 10]``.

    Returns
    -------
    StationaryService

    References
    ----------
    Course model (chapter 03); see :class:`StationaryService`.

    Examples
    --------
    >>> from p2plib.scenarios import load_ramp
    >>> st = stationary_service(load_ramp(online_peers=10_000), [0.8, 1.0])
    >>> bool(st.bistable.all())
    True
    """
    if not isinstance(scenario, Scenario):
        raise TypeError(f"scenario must be a Scenario, got {type(scenario).__name__}")
    loads = check_array("loads", loads, 0, 5)
    if loads.ndim != 1 or not 1 <= len(loads) <= 512 or (loads <= 0).any():
        raise ValueError(f"loads must be 1 to 512 loads in (0, 5], got {loads!r}")
    level = check_real("level", level, 0, 1, open_min=True, open_max=True)
    step_min = check_int("step_min", step_min, 1, 10)
    hours = settle_hours(scenario)
    window = hours / 3
    runs = _frozen_runs([(scenario, float(x), d) for d in (False, True) for x in loads],
                        step_min)
    n = len(loads)
    out = {}
    for name, part, keep in (("healthy", runs[:n], True), ("stuck", runs[n:], False)):
        mean, low, high = (np.full(n, np.nan) for _ in range(3))
        for i, r in enumerate(part):
            if _ends_above(r, level) is keep:
                tail = r.served_fraction[r.time_h >= r.time_h[-1] - window]
                mean[i], low[i], high[i] = tail.mean(), tail.min(), tail.max()
        out[name], out[f"{name}_low"], out[f"{name}_high"] = mean, low, high
    return StationaryService(loads=loads, level=level, settle_h=hours, window_h=window, **out)
