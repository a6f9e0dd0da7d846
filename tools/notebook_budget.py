"""Measure each notebook's budget: execution time (< 30 s) and the kernel's peak memory (< 1 GB).

A student on Binder has 1-2 GB of memory and little patience, so every notebook must run top to
bottom in under 30 s on a 2-core machine and keep its kernel under 1 GB. This script executes
notebooks (every ``notebooks/*.ipynb`` by default) in a fresh kernel, without writing them back,
and reports for each: the time to execute all cells, the slowest cell, and the kernel process's
peak resident memory (``VmHWM`` from ``/proc/<pid>/status``, read after the last cell, before
the kernel shuts down). ``tests/test_budgets.py`` runs the same measurement in CI.

    python tools/notebook_budget.py                      # every notebook, a table
    python tools/notebook_budget.py notebooks/01_p2p_basics.ipynb

Exit status 1 if any notebook is over budget, naming the notebook and the figure.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import sys
import time
from dataclasses import dataclass

import nbformat
from jupyter_client.manager import start_new_kernel

ROOT = pathlib.Path(__file__).resolve().parents[1]
TIME_BUDGET_S = 30.0
MEMORY_BUDGET_MB = 1024.0


@dataclass(frozen=True)
class Budget:
    """What one notebook used."""

    name: str
    seconds: float            # executing every cell, kernel start excluded
    startup_seconds: float    # starting the kernel
    peak_mb: float            # the kernel's peak resident memory (VmHWM), MiB
    slowest_cell: int         # index of the slowest code cell
    slowest_seconds: float

    def problems(self, time_budget=TIME_BUDGET_S, memory_budget=MEMORY_BUDGET_MB) -> list[str]:
        """Why the notebook is over budget ([] if it is not)."""
        found = []
        if self.seconds > time_budget:
            found.append(f"{self.name} took {self.seconds:.1f} s (budget {time_budget:.0f} s; "
                         f"slowest: cell {self.slowest_cell}, {self.slowest_seconds:.1f} s)")
        if self.peak_mb > memory_budget:
            found.append(f"{self.name} peaked at {self.peak_mb:.0f} MB of memory "
                         f"(budget {memory_budget:.0f} MB)")
        return found


def peak_rss_mb(pid: int) -> float:
    """Peak resident set size of a process (Linux ``VmHWM``), in MiB."""
    status = pathlib.Path(f"/proc/{pid}/status").read_text()
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for process {pid}")


def measure(path: pathlib.Path, timeout: int = 300) -> Budget:
    """Execute ``path`` in a fresh python3 kernel (the file is not changed) and measure it.

    The cells run through jupyter_client's blocking client, as nbval runs them (outputs are
    not kept). nbclient's asynchronous client sometimes waited the whole timeout for a reply
    that had arrived (jupyter/nbclient#312), which put a 5-second notebook at 300 s here.
    """
    path = pathlib.Path(path)
    notebook = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    manager, client = start_new_kernel(kernel_name="python3", cwd=str(path.parent))
    try:
        startup = time.perf_counter() - start
        cell_times = []
        begin = time.perf_counter()
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type != "code":
                continue
            t = time.perf_counter()
            reply = client.execute_interactive(cell.source, timeout=timeout, allow_stdin=False,
                                               output_hook=lambda _msg: None)
            cell_times.append((time.perf_counter() - t, index))
            content = reply["content"]
            if content["status"] != "ok":
                raise RuntimeError(f"{path.name}, cell {index}: {content.get('ename')}: "
                                   f"{content.get('evalue')}")
        seconds = time.perf_counter() - begin
        peak = peak_rss_mb(manager.provisioner.pid)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    slowest_seconds, slowest = max(cell_times, default=(0.0, -1))
    return Budget(path.name, seconds, startup, peak, slowest, slowest_seconds)


def notebooks() -> list[pathlib.Path]:
    """Every notebook of the course, found by glob (new chapters are measured without edits)."""
    return sorted((ROOT / "notebooks").glob("*.ipynb"))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=pathlib.Path)
    args = parser.parse_args(argv)
    os.environ.pop("MPLBACKEND", None)   # the kernel draws as in a student's Jupyter
    over = []
    print(f"{'notebook':<36} {'time (s)':>9} {'start (s)':>9} {'peak (MB)':>9}  slowest cell")
    for path in args.notebooks or notebooks():
        b = measure(path)
        print(f"{b.name:<36} {b.seconds:9.1f} {b.startup_seconds:9.1f} {b.peak_mb:9.0f}  "
              f"cell {b.slowest_cell}: {b.slowest_seconds:.1f} s", flush=True)
        over += b.problems()
    for problem in over:
        print("OVER BUDGET:", problem)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
