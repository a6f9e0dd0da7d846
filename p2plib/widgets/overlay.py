"""Overlay explorer (chapter 01): random failure against targeted attack, simulation beside theory.

Wires controls to :mod:`p2plib.overlay` (percolation) and :mod:`p2plib.viz.overlay`.
"""

from __future__ import annotations

import numpy as np

from p2plib import overlay as ov
from p2plib import viz
from p2plib.widgets.core import Explorer, choice, slider

__all__ = ["failure_explorer"]


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
    """Chapter 01: random failure vs targeted attack on an overlay, simulation beside theory.

    Parameters
    ----------
    peers : int
        Starting size of the overlay the curves are measured on (count; the slider runs from
        10^3 to 10^5).
    mean_degree : float
        Starting mean degree of the random overlay, links per peer (1 to 10).

    Returns
    -------
    Explorer
        Displays itself in a notebook cell; a 60-peer drawing beside the giant-component curves
        (:func:`p2plib.overlay.failure_curves`).

    Examples
    --------
    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()):   # outside Jupyter display() prints
    ...     explorer = failure_explorer(peers=2000)
    ...     explorer.controls["failed_fraction"].value = 0.5
    >>> explorer.figure.axes[1].get_title().startswith("50% random failures")
    True
    """
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
