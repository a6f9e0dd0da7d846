"""Chapter 02 explorers: electing supernodes, and pulling the plug on some of them."""

from __future__ import annotations

import dataclasses

import numpy as np

from p2plib import supernodes as sn
from p2plib import viz
from p2plib.widgets.core import Explorer, choice, play_steps, slider

__all__ = ["election_explorer", "pull_the_plug_explorer"]

_REBOOTS = {"no": None, "1 h ago": 1.0, "6 h ago": 6.0, "24 h ago": 24.0}
_REBOOT_GROUP = "windows-auto-update"


def _election_run(require_public: str, min_upload_kbps: float, min_uptime_hours: float,
                  capacity: int, reboot: str, peers: int = 100_000, seed: int = 2):
    params = sn.PopulationParams()
    population = sn.sample_population(peers, params, seed=seed)
    if _REBOOTS[reboot] is not None:
        population = sn.reboot(population, _REBOOT_GROUP, hours_ago=_REBOOTS[reboot])
    policy = sn.ElectionPolicy(require_public == "yes", min_upload_kbps, min_uptime_hours)
    network = sn.build_network(population, policy, capacity, overlay_degree=0, seed=seed)
    public = population.public if policy.require_public else np.ones(peers, bool)
    fast = public & (population.upload_kbps >= min_upload_kbps)
    counts = {"online peers": peers, "public address" if policy.require_public
              else "any address": int(public.sum()),
              f"+ upload ≥ {min_upload_kbps:,.0f} kbit/s": int(fast.sum()),
              f"+ uptime ≥ {min_uptime_hours:g} h": len(network.supernode_ids)}
    # theory: independent conditions; a rebooted group has uptime = hours since the restart
    no_uptime = dataclasses.replace(policy, min_uptime_hours=0.0)
    base = sn.eligible_share_theory(params, no_uptime)
    up_share = sn.eligible_share_theory(params, policy) / base if base > 0 else 0.0
    if _REBOOTS[reboot] is not None:
        hit = dict(params.os_groups)[_REBOOT_GROUP]
        up_share = (1 - hit) * up_share + hit * float(_REBOOTS[reboot] >= min_uptime_hours)
    labels = list(counts)
    theory = {labels[1]: peers * (params.public_share if policy.require_public else 1.0),
              labels[2]: peers * base, labels[3]: peers * base * up_share}
    return {"network": network, "counts": counts, "theory": theory, "capacity": capacity,
            "needed": sn.supernodes_needed(len(network.client_ids), capacity)}


def _election_draw(result):
    fig, (left, right) = viz.new_figure(ncols=2, width=16, height=6)
    network, capacity = result["network"], result["capacity"]
    loads = network.homing.loads
    viz.plot_eligibility_funnel(result["counts"], needed=result["needed"],
                                theory=result["theory"], ax=left,
                                title=f"{network.serving_share:.2%} of users' machines serve\n"
                                f"({len(network.supernode_ids):,} supernodes)")
    orphans = network.homing.orphans
    if orphans:
        finding = f"too few supernodes: {orphans:,} peers\ncannot log in"
    elif len(loads):
        finding = f"each serves {loads.mean():.0f} clients on average"
    else:
        finding = "nobody qualifies"
    viz.plot_load_histogram(loads, capacity, ax=right, title=finding)
    return fig


def election_explorer(peers: int = 100_000, capacity: int = 300) -> Explorer:
    """Chapter 02: election thresholds -> how many supernodes, how loaded, who serves.

    Every control is a model assumption (Skype never published its thresholds); the funnel
    shows the simulated counts beside the expected ones (black ticks).
    """
    controls = {
        "require_public": choice("Public address only", "clients behind NAT must be able to "
                                 "reach their supernode", ["yes", "no"], "yes"),
        "min_upload_kbps": slider("Min upload", "kbit/s", "bandwidth a peer needs to be "
                                  "promoted", 1500.0, 0.0, 4000.0, 100.0, readout_format=",.0f"),
        "min_uptime_hours": slider("Min uptime", "hours", "how long the client must have "
                                   "been running", 12.0, 0.0, 48.0, 1.0, readout_format=".0f"),
        "capacity": slider("Capacity", "clients per supernode", "'several hundred' (Skype "
                           "2010)", capacity, 50, 1000, 50, integer=True),
        "reboot": choice("Auto-update reboot", "Windows PCs that install updates "
                         "automatically restarted this long ago", list(_REBOOTS), "no"),
    }

    def run(**values):
        return _election_run(**values, peers=peers)

    return Explorer("Who gets to be a supernode?", controls, run=run, draw=_election_draw)


