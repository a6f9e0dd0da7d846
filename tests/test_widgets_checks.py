"""Explorers build, answer a change of control with a new figure, and reset; checks speak."""

import math

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


# ---------------------------------------------------------------- the one code-exercise runner

from p2plib.checks._student_code import check_function  # noqa: E402

CODE_CHECKS = [checks.check_availability_function, checks.check_p2p_time_function,
               checks.check_slots_needed_function, checks.check_login_goodput,
               checks.check_uninformed_share_function, checks.check_download_time_function,
               checks.check_working_hours]


@pytest.mark.parametrize("check", CODE_CHECKS, ids=lambda c: c.__name__)
def test_every_code_exercise_goes_through_the_one_runner(check):
    assert "check_function" in check.__code__.co_names, check.__name__


CASES = [{"hours": 1.0}, {"hours": 2.5}, {"hours": 40.0}]


def _minutes(hours):
    return 60 * hours


def test_runner_right_wrong_and_broken_functions():
    run = lambda f, **kw: check_function(f, CASES, _minutes, **kw)  # noqa: E731
    assert run(_minutes).correct
    assert run(lambda hours: np.array([60 * hours])).correct          # a size-1 array counts
    assert "No function yet" in run(None).message
    assert "Expected a function" in run(60.0).message
    assert "raised ZeroDivisionError" in run(lambda hours: 1 / 0).message
    assert "hours=1.0" in run(lambda hours: 1 / 0).message            # the case that raised
    assert "still returns ..." in run(lambda hours: ...).message
    assert "forget `return`" in run(lambda hours: None).message
    assert "not a number" in run(lambda hours: "60").message
    assert "not a number" in run(lambda hours: [1, 2]).message
    assert "finite" in run(lambda hours: math.nan).message
    # the first wrong case is named with what the function returned, not with the answer
    wrong = run(lambda hours: 60 * hours if hours < 2 else 61 * hours)
    assert not wrong.correct and "hours=2.5" in wrong.message and "152.5" in wrong.message
    assert "150" not in wrong.message and "too high" in wrong.message


def test_runner_calls_by_name_or_by_position():
    def renamed(h):
        return 60 * h
    assert "raised TypeError" in check_function(renamed, CASES, _minutes).message
    assert check_function(renamed, CASES, _minutes, positional=True).correct


def test_runner_accepts_matching_infinities_only():
    cases = [{"x": 0.0}, {"x": 1.0}]

    def inverse(x):
        return math.inf if x == 0 else 1 / x
    assert check_function(inverse, cases, inverse).correct
    assert "finite" in check_function(lambda x: -math.inf if x == 0 else 1 / x, cases,
                                      inverse).message
    assert not check_function(lambda x: 5.0, cases, inverse).correct


def test_runner_diagnosis_sees_the_case_or_the_whole_run():
    seen = []

    def diagnose(case, got, want):
        seen.append((case, got, want))
        return "Count the minutes."
    result = check_function(lambda hours: hours, CASES, _minutes, diagnose=diagnose)
    assert seen == [({"hours": 1.0}, 1.0, 60.0)] and result.message.endswith("minutes.")
    run_level = check_function(lambda hours: hours, CASES, _minutes, diagnose=diagnose,
                               diagnose_run=lambda cases, got, want: "Those are hours.")
    assert run_level.message == "Not yet. Those are hours."
    fallback = check_function(lambda hours: hours, CASES, _minutes, diagnose=diagnose,
                              diagnose_run=lambda cases, got, want: None)
    assert fallback.message.endswith("Count the minutes.")
