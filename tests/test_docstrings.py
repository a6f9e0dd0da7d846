"""Every public function and class of p2plib has the numpy-style docstring the course asks for.

The rule (issue 17; CONTRIBUTING.md, *Code*), for each public function and class defined in a
public module of p2plib (model modules, subpackages, and viz / widgets / checks alike; names in
``__all__``, or not starting with ``_`` in a module without ``__all__``; re-exports are checked
where they are defined):

* a one-line summary, then a blank line;
* ``Parameters``: every parameter of the signature, by name (``a, b : float`` documents both);
  omitted only when there are none. A class documents its constructor's parameters under
  ``Parameters`` or ``Attributes``;
* ``Returns`` (or ``Yields``) for a function, unless it is annotated ``-> None``; ``Attributes``
  for a class;
* ``References`` for model functions and classes (the source of the model, or "Course model
  (chapter NN): ..."); viz, widgets and checks may omit it;
* ``Examples`` with at least one ``>>>`` line that the doctest finder collects and that is not
  marked ``+SKIP``, so that ``pytest`` runs it: ``--doctest-modules`` over ``p2plib`` is part
  of the configured run (the last test checks the configuration).

Headings are exact and underlined with dashes of the same length. Units cannot be checked by a
program: write them. One test per module, listing every problem it has.
"""

from __future__ import annotations

import doctest
import functools
import importlib
import inspect
import pathlib
import re
import types

import pytest
from _public_api import public_modules, public_names

import p2plib

ROOT = pathlib.Path(p2plib.__file__).parent
NOT_MODELS = ("p2plib.viz", "p2plib.widgets", "p2plib.checks")
#: numpydoc's section headings; an underlined heading not among them is a typo.
KNOWN_SECTIONS = {"Parameters", "Returns", "Yields", "Receives", "Other Parameters", "Raises",
                  "Warns", "Warnings", "See Also", "Notes", "References", "Examples",
                  "Attributes", "Methods"}


def public_objects(module) -> list:
    """``(name, obj)`` of the public functions and classes defined in ``module`` itself."""
    found = [(name, getattr(module, name)) for name in public_names(module)]
    return [(name, obj) for name, obj in found
            if (inspect.isfunction(obj) or inspect.isclass(obj))
            and getattr(obj, "__module__", None) == module.__name__]


def sections(doc: str) -> dict:
    """Section heading -> its lines, for a cleaned docstring; the summary under ``""``."""
    lines = doc.splitlines()
    found, current = {"": []}, ""
    i = 0
    while i < len(lines):
        line = lines[i]
        underline = lines[i + 1] if i + 1 < len(lines) else ""
        if line.strip() and re.fullmatch(r"\s*-{3,}\s*", underline):
            current = line.strip()
            found[current] = [f"__underline__{len(underline.strip())}"]
            i += 2
            continue
        found[current].append(line)
        i += 1
    return found


def documented_names(lines) -> set:
    """The names a numpy ``Parameters``/``Attributes`` section documents (unindented lines)."""
    names = set()
    for line in lines:
        if line.startswith("__underline__") or not line.strip() or line[0].isspace():
            continue
        head = line.split(" :")[0] if " :" in line else line
        names |= {part.strip().lstrip("*") for part in head.split(",") if part.strip()}
    return names


def _signature_names(obj) -> list:
    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError):
        return []
    return [name for name in signature.parameters if name not in ("self", "cls")]


