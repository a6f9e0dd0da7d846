"""Helpers of the browser tests: Chromium settings, free ports, throwaway servers.

(The fixtures that use them are in conftest.py.)

The browser is Debian's Chromium (``/usr/bin/chromium``, or ``$P2P_CHROMIUM``) driven by the
``playwright`` Python package; no browser is ever downloaded (never run ``playwright install``).

Every test here carries the ``browser`` marker. Without Chromium or playwright they are
skipped, so a student's ``pytest`` stays green; with ``P2P_BROWSER_TESTS=1`` (CI sets it in
``.ci/run``) a missing browser is a failure instead.

Servers listen on a free loopback port, with a throwaway HOME and Jupyter config, and serve a
copy of ``notebooks/`` so that nothing a test does (or an autosave) can touch the repository.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import pathlib
import socket
import subprocess
import threading
import time
from typing import ClassVar

ROOT = pathlib.Path(__file__).resolve().parents[2]
#: The course's chapters, in order.
CHAPTERS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
CHROMIUM = os.environ.get("P2P_CHROMIUM", "/usr/bin/chromium")
REQUIRED = os.environ.get("P2P_BROWSER_TESTS", "") not in ("", "0")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-quic",
]
SERVER_START_TIMEOUT = 90  # s: a cold JupyterLab start on a busy 2-core machine takes ~10 s


class ServerURL(str):
    """A server's base URL that also knows the server's log file (``.log``)."""

    log: pathlib.Path

    def __new__(cls, url: str, log: pathlib.Path):
        self = super().__new__(cls, url)
        self.log = log
        return self


def missing_browser() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    if not os.access(CHROMIUM, os.X_OK):
        return f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium)"
    return None


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, timeout: float) -> None:
    """Wait until something accepts connections on ``port`` (no HTTP request is sent)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early with code {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return
        time.sleep(0.2)
    raise TimeoutError(f"nothing listening on port {port} after {timeout} s")


def throwaway_env(home: pathlib.Path) -> dict:
    """Environment for a server: its own HOME, Jupyter config/runtime dirs and Lab settings.

    JupyterLab's user settings turn autosave off (the test never writes to a notebook) and
    otherwise keep JupyterLab's defaults, as a student has them: notebook windowing is on, so
    cells out of view are not in the page until scrolled to (the tests scroll).
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "JPY_"))}
    env.pop("MPLBACKEND", None)  # kernels must use the inline backend, as a student's do
    settings = home / "lab-settings"
    for plugin, text in {
        "@jupyterlab/docmanager-extension/plugin": '{"autosave": false}',
        "@jupyterlab/apputils-extension/notification": '{"fetchNews": "false",'
                                                       ' "checkForUpdates": false}',
    }.items():
        path = settings / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    env.update(HOME=str(home), JUPYTER_CONFIG_DIR=str(home / "config"),
               JUPYTER_RUNTIME_DIR=str(home / "runtime"),
               JUPYTERLAB_SETTINGS_DIR=str(settings),
               JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
               # the course's Jupyter configuration: Voila's kernels get bounded waits
               JUPYTER_CONFIG_PATH=str(ROOT / "jupyter-config"),
               PYTHONPATH=str(ROOT))
    return env


@contextlib.contextmanager
def server(argv: list[str], port: int, home: pathlib.Path, log_name: str,
           cwd: pathlib.Path | None = None):
    """Run a server command (in ``cwd``, else ``home``) until the block ends.

    Its log goes to ``home/<log_name>``.
    """
    log = (home / log_name).open("w")
    process = subprocess.Popen(argv, env=throwaway_env(home), stdout=log,
                               stderr=subprocess.STDOUT, cwd=cwd or home)
    try:
        try:
            wait_for_port(port, process, SERVER_START_TIMEOUT)
        except (RuntimeError, TimeoutError) as error:
            log.flush()
            raise RuntimeError(f"{error}\n{(home / log_name).read_text()[-3000:]}") from error
        yield process
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a static folder with the types a JupyterLite site needs, without logging."""

    extensions_map: ClassVar[dict] = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                                      ".wasm": "application/wasm", ".mjs": "text/javascript",
                                      ".js": "text/javascript", ".json": "application/json"}

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def static_server(folder: pathlib.Path):
    """Serve ``folder`` on a free loopback port for the block; yields its URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        httpd.server_close()
