"""Benchmark of the outage model: full-scale 2007 preset and a widget-sized run.

Targets (issue 4): the full-scale "skype_2007" preset (6 million peers, 6 simulated days) in
under 10 s on one core; a widget-sized run (10^5 peers) in under 0.2 s. Prints best-of-N wall
times (the machine may be shared) and, for reference, the agent model at 10^4 peers.

It also answers why the explorers do not run the model with coarser (faster) time steps: the
chapter-06 verdict (``evaluate_policy``) for random policies at 1-, 2- and 3-minute steps.

    python benchmarks/bench_outage.py
"""

from __future__ import annotations

import numpy as np
from timing import best_of  # benchmarks/timing.py (the scripts run from benchmarks/)

from p2plib.outage import OVERLOAD_MODES, RETRY_POLICIES, simulate
from p2plib.policy import EVENTS, Policy, apply_policy
from p2plib.scenarios import PRESETS
from p2plib.widgets.outage import _outage_run


def random_policies(count: int, seed: int = 0) -> list:
    """The default policy and ``count`` random ones, on the policy explorer's grid."""
    rng = np.random.default_rng(seed)
    policies = [Policy()]
    for _ in range(count):
        retry = str(rng.choice(RETRY_POLICIES))
        policies.append(Policy(
            retry_policy=retry, retry_base_min=2.0 if retry in ("immediate", "fixed") else 1.0,
            admission_control=bool(rng.integers(2)), overload=str(rng.choice(OVERLOAD_MODES)),
            supernode_headroom=round(float(rng.uniform(0.5, 3.0)), 1),
            dedicated_share=round(float(rng.choice(np.arange(0, 0.55, 0.05))), 2)))
    return policies


def verdict(policy: Policy, step_min: int, online_peers: float = 100_000) -> bool:
    """evaluate_policy's pass/fail (both events <= 1 h below 50% and recovered) at a time step."""
    results = [simulate(apply_policy(PRESETS[event]().replace(online_peers=online_peers),
                                     policy).replace(step_min=step_min)) for event in EVENTS]
    return all(r.hours_below(0.5) <= 1.0 and r.recovered(0.5) for r in results)


def step_size_check(count: int = 25) -> None:
    policies = random_policies(count)
    exact = [verdict(p, 1) for p in policies]
    for step_min in (2, 3):
        changed = sum(verdict(p, step_min) != v for p, v in zip(policies, exact, strict=True))
        print(f"{step_min}-minute steps: {changed} of {len(policies)} policies get another "
              f"verdict than with 1-minute steps")


def main() -> None:
    full = PRESETS["skype_2007"]()
    t_full, _ = best_of(5, lambda: simulate(full))
    print(f"skype_2007 full scale ({full.online_peers:,.0f} peers, {full.days:g} days, "
          f"{full.steps:,} steps), aggregate: {t_full:.3f} s (target < 10 s)")
    for name in ("skype_2010", "skype_2010_no_mega_supernodes"):
        s = PRESETS[name]()
        print(f"{name} full scale ({s.online_peers:,.0f} peers, {s.days:g} days): "
              f"{best_of(3, lambda s=s: simulate(s))[0]:.3f} s")
    widget = dict(reboot_fraction=0.3, reboot_window_h=10.0, sn_capacity=500.0,
                  retry_policy="fixed", admission_control="off", mega_supernodes="off",
                  online_peers=100_000)
    t_widget, _ = best_of(7, lambda: _outage_run(**widget))
    print(f"widget run (10^5 peers, 5 days, outage_explorer's model): {t_widget:.3f} s "
          f"(target < 0.2 s)")
    agent = full.replace(online_peers=10_000)
    t_agent, _ = best_of(2, lambda: simulate(agent, seed=1, model="agent"))
    print(f"skype_2007 agent model, 10^4 peers, {agent.days:g} days: {t_agent:.2f} s")
    step_size_check()


if __name__ == "__main__":
    main()
