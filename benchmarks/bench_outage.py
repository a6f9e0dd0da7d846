"""Benchmark of the outage model v2: full-scale presets, step agreement, sweeps, explorers' runs.

Prints best-of-N wall times (the machine may be shared: say so when quoting them):

* the full-scale presets (aggregate model) at 1-, 2- and 5-minute steps, with the verdict and
  the hours below 50% at each step (the step agreement of issue "outage model v2");
* the chapter-03 phase grid (4 x 5 points) per scenario: batched in-process (the default of
  ``sweep.sweep`` now) at 5-minute steps; compare with the v1 engine's figure quoted in the
  closing note (550 ms per scenario, 1-minute steps, one thread, same machine);
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


def sweep_speed() -> None:
    grid = {"reboot_fraction": [0.15, 0.3, 0.45, 0.6],
            "sn_capacity": [450.0, 500.0, 550.0, 650.0, 750.0]}
    for step in (5, 1):
        base = scenarios.skype_2007().replace(fix_h=None, days=5.0, online_peers=100_000,
                                              step_min=step)
        t, _ = best_of(2, lambda base=base: sweep.sweep(base, grid, progress=False))
        print(f"phase grid (20 scenarios, {step}-min steps), in-process batched: {t:.2f} s = "
              f"{t / 20 * 1000:.0f} ms per scenario (v1: 550 ms per scenario at 1-min steps)")


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