def problems(module, name: str, obj) -> list:
    """What the docstring of ``module.name`` lacks, as short sentences (empty: it complies)."""
    where = f"{module.__name__}.{name}"
    doc = inspect.getdoc(obj) if obj.__doc__ else None
    if inspect.isclass(obj) and obj.__doc__ is None:
        doc = None
    if not doc:
        return [f"{where}: no docstring"]
    found = []
    parts = sections(doc)
    summary = parts[""]
    if not summary or not summary[0].strip():
        found.append(f"{where}: the docstring does not open with a summary line")
    elif len(summary) > 1 and summary[1].strip():
        found.append(f"{where}: the summary is longer than one line")
    for heading, lines in parts.items():
        if not heading:
            continue
        if heading not in KNOWN_SECTIONS:
            found.append(f"{where}: unknown heading {heading!r}")
        elif lines[0] != f"__underline__{len(heading)}":
            found.append(f"{where}: heading {heading!r} underlined with the wrong length")
    is_class = inspect.isclass(obj)
    params = _signature_names(obj)
    documented = documented_names(parts.get("Parameters", []))
    if is_class:
        documented |= documented_names(parts.get("Attributes", []))
        if "Attributes" not in parts:
            found.append(f"{where}: no Attributes section")
    elif params and "Parameters" not in parts:
        found.append(f"{where}: no Parameters section")
    missing = [p for p in params if p not in documented]
    if missing and (is_class or "Parameters" in parts):
        found.append(f"{where}: parameters not documented: {', '.join(missing)}")
    if not is_class and not ({"Returns", "Yields"} & parts.keys()):
        annotation = inspect.signature(obj).return_annotation
        if annotation not in (None, "None"):
            found.append(f"{where}: no Returns section")
    if not module.__name__.startswith(NOT_MODELS) and "References" not in parts:
        found.append(f"{where}: no References section (the model's source)")
    if not any(line.lstrip().startswith(">>>") for line in parts.get("Examples", [])):
        found.append(f"{where}: no Examples section with a >>> line")
    elif not _collected(module, name):
        found.append(f"{where}: no example that doctest runs (not collected, or all SKIP)")
    return found


@functools.cache
def _doctests(module) -> frozenset:
    """Names of the docstrings in ``module`` with at least one example doctest will run."""
    return frozenset(test.name for test in doctest.DocTestFinder().find(module)
                     if any(not ex.options.get(doctest.SKIP) for ex in test.examples))


def _collected(module, name: str) -> bool:
    return f"{module.__name__}.{name}" in _doctests(module)


MODULES = [m.__name__ for m in public_modules()]


@pytest.mark.parametrize("module_name", MODULES)
def test_public_docstrings_follow_the_rule(module_name):
    module = importlib.import_module(module_name)
    found = [p for name, obj in public_objects(module) for p in problems(module, name, obj)]
    assert not found, f"{len(found)} problem(s):\n" + "\n".join(found)


_FAKE_MODEL = '''
def good(peers, share=0.5):
    """Count something.

    Parameters
    ----------
    peers : int
        Peers (>= 1).
    share : float
        A share in [0, 1].

    Returns
    -------
    float

    References
    ----------
    Course model (chapter 01).

    Examples
    --------
    >>> 1 + 1
    2
    """


def bad(peers, share=0.5):
    """Count something
    over two lines.

    Parameters
    ----------
    peers : int

    Example
    -------
    1 + 1
    """


class Thing:
    """A thing.

    Examples
    --------
    >>> Thing(1).size  # doctest: +SKIP
    1
    """

    def __init__(self, size):
        self.size = size
'''


def test_the_rule_finds_what_it_should():
    """The checker itself: a complying docstring passes, each missing part is reported."""
    model = types.ModuleType("p2plib.fake_model")
    exec(_FAKE_MODEL, model.__dict__)
    assert problems(model, "good", model.good) == []
    text = "\n".join(problems(model, "bad", model.bad))
    for expected in ("summary is longer than one line", "unknown heading 'Example'",
                     "parameters not documented: share", "no Returns section",
                     "no References section", "no Examples section"):
        assert expected in text, (expected, text)
    text = "\n".join(problems(model, "Thing", model.Thing))
    for expected in ("no Attributes section", "parameters not documented: size",
                     "no example that doctest runs"):
        assert expected in text, (expected, text)
    viz_like = types.ModuleType("p2plib.viz.fake")
    exec(_FAKE_MODEL.replace("References\n    ----------", "Notes\n    -----"),
         viz_like.__dict__)
    assert problems(viz_like, "good", viz_like.good) == []    # viz needs no References


def test_the_examples_run_as_part_of_pytest():
    """``pytest`` (the configured run) collects the doctests of every p2plib module."""
    text = (ROOT.parent / "pyproject.toml").read_text(encoding="utf-8")
    options = text.split("[tool.pytest.ini_options]", 1)[1].split("\n[", 1)[0]
    addopts = re.search(r"addopts\s*=\s*\[(.*?)\]", options, re.S).group(1)
    testpaths = re.search(r"testpaths\s*=\s*\[(.*?)\]", options, re.S).group(1)
    assert '"--doctest-modules"' in addopts
    assert '"p2plib"' in testpaths
