"""Robust errors: every public model function and scenario field rejects bad values.

A bad value must raise ``TypeError`` or ``ValueError`` whose message names the parameter (and,
for a ``ValueError``, the allowed range or choices), never an ``IndexError`` from inside numpy, a
silent ``nan`` result or a hang. Functions, their parameters and a valid call of each are
discovered (see ``tests/_public_api.py``), so a new model module is covered without edits.

For each parameter of a valid call, by the kind of its valid value:

* number: a string (wrong type) and ``nan`` (never a meaningful input) must be rejected; ``-1``
  and ``-1e9`` may be valid, but if they are rejected, it must be with a named error;
* string option: an unknown option is rejected with a message naming the parameter;
* array or list of numbers: a string, and the array with one ``nan``, are rejected;
* model object (an overlay, a population, ...): a string is rejected;
* ``seed``: a string and ``-1`` are rejected.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import math
import numbers
import re

import numpy as np
import pytest
from _public_api import all_functions, all_scenarios, example_call

RANGE_WORDS = re.compile(r"[\[(]|one of|at least|at most|positive|negative|between|<|>|finite"
                         r"|must be")


def _is_number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)


def _is_numeric_array(value) -> bool:
    if isinstance(value, list | np.ndarray) and len(value):
        array = np.asarray(value)
        return array.dtype.kind in "iuf" and array.ndim >= 1
    return False


def _bad_values(name: str, value) -> list[tuple[str, object, bool]]:
    """``(kind, bad value, must raise)`` for one parameter whose valid value is ``value``."""
    if name == "seed":
        return [("wrong type", "abc", True), ("negative", -1, True)]
    if name == "name":
        return [("wrong type", 42, True)]   # free text: any string is valid
    if _is_number(value):
        return [("wrong type", "abc", True), ("nan", math.nan, True),
                ("-1", -1, False), ("-1e9", -1e9, False)]
    if isinstance(value, str):
        return [("unknown option", "no-such-option", True)]
    if _is_numeric_array(value):
        with_nan = np.asarray(value, dtype=float).copy()
        with_nan.flat[0] = math.nan
        return [("wrong type", "abc", True), ("nan inside", with_nan, True)]
    if value is not None and not isinstance(value, bool | np.bool_ | tuple | dict | list):
        return [("wrong type", "abc", True)]   # a model object: Overlay, Population, ...
    return []


def _cases():
    cases = []
    for module_name, func_name in all_functions():
        func = getattr(importlib.import_module(module_name), func_name)
        if not inspect.signature(func).parameters:
            continue   # nothing to reject (e.g. the zero-argument scenario presets)
        call = example_call(module_name, func_name)
        if call is None:
            cases.append(pytest.param(module_name, func_name, None, None, None, True,
                                      id=f"{module_name}.{func_name}-no-example"))
            continue
        bound = inspect.signature(func).bind(*call[0], **call[1])
        bound.apply_defaults()
        for name, value in bound.arguments.items():
            for kind, bad, must_raise in _bad_values(name, value):
                cases.append(pytest.param(module_name, func_name, name, kind, bad, must_raise,
                                          id=f"{module_name[7:]}.{func_name}-{name}-{kind}"))
    return cases


def _check_error(error: Exception, name: str, kind: str) -> None:
    message = str(error)
    assert isinstance(error, TypeError | ValueError), (
        f"{kind} for {name!r} raised {type(error).__name__}: {message}")
    assert re.search(rf"\b{re.escape(name)}\b", message), (
        f"{kind} for {name!r}: the message does not name the parameter: {message!r}")
    if isinstance(error, ValueError):
        assert RANGE_WORDS.search(message), (
            f"{kind} for {name!r}: the message does not state the allowed values: {message!r}")


@pytest.mark.parametrize(("module_name", "func_name", "name", "kind", "bad", "must_raise"),
                         _cases())
def test_public_function_rejects_bad_value(module_name, func_name, name, kind, bad, must_raise):
    func = getattr(importlib.import_module(module_name), func_name)
    call = example_call(module_name, func_name)
    assert call is not None, f"{func_name} has no runnable docstring example calling it"
    bound = inspect.signature(func).bind(*call[0], **call[1])
    bound.apply_defaults()
    bound.arguments[name] = bad
    try:
        func(*bound.args, **bound.kwargs)
    except Exception as error:
        _check_error(error, name, kind)
    else:
        assert not must_raise, f"{func_name}({name}={bad!r}) was accepted"


def test_the_valid_calls_themselves_run():
    """The baseline of every case above is valid: otherwise the errors prove nothing."""
    for module_name, func_name in all_functions():
        call = example_call(module_name, func_name)
        if call is not None:
            getattr(importlib.import_module(module_name), func_name)(*call[0], **call[1])


def _scenario_cases():
    cases = []
    for module_name, class_name in all_scenarios():
        cls = getattr(importlib.import_module(module_name), class_name)
        for field in dataclasses.fields(cls()):
            value = getattr(cls(), field.name)
            bad_values = _bad_values(field.name, value)
            if isinstance(value, bool | np.bool_):
                bad_values = [("wrong type", "yes", True)]
            if isinstance(value, tuple):
                bad_values = [("wrong type", "abc", True)]
            for kind, bad, must_raise in bad_values:
                cases.append(pytest.param(cls, field.name, kind, bad, must_raise,
                                          id=f"{class_name}.{field.name}-{kind}"))
    return cases


@pytest.mark.parametrize(("cls", "name", "kind", "bad", "must_raise"), _scenario_cases())
def test_scenario_field_rejects_bad_value(cls, name, kind, bad, must_raise):
    try:
        cls(**{name: bad})
    except Exception as error:
        _check_error(error, name, kind)
    else:
        assert not must_raise, f"{cls.__name__}({name}={bad!r}) was accepted"


def test_discovery_finds_the_known_modules():
    """Guard against discovery silently finding nothing (the tests above would then pass)."""
    modules = {m for m, _ in all_functions()}
    assert {"p2plib.overlay", "p2plib.gossip.epidemic", "p2plib.supernodes.election"} <= modules
    assert len(all_functions()) >= 40


# --- regressions: bad values that slipped through before issue 9 ---------------------------

def test_regressions_found_by_the_discovery():
    from p2plib import overlay, supernodes, swarm
    from p2plib.gossip import directory, rollback

    cases = [
        # a nan time made solve_ivp loop for ever
        ("times", lambda: swarm.fluid_trajectory([0, math.nan], 60, 0.5, 2, 0.5)),
        ("times", lambda: swarm.fluid_trajectory("abc", 60, 0.5, 2, 0.5)),
        # no checks at all: numpy's "ufunc 'multiply' did not contain a loop"
        ("upload_rate", lambda: swarm.fluid_derivatives(1.0, 1.0, 60, "abc", 2, 0.5)),
        ("x", lambda: swarm.fluid_derivatives(math.nan, 1.0, 60, 0.5, 2, 0.5)),
        # the error named `start` when `end` was wrong
        ("end", lambda: swarm.flash_crowd(1000, 1.0, 0.5, 2, 0.5, 1, start=20, end=-1)),
        # the error named `rounds` (attach's parameter) instead of `attach_rounds`
        ("attach_rounds", lambda: supernodes.build_network(
            supernodes.sample_population(100, seed=1), attach_rounds=-1)),
        ("params", lambda: supernodes.eligible_share_theory("abc")),         # AttributeError
        ("os_groups", lambda: supernodes.PopulationParams(os_groups="abc")),  # unpack error
        ("failed_fractions", lambda: overlay.giant_fraction_curve(
            overlay.random_overlay(100, 4, seed=1), [0.1, math.nan])),        # named singular
        ("failed_fraction", lambda: overlay.giant_fraction_theory([4] * 10, "abc")),
        ("seconds", lambda: rollback.records_changed(1000, 1.0, math.nan)),  # nan accepted
        ("differences", lambda: directory.session_bytes(1000, "abc")),
        ("peer_share", lambda: swarm.break_even_price(100, "abc", 10)),
        ("arrival_times", lambda: swarm.simulate_swarm("abc", 0.5, 4, 0.5)),
    ]
    for name, call in cases:
        with pytest.raises((TypeError, ValueError), match=rf"\b{name}\b"):
            call()
