"""Lecturer and student entry points that live in the notebooks: slides, Colab cells.

- every chapter has reveal.js slide metadata on every cell and a slide per top heading;
- ``tools/build_slides.py`` turns a chapter into reveal.js HTML offline, one ``<section>`` per
  slide and sub-slide;
- every chapter carries the "Open in Colab" badge and the install cell, which prints nothing
  outside Colab/JupyterLite (strict nbval checks that by re-running it), and both tools are
  idempotent (a second run changes nothing, so the lead can re-apply them to new chapters).
"""

from __future__ import annotations

import copy
import importlib.util
import pathlib
import re

import nbformat
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
IDS = [p.stem for p in CHAPTERS]


def _tool(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


add_colab_cells = _tool("add_colab_cells")
add_slide_metadata = _tool("add_slide_metadata")
build_slides = _tool("build_slides")


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_every_cell_has_slide_metadata_and_tool_is_idempotent(path):
    notebook = nbformat.read(path, as_version=4)
    types = [c.metadata.get("slideshow", {}).get("slide_type") for c in notebook.cells]
    assert None not in types, "run tools/add_slide_metadata.py"
    assert set(types) <= {"slide", "subslide", "fragment", "-", "skip", "notes"}
    assert types[0] == "slide"
    assert not add_slide_metadata.add_metadata(copy.deepcopy(notebook))


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_colab_badge_and_install_cell_present_and_tool_is_idempotent(path):
    notebook = nbformat.read(path, as_version=4)
    first_markdown = next(c for c in notebook.cells if c.cell_type == "markdown")
    assert add_colab_cells.badge(path.name) in first_markdown.source
    assert f"/blob/main/notebooks/{path.name}" in add_colab_cells.badge(path.name)
    first_code = next(c for c in notebook.cells if c.cell_type == "code")
    assert first_code.metadata.get("p2p_role") == "install-cell"
    assert first_code.source == add_colab_cells.INSTALL_CELL
    assert first_code.outputs == []  # does nothing (and prints nothing) outside Colab/Lite
    assert not add_colab_cells.add_cells(copy.deepcopy(notebook), path.name)


def test_colab_tool_adds_badge_and_install_cell_before_the_first_code_cell():
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# 09 · A new chapter\n\nText."),
        nbformat.v4.new_code_cell("x = 1"),
    ])
    assert add_colab_cells.add_cells(notebook, "09_new.ipynb")
    assert notebook.cells[0].source.startswith("# 09 · A new chapter\n\n[![Open In Colab]")
    assert "notebooks/09_new.ipynb" in notebook.cells[0].source
    assert [c.cell_type for c in notebook.cells] == ["markdown", "code", "code"]
    assert notebook.cells[1].metadata["p2p_role"] == "install-cell"
    assert not add_colab_cells.add_cells(notebook, "09_new.ipynb")


def test_slide_rule_keeps_an_authors_choice_and_skips_solutions():
    cells = [nbformat.v4.new_markdown_cell("# Title"),
             nbformat.v4.new_markdown_cell("### Part"),
             nbformat.v4.new_markdown_cell("<details><summary>Solution</summary>x</details>"),
             nbformat.v4.new_code_cell("1 + 1"),
             nbformat.v4.new_markdown_cell("## Mine", metadata={
                 "slideshow": {"slide_type": "fragment"}})]
    notebook = nbformat.v4.new_notebook(cells=cells)
    assert add_slide_metadata.add_metadata(notebook)
    assert [c.metadata["slideshow"]["slide_type"] for c in notebook.cells] == [
        "slide", "subslide", "skip", "-", "fragment"]


def test_build_slides_writes_reveal_html_with_a_section_per_slide(tmp_path):
    chapter = build_slides.find_chapter(CHAPTERS[0].name[:2])
    assert chapter == CHAPTERS[0]
    html = build_slides.build(chapter, tmp_path, no_input=True).read_text(encoding="utf-8")
    notebook = nbformat.read(chapter, as_version=4)
    types = [c.metadata["slideshow"]["slide_type"] for c in notebook.cells]
    n_slides = types.count("slide") + types.count("subslide")
    assert n_slides >= 2
    # reveal.js nests sub-slides in their slide's <section>: one <section> per slide, plus one
    # per sub-slide, plus an outer one for a slide that has sub-slides.
    assert len(re.findall(r"<section\b", html)) >= n_slides
    assert "Reveal.initialize" in html
    assert "hl-ipython3" not in html  # --no-input hides the code cells' source


