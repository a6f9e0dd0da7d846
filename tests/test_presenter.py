"""The course style: readable from the back of a hall by default; presenter mode by a switch.

A projector shows the figure's pixels: at the default width (10 in at 80 dpi, 800 px) text
of 14 pt is about 16 px high, the smallest the course allows. Every font size the style
sets, and matplotlib's relative "small" size that some figures use, must reach it.
"""

import matplotlib as mpl
import pytest
from matplotlib.font_manager import FontProperties

from p2plib import viz
from p2plib.viz import style

TEXT_SIZES = ("font.size", "axes.titlesize", "axes.labelsize", "xtick.labelsize",
              "ytick.labelsize", "legend.fontsize")


def _points(key: str) -> float:
    value = mpl.rcParams[key]
    return FontProperties(size=value).get_size_in_points()


@pytest.fixture(autouse=True)
def _restore_style(monkeypatch):
    monkeypatch.delenv(style.PRESENTER_ENV, raising=False)
    yield
    monkeypatch.delenv(style.PRESENTER_ENV, raising=False)
    viz.use_course_style(presenter=False)


def test_default_text_is_at_least_14_points_at_the_default_width():
    viz.use_course_style()
    assert mpl.rcParams["figure.figsize"][0] == pytest.approx(10.0)
    for key in TEXT_SIZES:
        assert _points(key) >= 14, key
    assert FontProperties(size="small").get_size_in_points() >= 14
    fig, ax = viz.new_figure()
    legend = ax.legend(handles=ax.plot([0, 1], label="x"), fontsize="small")
    assert legend.get_texts()[0].get_fontsize() >= 14
    mpl.pyplot.close(fig)


@pytest.mark.parametrize("value, on", [("1", True), ("true", True), ("Yes", True),
                                       ("on", True), ("0", False), ("", False),
                                       ("no", False)])
def test_the_environment_variable_switches_presenter_mode(monkeypatch, value, on):
    monkeypatch.setenv(style.PRESENTER_ENV, value)
    viz.use_course_style()
    assert style.STATE["presenter"] is on
    assert mpl.rcParams["figure.dpi"] == pytest.approx(80 * (1.5 if on else 1.0))
    assert mpl.rcParams["font.size"] == 14         # grows with the dpi, layout unchanged


def test_an_explicit_argument_wins_over_the_environment(monkeypatch):
    monkeypatch.setenv(style.PRESENTER_ENV, "1")
    viz.use_course_style(presenter=False)
    assert not style.STATE["presenter"]
    monkeypatch.setenv(style.PRESENTER_ENV, "0")
    viz.use_course_style(presenter=True)
    assert style.STATE["presenter"]


def test_presenter_mode_enlarges_a_figure_without_changing_its_layout():
    """The same figure in both modes: 1.5 times the pixels, and every text in the same place
    relative to the figure (so nothing new overlaps or is cut off)."""
    def layout():
        fig, (left, right) = viz.new_figure(ncols=2, width=15, height=6)
        for ax in (left, right):
            ax.plot([0, 1], [0, 1], label="a line with a long legend entry")
            viz.finish_axes(ax, "hours since the outage began", "share of users",
                            "A title that states the finding")
        png = viz.render_png(fig)
        renderer = fig.canvas.get_renderer()
        boxes = [t.get_window_extent(renderer).transformed(fig.transFigure.inverted())
                 for ax in (left, right) for t in (ax.title, ax.xaxis.label, ax.yaxis.label)]
        mpl.pyplot.close(fig)
        return png, fig.get_size_inches() * fig.dpi, boxes

    viz.use_course_style(presenter=False)
    _, size, boxes = layout()
    viz.use_course_style(presenter=True)
    _, big, big_boxes = layout()
    assert big == pytest.approx(size * 1.5)
    for box, big_box in zip(boxes, big_boxes, strict=True):
        assert big_box.bounds == pytest.approx(box.bounds, abs=0.01)
