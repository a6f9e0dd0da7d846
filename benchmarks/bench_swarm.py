"""Benchmark chapter 05's models: fluid model, flash crowd, chunk-level swarm, explorer updates.

Run from the worktree root: ``python benchmarks/bench_swarm.py [--repeat N]``. Prints the best
of N wall times per line (default 3; the machine may be shared: say so when quoting them).
Targets (from CONTRIBUTING and the chapter's issue): an explorer update well under a second,
the chunk simulation from 10 to 10^5 peers.
"""

from __future__ import annotations

import argparse

import numpy as np
from timing import best_of  # benchmarks/timing.py (the scripts run from benchmarks/)

from p2plib import swarm


def timed(label, fn, repeat=1, calls=1):
    """Print the best of ``repeat`` timings of ``calls`` calls of ``fn`` (per call)."""
    def batch():
        for _ in range(calls):
            out = fn()
        return out

    best, out = best_of(repeat, batch)
    print(f"{label:58s} {best / calls * 1000:9.3f} ms", flush=True)
    return out


def main(repeat: int = 3):
    timed("fluid_steady_state (one call)",
          lambda: swarm.fluid_steady_state(300, 0.576, 5.14, 1.0, 0.2, server_rate=200),
          repeat, calls=2000)
    timed("fluid_trajectory, 20 h, 401 points",
          lambda: swarm.fluid_trajectory(np.linspace(0, 20, 401), 300, 0.576, 5.14, 1.0,
                                         server_rate=2), repeat, calls=5)
    timed("flash_crowd (two trajectories, 145 points)",
          lambda: swarm.flash_crowd(100_000, 1.0, 0.576, 5.14, 1.0, 2571, abort_rate=0.2,
                                    points=145), repeat, calls=5)
    for peers in (10, 1_000, 10_000, 100_000):
        arrivals = swarm.flash_crowd_arrivals(peers, 0.5, seed=1)
        run = timed(f"simulate_swarm flash crowd, {peers:>7,} peers, 32 chunks, 4 h",
                    lambda a=arrivals, n=peers: swarm.simulate_swarm(
                        a, 1.0, 4.0, 2.0, max(2.0, n / 100), chunks=32, duration=4, seed=2),
                    repeat)
        print(f"{'':10s}steps {len(run.times)}, finished {np.isfinite(run.finish).mean():.0%}, "
              f"peer share {run.peer_share:.1%}")
    arrivals = swarm.poisson_arrivals(6000, 300, seed=1)
    timed("simulate_swarm steady, 300/h for 20 h (notebook run)",
          lambda: swarm.simulate_swarm(arrivals[arrivals < 20], 0.576, 5.14, 1.0, 2,
                                       chunks=32, duration=20, seed=2), repeat)
    try:
        from p2plib import widgets
    except ImportError:  # pragma: no cover - widgets need ipywidgets
        return
    import matplotlib
    matplotlib.use("Agg")
    explorer = timed("swarm_explorer: build + first draw", widgets.swarm_explorer)

    def change(exp, name, factor):
        exp.controls[name].value = exp.controls[name].value * factor
        exp.figure.canvas.draw()  # include rendering the figure

    timed("swarm_explorer: model control change + render",
          lambda: change(explorer, "seed_hours", 1.5))
    crowd = timed("flash_crowd_explorer: build + first draw", widgets.flash_crowd_explorer)
    timed("flash_crowd_explorer: time step (redraw only) + render",
          lambda: change(crowd, "step", 1) or setattr(
              crowd.controls["step"], "value", (crowd.controls["step"].value + 1) % 144),
          repeat, calls=5)
    timed("flash_crowd_explorer: model control change + render",
          lambda: change(crowd, "audience", 1.3))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="best of this many timings")
    main(parser.parse_args().repeat)
