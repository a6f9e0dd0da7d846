"""Explorers fuzzed: no position of the controls breaks an explorer.

Every explorer factory in :mod:`p2plib.widgets` (a public function with no required argument
that returns a :class:`~p2plib.widgets.core.Explorer`) is discovered, so a chapter that lands
later is covered without edits. For each one:

* every control alone at each end of its range (and every option of a choice), the others at
  their defaults;
* hypothesis draws whole combinations of control positions on each control's own grid (its
  ``min``, ``max`` and ``step``, so only positions a student can reach), extremes included.

After each change: no exception, a figure with axes that renders (Agg ``draw``), and the model's
invariants where the result exposes them: shares and fractions in [0, 1], counts non-negative,
peers conserved (clients homed + orphans = clients, supernodes + clients = peers, informed
replicas never more than all and never fewer than before).
"""

from __future__ import annotations

import dataclasses
import math
import re
import warnings

import matplotlib.figure
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from p2plib import viz, widgets
from p2plib.widgets.core import Explorer

FACTORIES = widgets.explorer_factories()
positions = widgets.control_positions


def extremes(control) -> list:
    grid = positions(control)
    return grid if not hasattr(control, "max") else [grid[0], grid[-1]]


# --- invariants ------------------------------------------------------------------------------

SHARE = re.compile(r"fraction|share|availability|prob|^correlated$|^independent$")
COUNT = re.compile(r"orphans|loads|informed|downloaders|seeds|clients|replicas|peers|stale"
                   r"|counts|needed|messages")
TOL = 1e-9


def _numbers(value):
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None
    return array[np.isfinite(array)] if array.dtype.kind == "f" else None


def _check_named(name: str, value, where: str) -> None:
    array = _numbers(value)
    if array is None or array.size == 0:
        return
    if SHARE.search(name):
        assert array.min() >= -TOL and array.max() <= 1 + TOL, f"{where}: share outside [0, 1]"
    elif COUNT.search(name):
        assert array.min() >= -1e-6 * max(1.0, abs(array).max()), f"{where}: negative count"


def _check_object(obj, where: str) -> None:
    """Invariants of result types the course's models return (by attribute, not by import)."""
    kind = type(obj).__name__
    if kind == "SpreadResult":
        informed = np.asarray(obj.informed)
        assert informed.min() >= 1 and informed.max() <= obj.n, f"{where}: informed out of range"
        assert np.all(np.diff(informed) >= 0), f"{where}: informed replicas forgot the update"
    elif kind == "Homing":
        homed = int(np.count_nonzero(np.asarray(obj.home) >= 0))
        assert int(np.asarray(obj.loads).sum()) == homed, f"{where}: homed clients not conserved"
        assert np.all(np.asarray(obj.loads) <= obj.capacity), f"{where}: load above capacity"
    elif kind == "RehomingResult" and obj.loads is not None:
        clients = len(obj.final.home)
        totals = np.asarray(obj.loads).sum(axis=1) + np.asarray(obj.orphans)
        assert np.all(totals == clients), f"{where}: clients not conserved while re-homing"
    elif kind == "TwoTierNetwork":
        assert len(obj.supernode_ids) + len(obj.client_ids) == obj.population.n, (
            f"{where}: supernodes + clients != peers")
    for attribute in ("peer_share", "serving_share"):
        if hasattr(type(obj), attribute) and isinstance(getattr(type(obj), attribute),
                                                        property):
            _check_named("share", getattr(obj, attribute), f"{where}.{attribute}")


def check_invariants(result, where: str = "result", depth: int = 0) -> None:
    """Walk dicts, dataclasses and sequences of the result, checking what their names promise."""
    if depth > 4:
        return
    _check_object(result, where)
    if isinstance(result, dict):
        items = [(str(k), v) for k, v in result.items()]
    elif dataclasses.is_dataclass(result) and not isinstance(result, type):
        items = [(f.name, getattr(result, f.name)) for f in dataclasses.fields(result)]
    else:
        return
    for name, value in items:
        _check_named(name, value, f"{where}.{name}")
        if isinstance(value, dict) and SHARE.search(name):   # e.g. curves by strategy
            for key, inner in value.items():
                _check_named(name, inner, f"{where}.{name}[{key!r}]")
        check_invariants(value, f"{where}.{name}", depth + 1)


