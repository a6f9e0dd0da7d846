"""Providers explorer (chapter 06): one proprietary network against several SIP providers."""

from __future__ import annotations

import numpy as np

from p2plib import providers, viz
from p2plib.widgets.core import Explorer, slider

__all__ = ["provider_explorer"]


#: Share of affected users able to move to another service (model assumption, as in the chapter).
_CAN_SWITCH = 0.5


def _provider_run(providers_count: int, outage_prob: float, correlation: float,
                  switch_rate: float, days: int = 20_000, seed: int = 1):
    shares = np.full(providers_count, 1.0 / providers_count)
    return {
        "one": providers.provider_days([1.0], outage_prob, days=days, seed=seed),
        "many": providers.provider_days(shares, outage_prob, correlation, days=days, seed=seed),
        "providers": providers_count, "correlation": correlation, "switch_rate": switch_rate,
    }


def _provider_draw(result, outage_hours: float):
    fig, (left, right) = viz.new_figure(ncols=2, width=15, height=6)
    n, rho = result["providers"], result["correlation"]
    many = f"{n} SIP providers, ρ = {rho:.2f}"
    worst_one, worst_many = (result[k].worst_day_share(0.5) for k in ("one", "many"))
    viz.plot_blast_radius({"one network": result["one"], many: result["many"]}, ax=left,
                          title=f"Over half cut off: one network {worst_one:.2%} of days, "
                                f"{n} providers {worst_many:.2%}")
    hours = np.linspace(0, 48, 193)
    rate = result["switch_rate"]
    curves = {      # the same switching assumption for both markets: like with like
        "one network down": providers.served_during_outage(hours, 1.0, rate, _CAN_SWITCH),
        f"one of {n} SIP providers down": providers.served_during_outage(
            hours, 1.0 / n, rate, _CAN_SWITCH),
    }
    viz.plot_switching(hours, curves, ax=right)
    right.axvline(outage_hours, color=viz.PALETTE["grey"], linewidth=6, alpha=0.3)
    sip = float(providers.served_during_outage(outage_hours, 1.0 / n, rate, _CAN_SWITCH))
    one = float(providers.served_during_outage(outage_hours, 1.0, rate, _CAN_SWITCH))
    right.set_title(f"After {outage_hours:.0f} h: SIP {sip:.0%} served, "
                    f"one network {one:.0%}")
    return fig


def provider_explorer() -> Explorer:
    """Chapter 06: one proprietary network vs several interoperable (SIP) providers.

    Returns
    -------
    Explorer
        Displays itself in a notebook cell; the blast radius
        (:func:`p2plib.providers.provider_days`) beside the share served while users switch
        (:func:`p2plib.providers.served_during_outage`).

    Examples
    --------
    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()):   # outside Jupyter display() prints
    ...     explorer = provider_explorer()
    >>> explorer.values["providers_count"]
    5
    """
    controls = {
        "providers_count": slider("Providers", "count", "equal-sized SIP providers sharing the "
                                  "users", 5, 2, 20, integer=True),
        "outage_prob": slider("Outage chance", "per provider per day", "chance that a given "
                              "provider is down on a given day", 0.01, 0.001, 0.1, 0.001,
                              readout_format=".3f"),
        "correlation": slider("Shared cause ρ", "0 to 1", "how often providers fail together "
                              "(same software, same patch)", 0.0, 0.0, 0.95, 0.05),
        "switch_rate": slider("Switching", "per hour", "rate at which users who can move to "
                              "another service do so (half of them can, in both markets)",
                              0.1, 0.0, 1.0, 0.05),
        "outage_hours": slider("Outage so far", "hours", "hour of the outage to read off",
                               24.0, 0.0, 48.0, 1.0),
    }
    return Explorer("One network or many? Blast radius and switching", controls,
                    run=_provider_run, draw=_provider_draw, view=("outage_hours",))
