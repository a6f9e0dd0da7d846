"""Chapter 03's exercise checks: right answers pass, typical wrong answers get the right hint,
and nothing a student can read with Shift-Tab gives the answer away."""

from __future__ import annotations

import inspect
import math

import numpy as np
import pytest

from p2plib import checks
from p2plib.chain_reaction import ChainReaction, login_goodput, simulate
from p2plib.checks import chain_reaction as chain_reaction_checks
from p2plib.checks import outage as outage_checks


def _solution(queue, served_per_min, capacity_per_min, timeout_min):
    wait = queue / capacity_per_min
    return served_per_min * np.exp(-wait / timeout_min)


def test_the_right_rule_passes_scalar_or_numpy():
    assert checks.check_login_goodput(_solution)
    assert checks.check_login_goodput(login_goodput)
    # Dividing by the rate actually served is as right: it equals the capacity with a queue.
    assert checks.check_login_goodput(lambda q, s, c, t: s * math.exp(-q / max(s, 1) / t))


WRONG = {
    "ignores stale answers": (lambda q, s, c, t: s, "given up waiting"),
    "counts the late ones": (lambda q, s, c, t: s * (1 - math.exp(-q / c / t)), "too late"),
    "fixed patience": (lambda q, s, c, t: s if q / c <= t else 0.0, "random"),
    "a share, not a rate": (lambda q, s, c, t: math.exp(-q / c / t), "per minute"),
    "queue used as a time": (lambda q, s, c, t: s * math.exp(-q / t), "turn the queue into"),
    "timeout as a rate": (lambda q, s, c, t: s * math.exp(-q / c * t), "more clients waiting"),
    "capacity multiplies": (lambda q, s, c, t: s * math.exp(-q * c / t), "turn the queue into"),
    "off by a factor": (lambda q, s, c, t: 0.5 * s * math.exp(-q / c / t), "too low"),
    "negative": (lambda q, s, c, t: -s, "cannot be negative"),
}


@pytest.mark.parametrize("name", list(WRONG))
def test_typical_wrong_rules_get_their_hint(name):
    rule, hint = WRONG[name]
    result = checks.check_login_goodput(rule)
    assert not result
    assert hint in result.message, result.message


def test_the_hints_do_not_state_the_answer():
    for name, (rule, _) in WRONG.items():
        message = checks.check_login_goodput(rule).message
        assert "exp(" not in message and "/" not in message, (name, message)


def test_unfinished_or_broken_code():
    assert "No answer yet" in checks.check_login_goodput(None).message
    assert "still returns ..." in checks.check_login_goodput(lambda q, s, c, t: ...).message
    assert "forget `return`" in checks.check_login_goodput(lambda q, s, c, t: None).message
    assert "ZeroDivisionError" in checks.check_login_goodput(lambda q, s, c, t: 1 / 0).message
    assert "function itself" in checks.check_login_goodput(12.0).message
    assert "must return a number" in checks.check_login_goodput(lambda q, s, c, t: "x").message
    assert "finite" in checks.check_login_goodput(lambda q, s, c, t: math.inf).message


def test_a_wrong_rule_also_changes_the_minimal_model():
    # The check and the model agree on what the rule means: the reference reproduces the
    # default run, a rule that ignores stale answers never lets the flood collapse goodput.
    p = ChainReaction(days=4.0)
    np.testing.assert_array_equal(simulate(p, goodput_rule=_solution).connected,
                                  simulate(p).connected)
    naive = simulate(p, goodput_rule=WRONG["ignores stale answers"][0])
    assert naive.service[-1] > 0.5 > simulate(p).service[-1]


