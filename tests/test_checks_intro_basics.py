"""Exercise checks of chapters 00 and 01: right answers pass, each typical mistake gets the hint
written for it (in the right branch), and no message or docstring gives the answer away."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

from p2plib import capacity, checks, overlay
from p2plib.availability import yearly_availability

CHECKS = [checks.check_missing_share, checks.check_course_hour,
          checks.check_availability_function, checks.check_yearly_availability,
          checks.check_critical_fraction, checks.check_giant_fraction,
          checks.check_distribution_time, checks.check_p2p_time_function]


def hint(result) -> str:
    assert not result.correct, result.message
    return result.message


# ---------------------------------------------------------------- chapter 00


def test_missing_share_right_and_mistakes():
    assert checks.check_missing_share(0.625).correct
    assert checks.check_missing_share(5 / 8).correct
    assert "No answer yet" in repr(checks.check_missing_share(None))
    assert "percentage" in hint(checks.check_missing_share(62.5))
    assert "still online" in hint(checks.check_missing_share(3 / 8))
    for all_day in (5e6, 5.5e6, 6e6):  # compared with the all-day level: too low
        assert "same hour" in hint(checks.check_missing_share(1 - 3e6 / all_day))
    assert "missing" in hint(checks.check_missing_share(0.2))            # too low
    assert "USUAL" in hint(checks.check_missing_share(5 / 3 - 1 + 0.1))  # too high: 0.77
    assert "USUAL" in hint(checks.check_missing_share(0.9))
    # above 1: each hint names what the answer most likely is, not always "a percentage"
    assert "still online; divide" in hint(checks.check_missing_share(5 / 3))  # missing / online
    assert "number of users" in hint(checks.check_missing_share(5_000_000))   # a count
    assert "percentage" not in hint(checks.check_missing_share(3.0))


def test_course_hour_right_and_mistakes():
    assert checks.check_course_hour(66).correct
    assert checks.check_course_hour(66.0).correct
    assert "day 0" in hint(checks.check_course_hour(66 - 24))      # counted from Wednesday
    assert "day 0" in hint(checks.check_course_hour(66 + 24))
    assert "local time" in hint(checks.check_course_hour(68))      # no conversion
    assert "AHEAD" in hint(checks.check_course_hour(70))           # converted the wrong way
    assert "convert Berlin time" in hint(checks.check_course_hour(60))
    assert "convert Berlin time" in hint(checks.check_course_hour(73))


def test_availability_function_runs_the_students_code():
    def right(hours, per_year):
        return 1 - hours * per_year / 8760

    def percent(hours, per_year):
        return 100 * right(hours, per_year)

    def ignores_count(hours, per_year):
        return 1 - hours / 8760

    def downtime(hours, per_year):
        return hours * per_year / 8760

    def leap_year(hours, per_year):
        return 1 - hours * per_year / 8784

    def short_year(hours, per_year):
        return 1 - hours * per_year / 8700

    def broken(hours, per_year):
        raise ZeroDivisionError("oops")

    assert checks.check_availability_function(right).correct
    assert "No answer yet" in repr(checks.check_availability_function(None))
    assert "function" in hint(checks.check_availability_function(0.99))
    assert "percentage" in hint(checks.check_availability_function(percent))
    assert "ignores outages_per_year" in hint(checks.check_availability_function(ignores_count))
    assert "DOWN" in hint(checks.check_availability_function(downtime))
    def julian_year(hours, per_year):
        return 1 - hours * per_year / (365.25 * 24)

    # a year of the wrong length is named as such, whichever side of 8,760 hours it falls
    for wrong_year in (leap_year, short_year, julian_year):
        assert "365-day year" in hint(checks.check_availability_function(wrong_year))
    assert "about 8,784 hours" in hint(checks.check_availability_function(leap_year))

    def precedence(hours, per_year):   # 1 - h n / 365 * 24: the brackets forgotten
        return 1 - hours * per_year / 365 * 24

    assert "365 x 24 hours long" in hint(checks.check_availability_function(precedence))
    assert "ZeroDivisionError" in hint(checks.check_availability_function(broken))
    assert "single number" in hint(checks.check_availability_function(lambda h, n: None))


def test_yearly_availability_hints_in_the_right_branch():
    right = yearly_availability(48)
    assert checks.check_yearly_availability(right, 48).correct
    assert "percentage" in hint(checks.check_yearly_availability(100 * right, 48))
    # 48 / 8760 (the downtime share) is far too low: the hint says what availability is
    assert "UP" in hint(checks.check_yearly_availability(48 / 8760, 48))
    # forgetting to take the outage off the year gives 1: too high
    assert "come off" in hint(checks.check_yearly_availability(1.0, 48))


# ---------------------------------------------------------------- chapter 01


@pytest.fixture(scope="module")
def degrees():
    return overlay.random_overlay(20_000, mean_degree=6, seed=7).degrees()


def test_critical_fraction_mistakes(degrees):
    k = degrees.astype(float)
    kappa = (k**2).mean() / k.mean()
    assert checks.check_critical_fraction(1 - 1 / (kappa - 1), degrees).correct
    # kappa taken as the mean degree, or as <k>^2 / <k>: both too low
    for wrong_kappa in (k.mean(), k.mean() ** 2 / k.mean()):
        assert "<k²>" in hint(checks.check_critical_fraction(1 - 1 / (wrong_kappa - 1), degrees))
    # 1 - 1/kappa (the "- 1" forgotten): too high
    assert "κ - 1" in hint(checks.check_critical_fraction(1 - 1 / kappa, degrees))
    # 1/(kappa - 1): the share that survives, not the share that fails
    assert "fail" in hint(checks.check_critical_fraction(1 / (kappa - 1), degrees)).lower()
    # on a random overlay the 1 - 1/c shortcut is nearly exact, and is accepted
    assert checks.check_critical_fraction(1 - 1 / k.mean(), degrees).correct


@pytest.mark.parametrize("min_degree", [1, 2])
def test_critical_fraction_on_scale_free_overlays(min_degree):
    """Chapter 01's exercise 1 uses a scale-free overlay (min_degree 1, which the explorer
    above it does not build, so the explorer cannot answer it). There 1 - 1/c, 1 - 1/kappa and
    kappa taken as <k> are plausible answers that must be rejected, each with its own hint; at
    min_degree 2, 1 - 1/kappa is within 1 % of the right answer, so the tolerance must be
    tighter than that."""
    degrees = overlay.scale_free_overlay(20_000, exponent=2.7, min_degree=min_degree,
                                         seed=7).degrees()
    k = degrees.astype(float)
    kappa = (k**2).mean() / k.mean()
    right = 1 - 1 / (kappa - 1)
    assert checks.check_critical_fraction(right, degrees).correct
    assert checks.check_critical_fraction(round(right, 2), degrees).correct  # two decimals
    assert "shortcut" in hint(checks.check_critical_fraction(1 - 1 / k.mean(), degrees))
    assert "κ - 1" in hint(checks.check_critical_fraction(1 - 1 / kappa, degrees))
    # kappa taken as the mean degree: negative when <k> < 2, still named as that mistake
    assert "<k²>" in hint(checks.check_critical_fraction(1 - 1 / (k.mean() - 1), degrees))
    assert "percentage" in hint(checks.check_critical_fraction(100 * right, degrees))


def test_giant_fraction_mistakes():
    c, f = 3, 0.5
    q = 1 - f
    s = 1.0
    for _ in range(500):
        s = 1 - np.exp(-c * q * s)
    assert checks.check_giant_fraction(q * s, mean_degree=c, failed_fraction=f).correct
    assert "multiply" in hint(checks.check_giant_fraction(s, mean_degree=c, failed_fraction=f))
    assert "start" in hint(checks.check_giant_fraction(0.0, mean_degree=c, failed_fraction=f))
    s_all = 1.0
    for _ in range(500):  # the failures forgotten: too high
        s_all = 1 - np.exp(-c * s_all)
    assert "q" in hint(checks.check_giant_fraction(s_all, mean_degree=c, failed_fraction=f))
    # a percentage, or a number of peers, is not a share: say so, not "too high"
    assert "percentage" in hint(checks.check_giant_fraction(100 * q * s, mean_degree=c,
                                                            failed_fraction=f))
    assert "between 0 and 1" in hint(checks.check_giant_fraction(-0.3, mean_degree=c,
                                                                 failed_fraction=f))


LINK = dict(file_size_mbit=800, server_upload_mbps=1000, peer_upload_mbps=0.5,
            peer_download_mbps=8)


def test_p2p_time_function_runs_the_students_code():
    def right(n):
        return max(800 / 1000, 800 / 8, n * 800 / (1000 + n * 0.5))

    def no_download_bound(n):
        return max(800 / 1000, n * 800 / (1000 + n * 0.5))

    def client_server(n):
        return max(n * 800 / 1000, 800 / 8)

    def minutes(n):
        return right(n) / 60

    def no_server_upload(n):
        return max(800 / 1000, 800 / 8, n * 800 / (n * 0.5))

    assert checks.check_p2p_time_function(right, **LINK).correct
    assert "No answer yet" in repr(checks.check_p2p_time_function(None, **LINK))
    assert "download" in hint(checks.check_p2p_time_function(no_download_bound, **LINK))
    assert "every peer uploads" in hint(checks.check_p2p_time_function(client_server, **LINK))
    assert "seconds" in hint(checks.check_p2p_time_function(minutes, **LINK))
    assert "server" in hint(checks.check_p2p_time_function(no_server_upload, **LINK))

    def section_1_uplink(n):   # the `link` of section 1 (1 Mbit/s) instead of `slow`
        return max(800 / 1000, 800 / 8, n * 800 / (1000 + n * 1.0))

    def sum_of_bounds(n):
        return 800 / 1000 + 800 / 8 + n * 800 / (1000 + n * 0.5)

    def megabytes(n):          # the file as 100 MB instead of 800 Mbit
        return max(100 / 1000, 100 / 8, n * 100 / (1000 + n * 0.5))

    assert "each at 0.5 Mbit/s" in hint(checks.check_p2p_time_function(section_1_uplink,
                                                                        **LINK))
    assert "not their sum" in hint(checks.check_p2p_time_function(sum_of_bounds, **LINK))
    assert "8 bits" in hint(checks.check_p2p_time_function(megabytes, **LINK))
    expected = capacity.distribution_time(1234, architecture="p2p", **LINK)
    assert right(1234) == pytest.approx(expected)


def test_distribution_time_hints():
    args = dict(peers=1000, architecture="p2p", **LINK)
    right = float(capacity.distribution_time(**args))
    assert checks.check_distribution_time(right, **args).correct
    assert "seconds" in hint(checks.check_distribution_time(right / 60, **args))
    assert "every peer uploads" in hint(checks.check_distribution_time(800.0, **args))


# ---------------------------------------------------------------- every check


@pytest.mark.parametrize("check", CHECKS)
def test_docstrings_hold_no_formula(check):
    doc = inspect.getdoc(check) or ""
    for formula in ("1 -", "/ (", "kappa -", "<k^2>", "**", "exp(", "8760", "365 x 24",
                    "max("):
        assert formula not in doc, (check.__name__, formula)


# ---------------------------------------------------------------- the notebooks' own solutions


def _cells(name):
    import json
    import pathlib
    path = pathlib.Path(__file__).resolve().parents[1] / "notebooks" / name
    return [("".join(c["source"]), c["cell_type"])
            for c in json.loads(path.read_text(encoding="utf-8"))["cells"]]


def _run_solution(name, exercise_marker, answer_name):
    """Run the exercise cell with its check call removed, then the Solution fold's code, and
    return (namespace, the check call's source)."""
    import re
    cells = _cells(name)
    index = next(i for i, (src, kind) in enumerate(cells)
                 if kind == "code" and exercise_marker in src)
    exercise = cells[index][0]
    setup, check_call = exercise.rsplit("\n", 1)
    solution = next(src for src, kind in cells[index + 1:] if "Solution" in src)
    code = re.search(r"```python\n(.*?)```", solution, re.S).group(1)
    namespace = {"np": np, "checks": checks, "overlay": overlay, "capacity": capacity}
    setup_lines = [line for line in setup.splitlines()
                   if not line.startswith(f"{answer_name} = None")]
    link = dict(file_size_mbit=800, server_upload_mbps=1000, peer_upload_mbps=1,
                peer_download_mbps=8)
    namespace["link"] = link       # chapter 01's section 1 settings, as the notebook has them
    exec("\n".join(setup_lines), namespace)
    exec(code, namespace)
    return namespace, check_call


@pytest.mark.parametrize(("name", "marker", "answer"), [
    ("00_the_outage.ipynb", "check_availability_function", "availability"),
    ("01_p2p_basics.ipynb", "check_critical_fraction", "f_c"),
    ("01_p2p_basics.ipynb", "check_giant_fraction", "giant_share"),
    ("01_p2p_basics.ipynb", "check_p2p_time_function", "p2p_time"),
])
def test_each_printed_solution_passes_its_check_and_the_blank_does_not(name, marker, answer):
    namespace, check_call = _run_solution(name, marker, answer)
    assert eval(check_call, namespace).correct, (name, answer)
    namespace[answer] = None
    assert not eval(check_call, namespace).correct
