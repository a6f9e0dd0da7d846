"""Build reveal.js slides of a chapter, for lecturers (nbconvert's slides exporter).

    python tools/build_slides.py 01                    # -> build/slides/01_p2p_basics.slides.html
    python tools/build_slides.py notebooks/01_p2p_basics.ipynb --out-dir /tmp/talk --no-input

Slides follow each cell's ``slideshow.slide_type`` (see tools/add_slide_metadata.py), on a
copy of the chapter prepared by :func:`slide_notebook`: solutions (``<details>`` blocks whose
summary says "Solution") are cut out of their cell, and whatever else the cell holds (the next
exercise's prompt, the takeaways, the references) stays on the slides, as do the collapsed
"What you should see" blocks. The chapter file itself is not changed. The
figures and the explorers' last state are the notebook's stored outputs (the widgets show
as they were when the notebook was last run; live widgets need Jupyter or Voilà). Open the
HTML file in a browser; it loads reveal.js (and the widget renderer) from a CDN unless
``--reveal-prefix`` points at a local copy of reveal.js. ``--no-input`` hides the code.
The build itself needs no network.
"""

from __future__ import annotations

import argparse
import copy
import pathlib
import re
import subprocess
import sys
import tempfile

import nbformat

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))  # tools/, when imported
from add_slide_metadata import slide_type

ROOT = pathlib.Path(__file__).resolve().parents[1]

#: A solution block: ``<details>`` whose summary mentions "Solution", up to its ``</details>``.
SOLUTION = re.compile(r"<details>\s*<summary>[^<]*solution[^<]*</summary>.*?</details>[ \t]*\n?",
                      re.IGNORECASE | re.DOTALL)


def without_solutions(text: str) -> str:
    """Markdown ``text`` with its solution blocks cut out (and the blank lines they leave)."""
    return re.sub(r"\n{3,}", "\n\n", SOLUTION.sub("", text)).strip()


def slide_notebook(notebook):
    """A copy of ``notebook`` for slides: no solutions, everything else kept.

    A markdown cell that held a solution keeps the rest of its text; if it was skipped only
    because it opened with a ``<details>`` block, its slide type is worked out again from what
    is left (a ``## Takeaways`` after a solution starts a slide, an exercise prompt continues
    the current one). A cell that held nothing but solutions is dropped.
    """
    slides = copy.deepcopy(notebook)
    cells = []
    for cell in slides.cells:
        show = cell.metadata.setdefault("slideshow", {})
        if cell.cell_type == "markdown" and "<details" in cell.source:
            rest = without_solutions(cell.source)
            if not rest:
                continue
            if rest != cell.source.strip():
                cell.source = rest
                if show.get("slide_type") == "skip":
                    show["slide_type"] = slide_type(cell)
            if show.get("slide_type") == "skip" and rest.startswith("<details"):
                show["slide_type"] = "-"        # a collapsed "What you should see" block
        cells.append(cell)
    slides.cells = cells
    return slides


def find_chapter(name: str) -> pathlib.Path:
    """A notebook path, or the chapter whose file name starts with ``name`` (e.g. ``01``)."""
    path = pathlib.Path(name)
    if path.suffix == ".ipynb":
        return path
    matches = sorted((ROOT / "notebooks").glob(f"{name}*.ipynb"))
    if len(matches) != 1:
        raise SystemExit(f"chapter {name!r}: expected one notebooks/{name}*.ipynb, "
                         f"found {[m.name for m in matches]}")
    return matches[0]


def build(notebook: pathlib.Path, out_dir: pathlib.Path, *, no_input: bool = False,
          reveal_prefix: str | None = None) -> pathlib.Path:
    """Write ``<out_dir>/<stem>.slides.html`` and return its path."""
    out_dir = pathlib.Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        prepared = pathlib.Path(tmp) / notebook.name
        nbformat.write(slide_notebook(nbformat.read(notebook, as_version=4)), prepared)
        _convert(prepared, out_dir, no_input=no_input, reveal_prefix=reveal_prefix)
    return out_dir / f"{notebook.stem}.slides.html"


def _convert(notebook: pathlib.Path, out_dir: pathlib.Path, *, no_input: bool,
             reveal_prefix: str | None) -> None:
    argv = [sys.executable, "-m", "jupyter", "nbconvert", "--to", "slides", str(notebook),
            "--output-dir", str(out_dir), "--SlidesExporter.reveal_scroll=True",
            "--SlidesExporter.reveal_theme=simple", "--SlidesExporter.reveal_transition=none"]
    if no_input:
        argv.append("--no-input")
    if reveal_prefix:
        argv.append(f"--SlidesExporter.reveal_url_prefix={reveal_prefix}")
    subprocess.run(argv, check=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("chapter", help="chapter number (e.g. 01) or notebook path")
    parser.add_argument("--out-dir", type=pathlib.Path, default=ROOT / "build" / "slides")
    parser.add_argument("--no-input", action="store_true", help="hide the code cells' input")
    parser.add_argument("--reveal-prefix", help="URL or path of reveal.js (default: a CDN)")
    args = parser.parse_args(argv)
    path = build(find_chapter(args.chapter), args.out_dir, no_input=args.no_input,
                 reveal_prefix=args.reveal_prefix)
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
