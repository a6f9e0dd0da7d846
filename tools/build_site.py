"""Build the course as a static website: every chapter to read, and to launch from any page.

    python tools/build_site.py                  # -> build/site (publish it on any static host)
    python tools/build_site.py --no-lite        # without the JupyterLite site in build/site/lite
    python -m http.server -d build/site 8000    # look at it

Offline, from the committed notebooks and their stored outputs (nothing is re-executed):
Sphinx with MyST-NB and sphinx-book-theme (pinned in requirements-dev.txt; configuration in
``site/``). The site has a home page (made from README: what the course is, for whom, the
chapter map with times), one page per chapter (text, equations, code, figures with their
findings as alternative text, the explorers' saved state), the glossary, the sources page and
the lecturer's guide, navigation, search, and on each chapter launch buttons for Binder, Colab
and the JupyterLite site, which is built into ``lite/`` with tools/build_lite.py.

The JupyterLite build needs the Pyodide kernel's wheel: from PyPI, or offline from the
wheelhouse that ``python tools/build_lite.py --fetch DIR`` fills (``P2P_LITE_WHEELHOUSE=DIR``);
with ``P2P_PYODIDE_DIR`` (the npm package ``pyodide``) the kernel boots with no CDN. When it
cannot be built the site is built without it (and says so), unless ``--require-lite``.
No page loads anything from another host: MathJax comes from a Python package, the widget
renderer (ipywidgets' html-manager) from ``site/_static/vendor``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import pathlib
import re
import runpy
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
CONF_DIR = ROOT / "site"
#: The pages besides the chapters, in the order of the site's menu (notebooks/<name>.md).
REFERENCE_PAGES = ["glossary", "sources", "lecturers_guide"]
#: The Colab badge at the top of each chapter: on the site the Colab launch button replaces it
#: (and its image would come from another host).
COLAB_BADGE = re.compile(r"^\[!\[Open In Colab\]\([^)]*\)\]\([^)]*\)\s*$", re.MULTILINE)
#: An HTML anchor on a line of its own (the glossary's entries): a MyST target on the site, so
#: that links such as ``glossary.md#gossip`` resolve as cross-references.
HTML_ANCHOR = re.compile(r'^<a id="([^"]+)"></a>[ \t]*$', re.MULTILINE)
#: A Markdown link to a file outside notebooks/ (README, a tool, p2plib's code): on the site it
#: points at the file in the repository instead (the site holds only the course's pages).
OUTSIDE_LINK = re.compile(r"\]\((\.\./[^)\s#]+)(#[^)\s]*)?\)")
WIDGETS_NPM = "@jupyter-widgets/html-manager"
WIDGETS_DIR = CONF_DIR / "_static" / "vendor" / "html-manager"


def chapters() -> list[pathlib.Path]:
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def repository() -> str:
    """The repository's web address, as site/conf.py names it (REPOSITORY)."""
    return runpy.run_path(str(CONF_DIR / "conf.py"))["REPOSITORY"]


def link_outside(text: str, repo: str) -> str:
    """``](../path)`` links (out of notebooks/) as links to the file in the repository."""
    def to_repository(match):
        target = (NOTEBOOKS / match.group(1)).resolve()
        try:
            path = target.relative_to(ROOT).as_posix()
        except ValueError:
            return match.group(0)
        kind = "tree" if target.is_dir() else "blob"
        return f"]({repo}/{kind}/main/{path}{match.group(2) or ''})"
    return OUTSIDE_LINK.sub(to_repository, text)


def readme_sections(text: str) -> dict[str, str]:
    """README's ``## `` sections by title; the text before the first one under ``""``."""
    sections, title, lines = {}, "", []
    for line in text.splitlines():
        if line.startswith("## "):
            sections[title] = "\n".join(lines).strip()
            title, lines = line[3:].strip(), []
        else:
            lines.append(line)
    sections[title] = "\n".join(lines).strip()
    return sections


