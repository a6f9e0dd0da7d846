"""The explorers' fast redraw shows what a full drawing shows.

The outage explorer and the policy lab keep their figure (:class:`viz.OutagePanels`,
:class:`viz.PolicyPanels`) and update it in place; :func:`viz.render_png` then redraws only
the artists that change over a saved picture of the rest (:func:`viz.cache_background`) and
writes the PNG itself. Three things must hold:

* a figure updated in place renders byte for byte like a new figure of the same state,
  whatever sequence of states came before (the saved pictures are keyed correctly);
* the fast redraw equals a full matplotlib draw of the same figure, except inside the
  legends' boxes (a legend is put back on top: where a curve passes under its 90%-opaque
  frame, a full draw lets 10% of the curve through);
* the PNG decodes to exactly the rendered pixels.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from p2plib import viz
from p2plib.policy import Policy, evaluate_policy


@pytest.fixture(autouse=True)
def course_style():
    viz.use_course_style()


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


def full_draw(fig) -> np.ndarray:
    """The figure drawn by matplotlib as a whole, every artist in its z-order (as savefig
    and the notebook's inline backend draw it)."""
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).copy()


def outside_on_top(fig) -> np.ndarray:
    """Mask of the pixels outside the on-top artists' boxes (2 pixels of margin)."""
    layers = fig._course_background
    height, width = int(fig.bbox.height), int(fig.bbox.width)
    mask = np.ones((height, width), bool)
    renderer = fig.canvas.get_renderer()
    for artist in layers.on_top:
        x0, y0, x1, y1 = artist.get_window_extent(renderer).extents
        mask[max(int(height - y1) - 2, 0):int(height - y0) + 3,
             max(int(x0) - 2, 0):int(x1) + 3] = False
    return mask


def test_png_holds_exactly_the_rendered_pixels():
    for facecolor in ("white", (1, 1, 1, 0.5)):      # opaque (RGB) and translucent (RGBA)
        fig = Figure(figsize=(3, 2), dpi=80, facecolor=facecolor)
        FigureCanvasAgg(fig)
        fig.subplots().plot([0, 1, 2], [2, 0, 1])
        png = viz.render_png(fig)
        image = Image.open(io.BytesIO(png))
        assert image.mode == ("RGB" if facecolor == "white" else "RGBA")
        assert image.size == (240, 160)
        np.testing.assert_array_equal(pixels(png), np.asarray(fig.canvas.buffer_rgba()))


def test_cached_background_follows_changes_of_the_axis_limits():
    fig = Figure(figsize=(4, 3), dpi=80, layout="none")
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    line, = ax.plot([0, 1], [0, 1])
    viz.cache_background(fig, [line, *ax.spines.values()], keep=2)
    shown = {}
    for top in (1.0, 2.0, 5.0, 1.0, 2.0):           # more limits than pictures kept
        ax.set_ylim(0, top)
        shown.setdefault(top, viz.render_png(fig))
        assert viz.render_png(fig) == shown[top]
        np.testing.assert_array_equal(pixels(shown[top]), full_draw(fig))
    assert len(fig._course_background.saved) == 2
    with pytest.raises(ValueError, match="keep"):
        viz.cache_background(fig, [line], keep=0)
    with pytest.raises(ValueError, match="fixed margins"):
        viz.cache_background(Figure(layout="constrained"), [line])


def test_a_figure_with_saved_pictures_can_be_freed():
    import gc
    import weakref

    fig = Figure(figsize=(4, 3), dpi=80, layout="none")
    FigureCanvasAgg(fig)
    line, = fig.subplots().plot([0, 1], [0, 1])
    viz.cache_background(fig, [line])
    viz.render_png(fig)
    alive = weakref.ref(fig)
    del fig, line
    gc.collect()
    assert alive() is None


def _outage_runs():
    from p2plib.widgets.outage import _outage_run

    plain = dict(reboot_window_h=10.0, retry_policy="fixed", admission_control="on",
                 mega_supernodes="off", online_peers=20_000)
    return [_outage_run(0.3, sn_capacity=500.0, **plain),
            _outage_run(0.3, sn_capacity=800.0, supernodes_at_skype=40_000.0, fix="on",
                        **plain),
            _outage_run(0.5, sn_capacity=300.0, sn_overload_factor=4.0, **plain)]