def test_flood_demand_check_and_its_hints():
    kwargs = dict(slots=7_000_000, login_capacity_per_min=166_667, retry_min=2.0)
    right = 7_000_000 + 2.0 * 166_667
    assert checks.check_flood_demand(right, **kwargs)
    assert "whole demand" in checks.check_flood_demand(2.0 * 166_667, **kwargs).message
    assert "check how r enters" in checks.check_flood_demand(7_000_000 + 166_667 / 2,
                                                             **kwargs).message
    assert "pool itself holds" in checks.check_flood_demand(0.9 * right, **kwargs).message
    assert "Count the retries" in checks.check_flood_demand(1.2 * right, **kwargs).message
    assert "No answer yet" in checks.check_flood_demand(None, **kwargs).message
    # the pool alone is 1.2% from the 1/r slip: each gets its own hint
    assert "what the pool holds" in checks.check_flood_demand(7_000_000, **kwargs).message
    # the tolerance is on the clients without a slot, not on the total: 40% off is wrong
    assert not checks.check_flood_demand(7_000_000 + 0.6 * 2.0 * 166_667, **kwargs)
    assert checks.check_flood_demand(7.33e6, **kwargs)


def test_flood_demand_is_where_the_minimal_model_queue_starts():
    # The check's expected value against the model it is about (not against itself).
    p = ChainReaction(daily_amplitude=0.0, reboot_fraction=0.0, days=1.0)
    slots = p.supernodes * p.sn_capacity
    for factor, grows in ((0.98, False), (1.02, True)):
        demand = factor * (slots + p.retry_min * p.login_capacity_per_min)
        r = simulate(p.replace(online_peers=demand))
        assert bool(r.login_queue[-1] > 0) is grows
        assert bool(checks.check_flood_demand(demand / factor, slots, p.login_capacity_per_min,
                                              p.retry_min))


def test_backlog_check_hints_point_the_right_way():
    kw = dict(backlog=2_000_000, attempts_per_min=80_000, capacity_per_min=100_000)
    assert checks.check_login_backlog_minutes(100.0, **kw)
    assert "new attempts that keep coming" in checks.check_login_backlog_minutes(20.0,
                                                                               **kw).message
    assert "only what is left over" in checks.check_login_backlog_minutes(50.0, **kw).message
    assert "leave over" in checks.check_login_backlog_minutes(300.0, **kw).message
    never = dict(kw, attempts_per_min=120_000)
    assert checks.check_login_backlog_minutes(float("inf"), **never)
    assert "capacity left over" in checks.check_login_backlog_minutes(100.0, **never).message
    assert "No answer yet" in checks.check_login_backlog_minutes(None, **never).message


def test_depleted_headroom_hints():
    assert checks.check_depleted_headroom(1.23 * 0.7, headroom=1.23, reboot_fraction=0.3)
    low = checks.check_depleted_headroom(1.23 * 0.3, headroom=1.23, reboot_fraction=0.3)
    assert "rest of the pool" in low.message
    high = checks.check_depleted_headroom(1.23, headroom=1.23, reboot_fraction=0.3)
    assert "slots are missing" in high.message


def test_check_docstrings_hold_no_formula():
    for module in (chain_reaction_checks, outage_checks):
        for name in module.__all__:
            doc = inspect.getdoc(getattr(module, name)) or ""
            for token in (" * ", " / ", "exp", "= ", "(1 -", "x ("):
                assert token not in doc, (name, token)


# -- figures and the explorer -------------------------------------------------------------------

def _runs():
    from p2plib.widgets.outage import _outage_run

    plain = dict(reboot_fraction=0.3, reboot_window_h=10.0, sn_capacity=500.0,
                 retry_policy="fixed", admission_control="off", mega_supernodes="off",
                 online_peers=20_000)
    return (_outage_run(**plain, fix="off"), _outage_run(**plain, fix="on", fix_h=90.0),
            _outage_run(**dict(plain, reboot_fraction=0.5), fix="on", fix_h=110.0))


def test_panels_updated_in_place_draw_like_new_ones():
    # The explorer keeps one OutagePanels and updates it; what a student sees after any
    # sequence of updates must be byte for byte what a new figure of that state shows.
    from p2plib import viz
    from p2plib.widgets.outage import FRIDAY_OBSERVED

    viz.use_course_style()
    runs = _runs()
    panels = viz.OutagePanels(runs[0], now_h=88.0, observed=FRIDAY_OBSERVED, scale=300.0)
    for result, hour in ((runs[1], 70.0), (runs[2], None), (runs[0], 100.0), (runs[1], 88.0)):
        shown = viz.render_png(panels.update(result, now_h=hour))
        fresh = viz.OutagePanels(result, now_h=hour, observed=FRIDAY_OBSERVED, scale=300.0)
        assert viz.render_png(fresh.figure) == shown


