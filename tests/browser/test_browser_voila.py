"""A chapter as a Voilà app, as a lecturer starts it, in a real browser.

``voila notebooks/NN_name.ipynb`` (README, "For lecturers") runs the chapter and shows its
text, figures and live explorers without code. The test starts Voilà the same way on a free
loopback port (a throwaway HOME and config), opens the app once (each page load starts a
kernel, so readiness is probed on the port, never with a GET), waits for every explorer, moves
a slider of each and checks that its figure changes, and that the console shows no widget error.
"""

from __future__ import annotations

import sys

import pytest

from .browserkit import CHAPTERS, ServerURL, free_port, server
from .pagecheck import (
    assert_explorers_respond,
    expected_explorers,
    retry_kernel_stalls,
    wait_for_explorers,
)

pytestmark = pytest.mark.browser

# The first chapter with an explorer (chapter 01 today: two explorers).
APP = next((p for p in CHAPTERS if p.stem >= "01" and expected_explorers(p)), None)
APP_TIMEOUT_MS = 90_000  # Voilà runs the whole chapter (< 30 s) before it shows the widgets


@pytest.fixture(scope="module")
def voila_app(chromium, served_notebooks, tmp_path_factory):
    pytest.importorskip("voila")
    if APP is None:
        pytest.skip("no chapter with an explorer yet")
    home = tmp_path_factory.mktemp("voila-home")
    port = free_port()
    argv = [sys.executable, "-m", "voila", f"notebooks/{APP.name}", "--no-browser",
            f"--port={port}", "--Voila.ip=127.0.0.1", "--Voila.port_retries=0"]
    # From the top of (a copy of) the repository, as README tells a lecturer.
    with server(argv, port, home, "voila.log", cwd=served_notebooks):
        yield ServerURL(f"http://127.0.0.1:{port}/", home / "voila.log")


def test_chapter_works_as_a_voila_app(voila_app, page, kernel_stalls):
    count = expected_explorers(APP)
    def open_app():
        page.goto(voila_app, wait_until="commit")
        return wait_for_explorers(page, count, timeout_ms=APP_TIMEOUT_MS)

    # each page load starts a fresh kernel: a stalled one needs no other recovery
    found = retry_kernel_stalls("Voilà", open_app, page.console_errors.clear, kernel_stalls,
                                voila_app.log)
    assert len(found) == count, found
    # Voilà hides code and shows no tracebacks by default; an error would leave it without
    # the explorers above. Every explorer answers a slider:
    assert_explorers_respond(page, found)
