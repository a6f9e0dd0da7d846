"""The code exercises of chapters 02, 04 and 05: the solution printed in each notebook passes its
check, and the unfilled template the student starts from does not."""

from __future__ import annotations

import math
import pathlib
import re

import nbformat
import numpy as np
import pytest

from p2plib import checks

NOTEBOOKS = pathlib.Path(__file__).resolve().parents[1] / "notebooks"
EXERCISES = [
    ("02_supernodes.ipynb", "slots_needed", checks.check_slots_needed_function),
    ("04_database_desync.ipynb", "uninformed_share", checks.check_uninformed_share_function),
    ("05_kontiki_content_sharing.ipynb", "download_time", checks.check_download_time_function),
]


def _define(source: str, name: str):
    namespace = {"np": np, "math": math}
    exec(source, namespace)  # the notebook's own exercise code
    return namespace[name]


@pytest.mark.parametrize(("notebook", "name", "check"), EXERCISES, ids=[e[1] for e in EXERCISES])
def test_solution_passes_and_template_does_not(notebook, name, check):
    cells = nbformat.read(NOTEBOOKS / notebook, as_version=4).cells
    solutions = [c.source for c in cells if c.cell_type == "markdown"
                 and "Solution" in c.source and f"def {name}(" in c.source]
    templates = [c.source for c in cells if c.cell_type == "code"
                 and c.source.startswith(f"def {name}(")]
    assert len(solutions) == 1 and len(templates) == 1
    solution = re.search(r"```python\n(.*?)```", solutions[0], re.S).group(1)
    assert check(_define(solution, name)).correct
    template = templates[0].split("\n\n\nchecks.")[0]       # the def, without the check call
    assert f"checks.{check.__name__}(None)" in templates[0]
    assert not check(_define(template, name)).correct
