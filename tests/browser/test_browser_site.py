"""The course website, built offline and read in a real browser, as a student would.

``python tools/build_site.py`` builds the site into a temporary folder (from the committed
notebooks' stored outputs; with the JupyterLite site in ``lite/`` when it can be built: CI's
``.ci/run`` provides the wheelhouse and Pyodide core for that, and there it must be built); a
loopback HTTP server serves it, and every request off this machine is answered empty and listed
(see the ``page`` fixture), so a page that needs a CDN shows up here. The build is strict: a
Sphinx warning (a cross-reference that leads nowhere, an image it cannot read) fails it.

Checked on every chapter page: no console error and nothing fetched from another host; every
stored figure present, loaded, and with alternative text that states its finding (its titles,
as stored with the output by ``viz.use_course_style``); the explorers' saved state drawn;
headings in order; every internal link resolves (file and anchor); the launch buttons open this
chapter on Binder, Colab and the site's JupyterLite. Also: the home page's chapter map, the
reference pages, next/previous navigation, search, a phone-sized screen and the dark theme.
"""

from __future__ import annotations

import functools
import html.parser
import importlib.util
import itertools
import json
import pathlib
import re
import subprocess
import sys
import urllib.parse

import pytest

from .browserkit import CHAPTERS, REQUIRED, ROOT, static_server
from .pagecheck import expected_explorers

pytestmark = pytest.mark.browser

PNG = "image/png"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
BUILD_TIMEOUT = 600  # s: ~5 s for the pages, ~30 s more with JupyterLite, on a busy machine
RENDER_TIMEOUT_MS = 30_000
README = (ROOT / "README.md").read_text(encoding="utf-8")
#: The repository that README's Binder badge launches: the launch buttons must use it too.
REPO = re.search(r"mybinder\.org/v2/gh/([^/]+/[^/]+)/", README).group(1)
REFERENCES = [name for name in ("glossary", "sources", "lecturers_guide")
              if (ROOT / "notebooks" / f"{name}.md").is_file()]



@pytest.fixture(scope="module")
def site(chromium, tmp_path_factory):
    """(URL, folder) of the freshly built website, served from a loopback port."""
    missing = [name for name in ("sphinx", "myst_nb", "sphinx_book_theme")
               if importlib.util.find_spec(name) is None]
    if missing:
        message = f"{', '.join(missing)} not installed: pip install -r requirements-dev.txt"
        if REQUIRED:
            pytest.fail(f"P2P_BROWSER_TESTS is set but {message}")
        pytest.skip(message)
    out = tmp_path_factory.mktemp("website") / "site"
    argv = [sys.executable, "tools/build_site.py", "--out-dir", str(out), "--strict"]
    if REQUIRED:
        argv.append("--require-lite")      # CI provides what an offline JupyterLite build needs
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True,
                          timeout=BUILD_TIMEOUT, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    print(done.stdout.splitlines()[-2] if done.stdout else "")
    with static_server(out) as url:
        yield url, out


def stored_figures(notebook: pathlib.Path) -> tuple[list, list]:
    """The alt texts stored with a notebook's figures: (cell outputs in order, explorers').

    An entry is None where a figure was stored without one.
    """
    data = json.loads(notebook.read_text(encoding="utf-8"))

    def alt(output):
        return output.get("metadata", {}).get(PNG, {}).get("alt")

    cells = [alt(o) for c in data["cells"] for o in c.get("outputs", [])
             if PNG in o.get("data", {})]
    state = data["metadata"].get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    widgets = [alt(o) for m in state.values() for o in m["state"].get("outputs", [])
               if PNG in o.get("data", {})]
    return cells, widgets


