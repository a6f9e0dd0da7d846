"""What a person would check on a page with the course's explorers, as browser-test helpers.

An explorer (:class:`p2plib.widgets.Explorer`) renders as a widget view holding labelled
controls and an Output widget with the figure (a PNG ``<img>``). The helpers find every
top-level explorer on a page, check that it shows controls and a figure, move one slider with
the keyboard (as a person would, on the noUiSlider handle) and wait for the figure to change.
"""

from __future__ import annotations

import json
import pathlib
import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
#: Console messages that mean a widget did not work (ipywidgets / jupyter-widgets / comm).
WIDGET_ERROR = re.compile(r"widget|jupyter-widgets|model not found|comm|could not render",
                          re.IGNORECASE)
FIGURE_TIMEOUT_MS = 60_000  # one model run + PNG round trip; ~1 s idle, more on a busy CI box
KERNEL_ATTEMPTS = 2  # a stall fails the test; a 2nd attempt tells whether a new kernel cures it

# Top-level explorers: widget boxes that sit in no other widget (nor in a widget's Output area).
_EXPLORERS_JS = """() => {
  const views = [...document.querySelectorAll('.widget-vbox')]
      .filter(v => !v.parentElement.closest('.widget-container, .widget-output'));
  return views.map(v => ({
      sliders: v.querySelectorAll('.widget-slider .noUi-handle').length,
      buttons: v.querySelectorAll('.widget-toggle-button, .widget-button').length,
      images: [...v.querySelectorAll('.widget-output img')].map(i => i.src.length),
  }));
}"""


def expected_explorers(notebook: pathlib.Path) -> int:
    """How many code cells of a stored notebook display a widget (one explorer each)."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return sum(any(WIDGET_MIME in out.get("data", {}) for out in cell.get("outputs", []))
               for cell in cells if cell["cell_type"] == "code")


def explorers(page) -> list[dict]:
    """Per top-level explorer on the page: slider handles, buttons, and figure-src lengths."""
    return page.evaluate(_EXPLORERS_JS)


def wait_for_explorers(page, count: int, timeout_ms: int = FIGURE_TIMEOUT_MS) -> list[dict]:
    """Wait until ``count`` explorers each show a control and a figure; return their summary."""
    page.wait_for_function(
        """([js, count]) => {
            const found = eval(js)();
            return found.length >= count && found.every(
                e => (e.sliders + e.buttons) > 0 && e.images.length > 0 && e.images[0] > 100);
        }""",
        arg=[_EXPLORERS_JS, count], timeout=timeout_ms, polling=500)
    return explorers(page)


#: A top-level explorer, relative to a page or a cell: a widget box in no other widget.
EXPLORER = ".widget-vbox:not(.widget-container *, .widget-output *)"


def _explorer(page, index: int):
    return page.locator(EXPLORER).nth(index)


def explorer_code_cells(notebook: pathlib.Path) -> tuple[list[int], list[int]]:
    """Indices (in the stored notebook) of its code cells, and of those showing a widget."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    code = [i for i, cell in enumerate(cells) if cell["cell_type"] == "code"]
    widgets = [i for i in code if any(WIDGET_MIME in out.get("data", {})
                                      for out in cells[i].get("outputs", []))]
    return code, widgets


def explorer_ready(explorer) -> dict | None:
    """Summary of one explorer (a locator) once it shows a control and a figure, else None."""
    summary = explorer.evaluate("""v => ({
        sliders: v.querySelectorAll('.widget-slider .noUi-handle').length,
        buttons: v.querySelectorAll('.widget-toggle-button, .widget-button').length,
        images: [...v.querySelectorAll('.widget-output img')].map(i => i.src.length)})""")
    ok = (summary["sliders"] + summary["buttons"]) > 0 and summary["images"] and \
        summary["images"][0] > 100
    return summary if ok else None