# ---- slides keep every exercise prompt, takeaway and reference ----

_PROMPT = re.compile(r"^\*\*(?:Exercise\s+)?\d+\.", re.MULTILINE)
_HEADING = re.compile(r"^#{1,6}\s+(.*)$", re.MULTILINE)


def _tokens(text: str) -> list[str]:
    """Words and numbers, lower case: what survives markdown -> HTML unchanged."""
    return re.findall(r"[^\W_]+", text.lower())


def _markdown_tokens(text: str) -> list[str]:
    text = re.sub(r"\]\([^)]*\)", "]", text)          # a link's target is not shown
    return _tokens(text)


def _html_text_tokens(html: str) -> str:
    import html as html_lib

    body = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL | re.IGNORECASE)
    return " " + " ".join(_tokens(html_lib.unescape(re.sub(r"<[^>]+>", " ", body)))) + " "


def _must_appear(notebook) -> dict[str, list[str]]:
    """From the chapter itself: its exercise prompts and the items of its Takeaways and
    References sections (solutions excluded), each as the text a slide must show."""
    found = {"prompt": [], "takeaway": [], "reference": []}
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        text = build_slides.without_solutions(cell.source)
        for match in _PROMPT.finditer(text):
            found["prompt"].append(text[match.start():].split("\n\n")[0])
        headings = list(_HEADING.finditer(text))
        for i, heading in enumerate(headings):
            kind = ("takeaway" if "takeaway" in heading.group(1).lower() else
                    "reference" if "reference" in heading.group(1).lower() else None)
            if kind is None:
                continue
            end = headings[i + 1].start() if i + 1 < len(headings) else len(text)
            section = text[heading.end():end]
            found[kind] += [item for item in re.split(r"\n(?=- )", section.strip())
                            if item.startswith("- ")]
    return found


def test_slide_notebook_cuts_solutions_and_keeps_the_rest():
    cells = [
        nbformat.v4.new_markdown_cell("## Exercises\n\n**1.** First?"),
        nbformat.v4.new_markdown_cell("<details><summary>Solution</summary>\n\nA.\n</details>"
                                      "\n\n**2.** Second?"),
        nbformat.v4.new_markdown_cell("<details><summary>Solution</summary>B.</details>"),
        nbformat.v4.new_markdown_cell("<details><summary>Solution</summary>C.</details>\n\n"
                                      "## Takeaways\n\n- one\n\n## References\n\n- R"),
        nbformat.v4.new_markdown_cell("<details><summary>What you should see</summary>"
                                      "D.</details>"),
    ]
    notebook = nbformat.v4.new_notebook(cells=cells)
    add_slide_metadata.add_metadata(notebook)
    slides = build_slides.slide_notebook(notebook)
    assert [c.source for c in slides.cells] == [
        "## Exercises\n\n**1.** First?", "**2.** Second?",
        "## Takeaways\n\n- one\n\n## References\n\n- R",
        "<details><summary>What you should see</summary>D.</details>"]
    assert [c.metadata["slideshow"]["slide_type"] for c in slides.cells] == [
        "slide", "-", "slide", "-"]
    assert len(notebook.cells) == 5 and "Solution" in notebook.cells[1].source  # unchanged


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_slides_keep_every_prompt_takeaway_and_reference(path, tmp_path):
    notebook = nbformat.read(path, as_version=4)
    must = _must_appear(notebook)
    for kind, items in must.items():
        assert items, f"{path.name}: no {kind} found (the test's rules need updating?)"
    html = build_slides.build(path, tmp_path, no_input=True).read_text(encoding="utf-8")
    shown = _html_text_tokens(html)
    missing = [f"{kind}: {item[:70]!r}" for kind, items in must.items() for item in items
               if " " + " ".join(_markdown_tokens(item)[:12]) + " " not in shown]
    assert not missing, f"{path.name}: not on the slides:\n" + "\n".join(missing)
    assert "<summary>Solution</summary>" not in html
