"""Parameter sweeps of the outage model: batched in-process, or on any ``Executor``.

:func:`sweep` runs one scenario per point of a grid and reduces each run to a number with a
*metric*. By default the whole grid runs in this process in one call of
:func:`p2plib.outage.simulate_many` (the aggregate engine: one pass over the steps for a batch
of scenarios on numpy arrays, or the float engine per scenario for a small grid, whichever is
faster; see :data:`p2plib.outage.aggregate.ARRAYS_FROM`), which needs no process pool and so
also works in JupyterLite (Pyodide), where none can start. Given an executor (a process pool, a
``ThreadPoolExecutor``, ``dask.distributed``'s ``Client.get_executor()``), the grid is split
into batches that run there; if a process pool cannot start, the sweep falls back to running
in-process.

Batches and memory: with ``batch_size=None``, an in-process sweep runs the whole grid in one
batch (:func:`~p2plib.outage.simulate_many` runs at most 256 scenarios per pass; measured peak:
0.55 MB per scenario for 5 days of 5-minute steps, 2.7 MB for 1-minute steps, so 65 MB for a
10 x 12 grid at 5-minute steps); on an executor or a process pool, the batches hold
:data:`EXECUTOR_BATCH` scenarios. A metric given as a function must be picklable (defined at
module level) when the executor uses processes.

Examples
--------
>>> from p2plib.outage.presets import PRESETS
>>> base = PRESETS["skype_2007"]().replace(online_peers=10_000, days=5.0, fix_h=None,
...                                        step_min=5)
>>> grid = sweep(base, {"reboot_fraction": [0.0, 0.3]}, metric="outcome", progress=False)
>>> grid.values.tolist()   # NO_OUTAGE without reboots, STUCK with 30% rebooted
[0.0, 2.0]
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import sys
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np
from tqdm.auto import tqdm

from p2plib._validate import check_choice, check_int, check_real
from p2plib.outage.result import OutageResult
from p2plib.outage.scenario import MODELS, Scenario
from p2plib.outage.simulation import simulate, simulate_many

__all__ = ["EXECUTOR_BATCH", "LASTING_H", "METRICS", "NO_OUTAGE", "RECOVERED", "STUCK",
           "SweepResult", "outcome", "sweep"]


class _SweepBar(tqdm):
    """The sweep's progress bar, without tqdm's monitor thread: JupyterLite (Pyodide) cannot
    start threads, and tqdm would warn on stderr; the bar is updated once per batch anyway."""

    monitor_interval = 0


#: Scenarios per batch sent to an executor or a process pool when ``batch_size`` is ``None``.
EXECUTOR_BATCH = 64

#: Outcome codes of :func:`outcome`.
NO_OUTAGE, RECOVERED, STUCK = 0, 1, 2
#: An outage is "lasting" (code ``STUCK``) if service is still below the level this many hours
#: after it first fell below: a property of the outage, not of the run's length.
LASTING_H = 48.0


def outcome(result: OutageResult, level: float = 0.5, lasting_h: float = LASTING_H) -> float:
    """Classify a run: 0 no outage, 1 an outage over within ``lasting_h``, 2 a lasting one.

    "Outage" means served fraction below ``level``. The class depends only on the first
    ``lasting_h`` hours after the fall, so it does not change with the run's length; a run that
    ends sooner than that while still below is undetermined (``nan``).

    Parameters
    ----------
    result : OutageResult
    level : float
        Service level, in ``[0, 1]``.
    lasting_h : float
        Hours after the first fall below ``level`` that make an outage lasting, ``> 0``.

    Returns
    -------
    float
        :data:`NO_OUTAGE`, :data:`RECOVERED`, :data:`STUCK` or ``nan``.

    References
    ----------
    Course model (chapter 03): the healthy, recovered and stuck outcomes of a metastable
    system (Bronson et al., "Metastable Failures in Distributed Systems", HotOS 2021).

    Examples
    --------
    >>> from p2plib.outage.presets import PRESETS
    >>> outcome(simulate(PRESETS["skype_2010"]().replace(online_peers=10_000, step_min=5)))
    1.0
    """
    if not isinstance(result, OutageResult):
        raise TypeError(f"result must be an OutageResult, got {type(result).__name__}")
    level = check_real("level", level, 0, 1)
    lasting_h = check_real("lasting_h", lasting_h, 0, None, open_min=True)
    below = result.served_fraction < level
    if not below.any():
        return float(NO_OUTAGE)
    first = int(np.argmax(below))
    step_h = result.scenario.step_min / 60
    horizon = first + round(lasting_h / step_h)
    if horizon < len(below):
        return float(STUCK if below[horizon] else RECOVERED)
    # the run ends sooner: over if service is back at the end, undetermined if not
    return math.nan if below[-1] else float(RECOVERED)


def _hours_below_50(r: OutageResult) -> float:
    return r.hours_below(0.5)


def _min_service(r: OutageResult) -> float:
    return r.min_service()


def _final_service(r: OutageResult) -> float:
    return float(r.served_fraction[-1])


#: Named metrics: result -> float. A callable metric must be picklable for process pools.
METRICS: dict[str, Callable[[OutageResult], float]] = {
    "outcome": outcome,
    "hours_below_50": _hours_below_50,
    "min_service": _min_service,
    "final_service": _final_service,
}


@dataclass(frozen=True, eq=False)
class SweepResult:
    """Metric values on a grid of scenarios.

    Attributes
    ----------
    base : Scenario
        The scenario every point starts from.
    axes : dict of field -> numpy.ndarray
        The grid, in order; ``values`` has one dimension per axis.
    values : numpy.ndarray
        The metric at each point.
    metric : str
        Name of the metric.

    References
    ----------
    Course model (chapter 03): a phase diagram of the outage model over its unknowns.

    Examples
    --------
    >>> base = Scenario(online_peers=10_000, days=0.5, step_min=5)
    >>> grid = sweep(base, {"sn_capacity": [200.0, 450.0]}, metric="min_service",
    ...              progress=False)
    >>> grid
    SweepResult('min_service' over sn_capacity[2])
    >>> bool(grid.values[0] < 0.5 < grid.values[1])   # too few slots: service below half
    True
    """

    base: Scenario
    axes: dict
    values: np.ndarray
    metric: str

    def __repr__(self) -> str:
        shape = " x ".join(f"{k}[{len(v)}]" for k, v in self.axes.items())
        return f"SweepResult({self.metric!r} over {shape})"


def _run_batch(scenarios: list, metric, model: str, seed) -> list:
    function = METRICS[metric] if isinstance(metric, str) else metric
    if model == "agent":
        runs = [simulate(s, seed=seed, model="agent") for s in scenarios]
    else:
        runs = simulate_many(scenarios)
    return [float(function(r)) for r in runs]


def _grid_axes(grid: Mapping[str, Sequence]) -> dict:
    """The grid's axes (field -> array of values), each field checked to be a Scenario's."""
    if not grid:
        raise ValueError("grid must name at least one field")
    fields = {f.name for f in dataclasses.fields(Scenario)}
    axes = {}
    for name, values in grid.items():
        if name not in fields:
            raise ValueError(f"grid field {name!r} is not a Scenario field")
        values = list(values)
        if not values:
            raise ValueError(f"grid field {name!r} has no values")
        axes[name] = np.asarray(values)
    return axes


def _run_jobs(jobs: list, executor, bar) -> list:
    """The metric values of each job (arguments of :func:`_run_batch`), in order: in this
    process, or submitted all at once to ``executor``; ``bar`` counts the finished jobs."""
    futures = None if executor is None else [executor.submit(_run_batch, *job) for job in jobs]
    results = []
    for i, job in enumerate(jobs):
        results.append(_run_batch(*job) if futures is None else futures[i].result())
        bar.update(1)
    return results


def _process_pool(max_workers: int):
    """A process pool, or ``None`` where none can start (JupyterLite/Pyodide, sandboxes)."""
    if sys.platform == "emscripten":
        return None
    try:
        pool = ProcessPoolExecutor(max_workers=max_workers)
        pool.submit(int, 0).result(timeout=60)   # a pool that cannot start fails here
        return pool
    except (OSError, NotImplementedError, ImportError, RuntimeError, TimeoutError):
        return None


def _checked_arguments(base, metric, executor, model, seed, max_workers, batch_size):
    """The sweep's arguments, checked (TypeError or ValueError naming the first bad one).

    Returns the checked ``model``, ``seed``, ``max_workers`` and ``batch_size``.
    """
    if not isinstance(base, Scenario):
        raise TypeError(f"base must be a Scenario, got {type(base).__name__}")
    model = check_choice("model", model, MODELS)
    if isinstance(metric, str):
        check_choice("metric", metric, METRICS)
    elif not callable(metric):
        raise TypeError(f"metric must be a name in METRICS or a callable, got {metric!r}")
    if executor is not None and not callable(getattr(executor, "submit", None)):
        raise TypeError(f"executor must be a concurrent.futures.Executor (with submit), "
                        f"got {type(executor).__name__}")
    if seed is not None:
        seed = check_int("seed", seed, minimum=0)
    if max_workers is not None:
        max_workers = check_int("max_workers", max_workers, 1, 64)
    if batch_size is not None:
        batch_size = check_int("batch_size", batch_size, 1, 4096)
    return model, seed, max_workers, batch_size


def sweep(base: Scenario, grid: Mapping[str, Sequence], metric="outcome",
          executor: Executor | None = None, model: str = "aggregate", seed=None,
          progress: bool = True, max_workers: int | None = None,
          batch_size: int | None = None) -> SweepResult:
    """Run ``base`` with every combination of the values in ``grid`` and reduce each run.

    Parameters
    ----------
    base : Scenario
        Starting point; each grid point replaces some of its fields.
    grid : mapping of field name -> sequence of values
        The axes of the grid (any :class:`~p2plib.outage.scenario.Scenario` fields).
    metric : str or callable
        A name in :data:`METRICS` or a function ``OutageResult -> float`` (picklable for
        processes: see the module docstring).
    executor : concurrent.futures.Executor, optional
        Where the batches go. ``None``: in this process (batched), or a local process pool of
        ``max_workers`` if that is given and greater than 1 (in-process if it cannot start).
    model : {"aggregate", "agent"}
        The engine that runs every point.
    seed : None or int
        Seed of every agent run, ``>= 0`` (the same for each point: common random numbers).
    progress : bool
        Show a ``tqdm.auto`` progress bar (counts batches).
    max_workers : int, optional
        Size of a local process pool, in ``[1, 64]`` (``None`` or 1: none).
    batch_size : int, optional
        Scenarios per batch, in ``[1, 4096]``. ``None``: the whole grid in one batch in this
        process, :data:`EXECUTOR_BATCH` on an executor or a process pool (memory: see the
        module docstring).

    Returns
    -------
    SweepResult
        The metric at every point of the grid (``values`` has one axis per grid field).

    References
    ----------
    Course model (chapter 03): the outage model run over a grid of its unknowns; the
    executor protocol is Python's ``concurrent.futures`` (PEP 3148).

    Examples
    --------
    >>> from p2plib.outage.presets import skype_2007
    >>> sweep(skype_2007().replace(online_peers=10_000, days=5.0, fix_h=None, step_min=5),
    ...       {"reboot_fraction": [0.0, 0.3]}, progress=False).values.tolist()
    [0.0, 2.0]
    """
    model, seed, max_workers, batch_size = _checked_arguments(
        base, metric, executor, model, seed, max_workers, batch_size)
    axes = _grid_axes(grid)
    names = list(axes)
    points = list(itertools.product(*(range(len(v)) for v in axes.values())))
    scenarios = [base.replace(**{n: axes[n][i].item() for n, i in zip(names, idx, strict=True)})
                 for idx in points]  # (validates every point before any run starts)
    values = np.full(tuple(len(v) for v in axes.values()), np.nan)
    pooled = executor is not None or bool(max_workers and max_workers > 1)
    size = batch_size or (EXECUTOR_BATCH if pooled else len(points))
    batches = [list(range(i, min(i + size, len(points)))) for i in range(0, len(points), size)]
    own = None
    if executor is None and max_workers and max_workers > 1 and len(batches) > 1:
        own = executor = _process_pool(max_workers)
    bar = _SweepBar(total=len(batches), desc="sweep", disable=not progress)
    try:
        jobs = [([scenarios[i] for i in batch], metric, model, seed) for batch in batches]
        for batch, result in zip(batches, _run_jobs(jobs, executor, bar), strict=True):
            for i, v in zip(batch, result, strict=True):
                values[points[i]] = v
    finally:
        bar.close()
        if own is not None:
            own.shutdown()
    name = metric if isinstance(metric, str) else getattr(metric, "__name__", "metric")
    return SweepResult(base=base, axes=axes, values=values, metric=name)
