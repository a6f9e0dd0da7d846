"""Every chapter in a real JupyterLab, in a real browser: run all, see and move each explorer.

For each ``notebooks/NN_*.ipynb`` (found by glob, so a new chapter is covered at once): open it
in JupyterLab with JupyterLab's default settings, clear the stored outputs, run all cells,
move to the last code cell and wait until it has run, then walk through the notebook from the
top with the arrow keys as a person would (JupyterLab scrolls each cell into view): every code
cell has run, no cell shows an error or a warning, and each explorer, once in view, shows its
controls and a figure; its first slider is moved with the keyboard and its figure must change.
The browser console shows no error.

JupyterLab's default notebook windowing ("full") keeps only the cells in view in the page, so
nothing here looks for a cell before moving to it.
"""

from __future__ import annotations

import contextlib
import json
import pathlib
import re
import time
import urllib.request

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .browserkit import CHAPTERS
from .pagecheck import (
    EXPLORER,
    FIGURE_TIMEOUT_MS,
    explorer_code_cells,
    explorer_ready,
    move_first_slider,
    retry_kernel_stalls,
    widget_errors,
)

pytestmark = pytest.mark.browser

RUN_TIMEOUT_MS = 120_000  # a chapter runs in < 30 s (CONTRIBUTING); browser and CI add slack
KERNEL_TIMEOUT_MS = 60_000  # a kernel starts in a few seconds
FIRST_CELL_TIMEOUT_MS = 30_000
MAX_MOVES = 100      # arrow-key batches to reach any cell (10 cells a batch)
_PROMPT_RUN = re.compile(r"\[\d+\]")


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


def _cell(page, index: int):
    return page.locator(f'.jp-NotebookPanel .jp-Cell[data-windowed-list-index="{index}"]')


def _active_index(page) -> int:
    """Index of the active cell (JupyterLab keeps it in the page and scrolls it into view)."""
    active = page.locator(".jp-NotebookPanel .jp-Cell.jp-mod-active").first
    return int(active.get_attribute("data-windowed-list-index"))


def _key(page, key: str, times: int = 1) -> None:
    """Press ``key`` in the notebook's command mode (as a person moving through the cells)."""
    page.locator(".jp-NotebookPanel .jp-Notebook").first.focus()
    for _ in range(times):
        page.keyboard.press(key)


def _has_run(page, index: int) -> bool:
    prompt = _cell(page, index).locator(".jp-InputArea-prompt")
    return prompt.count() > 0 and bool(_PROMPT_RUN.search(prompt.first.text_content() or ""))


def _open_and_run_all(page, base_url: str, notebook: pathlib.Path) -> None:
    """Open ``notebook``, clear its outputs, run all cells and wait until the last code cell
    has run (cells run in order: then all have)."""
    code, _ = explorer_code_cells(notebook)
    page.goto(f"{base_url}/lab/tree/notebooks/{notebook.name}?reset")
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=90_000)
    # The kernel must be up before "Run All"; its status shows in the notebook's toolbar.
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook-ExecutionIndicator"
                           "[data-status='idle']", timeout=KERNEL_TIMEOUT_MS)
    _menu(page, "Edit", "editmenu:clear-all")
    _menu(page, "Run", "runmenu:run-all")
    # Each code cell's prompt reads "[n]:" once it has run ("[*]:" while queued or running).
    # "Run All" leaves the last cell active; moving to a cell (arrow keys, command mode)
    # scrolls it into view. The first code cell (the install cell) takes milliseconds: if it
    # has not run within FIRST_CELL_TIMEOUT_MS, the kernel has stalled.
    _key(page, "Escape")
    _wait_until_run(page, code[0], FIRST_CELL_TIMEOUT_MS)
    _wait_until_run(page, code[-1], RUN_TIMEOUT_MS)


def _go_to(page, index: int) -> None:
    """Make cell ``index`` active with the arrow keys (JupyterLab scrolls to it)."""
    for _ in range(MAX_MOVES):
        now = _active_index(page)
        if now == index:
            return
        _key(page, "ArrowDown" if now < index else "ArrowUp", min(abs(index - now), 10))
    raise AssertionError(f"could not move to cell {index}")


def _wait_until_run(page, index: int, timeout_ms: int) -> None:
    """Move to code cell ``index`` and wait until it shows that it has run."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        _go_to(page, index)
        if _has_run(page, index):
            return
        if time.monotonic() > deadline:
            prompt = _cell(page, index).locator(".jp-InputArea-prompt")
            shown = prompt.first.text_content() if prompt.count() else "(cell not in view)"
            status = page.locator(".jp-NotebookPanel .jp-Notebook-ExecutionIndicator").first
            raise PlaywrightTimeout(
                f"code cell {index} had not run after {timeout_ms / 1000:.0f} s (its prompt: "
                f"{shown!r}; kernel status: {status.get_attribute('data-status')!r})")
        page.wait_for_timeout(500)


@pytest.mark.parametrize("notebook", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_chapter_runs_and_explorers_respond_in_jupyterlab(jupyterlab, page, notebook,
                                                          kernel_stalls):
    def fresh_kernel():
        _shutdown_kernels(jupyterlab)
        page.console_errors.clear()

    retry_kernel_stalls(notebook.name, lambda: _open_and_run_all(page, jupyterlab, notebook),
                        fresh_kernel, kernel_stalls, jupyterlab.log)
    try:
        _check_page(page, notebook)
    finally:
        _shutdown_kernels(jupyterlab)


def _check_page(page, notebook: pathlib.Path) -> None:
    """Walk from the first cell to the last with the arrow keys, as a reader would: each cell
    comes into view and is checked there, each explorer once it is in view."""
    code, with_explorer = explorer_code_cells(notebook)
    ran, checked, errors = set(), {}, []
    _go_to(page, 0)
    last = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    for index in range(len(last)):
        _go_to(page, index)
        if index not in code:
            continue
        cell = _cell(page, index)
        if _has_run(page, index):
            ran.add(index)
        # Tracebacks and warnings render as stderr/error outputs; the chapters have none.
        bad = cell.locator(".jp-OutputArea-output[data-mime-type$='stderr'],"
                           " .jp-OutputArea-output[data-mime-type$='error']")
        if bad.count():
            errors.append(f"cell {index}: {bad.first.inner_text()[:2000]}")
        if index in with_explorer:
            checked[index] = _check_explorer(page, cell, index)
    assert not errors, errors
    assert ran == set(code), f"code cells never seen run: {sorted(set(code) - ran)}"
    assert sorted(checked) == with_explorer, (sorted(checked), with_explorer)
    # In the course's own environment the console stays clean: no error of any kind.
    assert widget_errors(page.console_errors) == []
    assert page.console_errors == []


def _check_explorer(page, cell, index: int) -> dict:
    """The explorer of code cell ``index`` (in view): controls and a figure, and a moved slider
    changes the figure."""
    explorer = cell.locator(EXPLORER).first
    explorer.scroll_into_view_if_needed()
    deadline = time.monotonic() + FIGURE_TIMEOUT_MS / 1000
    summary = None
    while time.monotonic() <= deadline:
        if explorer.count() and (summary := explorer_ready(explorer)):
            break
        page.wait_for_timeout(500)
    if summary is None:
        raise PlaywrightTimeout(f"cell {index}: the explorer showed no controls and figure "
                                f"within {FIGURE_TIMEOUT_MS / 1000:.0f} s")
    if summary["sliders"]:
        before, after = move_first_slider(page, explorer)
        assert after != before, f"cell {index}: the figure did not change"
    return summary
