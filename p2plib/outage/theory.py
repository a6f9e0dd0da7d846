"""The analytic baseline of the outage model: where its healthy and its stuck state vanish.

At a frozen load ``L`` (demand ``L x online_peers``, no daily cycle, no trigger) the fluid model
has up to two stable stationary states: *healthy* (the pool holds the clients, supernodes see
their normal request rate) and *stuck* (the pool drained, refused clients retrying, supernodes
shutting down as fast as they come back). The healthy state exists below ``collapse_load``;
the stuck state exists above ``recovery_load``. In between both exist (bistability): the
system stays in whichever it is in, which is why an outage can outlive its trigger
(metastability; Bronson et al., HotOS 2021) and why a slow load ramp fails at a higher load
than the one at which it recovers (hysteresis).

:func:`fluid_thresholds` finds both loads by bisection over the fluid model's own stationary
states: at each load it integrates the aggregate model (the same equations, batched) from a
healthy start and from a drained start until it settles, and asks which state survives.

Examples
--------
>>> from p2plib.scenarios import load_ramp
>>> th = fluid_thresholds(load_ramp(online_peers=10_000))
>>> th.recovery_load < th.collapse_load
True
"""

from __future__ import annotations

from dataclasses import dataclass

from p2plib._validate import check_int, check_real
from p2plib.outage.scenario import Scenario
from p2plib.outage.simulation import simulate_many

__all__ = ["FluidThresholds", "fluid_thresholds", "settle_hours"]


@dataclass(frozen=True)
class FluidThresholds:
    """Loads (multiples of ``online_peers``) at which the fluid model's states vanish.

    Attributes
    ----------
    collapse_load : float
        Above it the healthy state does not exist: the system fails (``inf`` if it never
        does up to the largest load tried).
    recovery_load : float
        Below it the stuck state does not exist: the system heals (``0.0`` if the stuck state
        persists at every load tried, ``nan`` if it exists at none).
    resolution : float
        Width of the final bisection bracket (each load is known to within it).
    settle_h : float
        Hours each frozen-load run was integrated.
    """

    collapse_load: float
    recovery_load: float
    resolution: float
    settle_h: float

    @property
    def bistable(self) -> bool:
        """Whether both states exist over a range of loads (hysteresis)."""
        return self.recovery_load < self.collapse_load


def settle_hours(scenario: Scenario) -> float:
    """Hours a frozen-load run needs to settle: the slowest delays of the model, three times.

    Parameters
    ----------
    scenario : Scenario

    Returns
    -------
    float
        ``3 x (promotion_uptime_h + sn_restart_h + session_h) + 6``, hours.

    Examples
    --------
    >>> float(settle_hours(Scenario(promotion_uptime_h=2, sn_restart_h=1, session_h=3)))
    24.0
    """
    if not isinstance(scenario, Scenario):
        raise TypeError(f"scenario must be a Scenario, got {type(scenario).__name__}")
    return 3 * (scenario.promotion_uptime_h + scenario.sn_restart_h + scenario.session_h) + 6


def _frozen(s: Scenario, load: float, drained: bool, hours: float) -> Scenario:
    """The scenario at a constant load, started healthy or with the pool drained."""
    frozen = s.replace(load=load, daily_amplitude=0.0, weekend_dip=0.0, fix_h=None,
                       mega_share=0.0, days=min(30.0, hours / 24), events=(),
                       name=f"frozen load {load:.3f}")
    if drained:   # every capable peer and every client restarts at once: the pool is empty
        return frozen.replace(reboot_fraction=0.999, sn_reboot_fraction=0.999,
                              reboot_start_h=0.0, reboot_window_h=0.25, reboot_waves=1)
    return frozen.replace(reboot_fraction=0.0, sn_reboot_fraction=0.0)


def fluid_thresholds(scenario: Scenario, level: float = 0.5, max_load: float = 4.0,
                     iterations: int = 7, step_min: int = 5) -> FluidThresholds:
    """Collapse and recovery loads of the fluid model for a scenario's mechanisms.

    Parameters
    ----------
    scenario : Scenario
        Its mechanisms (pool, login servers, retries, overload rule); its trigger, daily cycle,
        fix and mega-supernodes are ignored.
    level : float
        Service level that separates the two states, in ``(0, 1)``.
    max_load : float
        Largest load tried, multiple of ``online_peers``, in ``(0, 5]``.
    iterations : int
        Bisection rounds (each runs a batch of loads), in ``[1, 12]``.
    step_min : int
        Integration step, minutes, in ``[1, 10]``.

    Returns
    -------
    FluidThresholds

    Examples
    --------
    >>> from p2plib.scenarios import load_ramp
    >>> th = fluid_thresholds(load_ramp(online_peers=10_000), iterations=5)
    >>> 1.0 < th.collapse_load < 2.0
    True
    """
    if not isinstance(scenario, Scenario):
        raise TypeError(f"scenario must be a Scenario, got {type(scenario).__name__}")
    level = check_real("level", level, 0, 1, open_min=True, open_max=True)
    max_load = check_real("max_load", max_load, 0, 5, open_min=True)
    iterations = check_int("iterations", iterations, 1, 12)
    step_min = check_int("step_min", step_min, 1, 10)
    hours = settle_hours(scenario)
    base = scenario.replace(step_min=step_min)
    points = 8

    def survives(loads, drained):
        runs = simulate_many([_frozen(base, x, drained, hours) for x in loads])
        return [r.served_fraction[-1] >= level for r in runs]

    def bracket(drained):
        """Smallest load at which the run ends below ``level``, by batched bisection."""
        lo, hi = 0.0, max_load
        ok_hi = survives([hi], drained)[0]
        if ok_hi:
            return hi, True
        for _ in range(iterations):
            loads = [lo + (hi - lo) * (k + 1) / (points + 1) for k in range(points)]
            ok = survives(loads, drained)
            new_lo, new_hi = lo, hi
            for x, good in zip(loads, ok, strict=True):
                if good:
                    new_lo = x
                else:
                    new_hi = x
                    break
            lo, hi = new_lo, new_hi
        return (lo + hi) / 2, False

    collapse, never_fails = bracket(drained=False)
    recovery, never_stuck = bracket(drained=True)
    width = max_load / (points + 1) ** iterations
    return FluidThresholds(
        collapse_load=float("inf") if never_fails else collapse,
        recovery_load=float("nan") if never_stuck else recovery,
        resolution=width, settle_h=hours)
