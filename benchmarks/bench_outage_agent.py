"""Benchmark of the outage model's agent engine: 10^5 peers over 6 days (target: < 10 s).

Runs the ``skype_2007`` preset (6 simulated days) with the agent model at 10^5 peers, at 5- and
2-minute steps (the fast loop runs 1-minute sub-steps at any step), and prints the CPU time
(what the run costs, little disturbed by other work on a shared machine) and the wall time of
each, with the run's onset beside the aggregate model's. Quote the load with the figures.

    python benchmarks/bench_outage_agent.py
"""

from __future__ import annotations

import os
import time

from p2plib.outage import simulate
from p2plib.scenarios import PRESETS

TARGET_S = 10.0


def main() -> None:
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for step in (5, 2):
        s = PRESETS["skype_2007"]().replace(online_peers=100_000, step_min=step)
        wall, cpu = time.perf_counter(), time.process_time()
        r = simulate(s, seed=1, model="agent")
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        agg = simulate(s)
        flag = "" if cpu < TARGET_S else "  <-- over the target"
        print(f"agent model, 10^5 peers, {s.days:g} days, {step}-min steps: {cpu:5.1f} s CPU, "
              f"{wall:5.1f} s wall (target < {TARGET_S:g} s){flag}; first below 50%: "
              f"{r.first_below(0.5):.1f} h (aggregate {agg.first_below(0.5):.1f} h)", flush=True)


if __name__ == "__main__":
    main()