def home_page(readme: str, references: list[str]) -> str:
    """The home page (MyST): README's title and introduction, its chapter table, the menu."""
    sections = readme_sections(readme)
    head = sections[""].splitlines()
    title = next(line for line in head if line.startswith("# "))
    intro = "\n".join(line for line in head
                      if line != title and not line.startswith("[![")).strip()
    chapter_map = sections["Chapters"].replace("](notebooks/", "](")
    chapter_docs = "\n".join(p.stem for p in chapters())
    reference_docs = "\n".join(references)
    lecturer = ("The [lecturer's guide](lecturers_guide.md) says how to teach with it."
                if "lecturers_guide" in references else "")
    return f"""{title}

{intro}

## The chapters

Each chapter is a notebook: read it here, with its figures and the explorers as last run, or
press the rocket button at the top of a chapter to run it yourself: on **Binder** (JupyterLab
in the cloud, nothing to install), on **Colab** (a Google account), or in **JupyterLite**
(Python in your browser). The times are for working through a chapter, exercises included.

{chapter_map}

{lecturer}

```{{toctree}}
:hidden:
:caption: Chapters

{chapter_docs}
```

```{{toctree}}
:hidden:
:caption: Reference

{reference_docs}
```
"""


def stage(dest: pathlib.Path) -> list[str]:
    """Copy the site's sources into ``dest``; return the reference pages found."""
    repo = repository()
    for notebook in chapters():
        data = json.loads(notebook.read_text(encoding="utf-8"))
        for cell in data["cells"]:
            if cell["cell_type"] == "markdown":
                text = "".join(cell["source"])
                if COLAB_BADGE.search(text):
                    text = COLAB_BADGE.sub("", text).lstrip("\n").replace("\n\n\n", "\n\n")
                cell["source"] = link_outside(text, repo)
        (dest / notebook.name).write_text(json.dumps(data), encoding="utf-8")
    references = []
    for name in REFERENCE_PAGES:
        source = NOTEBOOKS / f"{name}.md"
        if source.is_file():
            text = source.read_text(encoding="utf-8")
            text = link_outside(HTML_ANCHOR.sub(r"(\1)=", text), repo)
            (dest / source.name).write_text(text, encoding="utf-8")
            references.append(name)
        else:
            print(f"note: notebooks/{name}.md is missing: the site has no such page")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (dest / "index.md").write_text(home_page(readme, references), encoding="utf-8")
    return references


