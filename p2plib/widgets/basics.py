"""Chapter 01 explorers: failure vs attack on an overlay; independent vs correlated failures."""

from __future__ import annotations

import numpy as np

from p2plib import failures, viz
from p2plib import overlay as ov
from p2plib.widgets.core import Explorer, choice, slider

__all__ = ["correlation_explorer", "failure_explorer"]


_FRACTIONS = np.linspace(0.0, 1.0, 21)


def _failure_run(overlay_kind: str, peers: float, mean_degree: float, exponent: float,
                 seed: int = 1):
    """Build the overlay once and measure both strategies over the whole failure range."""
    n = round(peers)
    if overlay_kind == "random":
        overlay = ov.random_overlay(n, mean_degree, seed=seed)
    else:
        overlay = ov.scale_free_overlay(n, exponent, min_degree=2, seed=seed)
    curves = ov.failure_curves(overlay, _FRACTIONS, seed=seed, theory_points=101)
    small = (ov.random_overlay(60, mean_degree, seed=seed) if overlay_kind == "random"
             else ov.scale_free_overlay(60, exponent, min_degree=2, seed=seed))
    return {"overlay": overlay, "curves": curves.simulated, "theory": curves.theory,
            "small": small, "layout": viz.overlay_layout(small), "degrees": overlay.degrees(),
            "threshold": curves.threshold, "seed": seed}


def _failure_draw(result, failed_fraction: float, strategy: str):
    fig, (left, right) = viz.new_figure(ncols=2, width=15, height=6)
    small = result["small"]
    order = ov.failure_order(small, strategy, seed=result["seed"])
    failed = np.zeros(small.n, bool)
    failed[order[: round(failed_fraction * small.n)]] = True
    viz.plot_overlay(small, ax=left, failed=failed, pos=result["layout"], size_by_degree=True,
                     title=f"A 60-peer overlay of the same kind:\n{failed.sum()} failed "
                           f"({strategy})")
    viz.plot_giant_curve(_FRACTIONS, result["curves"], result["theory"], ax=right,
                         threshold=result["threshold"])
    share = ov.giant_fraction_theory(result["degrees"], failed_fraction, strategy)
    right.axvline(failed_fraction, color=viz.PALETTE["grey"], linewidth=6, alpha=0.3)
    right.set_title(f"{failed_fraction:.0%} {strategy} failures leave {share:.0%} of\n"
                    f"{result['overlay'].n:,} peers connected (theory)")
    return fig


def failure_explorer(peers: int = 20_000, mean_degree: float = 4.0) -> Explorer:
    """Chapter 01: random failure vs targeted attack on an overlay, simulation beside theory."""
    controls = {
        "overlay_kind": choice("Overlay", "how links are made: random (Erdős–Rényi) or "
                               "scale-free (a few hubs)", ["random", "scale-free"], "random"),
        "peers": slider("Peers", "count", "size of the overlay used for the curve",
                        peers, 3, 5, 0.25, log=True, readout_format=",.0f"),
        "mean_degree": slider("Mean degree", "links per peer", "random overlay: average "
                              "number of neighbours", mean_degree, 1.0, 10.0, 0.5),
        "exponent": slider("Exponent γ", "no unit", "scale-free overlay: P(k) ~ k^-γ; "
                           "smaller γ, bigger hubs", 2.5, 2.1, 3.5, 0.1),
        "failed_fraction": slider("Failed", "share of peers", "how many peers are down",
                                  0.3, 0.0, 1.0, 0.05),
        "strategy": choice("Who fails", "random: any peer; targeted: the best-connected first",
                           list(ov.STRATEGIES), "random"),
    }
    return Explorer("Does another peer take its place? Random failure vs attack", controls,
                    run=_failure_run, draw=_failure_draw, view=("failed_fraction", "strategy"))


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
    """Chapter 01: the same failure rate, independent vs correlated (common-cause) failures."""
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
