"""The JupyterLite site, built offline and opened offline in a real browser.

``tools/build_lite.py`` builds the static site into a temporary folder (from the notebooks and
a p2plib wheel); a loopback HTTP server serves it and every request off this machine is
answered empty (see the ``page`` fixture), so nothing here uses the network.

What can be checked offline:

- the site opens, lists every chapter and shows a chapter notebook;
- with a Pyodide core in the site (``P2P_PYODIDE_DIR``: the npm package ``pyodide`` unpacked,
  as ``.ci/run`` provides it) the Pyodide kernel boots in the browser, runs Python and installs
  p2plib from the site's own wheel index.

What cannot: running the chapters. numpy, scipy and matplotlib come from Pyodide's
distribution on its CDN when a student opens the site (README says so); they are not on PyPI
or npm for WebAssembly, so no test here can fetch them.
"""

from __future__ import annotations

import importlib.util
import json
import os
import pathlib
import shutil
import urllib.parse

import pytest

from .browserkit import CHAPTERS, REQUIRED, ROOT, static_server

pytestmark = pytest.mark.browser

PYODIDE_DIR = os.environ.get("P2P_PYODIDE_DIR")
KERNEL_TIMEOUT_MS = 180_000  # Pyodide boot (~10 MB of WebAssembly) plus the kernel's wheels


def _build_lite():
    spec = importlib.util.spec_from_file_location("build_lite", ROOT / "tools" / "build_lite.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module



@pytest.fixture(scope="module")
def lite_site(chromium, tmp_path_factory):
    """URL of the freshly built JupyterLite site, served from a loopback port."""
    pytest.importorskip("jupyterlite_core")
    pyodide = pathlib.Path(PYODIDE_DIR) if PYODIDE_DIR else None
    site = _build_lite().build(tmp_path_factory.mktemp("lite") / "site", pyodide=pyodide)
    with static_server(site) as url:
        yield url, site


def test_lite_site_lists_every_chapter_and_shows_one(lite_site, page):
    url, site = lite_site
    listing = json.loads((site / "api" / "contents" / "all.json").read_text())
    names = {item["name"] for item in listing["content"]}
    assert {p.name for p in CHAPTERS} <= names
    assert list((site / "pypi").glob("p2plib-*.whl")), "the p2plib wheel ships with the site"
    chapter = CHAPTERS[0]
    page.goto(f"{url}/lab/index.html?path={urllib.parse.quote(chapter.name)}")
    title = json.loads(chapter.read_text(encoding="utf-8"))["cells"][0]["source"][0]
    heading = page.locator(".jp-Notebook .jp-MarkdownOutput h1").first
    heading.wait_for(timeout=120_000)
    assert title.lstrip("# ").strip()[:20] in heading.inner_text()
    assert page.console_errors == [] or all("favicon" in m for m in page.console_errors)


def test_lite_kernel_boots_offline_and_installs_p2plib_from_the_site(lite_site, page):
    if not PYODIDE_DIR:
        if REQUIRED and shutil.which("npm"):
            pytest.fail("P2P_BROWSER_TESTS is set and npm exists, but P2P_PYODIDE_DIR "
                        "(npm pyodide) is not")
        pytest.skip("P2P_PYODIDE_DIR not set: no Pyodide core to boot offline")
    url, _site = lite_site
    code = ("import sys, importlib.metadata, piplite\n"
            "await piplite.install('p2plib', deps=False)\n"
            "print('BOOTED', sys.platform, 6 * 7, importlib.metadata.version('p2plib'))")
    page.goto(f"{url}/repl/index.html?kernel=python&code={urllib.parse.quote(code)}")
    output = page.locator(".jp-OutputArea-output", has_text="BOOTED").first
    output.wait_for(timeout=KERNEL_TIMEOUT_MS)
    assert output.inner_text().split() == ["BOOTED", "emscripten", "42", "0.1.0"]
    assert not [u for u in page.external if "pyodide" in u], "Pyodide came from the CDN"
