"""Benchmark: p2plib's scaling from 10^3 to 10^7 peers, time and memory per peer.

Each (model, size) runs once in a fresh Python process, so that its peak memory is its own:
the child imports p2plib, warms the model up at 100 peers, notes its peak resident memory
(``ru_maxrss``), runs the model at the full size and reports the wall time and the growth of
the peak memory, divided by the number of peers.

    python benchmarks/bench_scaling.py                 # 10^3 .. 10^7
    python benchmarks/bench_scaling.py --max-exp 6     # stop at 10^6
    python benchmarks/bench_scaling.py --models overlay gossip

A model that documents a smaller maximum (the chunk-level swarm simulation: 10^6 arrivals)
stops there.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

#: model name -> (code run with `n` bound, the largest n the model documents)
MODELS = {
    "overlay": ("from p2plib.overlay import random_overlay, surviving_giant_fraction\n"
                "run = lambda n: surviving_giant_fraction(random_overlay(n, 4, seed=1), 0.5, "
                "seed=1)", 10**7),
    "gossip": ("from p2plib.gossip import spread\n"
               "run = lambda n: spread(n, 'push-pull', seed=1).rounds", 10**7),
    "supernodes": ("from p2plib import supernodes as sn\n"
                   "run = lambda n: len(sn.build_network(sn.sample_population(n, seed=1), "
                   "capacity=300, overlay_degree=0, seed=1).supernode_ids)", 10**7),
    "directory": ("from p2plib.gossip import desync\n"
                  "run = lambda n: desync(replicas=n, records=10**6, seed=1).rounds", 10**7),
    "swarm_sim": ("from p2plib.swarm import poisson_arrivals, simulate_swarm\n"
                  "run = lambda n: int(simulate_swarm(poisson_arrivals(n, n / 2, seed=1), 0.5, 4, "
                  "0.5, server_rate=n / 100, chunks=16, seed=1).finish.size)", 10**6),
}

CHILD = """
import json, resource, sys, time
{setup}
run(100)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
n = int(sys.argv[1])
start = time.perf_counter()
answer = run(n)
seconds = time.perf_counter() - start
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"seconds": seconds, "peak_kb": after, "grow_kb": after - before,
                  "answer": str(answer)}}))
"""


def measure(model: str, n: int, timeout: int = 600) -> dict:
    setup, _ = MODELS[model]
    done = subprocess.run([sys.executable, "-c", CHILD.format(setup=setup), str(n)],
                          capture_output=True, text=True, timeout=timeout)
    if done.returncode:
        return {"error": done.stderr.strip().splitlines()[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-exp", type=int, default=3)
    parser.add_argument("--max-exp", type=int, default=7)
    parser.add_argument("--models", nargs="*", default=list(MODELS))
    args = parser.parse_args(argv)
    print(f"{'model':<11} {'peers':>11} {'time (s)':>9} {'µs/peer':>8} {'peak (MB)':>10} "
          f"{'bytes/peer':>10}  answer")
    results = {}
    for model in args.models:
        for exp in range(args.min_exp, args.max_exp + 1):
            n = 10**exp
            if n > MODELS[model][1]:
                print(f"{model:<11} {n:>11,} (beyond the model's documented maximum)")
                continue
            r = measure(model, n)
            results[(model, n)] = r
            if "error" in r:
                print(f"{model:<11} {n:>11,} failed: {r['error']}", flush=True)
                continue
            print(f"{model:<11} {n:>11,} {r['seconds']:9.3f} {r['seconds'] / n * 1e6:8.2f} "
                  f"{r['peak_kb'] / 1024:10.0f} {r['grow_kb'] * 1024 / n:10.0f}  {r['answer']}",
                  flush=True)
    return results


if __name__ == "__main__":
    main()