def check_explorer(explorer: Explorer, label: str) -> None:
    figure = explorer.figure
    assert isinstance(figure, matplotlib.figure.Figure), f"{label}: no figure"
    assert figure.axes, f"{label}: the figure has no axes"
    figure.canvas.draw()                 # layout and rendering errors surface here
    check_invariants(explorer.result(), label)


def set_values(explorer: Explorer, values: dict) -> None:
    """Move several controls at once and redraw once (as Reset does)."""
    explorer._holding = True
    try:
        for name, value in values.items():
            explorer.controls[name].value = value
    finally:
        explorer._holding = False
    explorer.update()


@pytest.fixture(autouse=True)
def course_style():
    viz.use_course_style()


@pytest.fixture(scope="module")
def built():
    """Each explorer built once (building draws the default figure)."""
    return {}


def _explorer(built, name) -> Explorer:
    if name not in built:
        built[name] = FACTORIES[name]()
    explorer = built[name]
    explorer.reset()
    return explorer


def test_discovery_finds_every_explorer():
    """Guard against discovery silently finding nothing (the fuzzing would then pass)."""
    assert {"failure_explorer", "gossip_race", "swarm_explorer"} <= set(FACTORIES)
    for name, factory in FACTORIES.items():
        assert factory.__doc__, f"{name} has no docstring"


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_every_control_at_each_end_of_its_range(name, built):
    explorer = _explorer(built, name)
    check_explorer(explorer, f"{name} at defaults")
    for control_name, control in explorer.controls.items():
        for value in extremes(control):
            explorer.reset()
            with warnings.catch_warnings():
                warnings.simplefilter("error", RuntimeWarning)   # nan/overflow from a model
                warnings.simplefilter("error", UserWarning)      # a warning box in the notebook
                set_values(explorer, {control_name: value})
                check_explorer(explorer, f"{name}({control_name}={value!r})")


def _combinations(explorer: Explorer):
    """A strategy for every control: its ends often, any grid position otherwise."""
    per_control = {}
    for control_name, control in explorer.controls.items():
        grid = positions(control)
        ends = st.sampled_from([grid[0], grid[-1]])
        per_control[control_name] = st.one_of(ends, st.sampled_from(grid))
    return st.fixed_dictionaries(per_control)


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_random_combinations_of_controls(name, built):
    explorer = _explorer(built, name)

    @settings(max_examples=12, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(values=_combinations(explorer))
    def fuzz(values):
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            warnings.simplefilter("error", UserWarning)
            set_values(explorer, values)
            check_explorer(explorer, f"{name}({values})")

    fuzz()


def test_positions_cover_the_whole_range():
    """The grid itself: ends included, steps respected, log sliders in real units."""
    explorer = FACTORIES["failure_explorer"](peers=2000)
    peers = positions(explorer.controls["peers"])
    assert math.isclose(peers[0], 1e3) and math.isclose(peers[-1], 1e5) and len(peers) == 9
    assert positions(explorer.controls["strategy"]) == ["random", "targeted"]
    failed = positions(explorer.controls["failed_fraction"])
    assert failed[0] == 0.0 and failed[-1] == 1.0 and len(failed) == 21


def test_invariant_checks_can_fail():
    """The checks above are not vacuous: broken results are caught."""
    with pytest.raises(AssertionError, match="share outside"):
        check_invariants({"failed_fraction": np.array([0.2, 1.3])})
    with pytest.raises(AssertionError, match="negative count"):
        check_invariants({"inner": {"orphans": np.array([3, -1])}})
    from p2plib.supernodes import attach, rehome
    history = rehome(attach(500, 5, 100, seed=1), 3, keep_loads=True, seed=1)
    check_invariants({"history": history})
    broken = dataclasses.replace(history, orphans=history.orphans + 1)
    with pytest.raises(AssertionError, match="clients not conserved"):
        check_invariants({"history": broken})