_ROUNDS = 15


def _plug_run(removed: float, utilisation: float, protection: str, supernodes: int = 2000,
              capacity: int = 300, seed: int = 3):
    clients = round(utilisation * supernodes * capacity)
    start = sn.attach(clients, supernodes, capacity, seed=seed)
    pulled = sn.remove_supernodes(start, removed, seed=seed)
    history = sn.rehome(pulled, _ROUNDS, overload_protection=(protection == "shut down"),
                        keep_loads=True, seed=seed)
    floor = max(0.0, 1.0 - pulled.live * capacity / max(clients, 1))
    return {"history": history, "clients": clients, "capacity": capacity, "floor": floor,
            "supernodes": supernodes, "removed": supernodes - pulled.live}


def _plug_draw(result, round: int):
    fig, (left, right) = viz.new_figure(ncols=2, width=16, height=6)
    history, capacity, clients = result["history"], result["capacity"], result["clients"]
    alive = history.alive[round]
    viz.plot_load_histogram(history.loads[round][alive], capacity, ax=left,
                            label="supernodes still serving")
    orphans = int(history.orphans[round])
    left.set_title(f"round {round}: {orphans:,} clients ({orphans / max(clients, 1):.0%}) "
                   f"without a supernode,\n{int(alive.sum()):,} of {result['supernodes']:,} "
                   "supernodes serving", fontsize="medium")
    shut = int(history.shut_down[1:round + 1].sum())
    at_floor = orphans <= result["floor"] * clients + 0.5
    finding = (f"{result['removed']:,} pulled; by round {round}, {shut:,} more shut down"
               if shut else
               f"{result['removed']:,} supernodes pulled; the rest absorb the load"
               if at_floor and orphans == 0 else
               f"{result['removed']:,} supernodes pulled; {orphans / max(clients, 1):.0%} of "
               "clients find no room (the floor)"
               if at_floor else
               f"{result['removed']:,} supernodes pulled; clients still searching")
    viz.plot_rehoming(history, clients, current_round=round, floor=result["floor"], ax=right,
                      title=finding)
    right.title.set_fontsize("medium")
    return fig


def pull_the_plug_explorer(supernodes: int = 2000, capacity: int = 300) -> Explorer:
    """Chapter 02: remove a share of supernodes and watch their clients re-home, round by round.

    Each round, every client without a supernode asks one live supernode at random. A full
    supernode refuses; with overload protection ("shut down"), a supernode asked for more than
    its capacity shuts itself down and orphans its clients (Skype, December 2010).
    """
    controls = {
        "removed": slider("Pulled", "share of supernodes", "supernodes that vanish at once",
                          0.3, 0.0, 0.9, 0.05),
        "utilisation": slider("Load before", "share of capacity", "clients per supernode "
                              "before the failure, as a share of capacity", 0.6, 0.1, 1.0,
                              0.05),
        "protection": choice("Overloaded supernode", "refuse: turn away extra clients; shut "
                             "down: protect itself and drop all", ["refuse", "shut down"],
                             "refuse"),
        "round": play_steps("Round", "re-homing rounds", "each round every orphan asks one "
                            "random supernode", _ROUNDS),
    }

    def run(**values):
        return _plug_run(**values, supernodes=supernodes, capacity=capacity)

    return Explorer("Pull the plug: where do the clients go?", controls, run=run,
                    draw=_plug_draw, view=("round",))
