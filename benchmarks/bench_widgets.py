"""Benchmark: widget-update latency of every explorer (target: < 200 ms at default sizes).

The outage explorer (chapter 03) and the policy lab (chapter 06) have a stricter target:
< 100 ms median (issue 13), flagged below.

Every explorer factory in p2plib.widgets is discovered (a public function returning an
Explorer), built at its defaults, and its controls are moved one at a time from the default
state to random positions on their own grid; each move is timed until the new figure is
rendered to the PNG that the explorer displays, and split into the model run, the drawing
and the PNG (the explorer's own calls are timed: ``Explorer._run`` and
``widgets.core.render_png``).

"At default sizes": a log slider (peers, replicas, audience, ...) is only moved *down* from its
default, so the model never grows beyond the explorer's default size. The largest size each
log slider allows is timed separately and printed as "at the largest size".

    python benchmarks/bench_widgets.py            # 8 moves per control
    python benchmarks/bench_widgets.py --moves 20
    python benchmarks/bench_widgets.py --only outage policy   # names containing these
    python benchmarks/bench_widgets.py --cpu      # CPU time (a shared machine's load aside)

The load average is printed before and after: on a shared machine, compare runs made at the
same moment.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import time

import matplotlib

matplotlib.use("Agg")

import numpy as np

from p2plib import viz, widgets
from p2plib.viz import render_png
from p2plib.widgets import core
from p2plib.widgets.core import Explorer

TARGET_MS = 200.0
#: Explorers with the stricter median target of issue 13, and that target.
STRICT = ("outage_explorer", "policy_explorer")
STRICT_MEDIAN_MS = 100.0


def is_log(control) -> bool:
    return type(control).__name__ == "FloatLogSlider"


class Stopwatch:
    """Time spent in the explorer's model runs and PNG renderings during one move.

    Wraps ``Explorer._run`` (the cached model) and ``widgets.core.render_png`` (what the
    explorer displays), so that one move splits into model, drawing and PNG.
    """

    def __init__(self, explorer: Explorer, clock):
        self.clock, self.model, self.png = clock, 0.0, 0.0
        cached = explorer._run
        render = core.render_png

        def run(**values):
            start = clock()
            try:
                return cached(**values)
            finally:
                self.model += clock() - start

        def png(fig):
            start = clock()
            try:
                return render(fig)
            finally:
                self.png += clock() - start

        run.cache_clear = cached.cache_clear
        explorer._run = run
        core.render_png = png

    def reset(self) -> None:
        self.model = self.png = 0.0


def timed_move(explorer: Explorer, watch: Stopwatch, name: str, value) -> tuple:
    """(model, drawing, PNG, total) seconds from moving one control to the new PNG shown."""
    with contextlib.redirect_stdout(io.StringIO()):   # display() outside Jupyter prints
        watch.reset()
        start = watch.clock()
        explorer.controls[name].value = value
        total = watch.clock() - start
        return watch.model, max(total - watch.model - watch.png, 0.0), watch.png, total


def fresh(explorer: Explorer) -> None:
    """Defaults again, with an empty model cache except for the defaults' own result."""
    explorer._run.cache_clear()
    with contextlib.redirect_stdout(io.StringIO()):
        explorer.reset()


def measure(factory, moves: int, rng, clock=time.perf_counter) -> dict:
    start = clock()
    with contextlib.redirect_stdout(io.StringIO()):
        explorer = factory()
    build = clock() - start
    watch = Stopwatch(explorer, clock)
    times, largest = [], []   # (model, drawing, PNG, total) per move
    try:
        for name, control in explorer.controls.items():
            grid = widgets.control_positions(control)
            default = explorer.defaults[name]
            allowed = [v for v in grid if v <= default * (1 + 1e-9)] if is_log(control) else grid
            allowed = [v for v in allowed if v != default] or allowed
            for value in rng.choice(np.array(allowed, dtype=object), size=moves):
                fresh(explorer)   # a model control's new position runs the model; a view redraws
                times.append(timed_move(explorer, watch, name, value))
            if is_log(control) and grid[-1] > default:
                fresh(explorer)
                largest.append((timed_move(explorer, watch, name, grid[-1])[3], name,
                                grid[-1]))
    finally:
        core.render_png = render_png
    ms = np.array(times) * 1000
    out = {"build_ms": build * 1000, "moves": len(ms), "largest": max(largest, default=None),
           "max_ms": float(ms[:, 3].max())}
    for k, part in enumerate(("model", "draw", "png", "total")):
        out[f"{part}_median_ms"] = float(np.median(ms[:, k]))
        out[f"{part}_p95_ms"] = float(np.percentile(ms[:, k], 95))
    out["median_ms"], out["p95_ms"] = out["total_median_ms"], out["total_p95_ms"]
    return out


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=8, help="timed moves per control")
    parser.add_argument("--only", nargs="*", metavar="NAME", help="these explorers only")
    parser.add_argument("--cpu", action="store_true",
                        help="time this process's CPU time instead of the wall clock (less "
                             "disturbed by other work on a shared machine)")
    args = parser.parse_args(argv)
    viz.use_course_style()
    clock = time.process_time if args.cpu else time.perf_counter
    rng = np.random.default_rng(1)
    print(f"one move = model (if a model control moved) + drawing + PNG (as shown by Jupyter); "
          f"median / p95 in ms ({'CPU time' if args.cpu else 'wall clock'}), "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"{'explorer':<24} {'moves':>5} {'model':>11} {'drawing':>11} {'PNG':>11} "
          f"{'total':>11} {'max':>6}   total at the largest size (slowest log slider)")
    results = {}
    for name, factory in widgets.explorer_factories().items():
        if args.only and not any(part in name for part in args.only):
            continue
        r = measure(factory, args.moves, rng, clock)
        results[name] = r
        big = r["largest"]
        big_text = f"{big[0] * 1000:7.0f} ms  ({big[1]} = {big[2]:,.0f})" if big else "-"
        flag = "" if r["p95_ms"] < TARGET_MS else "  <-- p95 over 200 ms"
        if name in STRICT and r["median_ms"] >= STRICT_MEDIAN_MS:
            flag += "  <-- median over 100 ms"
        parts = " ".join(f"{r[f'{p}_median_ms']:5.0f}/{r[f'{p}_p95_ms']:<5.0f}"
                         for p in ("model", "draw", "png", "total"))
        print(f"{name:<24} {r['moves']:5d} {parts} {r['max_ms']:6.0f}   {big_text}{flag}",
              flush=True)
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    return results


if __name__ == "__main__":
    main()
