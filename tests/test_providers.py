"""One network vs interoperable providers; business-continuity arithmetic.

The number of providers down on a day is binomial (independent) or beta-binomial
(correlated), so day-frequencies are checked against those exact laws within 5 binomial
standard deviations of the number of simulated days.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from p2plib import availability
from p2plib.failures import _beta_parameters, correlated_outages
from p2plib.providers import call_share, provider_days, served_during_outage


def test_call_share_closed_forms():
    shares = [0.5, 0.3, 0.2]
    assert call_share(shares, [True, True, True]) == pytest.approx(1.0)
    assert call_share(shares, [True, True, True], interoperable=False) == pytest.approx(0.38)
    assert call_share(shares, [False, True, True]) == pytest.approx(0.25)
    assert call_share([1.0], [False]) == 0.0


def test_mean_availability_does_not_depend_on_the_market():
    q, days = 0.03, 40_000
    for shares, rho in (([1.0], 0.0), ([0.25] * 4, 0.0), ([0.25] * 4, 0.5), ([0.7, 0.3], 0.2)):
        run = provider_days(shares, q, rho, days=days, seed=2)
        # per-day blast radius has variance <= q (1 - q); 5 standard errors
        assert abs(run.user_availability - (1 - q)) < 5 * math.sqrt(q * (1 - q) / days)


@pytest.mark.parametrize("rho", [0.0, 0.4])
def test_number_of_providers_down_follows_the_exact_law(rho):
    providers, q, days = 5, 0.1, 40_000
    run = provider_days([1 / providers] * providers, q, rho, days=days, seed=7)
    down = (~run.up).sum(axis=1)
    if rho == 0:
        law = stats.binom(providers, q)
    else:
        law = stats.betabinom(providers, *_beta_parameters(q, rho))
    for k in range(providers + 1):
        p = law.pmf(k)
        observed = (down == k).mean()
        assert abs(observed - p) < 5 * math.sqrt(p * (1 - p) / days) + 1 / days, k


def test_more_providers_shrink_the_worst_day_unless_they_fail_together():
    q = 0.02
    one = provider_days([1.0], q, days=20_000, seed=1)
    five = provider_days([0.2] * 5, q, days=20_000, seed=1)
    five_together = provider_days([0.2] * 5, q, correlation=0.9, days=20_000, seed=1)
    assert one.worst_day_share(0.5) == pytest.approx(q, abs=0.005)
    assert five.worst_day_share(0.5) < 0.001            # needs 3 of 5 down: ~8e-5
    assert five_together.worst_day_share(0.5) > 0.01    # a shared cause brings them down


def test_correlated_outages_shape_and_seed():
    a = correlated_outages(4, 0.2, 0.3, days=50, seed=9)
    b = correlated_outages(4, 0.2, 0.3, days=50, seed=9)
    assert a.shape == (50, 4) and np.array_equal(a, b)


@settings(max_examples=30, deadline=None)
@given(hours=st.lists(st.floats(0, 1e4), min_size=1, max_size=8),
       affected=st.floats(0, 1), rate=st.floats(0, 5), can=st.floats(0, 1))
def test_served_share_is_a_share_and_grows(hours, affected, rate, can):
    hours = np.sort(np.array(hours))
    served = served_during_outage(hours, affected, rate, can)
    assert np.all((served >= 1 - affected - 1e-12) & (served <= 1 + 1e-12))
    assert np.all(np.diff(served) >= -1e-12)
    assert served[-1] <= 1 - affected * (1 - can) + 1e-12   # those who cannot switch wait


def test_continuity_arithmetic():
    assert availability.expected_outage_cost(48, 1, 100, 3.0) == 14_400
    assert availability.break_even_outages_per_year(14_400, 48, 100, 3.0) == pytest.approx(1)
    assert availability.break_even_outages_per_year(1.0, 48, 0, 3.0) == math.inf


@pytest.mark.parametrize("call, words", [
    (lambda: provider_days([0.5, 0.4], 0.1), "shares must add up to 1"),
    (lambda: provider_days([], 0.1), "shares"),
    (lambda: provider_days([1.0], 0.0), "outage_prob"),
    (lambda: provider_days([1.0], 0.1, correlation=1.0), "correlation"),
    (lambda: provider_days([1.0], 0.1, days=0), "days"),
    (lambda: call_share([0.5, 0.5], [True]), "one entry per provider"),
    (lambda: served_during_outage([-1], 0.5, 0.1, 0.5), "hours"),
    (lambda: served_during_outage([1], 1.5, 0.1, 0.5), "affected_share"),
    (lambda: availability.expected_outage_cost(48, -1, 10, 1), "outages_per_year"),
    (lambda: availability.yearly_availability(9000), "downtime_hours"),
    (lambda: availability.nines(1.2), "availability"),
])
def test_bad_input(call, words):
    with pytest.raises((ValueError, TypeError), match=words):
        call()


# ---- chapter 06 figures: the legend never covers a line, whatever the explorer's settings ----

def _legend_bottom_in_data(ax) -> float:
    ax.figure.canvas.draw()
    box = ax.get_legend().get_window_extent()
    return float(ax.transData.inverted().transform((box.x0, box.y0))[1])


@pytest.mark.parametrize("count, q, rho", [(2, 0.01, 0.0), (5, 0.01, 0.9), (20, 0.1, 0.0),
                                           (20, 0.1, 0.95)])
def test_blast_radius_legend_sits_above_every_curve(count, q, rho):
    import matplotlib.pyplot as plt

    from p2plib import viz

    viz.use_course_style()
    runs = {"one network": provider_days([1.0], q, days=20_000, seed=1),
            f"{count} SIP providers": provider_days([1 / count] * count, q, rho, days=20_000,
                                                    seed=1),
            "third": provider_days([0.5, 0.5], q, days=20_000, seed=2)}
    ax = viz.plot_blast_radius(runs)
    top = max(float(line.get_ydata().max()) for line in ax.get_lines())
    assert top <= 1.0
    assert _legend_bottom_in_data(ax) > top
    # one day in the run shows above the bottom of the axis
    assert ax.get_ylim()[0] < 1 / 20_000
    plt.close(ax.figure)


@pytest.mark.parametrize("rate", [0.0, 0.1, 1.0])
@pytest.mark.parametrize("count", [2, 5, 20])
def test_switching_legend_sits_above_every_curve(rate, count):
    import matplotlib.pyplot as plt

    from p2plib import viz

    viz.use_course_style()
    hours = np.linspace(0, 48, 193)
    curves = {"one network down": served_during_outage(hours, 1.0, rate, 0.5),
              f"one of {count} down": served_during_outage(hours, 1 / count, rate, 0.5)}
    ax = viz.plot_switching(hours, curves)
    top = max(float(np.max(c)) for c in curves.values())
    assert _legend_bottom_in_data(ax) > top
    plt.close(ax.figure)


def test_provider_explorer_titles_state_what_the_run_shows():
    """The left title gives both worst-day shares (it once said 'a smaller worst day' even
    when a shared cause made the two markets alike)."""
    import contextlib
    import io

    from p2plib import viz, widgets

    viz.use_course_style()
    with contextlib.redirect_stdout(io.StringIO()):
        explorer = widgets.provider_explorer()
        for rho in (0.0, 0.9):
            explorer.controls["correlation"].value = rho
            result = explorer.result()
            left = explorer.figure.axes[0].get_title()
            for market in ("one", "many"):
                assert f"{result[market].worst_day_share(0.5):.2%}" in left
    one, many = result["one"].worst_day_share(0.5), result["many"].worst_day_share(0.5)
    assert abs(one - many) < 0.003                 # at rho = 0.9 the two come together
