"""Every chapter in a real JupyterLab, in a real browser: run all, see and move each explorer.

For each ``notebooks/NN_*.ipynb`` (found by glob, so a new chapter is covered at once): open it
in JupyterLab, clear the stored outputs, run all cells, wait until every code cell has run,
check that each explorer shows its controls and a figure, move the first slider of each
explorer with the keyboard and check that its figure changes, and check that the browser
console shows no widget errors and no cell raised an error.
"""

from __future__ import annotations

import contextlib
import json
import pathlib
import urllib.request

import pytest

from .browserkit import CHAPTERS
from .pagecheck import (
    assert_explorers_respond,
    expected_explorers,
    retry_kernel_stalls,
    wait_for_explorers,
)

pytestmark = pytest.mark.browser

RUN_TIMEOUT_MS = 120_000  # a chapter runs in < 30 s (CONTRIBUTING); browser and CI add slack
KERNEL_TIMEOUT_MS = 60_000  # a kernel starts in a few seconds
FIRST_CELL_TIMEOUT_MS = 30_000


def _menu(page, menu: str, command: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=menu).first.click()
    page.locator(f'.lm-Menu-item[data-command="{command}"]').first.click()


def _shutdown_kernels(base_url: str) -> None:
    """Shut down every kernel of the test's JupyterLab (REST API; no token in the tests)."""
    with urllib.request.urlopen(f"{base_url}/api/kernels", timeout=10) as response:
        kernels = json.load(response)
    for kernel in kernels:
        request = urllib.request.Request(f"{base_url}/api/kernels/{kernel['id']}",
                                         method="DELETE")
        with contextlib.suppress(OSError):
            urllib.request.urlopen(request, timeout=20).read()


def _open_and_run_all(page, base_url: str, notebook: pathlib.Path) -> None:
    """Open ``notebook``, clear its outputs, run all cells and wait until each has run."""
    page.goto(f"{base_url}/lab/tree/notebooks/{notebook.name}?reset")
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=90_000)
    # The kernel must be up before "Run All"; its status shows in the notebook's toolbar.
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook-ExecutionIndicator"
                           "[data-status='idle']", timeout=KERNEL_TIMEOUT_MS)
    _menu(page, "Edit", "editmenu:clear-all")
    n_code = page.locator(".jp-NotebookPanel .jp-CodeCell").count()
    assert n_code > 0
    _menu(page, "Run", "runmenu:run-all")
    # Each code cell's prompt reads "[n]:" once it has run ("[*]:" while queued or running).
    # The first code cell (the install cell) takes milliseconds: if it has not run within
    # FIRST_CELL_TIMEOUT_MS, the kernel has stalled.
    page.wait_for_function(
        """() => /\\[\\d+\\]/.test(document.querySelector(
            '.jp-NotebookPanel .jp-CodeCell .jp-InputArea-prompt').textContent)""",
        timeout=FIRST_CELL_TIMEOUT_MS, polling=250)
    page.wait_for_function(
        """(n) => {
            const prompts = [...document.querySelectorAll(
                '.jp-NotebookPanel .jp-CodeCell .jp-InputArea-prompt')];
            return prompts.length === n && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
        }""", arg=n_code, timeout=RUN_TIMEOUT_MS, polling=500)


@pytest.mark.parametrize("notebook", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_chapter_runs_and_explorers_respond_in_jupyterlab(jupyterlab, page, notebook):
    def fresh_kernel():
        _shutdown_kernels(jupyterlab)
        page.console_errors.clear()

    retry_kernel_stalls(notebook.name, lambda: _open_and_run_all(page, jupyterlab, notebook),
                        fresh_kernel)
    try:
        _check_page(page, notebook)
    finally:
        _shutdown_kernels(jupyterlab)


def _check_page(page, notebook: pathlib.Path) -> None:
    # Tracebacks and warnings render as stderr/error outputs; the stored chapters have none.
    tracebacks = page.locator(".jp-OutputArea-output[data-mime-type$='stderr'],"
                              " .jp-OutputArea-output[data-mime-type$='error']")
    assert tracebacks.count() == 0, tracebacks.first.inner_text()[:2000]

    count = expected_explorers(notebook)
    found = wait_for_explorers(page, count)
    assert len(found) == count, found
    # In the course's own environment the console stays clean: no error of any kind.
    assert_explorers_respond(page, found)
