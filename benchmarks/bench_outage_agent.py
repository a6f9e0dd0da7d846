"""Benchmark of the outage model's agent engine: 10^5 peers over 6 days (target: < 10 s).

Runs the ``skype_2007`` preset (6 simulated days) with the agent model at 10^5 peers, at 5- and
2-minute steps (the fast loop runs 1-minute sub-steps at any step), and prints the CPU time
(what the run costs, little disturbed by other work on a shared machine) and the wall time of
each, with the run's onset beside the aggregate model's. Quote the load with the figures.

    python benchmarks/bench_outage_agent.py

``--tipping`` runs the heavier version of tests/test_outage_agent.py's tipping-point checks:
the share of agent runs that tip against the number of peers and ``reboot_fraction``, beside
the fluctuation prediction ``P = 1 - (1 - P_Wed) (1 - P_Thu)``, ``P_day = Phi((0.75 - a) /
sqrt(a (1 - a) / K))`` with ``a`` the aggregate's pool (serving supernodes / capable peers) at
that day's peak, ``K`` the capable peers and 0.75 the aggregate's critical pool; then the
ensemble comparison at the test's point (``reboot_fraction`` 0.355) with more seeds.

    python benchmarks/bench_outage_agent.py --tipping --seeds 24 --peers 1e4,3e4,1e5
"""

from __future__ import annotations

import argparse
import math
import os
import time

import numpy as np
from scipy import stats

from p2plib.outage import simulate
from p2plib.scenarios import PRESETS

TARGET_S = 10.0
POOL_CRITICAL = 0.75      # tests/test_outage_agent.py
RF_THURSDAY = 0.27973     # the aggregate's threshold (bisection)
ENSEMBLE_RF = 0.355


def timing() -> None:
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


def _preset(peers, rf, days):
    return PRESETS["skype_2007"]().replace(online_peers=peers, step_min=5, days=days,
                                           reboot_fraction=rf)


def _pool(r, hour):
    return r.supernodes_alive[round(hour * 12)] / r.scenario.supernodes


def predicted_tipping(peers, rf) -> float:
    """Fluctuation prediction of P(an agent run tips by Thursday evening)."""
    r = simulate(_preset(peers, rf, 3.0))
    k = r.scenario.supernodes
    p = []
    for hour in (40.0, 60.0):   # the Wednesday and Thursday peaks
        a = _pool(r, hour)
        p.append(stats.norm.cdf((POOL_CRITICAL - a) / math.sqrt(a * (1 - a) / k)))
    return 1 - (1 - p[0]) * (1 - p[1])


def tipping(peers_list, seeds) -> None:
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("P(tip by Thursday 18:00 UTC): measured (seeds) vs fluctuation prediction")
    for peers in peers_list:
        for rf in (0.26, RF_THURSDAY, 0.30, 0.32, 0.35):
            s = _preset(peers, rf, 2.75)
            onsets = np.array([simulate(s, seed=1000 + i, model="agent").first_below(0.5)
                               for i in range(seeds)])
            tipped = np.isfinite(onsets)
            p = tipped.mean()
            wed = np.count_nonzero(onsets < 50)
            print(f"  N={peers:8.0f} K={s.supernodes:6.0f} reboot_fraction={rf:.4f}: "
                  f"P={p:.2f} +- {math.sqrt(p * (1 - p) / seeds):.2f} ({tipped.sum()}/{seeds}, "
                  f"{wed} on Wednesday), predicted {predicted_tipping(peers, rf):.2f}",
                  flush=True)
    s = _preset(100_000, ENSEMBLE_RF, 3.75)
    agg = simulate(s)
    runs = [simulate(s, seed=2000 + i, model="agent") for i in range(seeds)]

    def measures(r):
        i = 88 * 12
        window = (r.time_h >= 62) & (r.time_h < 88)
        return np.array([r.first_below(0.5), r.served_fraction[i],
                         r.sn_cooling[i] / s.supernodes,
                         r.login_goodput[window].mean() / (s.login_capacity_per_min * 5)])

    ref = measures(agg)
    xs = np.array([measures(r) for r in runs])
    thursday = (xs[:, 0] >= 58) & (xs[:, 0] <= 64.5)
    print(f"ensemble at reboot_fraction {ENSEMBLE_RF}, 10^5 peers: {thursday.sum()}/{seeds} "
          "seeds tip on Thursday; among them, mean +- SE vs aggregate:")
    xs = xs[thursday]
    for j, name in enumerate(("onset_h", "depth_88h", "shut_share_88h", "login_goodput")):
        se = xs[:, j].std(ddof=1) / math.sqrt(len(xs))
        sd = xs[:, j].std(ddof=1)
        print(f"  {name:15s} agent {xs[:, j].mean():.4f} +- {se:.4f} (sd {sd:.4f})"
              f"  aggregate {ref[j]:.4f}  difference {xs[:, j].mean() - ref[j]:+.4f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tipping", action="store_true")
    parser.add_argument("--seeds", type=int, default=12)
    parser.add_argument("--peers", default="3e4,1e5")
    args = parser.parse_args()
    if args.tipping:
        tipping([float(x) for x in args.peers.split(",")], args.seeds)
    else:
        timing()


if __name__ == "__main__":
    main()
