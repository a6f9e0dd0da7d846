"""Parameter sweeps of the outage model on any ``concurrent.futures.Executor``.

:func:`sweep` runs one :func:`~p2plib.outage.simulate` per point of a grid and reduces each run
to a number with a *metric*. The runs go to an executor: a local process pool by default, a
``ThreadPoolExecutor`` in tests, or a Dask cluster for users who outgrow one machine::

    from dask.distributed import Client
    client = Client("tcp://scheduler:8786")
    result = sweep(base, grid, executor=client.get_executor())

A progress bar (``tqdm.auto``) counts finished runs.

Examples
--------
>>> from concurrent.futures import ThreadPoolExecutor
>>> from p2plib.scenarios import PRESETS
>>> base = PRESETS["skype_2007"]().replace(online_peers=10_000, days=4.0, fix_h=None)
>>> pool = ThreadPoolExecutor(2)
>>> grid = sweep(base, {"reboot_fraction": [0.0, 0.3]}, metric="outcome", executor=pool,
...              progress=False)
>>> grid.values.tolist()
[0.0, 2.0]
"""

from __future__ import annotations

import dataclasses
import itertools
import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from dataclasses import dataclass

import numpy as np
from tqdm.auto import tqdm

from p2plib._validate import check_choice, check_int, check_real
from p2plib.outage import MODELS, OutageResult, Scenario, simulate

__all__ = ["METRICS", "SweepResult", "outcome", "sweep"]

#: Outcome codes of :func:`outcome`.
NO_OUTAGE, RECOVERED, STUCK = 0, 1, 2


def outcome(result: OutageResult, level: float = 0.5) -> float:
    """Classify a run: 0 no outage, 1 an outage that ended by itself, 2 still down at the end.

    "Outage" means served fraction below ``level``; "ended" means back at or above ``level``
    at the end of the run.

    Examples
    --------
    >>> from p2plib.outage import simulate
    >>> from p2plib.scenarios import PRESETS
    >>> outcome(simulate(PRESETS["skype_2007"]().replace(online_peers=10_000)))   # fixed Sat
    1.0
    """
    if not isinstance(result, OutageResult):
        raise TypeError(f"result must be an OutageResult, got {type(result).__name__}")
    level = check_real("level", level, 0, 1)
    if result.min_service() >= level:
        return float(NO_OUTAGE)
    return float(RECOVERED if result.served_fraction[-1] >= level else STUCK)


#: Named metrics: result -> float. A callable metric must be picklable for process pools.
METRICS: dict[str, Callable[[OutageResult], float]] = {
    "outcome": outcome,
    "hours_below_50": lambda r: r.hours_below(0.5),
    "min_service": lambda r: r.min_service(),
    "final_service": lambda r: float(r.served_fraction[-1]),
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
    """

    base: Scenario
    axes: dict
    values: np.ndarray
    metric: str

    def __repr__(self) -> str:
        shape = " x ".join(f"{k}[{len(v)}]" for k, v in self.axes.items())
        return f"SweepResult({self.metric!r} over {shape})"


def _run_point(scenario: Scenario, metric, model: str, seed) -> float:
    function = METRICS[metric] if isinstance(metric, str) else metric
    return float(function(simulate(scenario, seed=seed, model=model)))


def sweep(base: Scenario, grid: Mapping[str, Sequence], metric="outcome",
          executor: Executor | None = None, model: str = "aggregate", seed=None,
          progress: bool = True, max_workers: int | None = None) -> SweepResult:
    """Run ``base`` with every combination of the values in ``grid`` and reduce each run.

    Parameters
    ----------
    base : Scenario
        Starting point; each grid point replaces some of its fields.
    grid : mapping of field name -> sequence of values
        The axes of the grid (any :class:`~p2plib.outage.Scenario` fields).
    metric : str or callable
        A name in :data:`METRICS` or a function ``OutageResult -> float`` (picklable, i.e.
        defined at module level, when the executor uses processes).
    executor : concurrent.futures.Executor, optional
        Where the runs go. ``None``: a local ``ProcessPoolExecutor`` (closed afterwards). Any
        executor with ``submit`` works, e.g. ``dask.distributed.Client.get_executor()``.
    model : {"aggregate", "agent"}
    seed : None or int
        Seed of every agent run (the same for each point: common random numbers).
    progress : bool
        Show a ``tqdm.auto`` progress bar.
    max_workers : int, optional
        Size of the default process pool.

    Returns
    -------
    SweepResult
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
    names = list(axes)
    points = list(itertools.product(*(range(len(v)) for v in axes.values())))
    scenarios = [base.replace(**{n: axes[n][i].item() for n, i in zip(names, idx, strict=True)})
                 for idx in points]  # (validates every point before any run starts)
    values = np.full(tuple(len(v) for v in axes.values()), np.nan)
    own = executor is None
    if own:
        executor = ProcessPoolExecutor(max_workers=max_workers or min(4, os.cpu_count() or 1))
    try:
        futures = {executor.submit(_run_point, s, metric, model, seed): idx
                   for s, idx in zip(scenarios, points, strict=True)}
        bar = tqdm(total=len(futures), desc="sweep", disable=not progress)
        for future in as_completed(futures):
            values[futures[future]] = future.result()
            bar.update(1)
        bar.close()
    finally:
        if own:
            executor.shutdown()
    name = metric if isinstance(metric, str) else getattr(metric, "__name__", "metric")
    return SweepResult(base=base, axes=axes, values=values, metric=name)
