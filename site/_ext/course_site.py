"""The course website's own Sphinx steps (see site/conf.py).

- Every figure gets alternative text that states its finding: the ``alt`` that
  :func:`p2plib.viz.use_course_style` stores with each PNG output (the figure's titles);
  a stored figure without one (a notebook not re-executed since) falls back to
  "Figure k of chapter NN: <chapter title>".
- The JupyterLite launch button opens the chapter in the site's own ``lite/`` (or is left
  out when tools/build_site.py built the site without it).
- MathJax is served from the site (a subset of the ``sphinx-mathjax-offline`` package).
"""

from __future__ import annotations

import base64
import hashlib
import json
import pathlib
import shutil

from docutils import nodes

#: Output mime type of a matplotlib figure in the notebooks.
PNG = "image/png"
#: What the site serves of MathJax 3 (package sphinx-mathjax-offline): the full TeX input with
#: CommonHTML output in one file, its web fonts, and the menu's lazily loaded parts.
MATHJAX_FILES = ["tex-chtml-full.js", "output/chtml/fonts/woff-v2", "ui", "a11y"]


def chapter_title(notebook: dict) -> str:
    """The text of a notebook's first heading (its title)."""
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return ""


def figure_alts(notebook: dict, stem: str) -> dict[str, str]:
    """Alternative text of each stored PNG of a notebook, keyed by the PNG's sha256.

    MyST-NB names each image file by that hash, which ties a page's ``<img>`` to its output.
    """
    alts, number = {}, 0
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if PNG not in data:
                continue
            number += 1
            raw = data[PNG]
            digest = hashlib.sha256(base64.b64decode("".join(raw) if isinstance(raw, list)
                                                     else raw)).hexdigest()
            alt = output.get("metadata", {}).get(PNG, {}).get("alt", "").strip()
            alts[digest] = alt or fallback_alt(number, stem, chapter_title(notebook))
    return alts


def fallback_alt(number: int, stem: str, title: str) -> str:
    """Alternative text for a figure stored without its own (chapter and figure number)."""
    return f"Figure {number} of chapter {stem[:2]}: {title}"


def collect_alts(app) -> None:
    app.env.course_alts = {}
    for path in sorted(pathlib.Path(app.srcdir).glob("*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        app.env.course_alts.update(figure_alts(notebook, path.stem))


def set_alts(app, doctree, docname) -> None:
    """Give each notebook image its alt (by the hash in its file name)."""
    alts = getattr(app.env, "course_alts", {})
    for image in doctree.findall(nodes.image):
        key = pathlib.PurePosixPath(image["uri"]).stem
        if key in alts and not image.get("alt"):
            image["alt"] = alts[key]


def lite_button(app, pagename, templatename, context, doctree) -> None:
    """Point the JupyterLite button at this chapter in lite/ (files sit at its root)."""
    for group in context.get("header_buttons", []):
        if group.get("label") != "launch-buttons":
            continue
        kept = []
        for button in group["buttons"]:
            if button.get("text") == "JupyterLite":
                if not app.config.course_lite:
                    continue
                name = pathlib.PurePosixPath(pagename).name + ".ipynb"
                button["url"] = context["pathto"](f"lite/lab/index.html?path={name}", 1)
            kept.append(button)
        group["buttons"] = kept


def copy_mathjax(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    import importlib.util

    spec = importlib.util.find_spec("sphinx-mathjax-offline")
    if spec is None or spec.origin is None:
        raise RuntimeError("MathJax for the site comes from the sphinx-mathjax-offline package: "
                           "pip install -r requirements-dev.txt")
    source = pathlib.Path(spec.origin).parent / "static" / "mathjax"
    target = pathlib.Path(app.outdir) / "_static" / "mathjax"
    for name in MATHJAX_FILES:
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name, dirs_exist_ok=True)
        else:
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / name, target / name)


def setup(app):
    app.add_config_value("course_lite", False, "html", types=[bool])
    app.connect("builder-inited", collect_alts)
    app.connect("doctree-resolved", set_alts)
    app.connect("html-page-context", lite_button, priority=502)
    app.connect("build-finished", copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