def test_fix_marker_only_on_runs_with_a_fix():
    from p2plib import viz

    no_fix, fixed, _ = _runs()
    panels = viz.OutagePanels(no_fix)
    assert not any(line.get_visible() for line in panels.fix_lines)
    assert panels.fix_text.get_text() == ""
    assert all("fix" not in text.get_text() for text in panels.axes[0].texts)
    panels.update(fixed)
    assert all(line.get_visible() and line.get_xdata()[0] == 90.0 for line in panels.fix_lines)
    assert panels.fix_text.get_text() == "fix (+90 h)"


def test_service_panel_shows_connected_over_demand_and_the_friday_observation():
    from p2plib import viz
    from p2plib.widgets.outage import FRIDAY_OBSERVED

    result = _runs()[1]
    panels = viz.OutagePanels(result, observed=FRIDAY_OBSERVED)
    _, y = panels.service.get_data()
    every = max(1, int(np.ceil(len(result.time_h) / panels.max_points)))
    np.testing.assert_allclose(y, (result.connected / result.demand)[::every])
    offsets = panels.axes[0].collections[0].get_offsets()
    np.testing.assert_allclose(offsets, [[88.0, 3 / 8]])
    assert "Computerworld" in panels.axes[0].get_legend().get_texts()[1].get_text()


def test_outage_explorer_controls_and_fix_switch():
    from p2plib import widgets

    explorer = widgets.outage_explorer(online_peers=20_000)
    for name, control in explorer.controls.items():
        assert control.help, name
        if hasattr(control, "continuous_update") and name != "hour":
            assert control.continuous_update is False, name
    assert explorer.result().scenario.fix_h == explorer.controls["fix_h"].value
    explorer.controls["fix"].value = "off"
    assert explorer.result().scenario.fix_h is None
    explorer.controls["supernodes_at_skype"].value = 30_000.0
    s = explorer.result().scenario
    assert s.supernode_fraction * 6e6 == pytest.approx(30_000.0)
    explorer.reset()
    assert explorer.values == explorer.defaults


def test_service_at_check_and_its_hints():
    from p2plib import outage, scenarios

    r = outage.simulate(scenarios.skype_2007().replace(online_peers=20_000))
    i = int(np.searchsorted(r.time_h, 88.0 - 1e-9))
    right = float(r.connected[i] / r.demand[i])
    assert checks.check_service_at(right, r, hour=88)
    if r.wanting[i] > 0 and abs(r.connected[i] / r.wanting[i] - right) > 0.05 * right:
        wrong = checks.check_service_at(float(r.connected[i] / r.wanting[i]), r, hour=88)
        assert "still trying" in wrong.message
    if right > 0.02:
        assert "not a percentage" in checks.check_service_at(100 * right, r, 88).message
    assert "count of clients" in checks.check_service_at(float(r.connected[i]) + 2000, r,
                                                          88).message
    assert "No answer yet" in checks.check_service_at(None, r, 88).message
    by_mean = float(r.connected[i] / r.scenario.online_peers)
    if abs(by_mean - right) > 0.1 * right:
        assert "mean number online" in checks.check_service_at(by_mean, r, 88).message
    with pytest.raises(TypeError, match="result"):
        checks.check_service_at(0.3, "a run", 88)
    with pytest.raises(ValueError, match="hour"):
        checks.check_service_at(0.3, r, 1e4)


# -- the chapter's prose against its stored outputs ------------------------------------------

