"""Explorers build, answer a change of control with a new figure, and reset; checks speak."""

import numpy as np
import pytest

from p2plib import checks, viz, widgets
from p2plib.overlay import critical_failed_fraction, er_giant_fraction


@pytest.fixture(autouse=True)
def course_style():
    viz.use_course_style()


def test_failure_explorer_updates_and_resets():
    explorer = widgets.failure_explorer(peers=2000)
    first = explorer.figure
    assert first is not None and len(first.axes) == 2
    redraws = explorer.redraws
    explorer.controls["failed_fraction"].value = 0.7
    assert explorer.redraws == redraws + 1
    assert "70%" in explorer.figure.axes[1].get_title()
    explorer.controls["overlay_kind"].value = "scale-free"
    explorer.controls["strategy"].value = "targeted"
    assert "targeted" in explorer.figure.axes[1].get_title()
    explorer.reset()
    assert explorer.values == explorer.defaults


def test_every_slider_is_labelled_and_lazy():
    explorer = widgets.failure_explorer(peers=2000)
    for control in explorer.controls.values():
        assert control.help
        if hasattr(control, "continuous_update"):
            assert control.continuous_update is False
            assert "(" in control.description  # the unit


def test_view_controls_do_not_rerun_the_model():
    explorer = widgets.failure_explorer(peers=2000)
    before = explorer._run.cache_info().misses
    explorer.controls["failed_fraction"].value = 0.5
    explorer.controls["strategy"].value = "targeted"
    assert explorer._run.cache_info().misses == before


def test_checks_say_what_is_wrong_without_the_answer():
    degrees = np.full(100, 5)
    right = critical_failed_fraction(degrees)
    assert checks.check_critical_fraction(right, degrees).correct
    low = checks.check_critical_fraction(0.1, degrees)
    assert not low.correct and f"{right:.2f}" not in low.message
    assert "No answer yet" in repr(checks.check_critical_fraction(None, degrees))
    assert "single number" in repr(checks.check_critical_fraction("0.5", degrees))
    assert checks.check_giant_fraction(er_giant_fraction(3, 0.2), 3, 0.2)
    assert not checks.check_giant_fraction(0.9, 3, 0.2)
    assert checks.check_distribution_time(8000.0, 1000, 800, 100, 1, 10, "client-server")