class _Ids(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        self.ids.update(value for key, value in attrs if key in ("id", "name") and value)


@functools.cache
def _ids(path: pathlib.Path) -> frozenset:
    parser = _Ids()
    parser.feed(path.read_text(encoding="utf-8"))
    return frozenset(parser.ids)


def broken_links(hrefs: list[str], base: str, folder: pathlib.Path) -> list[str]:
    """The links to this site that lead to no file, or to no such anchor in the page."""
    broken = []
    for href in hrefs:
        if not href.startswith(base + "/"):
            continue
        parts = urllib.parse.urlsplit(href)
        path = folder / urllib.parse.unquote(parts.path).lstrip("/")
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            broken.append(href)
        elif parts.fragment and path.suffix == ".html" and \
                urllib.parse.unquote(parts.fragment) not in _ids(path):
            broken.append(href)
    return broken


def heading_problems(headings: list) -> list:
    """Headings out of order: one h1 (the page's title) first, then no level skipped."""
    problems = [] if [level for level, _ in headings].count(1) == 1 and headings[0][0] == 1 \
        else [("h1", headings[:2])]
    problems += [(a, b) for a, b in itertools.pairwise(headings)
                 if b[0] > a[0] + 1]
    return problems


_HEADINGS_JS = """() => [...document.querySelectorAll('main article :is(h1, h2, h3, h4, h5, h6)')]
    .map(h => [Number(h.tagName[1]), h.textContent.trim()])"""


def open_page(page, url: str, explorers: int = 0) -> None:
    """Open a page and wait until its explorers' saved figures are drawn."""
    page.goto(url)
    page.wait_for_load_state("load")
    if explorers:
        page.wait_for_function(
            "n => document.querySelectorAll('.widget-output img[alt]').length >= n",
            arg=explorers, timeout=RENDER_TIMEOUT_MS)


_PAGE_FACTS_JS = """() => {
  const main = document.querySelector('main');
  const images = [...main.querySelectorAll('article img')].filter(i => i.closest('.cell_output'));
  const facts = i => ({alt: i.getAttribute('alt'), loaded: i.complete && i.naturalWidth > 0,
                       widget: i.closest('.widget-output') !== null});
  return {
    images: images.map(facts),
    headings: [...main.querySelectorAll('article h1, article h2, article h3, article h4,'
                                        + ' article h5, article h6')]
        .map(h => [Number(h.tagName[1]), h.textContent.trim()]),
    links: [...document.querySelectorAll('a[href]')].map(a => a.href),
    launch: [...document.querySelectorAll('.dropdown-launch-buttons a')]
        .map(a => [a.textContent.trim(), a.href]),
    next: [...document.querySelectorAll('.prev-next-area a.right-next')].map(a => a.href),
  };
}"""


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.stem[:2] for c in CHAPTERS])
def test_chapter_page(site, page, chapter):
    url, folder = site
    explorers = expected_explorers(chapter)
    open_page(page, f"{url}/{chapter.stem}.html", explorers)
    facts = page.evaluate(_PAGE_FACTS_JS)

    assert page.console_errors == []
    assert page.external == [], "the page fetched from another host (a CDN?)"

    # figures: all there, loaded, each with its finding (the stored titles) as alt text
    cell_alts, widget_alts = stored_figures(chapter)
    shown = [i for i in facts["images"] if not i["widget"]]
    drawn = [i for i in facts["images"] if i["widget"]]
    assert len(shown) == len(cell_alts) and len(drawn) == len(widget_alts) >= explorers
    assert all(i["loaded"] for i in facts["images"])
    assert all(i["alt"] for i in facts["images"])      # (stored, or the fallback below)

    assert heading_problems(facts["headings"]) == []

    assert broken_links(facts["links"], url, folder) == []

    # launch buttons: this chapter on Binder, on Colab and in the site's own JupyterLite
    launch = dict(facts["launch"])
    notebook = f"notebooks/{chapter.name}"
    assert launch["Binder"] == (f"https://mybinder.org/v2/gh/{REPO}/main"
                                f"?urlpath=lab/tree/{notebook}")
    assert launch["Colab"] == f"https://colab.research.google.com/github/{REPO}/blob/main/{notebook}"
    lite = folder / "lite"
    if lite.is_dir():
        assert launch["JupyterLite"] == f"{url}/lite/lab/index.html?path={chapter.name}"
        listing = json.loads((lite / "api" / "contents" / "all.json").read_text())
        assert chapter.name in {item["name"] for item in listing["content"]}
    else:
        assert not REQUIRED, "CI must build the site with JupyterLite"
        assert "JupyterLite" not in launch

    # navigation: the next chapter follows
    index = CHAPTERS.index(chapter)
    if index + 1 < len(CHAPTERS):
        assert facts["next"] == [f"{url}/{CHAPTERS[index + 1].stem}.html"]

    # last, as it fails for a notebook stored before figures carried their titles: each
    # figure's alt text is the one stored with it (its titles), not the site's fallback
    missing = [n for n, alt in enumerate(cell_alts + widget_alts, 1) if not alt]
    assert not missing, (f"figures {missing} of {chapter.name} were stored without alt text: "
                         f"re-execute it (python tools/run_notebooks.py {chapter})")
    assert [i["alt"] for i in shown] == cell_alts
    assert sorted(i["alt"] for i in drawn) == sorted(widget_alts)


