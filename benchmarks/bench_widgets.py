"""Benchmark: widget-update latency of every explorer (target: < 200 ms at default sizes).

Every explorer factory in p2plib.widgets is discovered (a public function returning an
Explorer), built at its defaults, and its controls are moved one at a time from the default
state to random positions on their own grid; each move is timed until the new figure is
rendered to the PNG that the explorer displays (the model run, the drawing and the PNG).

"At default sizes": a log slider (peers, replicas, audience, ...) is only moved *down* from its
default, so the model never grows beyond the explorer's default size. The largest size each
log slider allows is timed separately and printed as "at the largest size".

    python benchmarks/bench_widgets.py            # 8 moves per control
    python benchmarks/bench_widgets.py --moves 20
    python benchmarks/bench_widgets.py --only outage policy   # names containing these
"""

from __future__ import annotations

import argparse
import contextlib
import io
import time

import matplotlib

matplotlib.use("Agg")

import numpy as np

from p2plib import viz, widgets
from p2plib.viz import render_png
from p2plib.widgets.core import Explorer

TARGET_MS = 200.0


def is_log(control) -> bool:
    return type(control).__name__ == "FloatLogSlider"


def timed_move(explorer: Explorer, name: str, value) -> tuple[float, float]:
    """Seconds from moving one control to (the new figure built, its PNG shown).

    ``Explorer.update`` runs the model, draws and renders the PNG it displays; the rendering
    is timed once more on its own to split the total into model + drawing and PNG.
    """
    with contextlib.redirect_stdout(io.StringIO()):   # display() outside Jupyter prints
        start = time.perf_counter()
        explorer.controls[name].value = value
        total = time.perf_counter() - start
        start = time.perf_counter()
        render_png(explorer.figure)
        render = time.perf_counter() - start
        return max(total - render, 0.0), total


def fresh(explorer: Explorer) -> None:
    """Defaults again, with an empty model cache except for the defaults' own result."""
    explorer._run.cache_clear()
    with contextlib.redirect_stdout(io.StringIO()):
        explorer.reset()


def measure(factory, moves: int, rng) -> dict:
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        explorer = factory()
    build = time.perf_counter() - start
    times, largest = [], []   # (figure built, PNG rendered) per move
    for name, control in explorer.controls.items():
        grid = widgets.control_positions(control)
        default = explorer.defaults[name]
        allowed = [v for v in grid if v <= default * (1 + 1e-9)] if is_log(control) else grid
        allowed = [v for v in allowed if v != default] or allowed
        for value in rng.choice(np.array(allowed, dtype=object), size=moves):
            fresh(explorer)   # a model control's new position runs the model; a view's redraws
            times.append(timed_move(explorer, name, value))
        if is_log(control) and grid[-1] > default:
            fresh(explorer)
            largest.append((timed_move(explorer, name, grid[-1])[1], name, grid[-1]))
    model = np.array([t[0] for t in times]) * 1000
    times = np.array([t[1] for t in times]) * 1000
    return {"build_ms": build * 1000, "median_ms": float(np.median(times)),
            "p95_ms": float(np.percentile(times, 95)), "max_ms": float(times.max()),
            "model_median_ms": float(np.median(model)),
            "model_p95_ms": float(np.percentile(model, 95)),
            "moves": len(times), "largest": max(largest, default=None)}


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=8, help="timed moves per control")
    parser.add_argument("--only", nargs="*", metavar="NAME", help="these explorers only")
    args = parser.parse_args(argv)
    viz.use_course_style()
    rng = np.random.default_rng(1)
    print("update = model (if a model control moved) + drawing; + PNG = as shown by Jupyter")
    print(f"{'explorer':<24} {'moves':>5} {'update median/p95':>18} {'+ PNG median/p95':>17}"
          f" {'max':>7}   + PNG at the largest size (slowest log slider)")
    results = {}
    for name, factory in widgets.explorer_factories().items():
        if args.only and not any(part in name for part in args.only):
            continue
        r = measure(factory, args.moves, rng)
        results[name] = r
        big = r["largest"]
        big_text = f"{big[0] * 1000:7.0f} ms  ({big[1]} = {big[2]:,.0f})" if big else "-"
        flag = "" if r["p95_ms"] < TARGET_MS else "  <-- over 200 ms"
        print(f"{name:<24} {r['moves']:5d} {r['model_median_ms']:8.0f} /{r['model_p95_ms']:5.0f} ms"
              f" {r['median_ms']:8.0f} /{r['p95_ms']:5.0f} ms {r['max_ms']:5.0f}ms   "
              f"{big_text}{flag}", flush=True)
    return results


if __name__ == "__main__":
    main()
