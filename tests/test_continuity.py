"""Business continuity (p2plib.continuity) and chapter 06's exercise checks and their hints.

The arithmetic is exact (products and ratios of the assumptions), so it is checked against the
same sums done by hand and against its invariants: the break-even scales as a power of each
assumption, and the flip point of every assumption, put back, gives the target break-even.
"""

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from p2plib import checks
from p2plib.checks import continuity as continuity_checks
from p2plib.continuity import (
    ContinuityAssumptions,
    ContinuityCosts,
    break_even_sweep,
    continuity_costs,
)
from p2plib.policy import CLIENTS_PER_DEDICATED_SERVER
from p2plib.scenarios import PRESETS


def test_costs_are_the_sums_done_by_hand():
    a = ContinuityAssumptions()
    c = continuity_costs(a)
    assert c.servers_saved == math.ceil(8e6 / 20_000) == 400
    assert c.saving_per_year == 400 * 2_000
    assert c.user_hours_lost == pytest.approx(6e6 * (5 / 8) * 48)
    assert c.operator_cost_per_outage == pytest.approx(6e6 * (5 / 8) * 48 * 0.05)
    assert c.break_even_outages_per_year == pytest.approx(800_000 / 9_000_000)
    assert c.firm_cost_per_outage == 50 * 16 * 30
    assert not c.saving_pays_for_one_outage_a_year


def test_one_set_of_assumptions_with_the_rest_of_the_course():
    """The servers are counted as the capstone counts dedicated servers."""
    a = ContinuityAssumptions()
    assert a.clients_per_server == CLIENTS_PER_DEDICATED_SERVER
    assert a.mean_online == PRESETS["skype_2007"]().online_peers      # the outage model's mean
    assert set(ContinuityAssumptions.SOURCES) == {f.name for f in dataclasses.fields(a)}
    for name, source in ContinuityAssumptions.SOURCES.items():
        assert "assumption" in source or "[documented" in source, name


def test_the_old_per_supernode_count_reverses_the_verdict():
    """One server per 500-client supernode: 40x the servers, and the verdict flips."""
    base = continuity_costs()
    per_supernode = continuity_costs(ContinuityAssumptions(clients_per_server=500))
    assert per_supernode.servers_saved == 16_000 == 40 * base.servers_saved
    assert per_supernode.saving_pays_for_one_outage_a_year
    assert not base.saving_pays_for_one_outage_a_year


@pytest.mark.parametrize("name", ["peak_online", "clients_per_server", "server_cost_per_year",
                                  "mean_online", "cut_off_share", "outage_hours",
                                  "value_per_user_hour"])
@pytest.mark.parametrize("target", [0.1, 1.0, 3.0])
def test_flip_point_put_back_gives_the_target(name, target):
    a = ContinuityAssumptions(clients_per_server=7_000)     # 8e6 / 7000: not a whole number
    flip = continuity_costs(a).flip_point(name, target)
    changes = {name: flip}
    if name == "peak_online":
        changes["mean_online"] = min(a.mean_online, flip)
        if changes["mean_online"] != a.mean_online:
            pytest.skip("the flip point lies below the mean online (outside the range)")
    if name == "outage_hours":
        changes["outage_working_hours"] = min(a.outage_working_hours, flip)
    if name == "cut_off_share" and flip > 1:
        pytest.skip("outside the allowed range: the verdict holds over all of it")
    if name == "mean_online" and flip > a.peak_online:
        pytest.skip("outside the allowed range")
    moved = continuity_costs(a.replace(**changes))
    # rounding servers up moves the break-even by less than one server's share
    servers = moved.assumptions.peak_online / moved.assumptions.clients_per_server
    assert moved.break_even_outages_per_year == pytest.approx(
        target, rel=1.0 / servers + 1e-9)


def test_verdict_ranges_name_the_side_on_which_it_holds():
    text = continuity_costs().verdict_ranges()
    assert "clients_per_server     above 1,778" in text
    assert "server_cost_per_year   below 22,500" in text
    flipped = continuity_costs(ContinuityAssumptions(clients_per_server=500)).verdict_ranges()
    assert "clients_per_server     below 1,778" in flipped


@settings(max_examples=40, deadline=None)
@given(cps=st.floats(100, 1e5), cost=st.floats(10, 1e5), hours=st.floats(1, 200),
       value=st.floats(1e-4, 1.0), cut=st.floats(0.01, 1.0))
def test_break_even_is_monotone_and_consistent(cps, cost, hours, value, cut):
    a = ContinuityAssumptions(clients_per_server=cps, server_cost_per_year=cost,
                              outage_hours=hours, value_per_user_hour=value, cut_off_share=cut,
                              outage_working_hours=min(16.0, hours))
    c = continuity_costs(a)
    assert c.break_even_outages_per_year == pytest.approx(
        c.saving_per_year / c.operator_cost_per_outage)
    more_clients = continuity_costs(a.replace(clients_per_server=cps * 2))
    assert more_clients.break_even_outages_per_year <= c.break_even_outages_per_year
    longer = continuity_costs(a.replace(outage_hours=hours * 2))
    assert longer.break_even_outages_per_year == pytest.approx(
        c.break_even_outages_per_year / 2)
    assert c.saving_pays_for_one_outage_a_year == (c.break_even_outages_per_year >= 1)