# (code cell id, what its stored output prints, markdown cell id, what the prose says of it)
PROSE_NUMBERS = [
    ("c03-25", "(4%)", "c03-26", "a few percent connected"),
    ("c03-30", "an outage from Thursday on: 29 (1.7%)", "c03-31", "rare: under 2%"),
    ("c03-31a", "29 outages", "c03-31b", "The figure rests on the 29 runs"),
    ("c03-31a", "quantiles 0% / 13% / 99%", "c03-31b", "from nothing to a full normal\nday"),
    ("c03-31a", "quantiles 0% / 13% / 99%", "c03-31b", "(the median, 13%, rests on"),
    ("c03-31a", "13 of them serve under 5%", "c03-31b", "almost half of them (13 of the 29)"),
    ("c03-31a", "above 62% of them", "c03-31b", "three fifths of it (62%)"),
    ("c03-31a", "(95% interval 44% to 77%", "c03-31b", "runs from 44% to 77%"),
    ("c03-31a", "the preset's 4% is above 41%", "c03-31", "the preset's 4% is in its deeper half"),
    ("c03-31a", "fix_h                +21%", "c03-31b", "about a quarter of a normal day"),
    ("c03-31a", "sn_restart_h         +9%", "c03-31b", "(6 hours instead of two days)"),
    ("c03-31a", "login_headroom       -4%", "c03-31b", "by four percentage points or less"),
    ("c03-31a", "at +88 h: 2\n", "c03-31b", "two of the 2,048 plausible worlds"),
    ("c03-31a", "overload threshold 11.0x, restart 67 h, fix at +117 h: 33 h below 50%, the last "
     "at +116 h; without its fix 33 h, service at the end 59%", "c03-31b",
     "(11 instead of 6 times"),
    ("c03-31a", "overload threshold 4.0x, restart 26 h, fix at +120 h: 28 h below 50%, the last "
     "at +92 h; without its fix 28 h, service at the end 100%", "c03-31b",
     "at the touchy end of the range (4 times) that restart in about a day (26 h)"),
    ("c03-31a", "restart 67 h", "c03-31b", "restart slowly (67 h)"),
    ("c03-31a", "service at the end 59%", "c03-31b", "ends the run at 59% without its fix"),
    ("c03-31a", "33 h below 50%", "c03-31b", "last 33 and 28 hours below 50%"),
    ("c03-31a", "the last at +116 h", "c03-31b", "(+116 h and +92 h)"),
    ("c03-31a", "fix at +120 h", "c03-31b", "(+117 h and +120 h; in the\nfirst, just before)"),
    ("c03-34", "recovery 0.33", "c03-35", "about 0.65 of\nthe mean instead of 0.33"),
    ("c03-34", "recovery 0.65", "c03-35", "about 0.65"),
    ("c03-35a", "between 0.350 and 0.375", "c03-35b",
     "from about 0.36, between 0.350 and 0.375, to\nabout 1.7"),
    ("c03-35a", "between 1.700 and 1.725", "c03-35b", "about 1.7"),
    ("c03-35a", "night low 0.52, daily peak 1.35", "c03-35b", "(0.52 of the mean) to the daily "
     "peak (1.35)"),
    ("c03-35a", "daily peak: 5% of a normal day; at most 17%", "c03-35b",
     "at most\nabout 17% at any load, and about 5% at the daily peak"),
    ("c03-35c", "back within 6 h   hours below 50%:  81.8 of 144   still down", "c03-35d",
     "a fast restart alone regrows the pool, but"),
    ("c03-35c", "12.8 of 144   back above 90% by itself at +79 h", "c03-35d",
     "(back above 90% at +79 h, Friday 07:00 UTC), after about 13 hours below 50%"),
    ("c03-36", "(0.1%)", "c03-37", "(a fraction of a percent)"),
    ("c03-36", "at its low (+19 h)", "c03-37", "about three hours after the crash"),
    ("c03-36", "(8.0 h)", "c03-37", "for about eight\nhours"),
    ("c03-36", "85% at 18.2 h, 90% at 23.9 h", "c03-37", "(23.8 against 23.9 hours)"),
    ("c03-36", "85% at 17.8 h, 90% at 23.8 h", "c03-37", "above 85% after about\n18 hours"),
    ("c03-36", "85% at 34.9 h, 90% at 36.7 h", "c03-37", "35–37 hours after the crash"),
    ("c03-36", "service 94% at +17.8 h, 31% one 2-minute step later", "c03-37",
     "from 94% to 31% in one 2-minute\nstep"),
    ("c03-36", "+36.2 h (after 75%)", "c03-37", "regrows to about 75%"),
    ("c03-36", "+32.6 h (after 55%), +59.4 h (after 88%)", "c03-37", "(to\n55% and to 88%)"),
    ("c03-30", "sn_capacity          109.2 to   0.0", "c03-28", "77–109 hours"),
    ("c03-30", "reboot_fraction        0.0 to  76.6", "c03-28", "77–109 hours"),
    ("c03-30", "fix_h                 31.5 to  67.8", "c03-28",
     "against 32–68 hours for the\nfix hour"),
    ("c03-21", "14,665", "c03-18", "(14,665 of 20,000\n  supernodes serving at +60 h"),
    ("c03-27", "fix at + 88 h:  35.2 h", "c03-28", "from +64 to +88 h, add about 4 hours"),
    ("c03-39", "no admission control             hours below 50%:  63.1", "c03-18",
     "63 instead of 82 hours below 50%"),
    ("c03-39", "no defence                       hours below 50%:  81.8", "c03-40",
     "after 63 instead of 82 hours below 50%"),
]


