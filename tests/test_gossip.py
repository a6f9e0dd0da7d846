"""Gossip: rumor spreading rounds, Demers' recurrences and rumor mongering tables, bad input.

Tolerances come from the theory and the number of runs:

* one round of gossip, given the state before it, leaves each uninformed replica uninformed
  independently (pull) or with negatively associated indicators (push: balls in bins), so the
  count of uninformed replicas has at most the binomial variance ``U p (1 - p)``: we allow
  5 such standard deviations per round;
* a mean over ``R`` runs has standard error ``sd / sqrt(R)`` (``sd`` measured from the runs);
  the round counts of Pittel and Karp et al. hold up to an O(1) (or O(log log n)) term that
  is not universal, so differences of means between two sizes are compared, with one round of
  slack for the integer rounding of that term, plus 5 standard errors;
* Demers et al.'s tables are means of their own simulations (the number of runs is not
  stated); we assume at least 100 runs, so their standard error is at most ``sd / 10``, and
  allow 5 of those plus 5 of ours plus the rounding of the printed value.
"""

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from p2plib import gossip
from p2plib.gossip import (
    DEMERS_TABLES,
    PROTOCOLS,
    karp_rounds,
    pittel_rounds,
    race,
    rumor_mongering,
    rumor_residue_theory,
    spread,
    spread_from,
    spread_rounds,
    susceptible_recurrence,
)

# --- spread: contract and invariants ---------------------------------------------------------


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_spread_contract(protocol):
    r = spread(5000, protocol, seed=4)
    assert isinstance(r.rounds, int)
    assert r.informed[0] == 1 and r.informed[-1] == 5000
    assert r.rounds == len(r.informed) - 1 == len(r.messages)
    assert np.all(np.diff(r.informed) >= 0)
    assert "rounds=" in repr(r)


def test_single_replica_needs_no_round():
    r = spread(1, "push-pull", seed=1)
    assert r.rounds == 0 and r.informed.tolist() == [1]


def test_same_seed_same_run():
    a, b = spread(2000, "push", seed=9), spread(2000, "push", seed=9)
    assert np.array_equal(a.informed, b.informed)


@settings(max_examples=30, deadline=None)
@given(n=st.integers(2, 400), protocol=st.sampled_from(PROTOCOLS), seed=st.integers(0, 10**6))
def test_spread_invariants(n, protocol, seed):
    r = spread(n, protocol, seed=seed)
    counts = r.informed
    assert counts[0] == 1 and counts[-1] == n
    assert np.all(np.diff(counts) >= 0)
    # at most the informed double by push, and every pull success informs one distinct asker
    if protocol == "push":
        assert np.all(counts[1:] <= 2 * counts[:-1])
        assert np.array_equal(r.messages, counts[:-1])
    if protocol == "pull":
        assert np.array_equal(r.messages, np.diff(counts))


# --- spread_from and race: the same engine, started elsewhere or run three times -------------


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_spread_from_one_replica_is_spread(protocol):
    # the two share one round engine: from replica 0 alone, the same seed gives the same run
    start = np.zeros(3000, dtype=bool)
    start[0] = True
    a, b = spread_from(start, protocol, seed=8), spread(3000, protocol, seed=8)
    assert np.array_equal(a.informed, b.informed) and np.array_equal(a.messages, b.messages)
    assert start.sum() == 1          # the caller's array is not modified


@settings(max_examples=25, deadline=None)
@given(n=st.integers(2, 300), share=st.floats(0.0, 1.0), protocol=st.sampled_from(PROTOCOLS),
       seed=st.integers(0, 10**6))
def test_spread_from_invariants(n, share, protocol, seed):
    start = np.zeros(n, dtype=bool)
    start[: max(1, round(share * n))] = True
    r = spread_from(start, protocol, seed=seed)
    assert r.informed[0] == start.sum() and r.informed[-1] == n
    assert np.all(np.diff(r.informed) >= 0)
    if protocol == "pull":   # every answer informs one distinct asker
        assert np.array_equal(r.messages, np.diff(r.informed))


