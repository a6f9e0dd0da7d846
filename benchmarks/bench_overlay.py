"""Benchmark: a 10^6-peer random overlay plus one percolation answer, p2plib vs networkx.

Both libraries build the same kind of overlay (G(n, p) with mean degree 4) and answer the same
question (the share of peers in the largest connected group after 50% random failures). To
compare on the *same graph*, networkx also gets p2plib's overlay converted, and p2plib gets
networkx's graph converted. networkx at 10^6 peers takes minutes, so by default it runs at
10^5 peers and the ratio is reported at that size, with p2plib's time at 10^6 beside it.

    python benchmarks/bench_overlay.py            # 10^6 p2plib, 10^5 networkx
    python benchmarks/bench_overlay.py --nx-n 1000000   # the same size for both (slow)
"""

from __future__ import annotations

import argparse

import networkx as nx
import numpy as np
from timing import best_of  # benchmarks/timing.py (the scripts run from benchmarks/)

from p2plib.overlay import Overlay, random_overlay, surviving_giant_fraction


def p2plib_run(n, mean_degree, seed):
    overlay = random_overlay(n, mean_degree, seed=seed)
    return surviving_giant_fraction(overlay, 0.5, seed=seed)


def networkx_percolation(graph, failed_fraction, seed):
    rng = np.random.default_rng(seed)
    nodes = np.array(graph.nodes)
    failed = rng.choice(nodes, size=round(failed_fraction * len(nodes)), replace=False)
    survivors = graph.subgraph(set(nodes.tolist()) - set(failed.tolist()))  # a view, no copy
    return max((len(c) for c in nx.connected_components(survivors)), default=0) / len(nodes)


def networkx_run(n, mean_degree, seed):
    graph = nx.fast_gnp_random_graph(n, mean_degree / (n - 1), seed=seed)
    return networkx_percolation(graph, 0.5, seed)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--nx-n", type=int, default=100_000)
    parser.add_argument("--mean-degree", type=float, default=4.0)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    c, seed = args.mean_degree, 1

    t_big, s_big = best_of(args.repeats, lambda: p2plib_run(args.n, c, seed))
    print(f"p2plib   n={args.n:>9,}: build + percolation {t_big:7.3f} s  (giant share {s_big:.4f})")

    n = args.nx_n
    t_p, s_p = best_of(args.repeats, lambda: p2plib_run(n, c, seed))
    t_x, s_x = best_of(1, lambda: networkx_run(n, c, seed))
    print(f"p2plib   n={n:>9,}: build + percolation {t_p:7.3f} s  (giant share {s_p:.4f})")
    print(f"networkx n={n:>9,}: build + percolation {t_x:7.3f} s  (giant share {s_x:.4f})")
    print(f"ratio networkx / p2plib (build + percolation, n={n:,}): {t_x / t_p:6.1f}x")

    # The same graph for both: percolation only.
    overlay = random_overlay(n, c, seed=seed)
    graph = overlay.to_networkx()
    t_pp, a = best_of(args.repeats, lambda: surviving_giant_fraction(overlay, 0.5, seed=seed))
    t_xp, b = best_of(1, lambda: networkx_percolation(graph, 0.5, seed))
    same = Overlay.from_networkx(graph).m == overlay.m
    print(f"same graph (m={overlay.m:,}, round trip ok={same}): percolation p2plib {t_pp:.3f} s, "
          f"networkx {t_xp:.3f} s, ratio {t_xp / t_pp:.1f}x  (shares {a:.4f} vs {b:.4f})")


if __name__ == "__main__":
    main()
