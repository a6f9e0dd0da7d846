"""Benchmark of the outage model v2: full-scale presets, step agreement, sweeps, explorers' runs.

Prints best-of-N wall times (the machine may be shared: say so when quoting them):

* the full-scale presets (aggregate model) at 1-, 2- and 5-minute steps, with the verdict and
  the hours below 50% at each step (the step agreement of issue "outage model v2");
* the chapter-03 phase grid per scenario, as ``sweep.sweep`` runs it by default (in-process,
  the whole grid in one call: the float engine per point for a small grid, one batch on arrays
  from ``outage.aggregate.ARRAYS_FROM + 4 x substeps`` points on), for the 4 x 5
  grid and a 10 x 12 grid, at 5- and 1-minute steps, with the speed-up over the v1 engine's
  figure quoted in the closing note of issue 13 (550 ms per scenario, 1-minute steps, one
  thread, same machine);
* the float and array engines per scenario by batch size (where ``ARRAYS_FROM`` comes from);
* the explorers' model runs (outage explorer: 10^5 peers, 5 days; policy lab: both events);
* the verdicts of ``evaluate_policy`` for random policies at 1-, 2- and 5-minute steps.

    python benchmarks/bench_outage.py
"""

from __future__ import annotations

import time

import numpy as np
from timing import best_of  # benchmarks/timing.py (the scripts run from benchmarks/)

from p2plib import scenarios, sweep
from p2plib.outage import OVERLOAD_MODES, RETRY_POLICIES, retry_base_for, simulate
from p2plib.outage.aggregate import simulate_aggregate
from p2plib.policy import Policy, evaluate_policy


def random_policies(count: int, seed: int = 0) -> list:
    """The default policy and ``count`` random ones, on the policy explorer's grid."""
    rng = np.random.default_rng(seed)
    policies = [Policy()]
    for _ in range(count):
        retry = str(rng.choice(RETRY_POLICIES))
        policies.append(Policy(
            retry_policy=retry, retry_base_min=retry_base_for(retry),
            admission_control=bool(rng.integers(2)), overload=str(rng.choice(OVERLOAD_MODES)),
            supernode_headroom=round(float(rng.uniform(0.5, 3.0)), 1),
            dedicated_share=round(float(rng.choice(np.arange(0, 0.55, 0.05))), 2)))
    return policies


def step_table() -> None:
    print("preset                          step  verdict  hours<50%  first<50% (h)   time")
    for name, make in scenarios.PRESETS.items():
        for step in (1, 2, 5):
            s = make().replace(step_min=step)
            t, r = best_of(1, lambda s=s: simulate(s))
            h = r.hours_below(0.5)
            print(f"{name:31s} {step:4d}  {'outage' if h > 0 else 'none':7s} {h:9.1f}  "
                  f"{r.first_below(0.5):12.1f}  {t:5.2f} s")


V1_SWEEP_MS = 550.0   # v1 engine, ms per scenario at 1-minute steps (issue 13's closing note)


def sweep_speed(repeats: int = 2) -> None:
    grids = {
        "4 x 5": {"reboot_fraction": [0.15, 0.3, 0.45, 0.6],
                  "sn_capacity": [450.0, 500.0, 550.0, 650.0, 750.0]},
        "10 x 12": {"reboot_fraction": np.linspace(0.1, 0.6, 10).round(3).tolist(),
                    "sn_capacity": np.linspace(400.0, 800.0, 12).round(1).tolist()},
    }
    for step in (5, 1):
        base = scenarios.skype_2007().replace(fix_h=None, days=5.0, online_peers=100_000,
                                              step_min=step)
        for label, grid in grids.items():
            n = int(np.prod([len(v) for v in grid.values()]))
            t, _ = best_of(repeats, lambda base=base, grid=grid: sweep.sweep(base, grid,
                                                                             progress=False))
            ms = t / n * 1000
            print(f"phase grid {label} ({n} scenarios, {step}-min steps), in-process: "
                  f"{t:.2f} s = {ms:.1f} ms per scenario, {V1_SWEEP_MS / ms:.0f}x faster than "
                  f"v1 ({V1_SWEEP_MS:.0f} ms per scenario at 1-min steps)")


def engine_crossover(step_min: int = 5, sizes=(8, 16, 32, 64)) -> None:
    """Per-scenario time of the float and the array engine by batch size (interleaved)."""
    base = scenarios.skype_2007().replace(fix_h=None, days=5.0, online_peers=100_000,
                                          step_min=step_min)
    points = [base.replace(reboot_fraction=float(f), sn_capacity=float(c))
              for f in np.linspace(0.1, 0.6, 8) for c in np.linspace(400.0, 800.0, 8)]
    for n in sizes:
        best = {}
        for _ in range(2):
            for engine in ("floats", "arrays"):
                t, _ = best_of(1, lambda n=n, engine=engine: simulate_aggregate(points[:n],
                                                                                engine=engine))
                best[engine] = min(best.get(engine, np.inf), t / n * 1000)
        print(f"{n:3d} scenarios, {step_min}-min steps: floats {best['floats']:.1f} ms, "
              f"arrays {best['arrays']:.1f} ms per scenario")


def step_size_check(count: int = 25) -> None:
    policies = random_policies(count)
    exact = [evaluate_policy(p, online_peers=100_000, step_min=1).passed for p in policies]
    for step_min in (2, 5):
        changed = sum(evaluate_policy(p, online_peers=100_000, step_min=step_min).passed != v
                      for p, v in zip(policies, exact, strict=True))
        print(f"{step_min}-minute steps: {changed} of {len(policies)} policies get another "
              f"verdict than with 1-minute steps")


def main() -> None:
    step_table()
    sweep_speed()
    for step in (5, 1):
        engine_crossover(step)
    explorer = scenarios.skype_2007().replace(online_peers=100_000, fix_h=None, days=5.0,
                                              step_min=5)
    t, _ = best_of(5, lambda: simulate(explorer))
    print(f"outage explorer's run (10^5 peers, 5 days, 5-min steps): {t * 1000:.0f} ms")
    t, _ = best_of(5, lambda: evaluate_policy(Policy(), online_peers=100_000, step_min=5))
    print(f"policy lab's run (both events, 10^5 peers, 5-min steps): {t * 1000:.0f} ms")
    start = time.perf_counter()
    step_size_check()
    print(f"(policy verdict check: {time.perf_counter() - start:.1f} s)")


if __name__ == "__main__":
    main()