def move_first_slider(page, index, presses: int = 3) -> tuple[str, str]:
    """Move an explorer's first slider by ``presses`` keyboard steps; wait for the figure.

    ``index`` is the explorer's position among the page's explorers, or its locator. The
    handle moves right, or left when it already sits at its maximum. Returns the figure's
    ``src`` before and after; raises (playwright TimeoutError) if the figure never changes.
    """
    explorer = _explorer(page, index) if isinstance(index, int) else index
    image = explorer.locator(".widget-output img").first
    before = image.get_attribute("src")
    handle = explorer.locator(".widget-slider .noUi-handle").first
    handle.scroll_into_view_if_needed()
    now, top = (float(handle.get_attribute(a) or 0) for a in ("aria-valuenow", "aria-valuemax"))
    key = "ArrowLeft" if now >= top else "ArrowRight"
    handle.focus()
    for _ in range(presses):
        handle.press(key)
    page.wait_for_function(
        """([el, before]) => {
            const img = el.querySelector('.widget-output img');
            return img !== null && img.src.length > 100 && img.src !== before;
        }""",
        arg=[explorer.element_handle(), before], timeout=FIGURE_TIMEOUT_MS, polling=250)
    after = explorer.locator(".widget-output img").first.get_attribute("src")
    return before, after


def widget_errors(messages: list[str]) -> list[str]:
    """The console messages (errors and uncaught exceptions) that concern widgets."""
    return [m for m in messages if WIDGET_ERROR.search(m)]


def assert_explorers_respond(page, found: list[dict]) -> None:
    """Every explorer with a slider redraws its figure when the slider moves, and the console
    stays clean: no error of any kind (widget errors listed first if the assertion fails)."""
    for index, explorer in enumerate(found):
        if explorer["sliders"]:
            before, after = move_first_slider(page, index)
            assert after != before
    assert widget_errors(page.console_errors) == []
    assert page.console_errors == []


class KernelStalls:
    """Each kernel stall a browser test met, with the server's log during the attempt.

    A stall is recorded (and written to ``path``, which the failure names) and the attempt is
    retried with a fresh kernel, so that the record says whether a retry cured it; the test
    then fails all the same: a stall is a defect to understand, not weather.
    """

    def __init__(self, path: pathlib.Path):
        self.path = path
        self.records: list[str] = []

    def record(self, what: str, number: int, error: str, log: pathlib.Path | None,
               log_offset: int) -> None:
        server_log = "(no server log)"
        if log is not None and log.exists():
            server_log = log.read_text(errors="replace")[log_offset:][-6000:] or "(empty)"
        text = (f"--- {what}: attempt {number} stalled: {error}\n"
                f"server log during the attempt ({log}):\n{server_log}\n")
        self.records.append(text)
        with self.path.open("a") as f:
            f.write(text)


def retry_kernel_stalls(what: str, attempt, recover, stalls: KernelStalls,
                        log: pathlib.Path | None = None):
    """``attempt()`` until it does not time out, at most :data:`KERNEL_ATTEMPTS` times; then
    fail the test if any attempt stalled.

    A kernel that stops answering as it starts (seen under nbclient, JupyterLab and Voilà) is
    a stall: it is recorded in ``stalls`` with the part of the server's ``log`` written during
    the attempt, and ``recover()`` (a fresh kernel) runs before the next attempt. Returns what
    ``attempt()`` returns when no attempt stalled.
    """
    met = []
    for number in range(1, KERNEL_ATTEMPTS + 1):
        offset = log.stat().st_size if log is not None and log.exists() else 0
        try:
            result = attempt()
        except PlaywrightTimeout as stall:
            met.append(number)
            stalls.record(what, number, stall.message.splitlines()[0], log, offset)
            if number == KERNEL_ATTEMPTS:
                break
            recover()
        else:
            if not met:
                return result
            break
    cured = "no retry helped" if len(met) == KERNEL_ATTEMPTS else \
        f"attempt {len(met) + 1} passed"
    pytest.fail(f"{what}: the kernel stalled in attempt(s) {met} ({cured}); each stall with "
                f"the server's log is in {stalls.path}:\n" + "\n".join(stalls.records[-len(met):]),
                pytrace=False)
