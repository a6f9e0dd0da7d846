"""Benchmark chapter 05's models: fluid model, flash crowd, chunk-level swarm, explorer updates.

Run from the worktree root: ``python benchmarks/bench_swarm.py``. Prints wall times; targets
(from CONTRIBUTING and the chapter's issue): an explorer update well under a second, the chunk
simulation from 10 to 10^5 peers.
"""

from __future__ import annotations

import time

import numpy as np

from p2plib import swarm, swarm_sim


def timed(label, fn, repeat=1):
    start = time.perf_counter()
    for _ in range(repeat):
        out = fn()
    elapsed = (time.perf_counter() - start) / repeat
    print(f"{label:58s} {elapsed * 1000:9.3f} ms", flush=True)
    return out


def main():
    timed("fluid_steady_state (one call)",
          lambda: swarm.fluid_steady_state(300, 0.576, 5.14, 1.0, 0.2, server_rate=200),
          repeat=2000)
    timed("fluid_trajectory, 20 h, 401 points",
          lambda: swarm.fluid_trajectory(np.linspace(0, 20, 401), 300, 0.576, 5.14, 1.0,
                                         server_rate=2), repeat=5)
    timed("flash_crowd (two trajectories, 145 points)",
          lambda: swarm.flash_crowd(100_000, 1.0, 0.576, 5.14, 1.0, 2571, abort_rate=0.2,
                                    points=145), repeat=5)
    for peers in (10, 1_000, 10_000, 100_000):
        arrivals = swarm_sim.flash_crowd_arrivals(peers, 0.5, seed=1)
        run = timed(f"simulate_swarm flash crowd, {peers:>7,} peers, 32 chunks, 4 h",
                    lambda a=arrivals, n=peers: swarm_sim.simulate_swarm(
                        a, 1.0, 4.0, 2.0, max(2.0, n / 100), chunks=32, duration=4, seed=2))
        print(f"{'':10s}steps {len(run.times)}, finished {np.isfinite(run.finish).mean():.0%}, "
              f"peer share {run.peer_share:.1%}")
    arrivals = swarm_sim.poisson_arrivals(6000, 300, seed=1)
    timed("simulate_swarm steady, 300/h for 20 h (notebook run)",
          lambda: swarm_sim.simulate_swarm(arrivals[arrivals < 20], 0.576, 5.14, 1.0, 2,
                                           chunks=32, duration=20, seed=2))
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
          repeat=5)
    timed("flash_crowd_explorer: model control change + render",
          lambda: change(crowd, "audience", 1.3))


if __name__ == "__main__":
    main()
