"""Chapter 05 explorers, figures and exercise checks."""

import numpy as np
import pytest

from p2plib import checks, viz, widgets
from p2plib.swarm import FlashCrowd, SteadyDelivery, fluid_steady_state


@pytest.fixture(autouse=True)
def course_style():
    viz.use_course_style()


def test_swarm_explorer_updates_and_resets():
    explorer = widgets.swarm_explorer()
    first = explorer.figure
    assert first is not None and len(first.axes) == 3
    title, redraws = first._suptitle.get_text(), explorer.redraws
    explorer.controls["seed_hours"].value = 0.02
    assert explorer.redraws == redraws + 1
    assert explorer.figure._suptitle.get_text() != title
    explorer.controls["upload_share"].value = 0.0   # no peers: the same as servers alone
    result = explorer.result()
    assert isinstance(result, SteadyDelivery)
    assert result.assisted.download_time == pytest.approx(result.alone.download_time)
    assert result.uploaded_mb_per_viewer == 0.0
    explorer.reset()
    assert explorer.values == explorer.defaults


def test_explorers_draw_what_the_model_returns():
    """The explorers run the model's functions at their controls' values, nothing of their own."""
    from p2plib.swarm import evening_flash_crowd, steady_delivery
    explorer = widgets.swarm_explorer()
    explorer.controls["viewers_per_hour"].value = 5_000
    expected = steady_delivery(**explorer.values)
    assert explorer.result().assisted == expected.assisted
    assert np.array_equal(explorer.result().assisted_minutes, expected.assisted_minutes)
    crowd = widgets.flash_crowd_explorer()
    values = {k: v for k, v in crowd.values.items() if k != "step"}
    assert np.array_equal(crowd.result().peer_assisted.downloaders,
                          evening_flash_crowd(**values).peer_assisted.downloaders)


def test_flash_crowd_time_step_only_redraws():
    explorer = widgets.flash_crowd_explorer()
    misses = explorer._run.cache_info().misses
    explorer.controls["step"].value = 60
    explorer.controls["step"].value = 30   # 30 steps of 5 minutes after 20:00
    assert explorer._run.cache_info().misses == misses
    assert "22:30" in explorer.figure._suptitle.get_text()
    assert hasattr(explorer.controls["step"], "play")
    explorer.controls["audience"].value = 10_000
    assert explorer._run.cache_info().misses == misses + 1
    assert isinstance(explorer.result(), FlashCrowd)


def test_every_control_is_labelled_and_lazy():
    for explorer in (widgets.swarm_explorer(), widgets.flash_crowd_explorer()):
        for name, control in explorer.controls.items():
            assert control.help and "(" in control.description
            if name != "step":
                assert control.continuous_update is False


def test_checks_accept_the_right_answer_and_hint_otherwise():
    t = fluid_steady_state(120, 0.5, 3, 2).download_time
    assert checks.check_fluid_download_time(t, 120, 0.5, 3, 2)
    wrong = checks.check_fluid_download_time(1 / 3, 120, 0.5, 3, 2)
    assert not wrong and f"{t:.2f}" not in wrong.message
    assert "No answer yet" in repr(checks.check_fluid_download_time(None, 120, 0.5, 3, 2))
    assert checks.check_upload_per_viewer(210, 350, 0.6)
    assert not checks.check_upload_per_viewer(350, 350, 0.6)
    assert checks.check_break_even_price(0.1, 80_000, 0.5, 4_000)
    assert not checks.check_break_even_price(0.2, 80_000, 0.5, 4_000)


def test_break_even_figure_marks_the_crossings():
    prices = np.linspace(0, 0.2, 201)
    server_only = 1000 * prices
    ax = viz.plot_break_even(prices, {"half": 0.5 * server_only + 50}, server_only)
    marks = [line for line in ax.lines if line.get_marker() == "o"]
    assert len(marks) == 1 and marks[0].get_xdata()[0] == pytest.approx(0.1, abs=0.002)
