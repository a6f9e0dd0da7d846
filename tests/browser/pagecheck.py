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
import warnings

from playwright.sync_api import TimeoutError as PlaywrightTimeout

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
#: Console messages that mean a widget did not work (ipywidgets / jupyter-widgets / comm).
WIDGET_ERROR = re.compile(r"widget|jupyter-widgets|model not found|comm|could not render",
                          re.IGNORECASE)
FIGURE_TIMEOUT_MS = 60_000  # one model run + PNG round trip; ~1 s idle, more on a busy CI box
KERNEL_ATTEMPTS = 5

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


def _explorer(page, index: int):
    return page.locator(".widget-vbox:not(.widget-container *, .widget-output *)").nth(index)


def move_first_slider(page, index: int, presses: int = 3) -> tuple[str, str]:
    """Move explorer ``index``'s first slider by ``presses`` keyboard steps; wait for the figure.

    The handle moves right, or left when it already sits at its maximum. Returns the figure's
    ``src`` before and after; raises (playwright TimeoutError) if the figure never changes.
    """
    explorer = _explorer(page, index)
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


def retry_kernel_stalls(what: str, attempt, recover):
    """``attempt()`` until it does not time out, at most :data:`KERNEL_ATTEMPTS` times.

    A kernel on this machine sometimes stops answering as it starts (seen under nbclient,
    JupyterLab and Voilà alike; not understood): the kernel is then idle and its client waits.
    Each stall is reported as a warning and ``recover()`` (a fresh kernel) runs before the next
    attempt. Returns what ``attempt()`` returns.
    """
    for number in range(1, KERNEL_ATTEMPTS + 1):
        try:
            return attempt()
        except PlaywrightTimeout as stall:
            if number == KERNEL_ATTEMPTS:
                raise
            warnings.warn(f"{what}: kernel stalled ({stall.message.splitlines()[0]}); "
                          "retrying with a fresh kernel", stacklevel=2)
            recover()
