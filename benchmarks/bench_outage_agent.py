"""Benchmark of the outage model's agent engine: 10^5 peers over 6 days (target: < 10 s).

Runs the ``skype_2007`` preset (6 simulated days) with the agent model at 10^5 peers, at 5- and
2-minute steps (the fast loop runs 1-minute sub-steps at any step), and prints the wall time of
each, best of N, with the run's onset and depth beside the aggregate model's. The machine may be
shared: quote the load with the figures.

    python benchmarks/bench_outage_agent.py
"""

from __future__ import annotations

import os

from timing import best_of  # benchmarks/timing.py (the scripts run from benchmarks/)

from p2plib.outage import simulate
from p2plib.scenarios import PRESETS

TARGET_S = 10.0


def main() -> None:
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for step in (5, 2):
        s = PRESETS["skype_2007"]().replace(online_peers=100_000, step_min=step)
        t, r = best_of(2, lambda s=s: simulate(s, seed=1, model="agent"))
        agg = simulate(s)
        flag = "" if t < TARGET_S else "  <-- over the target"
        print(f"agent model, 10^5 peers, {s.days:g} days, {step}-min steps: {t:5.1f} s "
              f"(target < {TARGET_S:g} s){flag}; first below 50%: {r.first_below(0.5):.1f} h "
              f"(aggregate {agg.first_below(0.5):.1f} h)")


if __name__ == "__main__":
    main()
