"""Discover p2plib's public model API and a valid call of each function, for the hardening tests.

Nothing here is listed by hand, so a chapter that lands later (a new model module, a new
function) is covered without editing the tests:

* model modules are the public modules of :mod:`p2plib` and of its model subpackages (such as
  :mod:`p2plib.outage`), walked recursively: not the ``viz``, ``widgets`` and ``checks``
  packages, not private modules;
* their public functions are the functions named in ``__all__`` (in a module without
  ``__all__``: not starting with ``_``) and defined there, not re-exported;
* a *valid call* of each function is taken from its runnable docstring example (every public
  function must have one, see CONTRIBUTING.md): the examples are executed with the function
  replaced by a recorder, and the first top-level call is kept as ``(args, kwargs)``;
* scenario dataclasses are the public dataclasses whose every field has a default (results,
  which the models build, have required fields).
"""

from __future__ import annotations

import contextlib
import dataclasses
import doctest
import functools
import importlib
import inspect
import io
import pkgutil

import p2plib

NOT_MODELS = {"viz", "widgets", "checks"}


def _walk(skip: frozenset = frozenset()) -> tuple:
    """The public modules below p2plib, subpackages walked recursively (their ``__init__``
    too); not private modules, nor p2plib's subpackages named in ``skip``."""
    found = []

    def walk(package):
        for info in pkgutil.iter_modules(package.__path__):
            if info.name.startswith("_") or (package is p2plib and info.name in skip):
                continue
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            found.append(module)
            if info.ispkg:
                walk(module)

    walk(p2plib)
    return tuple(found)


@functools.cache
def model_modules() -> tuple:
    """Every public module of p2plib and its model subpackages (recursively), a subpackage's
    ``__init__`` included; not the viz/widgets/checks packages, not private modules."""
    return _walk(frozenset(NOT_MODELS))


@functools.cache
def public_modules() -> tuple:
    """p2plib and every public module below it, viz/widgets/checks included."""
    return (p2plib, *_walk())


def public_names(module) -> tuple:
    """``module.__all__``, or, in a module without one, its names not starting with ``_``."""
    if hasattr(module, "__all__"):
        return tuple(module.__all__)
    return tuple(name for name in vars(module) if not name.startswith("_"))


def public_functions(module) -> list:
    """Public functions (:func:`public_names`) defined in ``module`` itself (not re-exports)."""
    return [getattr(module, name) for name in public_names(module)
            if inspect.isfunction(getattr(module, name))
            and getattr(module, name).__module__ == module.__name__]


def scenario_classes(module) -> list:
    """Public dataclasses of ``module`` whose fields all have defaults (the scenario inputs)."""
    found = []
    for name in public_names(module):
        obj = getattr(module, name)
        if inspect.isclass(obj) and dataclasses.is_dataclass(obj) \
                and obj.__module__ == module.__name__:
            fields = dataclasses.fields(obj)
            if fields and all(f.default is not dataclasses.MISSING
                              or f.default_factory is not dataclasses.MISSING for f in fields):
                found.append(obj)
    return found


class _Recorder:
    """Stands in for a function during its examples; keeps the first top-level call."""

    def __init__(self, func):
        self.func = func
        self.calls = []
        self.depth = 0
        functools.update_wrapper(self, func)

    def __call__(self, *args, **kwargs):
        if self.depth == 0:
            self.calls.append((args, kwargs))
        self.depth += 1
        try:
            return self.func(*args, **kwargs)
        finally:
            self.depth -= 1


def _examples(text: str | None) -> list:
    if not text:
        return []
    return [ex for ex in doctest.DocTestParser().get_examples(text)
            if not ex.options.get(doctest.SKIP, False)]


@functools.cache
def example_call(module_name: str, func_name: str):
    """``(args, kwargs)`` of the first call of the function in its docstring examples.

    The function's own examples are tried first, then the module's. Returns ``None`` if no
    example calls it.
    """
    module = importlib.import_module(module_name)
    func = getattr(module, func_name)
    recorder = _Recorder(func)
    setattr(module, func_name, recorder)   # so that `from p2plib.x import f` gets the recorder
    try:
        for text in (func.__doc__, module.__doc__):
            namespace = dict(vars(module))
            for example in _examples(text):
                try:
                    with contextlib.redirect_stdout(io.StringIO()):
                        exec(compile(example.source, "<example>", "single"), namespace)
                except Exception:  # an example meant to show an error, or one that failed
                    pass
                if recorder.calls:
                    return recorder.calls[0]
    finally:
        setattr(module, func_name, func)
    return None


def all_functions() -> list:
    """``(module_name, function_name)`` for every public model function."""
    return [(m.__name__, f.__name__) for m in model_modules() for f in public_functions(m)]


def all_scenarios() -> list:
    """``(module_name, class_name)`` for every scenario dataclass."""
    return [(m.__name__, c.__name__) for m in model_modules() for c in scenario_classes(m)]
