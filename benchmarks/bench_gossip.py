"""Benchmark: gossip at Skype scale (10^7 replicas), beside a bare numpy reference loop.

Run:  python benchmarks/bench_gossip.py
Prints wall times; the target is push-pull over 10^7 replicas in a few seconds, close to the
bare numpy loop that does the same draws, gathers and scatters with no checks or bookkeeping.
"""

from __future__ import annotations

import time

import numpy as np

from p2plib.gossip import desync, directory_anti_entropy, rumor_mongering, spread


def bare_push_pull(n: int, seed: int) -> int:
    """The least numpy can do for push-pull: one partner draw, one gather, one scatter a round."""
    rng = np.random.default_rng(seed)
    informed = np.zeros(n, dtype=bool)
    informed[0] = True
    everyone = np.arange(n, dtype=np.int32)
    rounds = 0
    while not informed.all():
        partner = rng.integers(0, n - 1, size=n, dtype=np.int32)
        partner += partner >= everyone
        pushed_to = partner[informed]
        informed |= informed[partner]
        informed[pushed_to] = True
        rounds += 1
    return rounds


def timed(label, call, repeat=3):
    best, value = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        value = call()
        best = min(best, time.perf_counter() - start)
    print(f"{label:<58} {best:7.2f} s   {value}")
    return best


def main() -> None:
    n = 10**7
    print(f"best of 3 runs; {n:,} replicas")
    ours = timed("spread(10^7, 'push-pull')  rounds:",
                 lambda: spread(n, "push-pull", seed=1).rounds)
    bare = timed("bare numpy push-pull loop  rounds:", lambda: bare_push_pull(n, 1))
    print(f"  overhead of spread over the bare loop: {ours / bare:.2f}x")
    timed("spread(10^7, 'push')  rounds:", lambda: spread(n, "push", seed=1).rounds, 1)
    timed("spread(10^7, 'pull')  rounds:", lambda: spread(n, "pull", seed=1).rounds, 1)
    timed("rumor_mongering(10^6, k=2, push)  residue:",
          lambda: round(rumor_mongering(10**6, 2, seed=1).residue, 4), 1)
    timed("rumor_mongering(1000, k=2, runs=1000)  residue:",
          lambda: round(rumor_mongering(1000, 2, seed=1, runs=1000).residue, 4), 1)
    timed("desync(10^6 replicas)  rounds:",
          lambda: desync(replicas=10**6, records=10**7, seed=1).rounds, 1)
    versions = np.zeros((1000, 5000), dtype=np.int64)
    versions[:100] = np.random.default_rng(0).integers(0, 3, size=(100, 5000))
    timed("directory_anti_entropy(1000 x 5000, push-pull)  rounds:",
          lambda: directory_anti_entropy(versions, seed=1).rounds, 1)


if __name__ == "__main__":
    main()