def _policy_reports():
    return [evaluate_policy(policy, online_peers=20_000, step_min=5) for policy in (
        Policy(), Policy(overload="refuse"), Policy(dedicated_share=0.3),
        Policy(retry_policy="full_jitter", retry_base_min=1.0, supernode_headroom=0.5))]


def test_outage_panels_redrawn_fast_equal_a_full_drawing():
    from p2plib.widgets.outage import FRIDAY_OBSERVED

    runs = _outage_runs()
    panels = viz.OutagePanels(runs[0], now_h=88.0, observed=FRIDAY_OBSERVED, scale=300.0)
    for result, hour in ((runs[1], 40.0), (runs[2], None), (runs[0], 100.0), (runs[1], 88.0),
                         (runs[2], 10.0)):
        shown = viz.render_png(panels.update(result, now_h=hour))
        fresh = viz.OutagePanels(result, now_h=hour, observed=FRIDAY_OBSERVED, scale=300.0)
        assert viz.render_png(fresh.figure) == shown
        full = full_draw(panels.figure)
        mask = outside_on_top(panels.figure)
        np.testing.assert_array_equal(pixels(shown)[mask], full[mask])


def test_chapter_outage_figure_with_its_own_legend_renders_like_a_full_drawing():
    # plot_outage_panels replaces the pool panel's legend: the new one is put back on top
    import matplotlib.pyplot as plt

    from p2plib.widgets.outage import FRIDAY_OBSERVED

    fig = viz.plot_outage_panels(_outage_runs()[1], now_h=88.0, observed=FRIDAY_OBSERVED,
                                 scale=300.0)
    shown = pixels(viz.render_png(fig))
    mask = outside_on_top(fig)
    np.testing.assert_array_equal(shown[mask], full_draw(fig)[mask])
    plt.close(fig)


def test_policy_panels_redrawn_fast_equal_a_full_drawing():
    reports = _policy_reports()
    panels = viz.PolicyPanels(reports[0], title="first")
    for k in (1, 2, 3, 0, 2):
        report = reports[k]
        shown = viz.render_png(panels.update(report, title=f"report {k}"))
        fresh = viz.PolicyPanels(report, title=f"report {k}")
        assert viz.render_png(fresh.figure) == shown
        assert [ax.get_title() for ax in panels.axes] == [ax.get_title() for ax in fresh.axes]
        full = full_draw(panels.figure)
        mask = outside_on_top(panels.figure)
        np.testing.assert_array_equal(pixels(shown)[mask], full[mask])


def test_savefig_draws_every_artist():
    # what the notebook's inline backend shows of plot_outage_panels / plot_policy_report
    panels = viz.PolicyPanels(_policy_reports()[0], title="the title")
    viz.render_png(panels.figure)
    buffer = io.BytesIO()
    panels.figure.savefig(buffer, format="png", dpi=panels.figure.dpi)
    saved = pixels(buffer.getvalue())
    mask = outside_on_top(panels.figure)
    np.testing.assert_array_equal(saved[mask], pixels(viz.render_png(panels.figure))[mask])


def test_policy_panels_show_the_report():
    report = _policy_reports()[0]
    panels = viz.PolicyPanels(report, title="Skype's behaviour")
    assert panels.figure.texts[0].get_text() == "Skype's behaviour"
    for ax, line, (name, result) in zip(panels.axes, panels.service, report.results.items(),
                                        strict=True):
        np.testing.assert_allclose(line.get_ydata(), result.connected / result.demand)
        assert ax.get_title().startswith(f"{report.hours_below[name]:.1f} h below 50%")
        failed = report.hours_below[name] > report.max_hours_below or not report.recovered[name]
        assert (ax.title.get_color() == viz.PALETTE["vermillion"]) == failed
    other = evaluate_policy(Policy(), online_peers=20_000, step_min=5, service_level=0.8)
    panels.update(other)
    assert all(level.get_ydata()[0] == 0.8 for level in panels.levels)
    with pytest.raises(ValueError, match="report"):
        panels.update(type(report)(**{**vars(report), "results": {"a": None}}))
