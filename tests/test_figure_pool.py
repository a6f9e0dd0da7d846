"""Explorers reuse their figure between redraws; what a student sees must not change.

:class:`p2plib.viz.FigurePool` clears and reuses an explorer's figure (keeping its tick
objects) because building a new figure is most of an update's time. The risk is state left
over from the previous drawing: a title, a twin axis, an inverted axis, a fixed tick locator,
a grid switched off. So every explorer is driven through a seeded sequence of random control
positions (the way a student moves sliders: each state drawn on the previous state's figure),
and after each move its PNG must equal, byte for byte, the PNG of the same state drawn on a
brand-new figure.
"""

from __future__ import annotations

import numpy as np
import pytest
from test_explorer_fuzz import set_values

from p2plib import scenarios, sweep, viz, widgets
from p2plib.viz import FigurePool, render_png
from p2plib.viz.style import new_figure

STATES = 6


@pytest.fixture(autouse=True)
def course_style():
    viz.use_course_style()


def _phase_explorer():
    base = scenarios.skype_2007().replace(online_peers=5_000, fix_h=None, days=3.0)
    grids = {p: sweep.sweep(base.replace(retry_policy=p),
                            {"reboot_fraction": [0.1, 0.4], "sn_capacity": [400.0, 700.0]},
                            progress=False)
             for p in ("fixed", "full_jitter")}
    return widgets.phase_explorer(grids)


BUILDERS = {**widgets.explorer_factories(), "phase_explorer": _phase_explorer}


def fresh_png(explorer) -> bytes:
    """The explorer's current state drawn on a new figure (a pool of its own)."""
    with FigurePool().active():
        figure = explorer._draw(explorer.result(), **explorer.view_values)
    return render_png(figure)


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_reused_figure_draws_exactly_like_a_new_one(name):
    explorer = BUILDERS[name]()
    rng = np.random.default_rng(sum(map(ord, name)))
    first = explorer.figure
    for step in range(STATES):
        state = {}
        for control_name, control in explorer.controls.items():
            grid = widgets.control_positions(control)
            state[control_name] = grid[rng.integers(len(grid))]
        set_values(explorer, state)
        assert explorer.figure is first, f"{name}: the figure was not reused"
        shown = explorer.png()
        if shown != fresh_png(explorer):
            pytest.fail(f"{name}: after move {step + 1} to {state}, the reused figure differs "
                        "from a new one")


def test_pool_clears_what_a_drawing_left_behind():
    pool = FigurePool()
    with pool.active():
        fig, ax = new_figure()
        ax.plot([1, 2], [3, 4], label="old")
        ax.legend()
        ax.set_title("old title")
        ax.set_xscale("log")
        ax.invert_yaxis()
        ax.twinx()
        fig.suptitle("old suptitle")
    with pool.active():
        again, ax = new_figure()
    assert again is fig and again.axes == [ax]
    assert not ax.lines and ax.get_legend() is None and ax.get_title() == ""
    assert ax.get_xscale() == "linear" and not ax.yaxis_inverted()
    assert again._suptitle is None and not again.texts
    with pool.active():
        other, _ = new_figure(ncols=2)     # another grid: another figure
    assert other is not fig


def test_pool_figure_with_and_without_a_colour_bar_matches_a_new_one():
    def draw(colour_bar: bool):
        fig, ax = new_figure()
        mesh = ax.pcolormesh(np.arange(12.0).reshape(3, 4))
        if colour_bar:
            fig.colorbar(mesh, ax=ax, label="hours")
        ax.set_title("a map")
        return fig

    pool = FigurePool()
    for colour_bar in (True, False, True, False):
        with pool.active():
            shown = render_png(draw(colour_bar))
        with FigurePool().active():
            assert shown == render_png(draw(colour_bar)), f"colour bar {colour_bar}"
