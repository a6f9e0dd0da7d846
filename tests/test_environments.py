"""The environments (README, "What each environment contains") agree with each other.

- ``requirements.txt`` is the course runtime only: no test, browser or build tool reaches a
  student's (or Binder's) install; ``binder/requirements.txt`` installs exactly that file.
- ``requirements-dev.txt`` starts from the runtime and adds the tools, each pinned.
- One source of truth for versions: every dependency ``pyproject.toml`` declares is pinned in
  ``requirements.txt`` at a version inside the declared range.
"""

from __future__ import annotations

import pathlib
import re

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

tomllib = pytest.importorskip("tomllib", reason="Python 3.11+ reads pyproject.toml")
ROOT = pathlib.Path(__file__).resolve().parents[1]

#: Tools that tests, checks or builds use, never the course itself.
DEV_ONLY = {"pytest", "nbval", "hypothesis", "ruff", "playwright", "voila", "jupyterlite-core",
            "jupyterlite-pyodide-kernel", "pkginfo", "dask", "distributed", "sphinx",
            "myst-parser", "myst-nb", "jupyter-book", "nbconvert-slides"}
#: What the runtime holds beyond p2plib's own dependencies: the Jupyter front end and kernel.
FRONT_END = {"jupyterlab", "ipykernel"}


def _lines(path: pathlib.Path) -> list[str]:
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            lines.append(line)
    return lines


def _pins(path: pathlib.Path) -> dict[str, str]:
    pins = {}
    for line in _lines(path):
        if line.startswith("-"):
            continue
        requirement = Requirement(line)
        spec = str(requirement.specifier)
        assert re.fullmatch(r"==[\w.]+", spec), f"{path.name}: {line!r} is not pinned with =="
        pins[canonicalize_name(requirement.name)] = spec[2:]
    return pins


def _declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [Requirement(r) for r in project["dependencies"]]


def test_runtime_holds_no_test_or_build_tool():
    runtime = _pins(ROOT / "requirements.txt")
    assert not DEV_ONLY & set(runtime), sorted(DEV_ONLY & set(runtime))
    assert "-e ." in _lines(ROOT / "requirements.txt"), "p2plib itself (editable)"
    declared = {canonicalize_name(r.name) for r in _declared()}
    assert set(runtime) <= declared | FRONT_END, sorted(set(runtime) - declared - FRONT_END)


def test_binder_installs_the_runtime_only():
    assert _lines(ROOT / "binder" / "requirements.txt") == ["-r ../requirements.txt"]


def test_dev_requirements_extend_the_runtime_with_pinned_tools():
    lines = _lines(ROOT / "requirements-dev.txt")
    assert lines[0] == "-r requirements.txt"
    dev = _pins(ROOT / "requirements-dev.txt")
    assert {"pytest", "nbval", "playwright", "voila", "dask"} <= set(dev)
    assert not set(dev) & set(_pins(ROOT / "requirements.txt")), "pinned twice"


@pytest.mark.parametrize("requirement", _declared(), ids=lambda r: r.name)
def test_pinned_runtime_lies_in_the_declared_range(requirement):
    runtime = _pins(ROOT / "requirements.txt")
    name = canonicalize_name(requirement.name)
    assert name in runtime, f"{name} is declared in pyproject.toml but not pinned"
    assert requirement.specifier.contains(runtime[name]), (
        f"requirements.txt pins {name}=={runtime[name]}, outside pyproject's "
        f"{requirement.specifier}")


def test_matplotlib_is_bounded_for_figure_pool():
    (matplotlib,) = [r for r in _declared() if r.name == "matplotlib"]
    assert any(s.operator == "<" for s in matplotlib.specifier), (
        "viz.FigurePool uses private matplotlib attributes: bound matplotlib from above")