def test_sweep_matches_single_runs():
    values = np.array([500.0, 2_000.0, 20_000.0])
    swept = break_even_sweep(ContinuityAssumptions(), "clients_per_server", values)
    single = [continuity_costs(ContinuityAssumptions(clients_per_server=v))
              .break_even_outages_per_year for v in values]
    assert swept.tolist() == pytest.approx(single)
    assert np.all(np.diff(swept) < 0)


def test_summary_states_the_verdict_that_the_numbers_give():
    assert "does not cover one such outage a year" in continuity_costs().summary()
    assert "covers at least one" in continuity_costs(
        ContinuityAssumptions(clients_per_server=500)).summary()
    assert isinstance(continuity_costs(), ContinuityCosts)


@pytest.mark.parametrize("call, words", [
    (lambda: ContinuityAssumptions(clients_per_server=0), "clients_per_server"),
    (lambda: ContinuityAssumptions(cut_off_share=1.5), "cut_off_share"),
    (lambda: ContinuityAssumptions(outage_working_hours=60), "outage_working_hours"),
    (lambda: ContinuityAssumptions(mean_online=9e6), "mean_online"),
    (lambda: continuity_costs("x"), "assumptions"),
    (lambda: continuity_costs().flip_point("firm_people"), "name"),
    (lambda: continuity_costs().flip_point("outage_hours", 0), "outages_per_year"),
    (lambda: break_even_sweep(ContinuityAssumptions(), "nope", [1]), "name"),
])
def test_bad_input(call, words):
    with pytest.raises((ValueError, TypeError), match=words):
        call()


# ---- chapter 06 exercise checks: right answers pass, each hint fires where it should ----

def test_providers_down_right_answer_and_hints():
    q, n = 0.01, 5
    right = float(stats.binom(n, q).sf(1))
    assert checks.check_providers_down(right, n, q)
    assert checks.check_providers_down(1 - (1 - q) ** n - n * q * (1 - q) ** (n - 1), n, q)
    hint = lambda answer: checks.check_providers_down(answer, n, q).message  # noqa: E731
    assert "at least ONE" in hint(1 - (1 - q) ** n)
    assert "two GIVEN" in hint(q**2)
    assert "exactly two" in hint(float(stats.binom(n, q).pmf(2)))
    assert "several times" in hint(10 * q**2)
    assert "which provider" in hint(1 - (1 - q) ** n - q * (1 - q) ** (n - 1))   # forgot the 5
    assert "between 0 and 1" in hint(right * 100)
    assert "Count every way" in hint(right / 3)           # too low: the too-low hint
    assert "Subtract from 1" in hint(right * 3)           # too high: the too-high hint
    assert "No answer yet" in hint(None)
    for wrong in (1 - (1 - q) ** n, q**2, right / 3, right * 3, right * 100):
        assert not checks.check_providers_down(wrong, n, q)
        assert f"{right:.2g}" not in hint(wrong) and f"{right:.3g}" not in hint(wrong)


def _correct(start, end):
    total = 0.0
    for day in range(int(start // 24), int(end // 24) + 1):
        if day % 7 < 5:
            total += max(0.0, min(end, 24 * day + 17) - max(start, 24 * day + 9))
    return total


def _whole_hours(start, end):
    return float(sum(1 for h in range(int(start), int(end))
                     if (h // 24) % 7 < 5 and 9 <= h % 24 < 17))


def _one_week(start, end):            # forgets that weeks repeat: days 7, 8, ... never count
    total = 0.0
    for day in range(int(start // 24), int(end // 24) + 1):
        if day < 5:
            total += max(0.0, min(end, 24 * day + 17) - max(start, 24 * day + 9))
    return total


def _unclipped(start, end):          # forgets max(0, ...): a missed day subtracts hours
    total = 0.0
    for day in range(int(start // 24), int(end // 24) + 1):
        if day % 7 < 5:
            total += min(end, 24 * day + 17) - max(start, 24 * day + 9)
    return total


def test_working_hours_check_runs_the_students_function():
    assert checks.check_working_hours(_correct)
    assert checks.check_working_hours(continuity_checks._working_hours)
    message = lambda f: checks.check_working_hours(f).message  # noqa: E731
    assert "No answer yet" in message(None)
    assert "No answer yet" in message(lambda s, e: None)
    assert "function itself" in message(14.0)
    assert "clock hours" in message(lambda s, e: e - s)
    assert "Saturday and Sunday" in message(
        lambda s, e: continuity_checks._working_hours(s, e, count_weekends=True))
    assert "parts of hours" in message(_whole_hours)
    assert "168 hours" in message(_one_week)
    assert "negative" in message(_unclipped)
    assert "raised ZeroDivisionError" in message(lambda s, e: 1 / 0)
    assert "must return a number" in message(lambda s, e: "14")
    assert "by hand" in message(lambda s, e: continuity_checks._working_hours(s, e) + (s == 82))


def test_working_hours_reference_against_an_hour_by_hour_count():
    rng = np.random.default_rng(5)
    for _ in range(200):
        start = float(rng.integers(0, 400))
        end = start + float(rng.integers(0, 400))
        assert continuity_checks._working_hours(start, end) == _whole_hours(start, end)


def test_check_docstrings_do_not_give_the_answers():
    for check in (checks.check_providers_down, checks.check_working_hours):
        doc = check.__doc__
        for formula in ("binom", "1 -", "sf(", "% 7", "09:00", "17:00", "comb"):
            assert formula not in doc, (check.__name__, formula)
