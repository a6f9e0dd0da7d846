"""Fixtures for the browser tests: a headless Chromium, a JupyterLab and a Voilà server.

See browserkit.py for how the browser and servers are set up (offline, throwaway config), and
why every test here is skipped without Chromium unless ``P2P_BROWSER_TESTS=1``.
"""

from __future__ import annotations

import shutil
import sys
import time
import urllib.parse
import urllib.request

import pytest

from .browserkit import (
    CHROMIUM,
    CHROMIUM_ARGS,
    REQUIRED,
    ROOT,
    SERVER_START_TIMEOUT,
    ServerURL,
    free_port,
    missing_browser,
    server,
)
from .pagecheck import KernelStalls


@pytest.fixture(scope="session")
def chromium():
    """A headless Debian Chromium driven by playwright (skips, or fails in CI, without one)."""
    reason = missing_browser()
    if reason:
        if REQUIRED:
            pytest.fail(f"P2P_BROWSER_TESTS is set but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def served_notebooks(tmp_path_factory):
    """A throwaway copy of the course's notebooks (and dashboards, if any) to serve."""
    root = tmp_path_factory.mktemp("served")
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    if (ROOT / "dashboards").is_dir():
        shutil.copytree(ROOT / "dashboards", root / "dashboards")
    return root


@pytest.fixture(scope="session")
def jupyterlab(chromium, served_notebooks, tmp_path_factory):
    """Base URL of a JupyterLab serving the copy of notebooks/ (one server per session)."""
    home = tmp_path_factory.mktemp("lab-home")
    port = free_port()
    argv = [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
            f"--port={port}", "--ServerApp.ip=127.0.0.1", "--ServerApp.port_retries=0",
            "--IdentityProvider.token=", "--ServerApp.password=",
            "--ServerApp.disable_check_xsrf=True", f"--ServerApp.root_dir={served_notebooks}",
            "--LabApp.news_url=", "--LabApp.check_for_updates_class="
            "jupyterlab.handlers.announcements.NeverCheckForUpdate"]
    with server(argv, port, home, "jupyterlab.log"):
        url = ServerURL(f"http://127.0.0.1:{port}", home / "jupyterlab.log")
        # One cheap API request (not a page, which would start nothing but costs time).
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/status", timeout=5).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        yield url


@pytest.fixture(scope="session")
def kernel_stalls(tmp_path_factory):
    """Where every kernel stall of the session is recorded, with its server's log."""
    return KernelStalls(tmp_path_factory.mktemp("stalls") / "kernel-stalls.log")


@pytest.fixture()
def page(chromium):
    """A fresh browser page that records console errors and uncaught page errors."""
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    # The tests run offline: a request off this machine (the Colab badge's image, a CDN) gets
    # an empty answer at once instead of a DNS error, and is listed in ``page.external``.
    page.external = []

    def offline(route):
        host = urllib.parse.urlsplit(route.request.url).hostname or ""
        if host in ("127.0.0.1", "localhost", "::1") or route.request.url.startswith("data:"):
            route.continue_()
        else:
            page.external.append(route.request.url)
            route.fulfill(status=204, body="")

    context.route("**/*", offline)
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    page.on("pageerror", lambda exc: page.console_errors.append(f"uncaught: {exc}"))
    yield page
    context.close()
