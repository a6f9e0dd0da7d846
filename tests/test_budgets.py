"""Budgets: every notebook runs top to bottom in < 30 s with its kernel under 1 GB (Binder).

Notebooks are found by glob, so a new chapter is measured without edits. The measurement
(``tools/notebook_budget.py``) executes each notebook once more in a fresh kernel, without
writing it back; a failure names the notebook and the figure that is over.
"""

from __future__ import annotations

import importlib.util
import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("notebook_budget",
                                               ROOT / "tools" / "notebook_budget.py")
notebook_budget = importlib.util.module_from_spec(_spec)
sys.modules["notebook_budget"] = notebook_budget   # dataclasses look their module up
_spec.loader.exec_module(notebook_budget)


def test_notebooks_are_found():
    assert len(notebook_budget.notebooks()) >= 5


@pytest.mark.parametrize("path", notebook_budget.notebooks(), ids=lambda p: p.stem)
def test_notebook_within_budget(path):
    budget = notebook_budget.measure(path)
    print(f"{budget.name}: {budget.seconds:.1f} s, kernel peak {budget.peak_mb:.0f} MB")
    assert budget.peak_mb > 50, "implausible memory reading"   # a python kernel alone is more
    problems = budget.problems()
    assert not problems, "; ".join(problems)


def test_over_budget_is_reported_with_name_and_figure():
    slow = notebook_budget.Budget("99_slow.ipynb", 31.5, 0.5, 1500.0, 7, 20.0)
    problems = slow.problems()
    assert any("99_slow.ipynb took 31.5 s" in p and "cell 7" in p for p in problems)
    assert any("99_slow.ipynb peaked at 1500 MB" in p for p in problems)
    assert not notebook_budget.Budget("ok.ipynb", 12.0, 0.5, 300.0, 1, 3.0).problems()
