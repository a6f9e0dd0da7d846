"""Correlated-failure explorer (chapter 01): the same failure rate, independent or correlated.

Wires controls to :mod:`p2plib.failures` and :mod:`p2plib.viz.failures`.
"""

from __future__ import annotations

import numpy as np

from p2plib import failures, viz
from p2plib.widgets.core import Explorer, slider

__all__ = ["correlation_explorer"]


def _correlation_run(peers: float, failure_prob: float, correlation: float, days: int = 3650,
                     seed: int = 1):
    n = round(peers)
    grid = np.linspace(0, 1, 101)
    return {
        "n": n, "failure_prob": failure_prob, "correlation": correlation,
        "independent": failures.simultaneous_failure_fractions(n, failure_prob, 0.0, days,
                                                               seed=seed),
        "correlated": failures.simultaneous_failure_fractions(n, failure_prob, correlation,
                                                              days, seed=seed),
        "grid": grid,   # the exact tails, computed once per model run (not per redraw)
        "exact": {k: failures.exceedance_probability(grid, n, failure_prob, rho)
                  for k, rho in (("independent", 0.0), ("correlated", correlation))},
    }


def _how_often(per_day: float) -> str:
    """A daily probability as a frequency a student can picture ("once in 5 years", ...)."""
    per_year = per_day * 365
    if per_year >= 0.95:
        return f"{per_year:.0f} days a year" if per_year >= 9.5 else f"{per_year:.1f} days a year"
    if per_year * 1e6 >= 1:
        years = 1 / per_year
        return (f"once in {years:.1f} years" if years < 10
                else f"once in {float(f'{years:.2g}'):,.0f} years")   # two significant digits
    return "less than once in a million years"


def _correlation_draw(result, threshold: float):
    fig, (left, right) = viz.new_figure(ncols=2, width=15, height=6)
    labels = {"independent": "independent failures",
              "correlated": f"correlated failures (ρ = {result['correlation']:.2f})"}
    viz.plot_failure_days({labels[k]: result[k] for k in ("independent", "correlated")},
                          threshold, ax=left, title="10 years of days, same average failure rate")
    grid = result["grid"]
    exact = {labels[k]: result["exact"][k] for k in ("independent", "correlated")}
    simulated = {labels[k]: (result[k][None, :] > grid[::5, None]).mean(axis=1)
                 for k in ("independent", "correlated")}
    viz.plot_exceedance(grid, exact, None, ax=right)
    for (label, values), colour in zip(simulated.items(), viz.CYCLE, strict=False):
        right.plot(grid[::5], np.maximum(values, 1e-12), "o", color=colour,
                   label=f"{label}: simulated")
    right.axvline(threshold, color=viz.PALETTE["vermillion"], linestyle="--")
    viz.legend_exact_and_simulated(right, list(labels.values()))
    bad = failures.exceedance_probability(threshold, result["n"], result["failure_prob"],
                                          result["correlation"])
    right.set_title(f"More than {threshold:.0%} down at ρ = {result['correlation']:.2f}:\n"
                    f"{_how_often(bad)}")
    viz.major_ticks_only(left.yaxis, right.yaxis)
    return fig


def correlation_explorer() -> Explorer:
    """Chapter 01: the same failure rate, independent vs correlated (common-cause) failures.

    Returns
    -------
    Explorer
        Displays itself in a notebook cell; ten years of days
        (:func:`p2plib.failures.simultaneous_failure_fractions`) beside the exact tails
        (:func:`p2plib.failures.exceedance_probability`).

    Examples
    --------
    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()):   # outside Jupyter display() prints
    ...     explorer = correlation_explorer()
    >>> list(explorer.controls)
    ['peers', 'failure_prob', 'correlation', 'threshold']
    """
    controls = {
        "peers": slider("Peers", "count", "how many peers could fail", 10_000, 2, 5, 0.5,
                        log=True, readout_format=",.0f"),
        "failure_prob": slider("Failure rate", "share per day", "chance that a given peer is "
                               "down on a given day", 0.05, 0.01, 0.5, 0.01),
        "correlation": slider("Correlation ρ", "0 to 1", "how strongly failures share a cause "
                              "(0: independent)", 0.3, 0.0, 0.95, 0.05),
        "threshold": slider("Breaking point", "share of peers", "share down at once that breaks "
                            "the overlay (e.g. f_c)", 0.5, 0.05, 0.95, 0.05),
    }
    return Explorer("Same average, different risk: independent vs correlated failures",
                    controls, run=_correlation_run, draw=_correlation_draw, view=("threshold",))