def _chapter_cells():
    import json
    import pathlib

    path = pathlib.Path(__file__).resolve().parents[1] / "notebooks" / "03_reboot_trigger.ipynb"
    cells = json.loads(path.read_text())["cells"]
    text = {}
    for cell in cells:
        if cell["cell_type"] == "code":
            text[cell["id"]] = "".join("".join(o.get("text", "")) for o in cell["outputs"]
                                       if o.get("output_type") == "stream")
        else:
            text[cell["id"]] = "".join(cell["source"])
    return text


@pytest.mark.parametrize(("code", "printed", "prose", "says"), PROSE_NUMBERS)
def test_chapter_prose_states_what_its_outputs_show(code, printed, prose, says):
    cells = _chapter_cells()
    assert printed in cells[code], (code, printed)
    assert says in cells[prose], (prose, says)


def test_phase_diagram_categories_do_not_depend_on_the_run_length():
    # The chapter's sweep (section 9) around the preset's corner of the grid, at the chapter's
    # 5 days and at 7: every cell is classified by what happens within 48 h of the first fall.
    from p2plib import scenarios, sweep

    grid = {"reboot_fraction": [0.25, 0.3, 0.45],
            "supernode_fraction": [17_500 / 6e6, 20_000 / 6e6, 25_000 / 6e6]}
    base = scenarios.skype_2007().replace(fix_h=None, online_peers=100_000, step_min=5)
    short, long = (sweep.sweep(base.replace(days=d), grid, metric="outcome", progress=False,
                               batch_size=9).values for d in (5.0, 7.0))
    assert not np.isnan(short).any()
    np.testing.assert_array_equal(short, long)
    assert len(np.unique(short)) >= 2          # the corner holds the edge: not all one colour


def test_ensemble_bars_carry_their_run_counts():
    # Section 9's P(outage) panels label each bar "k/n": the counts must add up to the runs
    # counted and the outages among them, and each bar's height must be k/n.
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from p2plib import outage, viz

    ens = outage.ensemble(n=16, seed=0)
    keep = ens.consistent
    fig = viz.plot_ensemble(ens, keep=keep, outage=ens.outage & keep)
    try:
        for ax in fig.axes[:2]:
            labels = [t.get_text() for t in ax.texts if "/" in t.get_text()]
            pairs = [tuple(int(x) for x in label.split("/")) for label in labels]
            assert sum(n for _, n in pairs) == keep.sum()
            assert sum(k for k, _ in pairs) == (ens.outage & keep).sum()
            heights = sorted(p.get_height() for p in ax.patches if np.isfinite(p.get_height())
                             and p.get_height() > 0)
            expected = sorted(k / n for k, n in pairs if k)
            np.testing.assert_allclose(heights, expected)
    finally:
        plt.close(fig)