def test_spread_from_many_sources_follows_the_recurrence():
    # half informed, push-pull: Demers' finite-n recurrence p -> p^2 (1 - 1/n)^(n (1 - p))
    # gives the next uninformed share; binomial sd of the count, 5 of them allowed (module
    # docstring); with (n-1) instead of n in the pull factor the difference is below 1e-5.
    n = 100_000
    start = np.zeros(n, dtype=bool)
    start[n // 2:] = True
    r = spread_from(start, "push-pull", seed=3)
    p1 = susceptible_recurrence(0.5, 1, "push-pull", n=n)[1]
    assert abs(1 - r.informed[1] / n - p1) <= 5 * math.sqrt(p1 * (1 - p1) / n) + 1e-5


def test_race_is_three_spreads_with_one_seed():
    r = race(5000, seed=4)
    for protocol, run in r.runs.items():
        assert np.array_equal(run.informed, spread(5000, protocol, seed=4).informed)
        assert r.rounds(protocol) == run.rounds
    assert r.push_theory_rounds == pittel_rounds(5000)
    assert list(r.runs) == list(PROTOCOLS)


# --- spread: the classic results -------------------------------------------------------------


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_each_round_follows_the_conditional_expectation(protocol):
    # Given U uninformed and I = n - U informed before a round:
    #   pull: an uninformed caller stays so if it calls one of the U - 1 other uninformed;
    #   push: it stays so if none of the I informed callers picks it, (1 - 1/(n-1))**I;
    #   push-pull: both at once (independent choices). These are Demers' recurrences with the
    #   exact finite-n factors.
    n = 200_000
    r = spread(n, protocol, seed=21)
    u = n - r.informed.astype(float)
    for before, after in itertools.pairwise(u):
        informed = n - before
        p_pull = (before - 1) / (n - 1)
        p_push = (1 - 1 / (n - 1)) ** informed
        p = {"pull": p_pull, "push": p_push, "push-pull": p_pull * p_push}[protocol]
        expected, sd = before * p, math.sqrt(before * p * (1 - p))
        assert abs(after - expected) <= 5 * sd + 1e-9


def test_push_rounds_grow_as_pittel():
    # Pittel 1987: T_n = log2 n + ln n + O(1); the O(1) term cancels in a difference.
    small, large = 2**10, 2**16
    a = spread_rounds(small, "push", runs=30, seed=1)
    b = spread_rounds(large, "push", runs=30, seed=2)
    expected = pittel_rounds(large) - pittel_rounds(small)
    se = math.sqrt(a.var(ddof=1) / len(a) + b.var(ddof=1) / len(b))
    assert abs((b.mean() - a.mean()) - expected) <= 1 + 5 * se
    # and the absolute count is log2 n + ln n within a few rounds (Pittel's constant is ~ 1)
    assert abs(b.mean() - pittel_rounds(large)) < 3


def test_push_pull_rounds_grow_as_karp():
    # Karp et al. 2000: log3 n + O(log log n); the log log term changes by
    # ln ln(1e5) - ln ln(1e3) ~ 0.5 between the two sizes.
    a = spread_rounds(1000, "push-pull", runs=30, seed=3)
    b = spread_rounds(100_000, "push-pull", runs=30, seed=4)
    expected = math.log(100, 3)
    loglog = math.log(math.log(1e5)) - math.log(math.log(1e3))
    se = math.sqrt(a.var(ddof=1) / len(a) + b.var(ddof=1) / len(b))
    assert abs((b.mean() - a.mean()) - expected) <= 1 + loglog + 5 * se
    assert b.mean() < spread_rounds(100_000, "push", runs=5, seed=5).mean()


def test_push_pull_beats_push_and_pull_in_rounds():
    n = 50_000
    means = {p: spread_rounds(n, p, runs=10, seed=6).mean() for p in PROTOCOLS}
    assert means["push-pull"] < means["pull"] < means["push"]


def test_round_helpers():
    assert pittel_rounds(2**20) == pytest.approx(20 + 20 * math.log(2))
    assert karp_rounds(3**10) == pytest.approx(10 + math.log(10 * math.log(3)))


# --- Demers' anti-entropy recurrences --------------------------------------------------------


def test_recurrences():
    pull = susceptible_recurrence(0.9, 4, "pull")
    assert np.allclose(pull[1:], pull[:-1] ** 2)
    push = susceptible_recurrence(0.9, 4, "push")
    assert np.allclose(push[1:], push[:-1] * np.exp(-(1 - push[:-1])))
    both = susceptible_recurrence(0.9, 4, "push-pull")
    assert np.all(both[1:] <= np.minimum(push[1:], pull[1:]) + 1e-15)
    finite = susceptible_recurrence(0.9, 4, "push", n=10)
    assert np.allclose(finite[1], 0.9 * (1 - 1 / 10) ** (10 * 0.1))
    # near the end, pull squares (p -> p^2) while push only divides by e per round
    assert susceptible_recurrence(0.01, 1, "pull")[1] < susceptible_recurrence(0.01, 1)[1]


def test_recurrence_predicts_the_simulated_tail():
    # From the round where half are informed, Demers' pull recurrence tracks the simulation.
    n = 1_000_000
    r = spread(n, "pull", seed=8)
    p = 1 - r.informed / n
    t = int(np.argmax(p < 0.5))
    predicted = susceptible_recurrence(p[t], 2, "pull")
    sd = np.sqrt(predicted * (1 - predicted) / n) * 3  # propagated over two rounds
    assert np.all(np.abs(p[t:t + 3] - predicted[: len(p[t:t + 3])]) <= 5 * sd + 1 / n)


# --- rumor mongering -------------------------------------------------------------------------


VARIANTS = {
    "push feedback counter": dict(feedback=True, counter=True, protocol="push"),
    "push blind coin": dict(feedback=False, counter=False, protocol="push"),
    "pull feedback counter": dict(feedback=True, counter=True, protocol="pull"),
}


def _printed_half_unit(value: float) -> float:
    """Half a unit in the last printed digit of a table entry (2-3 significant digits)."""
    if value == 0:
        return 0.0
    exponent = math.floor(math.log10(abs(value)))
    return 0.5 * 10 ** (exponent - 1)


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_rumor_mongering_reproduces_demers_tables(variant):
    runs = 500
    for k, (s, m, _t_ave, t_last) in DEMERS_TABLES[variant].items():
        if variant.startswith("pull") and k == 3:
            continue  # residue 4e-6: below one replica in 1000, not measurable with 500 runs
        r = rumor_mongering(1000, k, seed=100 + k, runs=runs, **VARIANTS[variant])
        for ours, per_run, theirs in ((r.residue, r.residues, s), (r.traffic, r.traffics, m),
                                      (r.t_last, r.t_lasts, t_last)):
            sd = per_run.std(ddof=1)
            tolerance = 5 * sd / math.sqrt(runs) + 5 * sd / 10 + _printed_half_unit(theirs)
            assert abs(ours - theirs) <= tolerance, (variant, k, ours, theirs)


def test_pull_t_ave_matches_table_3():
    r = rumor_mongering(1000, 2, seed=5, runs=500, protocol="pull")
    sd = r.t_aves.std(ddof=1)
    assert abs(r.t_ave - DEMERS_TABLES["pull feedback counter"][2][2]) <= 5 * sd / 10 + 0.05


@pytest.mark.parametrize("k", [1, 2, 3])
def test_coin_residue_solves_the_differential_equation(k):
    # Demers: s = exp(-(k+1)(1-s)) in the large-n limit, for contacts taken one at a time.
    # The final share of an epidemic fluctuates by O(1/sqrt(n)); with n = 10^5 and 8 runs,
    # 5 standard errors of the mean plus an O(1/n) bias.
    n, runs = 100_000, 8
    r = rumor_mongering(n, k, feedback=True, counter=False, seed=k, runs=runs,
                        contacts="sequential")
    theory = rumor_residue_theory(k)
    se = r.residues.std(ddof=1) / math.sqrt(runs)
    assert abs(r.residue - theory) <= 5 * se + 10 / n
    # and the traffic obeys s = exp(-m): ln s has standard error se / s
    assert abs(r.traffic + math.log(r.residue)) <= 5 * se / theory + 0.02


def test_counters_beat_coins_and_feedback_beats_blind():
    # Demers: counters and feedback lower the residue for the same k.
    kw = dict(seed=3, runs=200)
    counter = rumor_mongering(1000, 2, counter=True, **kw).residue
    coin = rumor_mongering(1000, 2, counter=False, **kw).residue
    blind = rumor_mongering(1000, 2, feedback=False, counter=False, **kw).residue
    assert counter < coin < blind


def test_push_pull_rumor_is_faster():
    a = rumor_mongering(2000, 2, protocol="push", seed=1, runs=50)
    b = rumor_mongering(2000, 2, protocol="push-pull", seed=1, runs=50)
    assert b.t_last < a.t_last and b.residue < a.residue


@settings(max_examples=30, deadline=None)
@given(n=st.integers(2, 300), k=st.integers(1, 4), feedback=st.booleans(),
       counter=st.booleans(), protocol=st.sampled_from(PROTOCOLS), seed=st.integers(0, 999))
def test_rumor_invariants(n, k, feedback, counter, protocol, seed):
    r = rumor_mongering(n, k, feedback, counter, protocol, seed=seed, runs=2)
    assert np.all((r.residues >= 0) & (r.residues <= 1 - 1 / n + 1e-12))
    # every replica that learned it got at least one message: traffic >= share informed
    assert np.all(r.traffics * n >= (1 - r.residues) * n - 1 - 1e-9)
    assert np.all(r.t_lasts >= 0) and np.all(r.t_aves <= r.t_lasts + 1e-12)
    if protocol == "push" and not feedback and counter:  # blind counter: k pushes each
        assert np.allclose(r.traffics * n, k * (1 - r.residues) * n)


def test_rumor_repr_and_determinism():
    a = rumor_mongering(500, 2, seed=7, runs=3)
    b = rumor_mongering(500, 2, seed=7, runs=3)
    assert np.array_equal(a.residues, b.residues)
    assert "residue=" in repr(a)


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize("call, error, word", [
    (lambda: spread(0), ValueError, "n"),
    (lambda: spread(10, "gossip"), ValueError, "protocol"),
    (lambda: spread(2.5), TypeError, "n"),
    (lambda: spread(10, seed=-1), ValueError, "seed"),
    (lambda: rumor_mongering(10, 0), ValueError, "k"),
    (lambda: rumor_mongering(1, 1), ValueError, "n"),
    (lambda: rumor_mongering(10, 1.5), TypeError, "k"),
    (lambda: rumor_mongering(10, 1, feedback="yes"), TypeError, "feedback"),
    (lambda: rumor_mongering(10, 1, counter=1), TypeError, "counter"),
    (lambda: rumor_mongering(10, 1, protocol="shout"), ValueError, "protocol"),
    (lambda: rumor_mongering(10, 1, runs=0), ValueError, "runs"),
    (lambda: rumor_mongering(10, 1, contacts="async"), ValueError, "contacts"),
    (lambda: susceptible_recurrence(1.5, 3), ValueError, "p0"),
    (lambda: susceptible_recurrence(0.5, -1), ValueError, "rounds"),
    (lambda: spread_rounds(10, runs=0), ValueError, "runs"),
    (lambda: rumor_residue_theory(0.5), ValueError, "k"),
    (lambda: spread_from([1, 0, 0]), TypeError, "informed"),
    (lambda: spread_from(np.zeros(5, dtype=bool)), ValueError, "informed"),
    (lambda: spread_from(np.zeros((2, 2), dtype=bool)), ValueError, "informed"),
    (lambda: spread_from(np.ones(5, dtype=bool), "flood"), ValueError, "protocol"),
    (lambda: race(1), ValueError, "n"),
    (lambda: race(100, seed="x"), TypeError, "seed"),
    (lambda: race(100).rounds("flood"), ValueError, "protocol"),
])
def test_bad_input(call, error, word):
    with pytest.raises(error, match=word):
        call()


def test_module_exports():
    assert set(gossip.__all__) <= set(dir(gossip))
    # one place per model: every public name of the submodules is re-exported by the package
    from p2plib.gossip import directory, epidemic, rollback, rumor
    for module in (directory, epidemic, rollback, rumor):
        assert set(module.__all__) <= set(gossip.__all__), module.__name__


def test_no_private_name_crosses_a_module():
    """The gossip modules and chapter 04's viz/widgets/checks import no ``_name`` from another
    module (private modules such as ``p2plib._validate`` export public names: those are fine)."""
    import ast
    import pathlib

    root = pathlib.Path(gossip.__file__).parents[1]
    files = [*sorted((root / "gossip").glob("*.py")),
             *(root / layer / "gossip.py" for layer in ("viz", "widgets", "checks"))]
    for path in files:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                private = [a.name for a in node.names if a.name.startswith("_")
                           and a.name != "__future__"]
                assert not private, (path.name, node.module, private)


# --- chapter 04 figures, explorers and checks ------------------------------------------------


def test_checks_accept_the_answer_and_hint_otherwise():
    from p2plib import checks

    assert checks.check_push_rounds(pittel_rounds(10**7), 10**7)
    assert not checks.check_push_rounds(math.log2(10**7), 10**7)
    assert checks.check_pull_share(0.5**8, 0.5, 3)
    assert not checks.check_pull_share(0.5**3, 0.5, 3)
    assert checks.check_records_behind(1e6 * (1 - math.exp(-0.36)), 10**6, 50, 7200)
    assert not checks.check_records_behind(360_000, 10**6, 50, 7200)
    assert checks.check_rebuild_hours(5.0, 25_000, 9_000_000, 100, 1.25e9)
    assert "No answer" in repr(checks.check_rebuild_hours(None, 1, 1, 1, 1))


def test_figures_draw_results():
    import matplotlib.pyplot as plt

    from p2plib import viz

    runs = {p: spread(2000, p, seed=1) for p in PROTOCOLS}
    ax = viz.plot_spread_curves(runs, {"pull": susceptible_recurrence(0.999, 10, "pull")})
    assert len(ax.lines) == 4
    r = gossip.desync(replicas=500, records=10**4, seed=1)
    ax = viz.plot_desync({"merkle": r})
    assert ax.get_xlabel().startswith("hours")
    _, axes = viz.new_figure(ncols=2)
    viz.plot_gossip_race(runs, 3, axes)
    plt.close("all")


def test_explorers_run_the_model_only_when_a_model_control_moves():
    """A view control (the round) redraws from the cached result; a model control (replicas)
    runs the model once and redraws once. The latency of both is measured by
    ``benchmarks/bench_widgets.py`` (at the defaults and at the largest size, 10**6 replicas),
    not here: a timed test fails under load without the code being wrong."""
    import matplotlib.pyplot as plt

    from p2plib import widgets

    race = widgets.gossip_race()
    runs, redraws = race._run.cache_info().misses, race.redraws
    assert runs == 1 and redraws == 1                 # built: one run, one drawing
    race.controls["round_"].value = 5                 # view control: redraw only
    assert race._run.cache_info().misses == runs
    assert race.redraws == redraws + 1
    race.controls["replicas"].value = 10**4           # model control: one new run
    assert race._run.cache_info().misses == runs + 1
    assert race.redraws == redraws + 2
    assert all(r.n == 10**4 for r in race.result().runs.values())
    race.controls["round_"].value = 7                 # view again: no new run
    assert race._run.cache_info().misses == runs + 1
    assert race.redraws == redraws + 3
    desync = widgets.desync_explorer()
    desync.controls["method"].value = "full"
    desync.controls["restart_fraction"].value = 1.0   # no fresh copy: repair impossible
    assert "never" in desync.figure._suptitle.get_text()
    desync.reset()
    assert desync.controls["restart_fraction"].value == 0.3
    plt.close("all")


# --- chapter 04 exercise checks: right answers pass, each usual slip gets the hint for it -----

def _uninformed_share(p0, rounds, protocol, extra_rounds=0, push_as_pull=False):
    p = p0
    for _ in range(rounds + extra_rounds):
        push = math.exp(-(1 - p))
        if protocol == "pull" or (push_as_pull and protocol == "push"):
            p = p * p
        elif protocol == "push":
            p = p * push
        else:
            p = p * p * push
    return p


def test_uninformed_share_function_check():
    from p2plib import checks
    assert checks.check_uninformed_share_function(_uninformed_share).correct
    assert "No function yet" in repr(checks.check_uninformed_share_function(None))
    one_more = checks.check_uninformed_share_function(
        lambda p0, rounds, protocol: _uninformed_share(p0, rounds, protocol, extra_rounds=1))
    assert "after 4 rounds" in repr(one_more)
    pull_for_push = checks.check_uninformed_share_function(
        lambda p0, rounds, protocol: _uninformed_share(p0, rounds, protocol, push_as_pull=True))
    assert "That is the pull step" in repr(pull_for_push)
    crashes = checks.check_uninformed_share_function(lambda p0, rounds: p0)
    assert "raised TypeError" in repr(crashes)


def test_chapter_04_number_checks_hint_the_right_way():
    from p2plib import checks
    n = 25_000_000
    assert checks.check_push_rounds(math.log2(n) + math.log(n), n).correct
    assert "Did you add both" in repr(checks.check_push_rounds(math.log2(n), n))
    assert checks.check_pull_share(0.5 ** 8, 0.5, 3).correct
    assert "not a percentage" in repr(checks.check_pull_share(0.39, 0.5, 3))
    assert "once per round" in repr(checks.check_pull_share(0.5 ** 6, 0.5, 3))
    behind = 1e6 * (1 - math.exp(-0.36))
    assert checks.check_records_behind(behind, 1_000_000, 50, 7200).correct
    assert "more than once" in repr(checks.check_records_behind(360_000, 1_000_000, 50, 7200))
    args = (40_000, 5_000_000, 120, 5e8)
    assert checks.check_rebuild_hours(2.4e13 / 5e8 / 3600, *args).correct
    assert "not bits" in repr(checks.check_rebuild_hours(8 * 2.4e13 / 5e8 / 3600, *args))
    assert "whole copy" in repr(checks.check_rebuild_hours(5e6 * 120 / 5e8 / 3600, *args))


def test_chapter_04_check_docstrings_give_no_formula():
    from p2plib.checks import gossip as chapter
    for name in chapter.__all__:
        doc = getattr(chapter, name).__doc__
        for formula in ("log2", "ln n", "p²", "p ** 2", "exp(", "1 - e"):
            assert formula not in doc, (name, formula)


def test_rebuild_map_labels_sit_on_their_lines():
    # Each contour label ("10 min", "1 hour", ...) must be on its own line: at the label's
    # position, bytes / bandwidth must equal the level it names (within 5%, the label's width).
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from p2plib import viz
    total = np.logspace(9, 14, 60)
    bandwidth = np.logspace(6, 10, 50) / 8
    seconds = total[None, :] / bandwidth[:, None]
    ax = viz.plot_rebuild_map(total, bandwidth, seconds)
    ax.figure.canvas.draw()
    named = {"10 min": 1 / 6, "1 hour": 1, "1 day": 24, "1 week": 168}
    labels = [t for t in ax.texts if t.get_text() in named]
    assert sorted(t.get_text() for t in labels) == sorted(named)
    for text in labels:
        b, mbit = text.get_position()
        hours = b / (mbit * 1e6 / 8) / 3600
        assert hours == pytest.approx(named[text.get_text()], rel=0.05), text.get_text()
        # well inside the axes, not squeezed against an edge
        assert 0.05 < (np.log10(b) - 9) / 5 < 0.95, text.get_text()
        assert 0.05 < np.log10(mbit) / 4 < 0.95, text.get_text()
        # and turned along its line, as drawn (the lines are straight on log-log axes); labels
        # placed before the axes turned logarithmic came out at 5-90 degrees to their lines
        (x0, y0), (x1, y1) = ax.transData.transform([(b, mbit), (10 * b, 10 * mbit)])
        line_angle = np.degrees(np.arctan2(y1 - y0, x1 - x0))
        assert abs(text.get_rotation() - line_angle) < 3, text.get_text()
    plt.close(ax.figure)