def test_home_page_maps_the_course(site, page):
    url, folder = site
    open_page(page, f"{url}/index.html")
    assert page.console_errors == [] and page.external == []
    text = page.locator("main").inner_text()
    title = next(line for line in README.splitlines() if line.startswith("# "))[2:]
    assert page.locator("main h1").first.inner_text().strip() == title
    # the chapter map, with README's times, each entry a link to its chapter
    for row in re.findall(r"^\| \[([^]]+)\]\(notebooks/([^)]+)\.ipynb\) \|.*\| ([^|]+) \|$",
                          README, re.MULTILINE):
        label, stem, minutes = row
        assert minutes.strip() in text
        assert page.locator(f"main article a[href='{stem}.html']").first.inner_text() == label
    assert heading_problems(page.evaluate(_HEADINGS_JS)) == []
    links = page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.href)")
    for name in ["glossary", *REFERENCES]:
        assert f"{url}/{name}.html" in links, f"{name} is not in the site's menu"
    assert broken_links(links, url, folder) == []
    for name in REFERENCES:
        open_page(page, f"{url}/{name}.html")
        assert page.console_errors == [] and page.external == []
        assert heading_problems(page.evaluate(_HEADINGS_JS)) == [], name
        links = page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.href)")
        assert broken_links(links, url, folder) == []


def test_search_finds_a_word_from_a_chapter(site, page):
    url, _folder = site
    # a word of chapter 01's text (percolation: when an overlay falls apart)
    page.goto(f"{url}/search.html?q=percolation")
    results = page.locator("#search-results ul.search li a")
    results.first.wait_for(timeout=RENDER_TIMEOUT_MS)
    hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
    assert any(CHAPTERS[1].stem in href for href in hrefs), hrefs
    assert page.console_errors == [] and page.external == []


@pytest.mark.parametrize("chapter", [CHAPTERS[2]], ids=lambda c: c.stem[:2])
def test_phone_screen_and_dark_theme(site, page, chapter):
    """On a 375 px phone screen nothing is wider than the screen; in a dark browser theme the
    site turns dark, and figures and explorers keep their white background and black text."""
    url, _folder = site
    page.set_viewport_size({"width": 375, "height": 800})
    page.emulate_media(color_scheme="dark")
    open_page(page, f"{url}/{chapter.stem}.html", expected_explorers(chapter))
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], widths
    look = page.evaluate("""() => {
      const style = e => getComputedStyle(e);
      const card = document.querySelector('.cell_output .widget-subarea');
      const figure = document.querySelector('.cell_output > .output img, .cell_output img');
      return {theme: document.documentElement.dataset.theme,
              body: style(document.body).backgroundColor,
              card: style(card).backgroundColor, cardText: style(card.querySelector('h3')).color,
              filter: style(figure).filter,
              wide: [...document.querySelectorAll('main img')]
                  .filter(i => i.getBoundingClientRect().right > window.innerWidth + 1).length};
    }""")
    assert look["theme"] == "dark"
    assert _luminance(look["body"]) < 0.2
    assert look["card"] == "rgb(255, 255, 255)" and look["cardText"] == "rgb(0, 0, 0)"
    assert look["filter"] == "none"
    assert look["wide"] == 0
    assert page.console_errors == [] and page.external == []


def _luminance(css_colour: str) -> float:
    r, g, b = (int(v) / 255 for v in re.findall(r"\d+", css_colour)[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_jupyterlite_button_opens_the_chapter(site, page):
    """The JupyterLite button of a chapter opens that very notebook in the site's lite/."""
    url, folder = site
    if not (folder / "lite").is_dir():
        assert not REQUIRED, "CI must build the site with JupyterLite"
        pytest.skip("the site was built without JupyterLite (see the build's message)")
    chapter = CHAPTERS[1]
    open_page(page, f"{url}/{chapter.stem}.html")
    button = page.locator(".dropdown-launch-buttons a", has_text="JupyterLite")
    page.goto(urllib.parse.urljoin(page.url, button.get_attribute("href")))
    title = json.loads(chapter.read_text(encoding="utf-8"))["cells"][0]["source"][0]
    heading = page.locator(".jp-Notebook .jp-MarkdownOutput h1").first
    heading.wait_for(timeout=120_000)
    assert title.lstrip("# ").strip()[:20] in heading.inner_text()
