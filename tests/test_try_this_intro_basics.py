"""The numbers that chapters 00 and 01 quote in their "What you should see" blocks come from
the explorers' own run functions (and the models they call) at the settings the "Try this"
items name: if a model changes, these fail and the prose must be updated with it."""

from __future__ import annotations

import numpy as np
import pytest

from p2plib import availability
from p2plib.overlay import giant_fraction_theory
from p2plib.widgets.availability import _availability_run
from p2plib.widgets.failures import _correlation_run, _how_often
from p2plib.widgets.overlay import _failure_run


def test_chapter_00_nines():
    one = _availability_run(48.0, 1.0)
    assert f"{one['availability']:.2%}" == "99.45%" and f"{one['nines']:.1f}" == "2.3"
    allowed = availability.allowed_downtime_hours(3)                # "8.76 hours a year"
    assert round(allowed, 2) == 8.76 and int(allowed) == 8 and round(allowed % 1 * 60) == 46
    assert _availability_run(8.5, 1.0)["nines"] >= 3 > _availability_run(9.0, 1.0)["nines"]
    twelve = _availability_run(1.0, 12.0)                           # "99.86 %, 2.9 nines"
    assert f"{twelve['availability']:.2%}" == "99.86%" and f"{twelve['nines']:.1f}" == "2.9"


def _zero_at(curve, grid):
    """First share failed at which a theory curve is (practically) zero."""
    return grid[np.argmax(curve < 0.01)]


@pytest.mark.parametrize(("mean_degree", "f_c"), [(4.0, 0.75), (10.0, 0.90)])
def test_chapter_01_random_overlay_breaks_near_one_minus_one_over_c(mean_degree, f_c):
    run = _failure_run("random", 20_000, mean_degree, 2.5)
    grid, curve = run["theory"]["random"]
    assert run["threshold"] == pytest.approx(f_c, abs=0.01)
    assert _zero_at(curve, grid) == pytest.approx(f_c, abs=0.02)


def test_chapter_01_attack_on_scale_free_breaks_it_near_15_percent_whatever_gamma():
    thresholds = []
    for gamma in (2.1, 2.5, 2.8):
        run = _failure_run("scale-free", 20_000, 4.0, gamma)
        grid, curve = run["theory"]["targeted"]
        assert _zero_at(curve, grid) == pytest.approx(0.15, abs=0.02)   # "about 15 %"
        thresholds.append(run["threshold"])
    assert thresholds == sorted(thresholds, reverse=True)   # random threshold up as gamma falls
    assert thresholds[0] > 0.99


def test_chapter_01_correlation_explorer_how_often():
    def bad(correlation, failure_prob=0.05):
        run = _correlation_run(10_000, failure_prob, correlation)
        return run["exact"]["correlated"][50]           # grid[50] = 0.5: "more than 50 % down"

    assert _how_often(bad(0.1)) == "once in 4.8 years"                  # "once in five years"
    assert 0.8 <= bad(0.15) * 365 <= 1.5                                # "about once a year"
    assert _how_often(bad(0.3)) == "7.0 days a year"                    # "seven days a year"
    assert 0.8 <= bad(0.3, failure_prob=0.01) * 365 <= 1.5              # "one bad day a year"
    independent = _correlation_run(10_000, 0.05, 0.3)["exact"]["independent"][50]
    assert _how_often(independent) == "less than once in a million years"


def test_chapter_01_failure_explorer_theory_is_the_models():
    run = _failure_run("random", 20_000, 4.0, 2.5)
    grid, curve = run["theory"]["targeted"]
    np.testing.assert_allclose(curve, giant_fraction_theory(run["degrees"], grid, "targeted"))
