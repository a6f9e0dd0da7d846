"""Give every cell of a chapter reveal.js slide metadata (``slideshow.slide_type``).

Idempotent, and a chapter author's own choice wins: only cells without a slide type get one.

    python tools/add_slide_metadata.py               # every notebooks/NN_*.ipynb
    python tools/add_slide_metadata.py notebooks/03_reboot_trigger.ipynb

The rule, so that ``python tools/build_slides.py NN`` gives a talk that follows the chapter:

- a markdown cell that opens with a ``#`` or ``##`` heading starts a new slide (``slide``);
- one that opens with a ``###`` heading starts a vertical sub-slide (``subslide``);
- the install cell (tools/add_colab_cells.py) and cells that open with a ``<details>`` block
  (solutions) are skipped; tools/build_slides.py cuts only the solution blocks out of such a
  cell and puts the rest of it (the next exercise, the takeaways) back on the slides;
- every other cell continues the current slide (``-``).

Only metadata changes, so the notebooks need no re-execution. Prints the changed notebooks.
"""

from __future__ import annotations

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))  # tools/, when imported
from nbexec import edit_chapters

ROOT = pathlib.Path(__file__).resolve().parents[1]


def slide_type(cell) -> str:
    """The slide type the rule above gives ``cell``."""
    text = cell.source.lstrip()
    if cell.metadata.get("p2p_role") == "install-cell":
        return "skip"
    if cell.cell_type == "markdown":
        if text.startswith("<details"):
            return "skip"
        if text.startswith(("# ", "## ")):
            return "slide"
        if text.startswith("### "):
            return "subslide"
    return "-"


def add_metadata(notebook) -> bool:
    """Set a slide type on every cell that has none; True if any cell changed."""
    changed = False
    for index, cell in enumerate(notebook.cells):
        show = cell.metadata.setdefault("slideshow", {})
        if "slide_type" not in show:
            # The first cell always opens the first slide.
            show["slide_type"] = "slide" if index == 0 else slide_type(cell)
            changed = True
    return changed


def main(argv=None) -> int:
    return edit_chapters(__doc__.splitlines()[0], argv,
                         lambda notebook, _path: add_metadata(notebook), "slide metadata added")


if __name__ == "__main__":
    sys.exit(main())
