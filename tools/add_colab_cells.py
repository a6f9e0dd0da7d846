"""Give every chapter an "Open in Colab" badge and a first cell that installs p2plib off-site.

Idempotent: re-run it after a chapter is added or merged (it changes only what is missing or
out of date):

    python tools/add_colab_cells.py                  # every notebooks/NN_*.ipynb
    python tools/add_colab_cells.py notebooks/03_reboot_trigger.ipynb

For each notebook it

- adds the badge under the title of the first markdown cell (a link that opens the notebook
  from GitHub in Google Colab), and
- inserts, before the first code cell, an install cell that installs p2plib only in Colab
  (from GitHub) or in JupyterLite (from the site's own wheel, see tools/build_lite.py). Anywhere
  else (Binder, a local Jupyter, nbval) it does nothing and prints nothing.

The file is rewritten only when something was added; it prints the names of the changed
notebooks. Re-execute those with ``python tools/run_notebooks.py`` (the new cell shifts the
execution counts that strict nbval compares).
"""

from __future__ import annotations

import pathlib
import sys

import nbformat

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))  # tools/, when imported
from nbexec import edit_chapters

ROOT = pathlib.Path(__file__).resolve().parents[1]
SLUG = "p2p-outage-course/p2p-outage-course"  # the GitHub repository (as in README's badge)
BRANCH = "main"
BADGE_IMAGE = "https://colab.research.google.com/assets/colab-badge.svg"
MARK = {"p2p_role": "install-cell"}  # cell metadata that identifies the install cell

INSTALL_CELL = f"""\
# Only in Google Colab or JupyterLite: install the course package (elsewhere: nothing happens).
import sys

if "google.colab" in sys.modules:
    %pip install -q "p2plib @ git+https://github.com/{SLUG}@{BRANCH}"
    from google.colab import output  # Colab shows ipywidgets 8 through its custom manager

    output.enable_custom_widget_manager()
elif sys.platform == "emscripten":  # JupyterLite: the wheel that ships with the site
    %pip install -q p2plib"""


def badge(notebook_name: str) -> str:
    """Markdown for the "Open in Colab" badge of ``notebooks/<notebook_name>``."""
    url = f"https://colab.research.google.com/github/{SLUG}/blob/{BRANCH}/notebooks/{notebook_name}"
    return f"[![Open In Colab]({BADGE_IMAGE})]({url})"


def add_cells(notebook, notebook_name: str) -> bool:
    """Add the badge and the install cell to ``notebook`` if missing; True if it changed."""
    changed = False
    markdown = next((c for c in notebook.cells if c.cell_type == "markdown"), None)
    if markdown is not None and BADGE_IMAGE not in markdown.source:
        lines = markdown.source.split("\n")
        at = 1 if lines and lines[0].startswith("#") else 0  # just under the title
        markdown.source = "\n".join([*lines[:at], "", badge(notebook_name), "", *lines[at:]])
        markdown.source = markdown.source.replace("\n\n\n", "\n\n").lstrip("\n")
        changed = True
    marked = [c for c in notebook.cells if c.metadata.get("p2p_role") == MARK["p2p_role"]]
    for cell in marked:  # an older version of the install cell is brought up to date
        if cell.source != INSTALL_CELL:
            cell.source = INSTALL_CELL
            changed = True
    if not marked:
        first_code = next((i for i, c in enumerate(notebook.cells) if c.cell_type == "code"),
                          len(notebook.cells))
        cell = nbformat.v4.new_code_cell(INSTALL_CELL, metadata=dict(MARK))
        notebook.cells.insert(first_code, cell)
        changed = True
    return changed


def main(argv=None) -> int:
    return edit_chapters(__doc__.splitlines()[0], argv,
                         lambda notebook, path: add_cells(notebook, path.name),
                         "Colab badge or install cell added or updated")


if __name__ == "__main__":
    sys.exit(main())
