"""Timing helper shared by the benchmark scripts (they run as ``python benchmarks/NAME.py``)."""

from __future__ import annotations

import time


def best_of(repeats: int, func):
    """``(fastest wall time in seconds, last value)`` of ``repeats`` calls of ``func()``.

    The minimum is the figure least disturbed by other work on a shared machine.
    """
    times, value = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        value = func()
        times.append(time.perf_counter() - start)
    return min(times), value
