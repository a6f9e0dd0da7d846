"""Benchmark: p2plib beside the tools a user would otherwise pick, on the same work and machine.

Install the peer tools first (never part of the course's environment):

    python -m venv /tmp/bench && . /tmp/bench/bin/activate
    pip install -r benchmarks/requirements.txt
    python benchmarks/bench_peers.py

Three comparisons, each on the same input for every tool, with answers printed beside times so
that a speed-up is never bought with a different result:

1. Percolation (components): 50% random failures on one G(n, p) overlay (mean degree 4):
   p2plib's ``surviving_giant_fraction`` vs networkx (``connected_components`` of the
   surviving subgraph) vs a bare scipy reference (``csgraph.connected_components`` with no
   checks). Same failed peers for all three.
2. Spreading: one rumour from one peer until everyone knows it, in a well-mixed population.
   p2plib's push gossip (each informed peer calls one random peer per round) vs EoN's
   ``fast_SIR`` on the complete graph with per-edge rate 1/(n-1) and no recovery (the
   continuous-time version of the same process: each informed peer contacts one peer per unit
   time) vs NDlib's ``SIModel`` on the complete graph with beta = 1/(n-1) (per round, each
   informed neighbour passes it on with that probability: push with Poisson(1) calls) vs a
   bare numpy push loop. EoN and NDlib need the explicit complete graph, so n is small there.
3. Threshold cascade: NDlib's ``ThresholdModel`` (a node activates once the share of active
   neighbours reaches its threshold, synchronous rounds) vs a vectorised scipy.sparse
   reference, same graph, same seeds, same thresholds; the final active sets must be equal.
   p2plib has no threshold-cascade model yet, so there is no p2plib column here.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import math
import platform

import networkx as nx
import numpy as np
from scipy import sparse
from scipy.sparse import csgraph
from timing import best_of  # benchmarks/timing.py (the scripts run from benchmarks/)

from p2plib.gossip import spread
from p2plib.overlay import failure_order, random_overlay, surviving_giant_fraction


def version(package):
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


# --- 1. percolation --------------------------------------------------------------------------

def scipy_giant(n, edges, alive):
    keep = alive[edges[:, 0]] & alive[edges[:, 1]]
    e = edges[keep]
    graph = sparse.coo_matrix((np.ones(len(e), np.int8), (e[:, 0], e[:, 1])), shape=(n, n))
    _, labels = csgraph.connected_components(graph, directed=False)
    return np.bincount(labels[alive]).max() / n


def networkx_giant(graph, alive):
    survivors = graph.subgraph(np.flatnonzero(alive).tolist())
    return max(len(c) for c in nx.connected_components(survivors)) / len(alive)


def percolation(n, repeats):
    seed = 1
    overlay = random_overlay(n, 4, seed=seed)
    order = failure_order(overlay, "random", seed=seed)   # the peers p2plib fails, for all
    alive = np.ones(n, bool)
    alive[order[: n // 2]] = False
    graph = overlay.to_networkx()
    t_p, a = best_of(repeats, lambda: surviving_giant_fraction(overlay, 0.5, seed=seed))
    t_s, b = best_of(repeats, lambda: scipy_giant(n, overlay.edges, alive))
    t_x, c = best_of(1, lambda: networkx_giant(graph, alive))
    print(f"\n1. percolation, n = {n:,}, m = {overlay.m:,} links, 50% random failures")
    print(f"   p2plib surviving_giant_fraction {t_p * 1000:9.1f} ms   giant share {a:.4f}")
    print(f"   bare scipy csgraph reference    {t_s * 1000:9.1f} ms   giant share {b:.4f}")
    print(f"   networkx connected_components   {t_x * 1000:9.1f} ms   giant share {c:.4f}")
    print(f"   networkx / p2plib: {t_x / t_p:.1f}x   p2plib / bare scipy: {t_p / t_s:.2f}x")
    return {"n": n, "p2plib_s": t_p, "scipy_s": t_s, "networkx_s": t_x}


# --- 2. spreading ----------------------------------------------------------------------------

def bare_push(n, seed):
    rng = np.random.default_rng(seed)
    informed = np.zeros(n, bool)
    informed[0] = True
    rounds = 0
    while not informed.all():
        callers = np.flatnonzero(informed)
        target = rng.integers(0, n - 1, size=len(callers))
        target += target >= callers
        informed[target] = True
        rounds += 1
    return rounds


def eon_si(graph, seed):
    import EoN
    n = graph.number_of_nodes()
    t, _s, i, _r = EoN.fast_SIR(graph, tau=1.0 / (n - 1), gamma=1e-12, initial_infecteds=[0],
                                rng=np.random.default_rng(seed))
    everyone = np.flatnonzero(i >= n)    # later every peer "recovers" (gamma > 0): ignore
    return float(t[everyone[0]]) if len(everyone) else math.nan


def ndlib_si(graph, seed):
    import ndlib.models.epidemics as ep
    import ndlib.models.ModelConfig as mc
    np.random.seed(seed)  # noqa: NPY002 - NDlib draws from numpy's global generator
    n = graph.number_of_nodes()
    model = ep.SIModel(graph, seed=seed)
    config = mc.Configuration()
    config.add_model_parameter("beta", 1.0 / (n - 1))
    config.add_model_initial_configuration("Infected", [0])
    model.set_initial_status(config)
    rounds = 0
    while True:
        step = model.iteration(node_status=False)
        if step["node_count"][1] >= n:
            return rounds
        rounds += 1


def spreading(n_small, n_large, repeats):
    graph = nx.complete_graph(n_small)
    print(f"\n2. spreading one rumour to all peers (well mixed); EoN/NDlib on the complete "
          f"graph, n = {n_small:,} ({graph.number_of_edges():,} edges)")
    t_p, r_p = best_of(repeats, lambda: spread(n_small, "push", seed=1).rounds)
    t_b, r_b = best_of(repeats, lambda: bare_push(n_small, 1))
    out = {"n": n_small, "p2plib_s": t_p, "bare_s": t_b}
    print(f"   p2plib spread(push)        {t_p * 1000:9.2f} ms   {r_p} rounds "
          f"(theory log2 n + ln n = {math.log2(n_small) + math.log(n_small):.1f})")
    print(f"   bare numpy push loop       {t_b * 1000:9.2f} ms   {r_b} rounds")
    if version("EoN"):
        t_e, done = best_of(1, lambda: eon_si(graph, 1))
        out["eon_s"] = t_e
        print(f"   EoN fast_SIR (SI limit)    {t_e * 1000:9.2f} ms   everyone by t = {done:.1f} "
              f"(theory 2 ln n = {2 * math.log(n_small):.1f})   EoN / p2plib: {t_e / t_p:.0f}x")
    else:
        print("   EoN not installed: pip install -r benchmarks/requirements.txt")
    if version("ndlib"):
        t_n, rounds = best_of(1, lambda: ndlib_si(graph, 1))
        out["ndlib_s"] = t_n
        print(f"   NDlib SIModel              {t_n * 1000:9.2f} ms   {rounds} rounds   "
              f"NDlib / p2plib: {t_n / t_p:.0f}x")
    else:
        print("   NDlib not installed: pip install -r benchmarks/requirements.txt")
    t_big, r_big = best_of(1, lambda: spread(n_large, "push", seed=1).rounds)
    print(f"   p2plib spread(push), n = {n_large:,}: {t_big:.2f} s, {r_big} rounds "
          "(no graph needed: contacts are uniform)")
    out["large"] = (n_large, t_big)
    return out


# --- 3. threshold cascade --------------------------------------------------------------------

def numpy_threshold(adjacency, thresholds, initial):
    degree = np.asarray(adjacency.sum(axis=1)).ravel()
    active = initial.copy()
    rounds = 0
    while True:
        share = np.divide(adjacency @ active.astype(np.int64), degree,
                          out=np.zeros(len(active)), where=degree > 0)
        new = active | ((share >= thresholds) & (degree > 0))
        if np.array_equal(new, active):
            return active, rounds
        active, rounds = new, rounds + 1


def ndlib_threshold(graph, thresholds, initial):
    import ndlib.models.epidemics as ep
    import ndlib.models.ModelConfig as mc
    model = ep.ThresholdModel(graph)
    config = mc.Configuration()
    for node, value in enumerate(thresholds):
        config.add_node_configuration("threshold", node, float(value))
    config.add_model_initial_configuration("Infected", np.flatnonzero(initial).tolist())
    model.set_initial_status(config)
    rounds, last = 0, -1
    while True:
        step = model.iteration(node_status=False)
        count = step["node_count"][1]
        if count == last:
            break
        last, rounds = count, rounds + 1
    active = np.array([model.status[v] == 1 for v in range(graph.number_of_nodes())])
    return active, rounds - 2   # NDlib's first call only reports the initial state


def threshold(n, repeats):
    rng = np.random.default_rng(3)
    overlay = random_overlay(n, 8, seed=3)
    graph = overlay.to_networkx()
    e = overlay.edges
    adjacency = sparse.coo_matrix((np.ones(2 * len(e), np.int64),
                                   (np.r_[e[:, 0], e[:, 1]], np.r_[e[:, 1], e[:, 0]])),
                                  shape=(n, n)).tocsr()
    thresholds = np.full(n, 0.18)
    initial = rng.random(n) < 0.05
    t_r, (a, rounds_a) = best_of(repeats, lambda: numpy_threshold(adjacency, thresholds,
                                                                  initial))
    print(f"\n3. threshold cascade, G(n, p), n = {n:,}, mean degree 8, threshold 0.18, "
          "5% seeded")
    print(f"   numpy/scipy.sparse reference {t_r * 1000:9.1f} ms   active share {a.mean():.4f} "
          f"after {rounds_a} rounds")
    out = {"n": n, "numpy_s": t_r}
    if version("ndlib"):
        t_n, (b, _rounds) = best_of(1, lambda: ndlib_threshold(graph, thresholds, initial))
        out["ndlib_s"] = t_n
        print(f"   NDlib ThresholdModel         {t_n * 1000:9.1f} ms   active share {b.mean():.4f} "
              f"(same final set: {bool(np.array_equal(a, b))})   NDlib / numpy: {t_n / t_r:.0f}x")
    print("   p2plib: no threshold-cascade model yet (nothing to compare)")
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="percolation size")
    parser.add_argument("--spread-n", type=int, default=1000, help="EoN/NDlib spreading size")
    parser.add_argument("--threshold-n", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    tools = ", ".join(f"{p} {version(p)}" for p in ("numpy", "scipy", "networkx", "EoN", "ndlib")
                      if version(p))
    print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}; "
          f"{tools}")
    percolation(args.n, args.repeats)
    spreading(args.spread_n, 10**7, args.repeats)
    threshold(args.threshold_n, args.repeats)


if __name__ == "__main__":
    main()
