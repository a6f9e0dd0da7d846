"""Benchmark of the outage model: full-scale 2007 preset and a widget-sized run.

Targets (issue 4): the full-scale "skype_2007" preset (6 million peers, 6 simulated days) in
under 10 s on one core; a widget-sized run (10^5 peers) in under 0.2 s. Prints best-of-N wall
times (the machine may be shared) and, for reference, the agent model at 10^4 peers.

    python benchmarks/bench_outage.py
"""

from __future__ import annotations

from timing import best_of  # benchmarks/timing.py (the scripts run from benchmarks/)

from p2plib.outage import simulate
from p2plib.scenarios import PRESETS
from p2plib.widgets.outage import _outage_run


def main() -> None:
    full = PRESETS["skype_2007"]()
    t_full, _ = best_of(5, lambda: simulate(full))
    print(f"skype_2007 full scale ({full.online_peers:,.0f} peers, {full.days:g} days, "
          f"{full.steps:,} steps), aggregate: {t_full:.3f} s (target < 10 s)")
    for name in ("skype_2010", "skype_2010_no_mega_supernodes"):
        s = PRESETS[name]()
        print(f"{name} full scale ({s.online_peers:,.0f} peers, {s.days:g} days): "
              f"{best_of(3, lambda s=s: simulate(s))[0]:.3f} s")
    widget = dict(reboot_fraction=0.3, reboot_window_h=10.0, sn_capacity=500.0,
                  retry_policy="fixed", admission_control="off", mega_supernodes="off",
                  online_peers=100_000)
    t_widget, _ = best_of(7, lambda: _outage_run(**widget))
    print(f"widget run (10^5 peers, 5 days, outage_explorer's model): {t_widget:.3f} s "
          f"(target < 0.2 s)")
    agent = full.replace(online_peers=10_000)
    t_agent, _ = best_of(2, lambda: simulate(agent, seed=1, model="agent"))
    print(f"skype_2007 agent model, 10^4 peers, {agent.days:g} days: {t_agent:.2f} s")


if __name__ == "__main__":
    main()