def _build_lite_module():
    spec = importlib.util.spec_from_file_location("build_lite", ROOT / "tools" / "build_lite.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_lite(out_dir: pathlib.Path, pyodide: pathlib.Path | None) -> str | None:
    """Build the JupyterLite site into ``out_dir``; return why not, or None when built."""
    if importlib.util.find_spec("jupyterlite_core") is None:
        return "jupyterlite-core is not installed (pip install -r requirements.txt)"
    # with no network, pip's default retries would wait ~30 s before saying so
    quick = {key: value for key, value in (("PIP_RETRIES", "1"), ("PIP_TIMEOUT", "10"))
             if key not in os.environ}
    os.environ.update(quick)
    try:
        _build_lite_module().build(out_dir, pyodide=pyodide)
    except (subprocess.CalledProcessError, OSError, StopIteration) as error:
        shutil.rmtree(out_dir, ignore_errors=True)
        command = " ".join(str(a) for a in getattr(error, "cmd", [])[2:5])
        hint = ("" if os.environ.get("P2P_LITE_WHEELHOUSE") else
                "; with no network, first fill a wheelhouse (python tools/build_lite.py "
                "--fetch DIR) and set P2P_LITE_WHEELHOUSE=DIR")
        return f"its build failed ({command or error}){hint}"
    finally:
        for key in quick:
            os.environ.pop(key, None)
    return None


def build(out_dir: pathlib.Path, *, lite: bool = True, require_lite: bool = False,
          pyodide: pathlib.Path | None = None, strict: bool = False) -> dict:
    """Build the website into ``out_dir`` (replaced); return what was built and how long."""
    from sphinx.cmd.build import build_main

    out_dir = out_dir.resolve()
    started = time.perf_counter()
    lite_note = "not asked for (--no-lite)"
    with tempfile.TemporaryDirectory(prefix="p2p-site-") as tmp:
        tmp = pathlib.Path(tmp)
        lite_dir = tmp / "lite"
        if lite:
            lite_note = build_lite(lite_dir, pyodide)
            if lite_note and require_lite:
                raise SystemExit(f"JupyterLite could not be built: {lite_note}")
        lite_built = lite and lite_note is None
        lite_seconds = time.perf_counter() - started
        source = tmp / "src"
        source.mkdir()
        references = stage(source)
        if out_dir.exists():
            shutil.rmtree(out_dir)
        argv = ["-b", "html", "-q", "-c", str(CONF_DIR), "-d", str(tmp / "doctrees"),
                "-D", f"course_lite={int(lite_built)}", str(source), str(out_dir)]
        if strict:
            argv[:0] = ["-W", "--keep-going"]  # a broken link or image fails the build
        if build_main(argv) != 0:
            raise SystemExit("sphinx-build failed (see above)")
        if lite_built:
            shutil.copytree(lite_dir, out_dir / "lite")
    return {"out_dir": out_dir, "lite": lite_built, "lite_note": lite_note,
            "references": references, "seconds": time.perf_counter() - started,
            "lite_seconds": lite_seconds if lite_built else 0.0}


def vendor_widgets(version: str) -> None:
    """Refresh site/_static/vendor/html-manager from the npm package (needs npm and network)."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", "--silent", f"{WIDGETS_NPM}@{version}"], cwd=tmp,
                       check=True, stdout=subprocess.DEVNULL)
        archive = next(pathlib.Path(tmp).glob("*.tgz"))
        subprocess.run(["tar", "xzf", archive.name], cwd=tmp, check=True)
        dist = pathlib.Path(tmp) / "package" / "dist"
        for old in [*WIDGETS_DIR.glob("*.js"), *WIDGETS_DIR.glob("*.woff*")]:
            old.unlink()
        for new in [dist / "embed.js", *dist.glob("*.woff2"), *dist.glob("*.woff")]:
            shutil.copy2(new, WIDGETS_DIR / new.name)
    print(f"{WIDGETS_DIR}: {WIDGETS_NPM}@{version}; update its NOTICE.md")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", type=pathlib.Path, default=ROOT / "build" / "site")
    parser.add_argument("--no-lite", action="store_true",
                        help="leave out the JupyterLite site (lite/) and its launch button")
    parser.add_argument("--require-lite", action="store_true",
                        help="fail when the JupyterLite site cannot be built")
    parser.add_argument("--strict", action="store_true",
                        help="fail on any Sphinx warning (a broken cross-reference, say)")
    env_pyodide = os.environ.get("P2P_PYODIDE_DIR")
    parser.add_argument("--pyodide", type=pathlib.Path,
                        default=pathlib.Path(env_pyodide) if env_pyodide else None,
                        help="npm package pyodide for lite/ (default: $P2P_PYODIDE_DIR)")
    parser.add_argument("--vendor-widgets", metavar="VERSION",
                        help=f"only refresh the vendored {WIDGETS_NPM} from npm")
    args = parser.parse_args(argv)
    if args.vendor_widgets:
        vendor_widgets(args.vendor_widgets)
        return 0
    report = build(args.out_dir, lite=not args.no_lite, require_lite=args.require_lite,
                   pyodide=args.pyodide, strict=args.strict)
    lite = ("with the JupyterLite site in lite/" if report["lite"] else
            f"JupyterLite skipped: {report['lite_note']}")
    print(f"website in {report['out_dir']} ({report['seconds']:.0f} s; {lite})")
    print(f"try:  python -m http.server -d {report['out_dir']} 8000")
    return 0


if __name__ == "__main__":
    sys.exit(main())
