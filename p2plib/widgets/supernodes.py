"""Chapter 02 explorers: electing supernodes, and pulling the plug on some of them.

Each explorer wires its controls to the model in :mod:`p2plib.supernodes` (the eligibility
theory, the orphan floor and the re-homing rounds all live there) and draws with
:mod:`p2plib.viz`; one model run gives a typed result (:class:`ElectionRun`,
:class:`PlugRun`) that the drawing reads.
"""

from __future__ import annotations

from dataclasses import dataclass

from p2plib import supernodes as sn
from p2plib import viz
from p2plib.widgets.core import Explorer, choice, play_steps, slider

__all__ = ["ElectionRun", "PlugRun", "election_explorer", "pull_the_plug_explorer"]

_REBOOTS = {"no": None, "1 h ago": 1.0, "6 h ago": 6.0, "24 h ago": 24.0}
_REBOOT_GROUP = "windows-auto-update"


@dataclass(frozen=True, eq=False)
class ElectionRun:
    """One run of the election explorer: the network, its funnel counted and expected.

    Attributes
    ----------
    network : p2plib.supernodes.TwoTierNetwork
        Supernodes elected and clients attached.
    funnel : p2plib.supernodes.EligibilityFunnel
        Peers left after each election condition, counted.
    expected : p2plib.supernodes.EligibilityFunnel
        The same, expected from the population's distributions (the theory).
    capacity : int
        Clients per supernode.
    needed : int
        Supernodes the clients need at full capacity.

    Examples
    --------
    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()):   # outside Jupyter the figure is text
    ...     run = election_explorer(peers=2000).result()
    >>> run.funnel.eligible == len(run.network.supernode_ids)
    True
    """

    network: sn.TwoTierNetwork
    funnel: sn.EligibilityFunnel
    expected: sn.EligibilityFunnel
    capacity: int
    needed: int


def _election_run(require_public: str, min_upload_kbps: float, min_uptime_hours: float,
                  capacity: int, reboot: str, peers: int = 100_000, seed: int = 2) -> ElectionRun:
    params = sn.PopulationParams()
    population = sn.sample_population(peers, params, seed=seed)
    hours_ago = _REBOOTS[reboot]
    rebooted = () if hours_ago is None else (_REBOOT_GROUP,)
    if rebooted:
        population = sn.reboot(population, rebooted, hours_ago=hours_ago)
    policy = sn.ElectionPolicy(require_public == "yes", min_upload_kbps, min_uptime_hours)
    network = sn.build_network(population, policy, capacity, overlay_degree=0, seed=seed)
    expected = sn.eligibility_funnel_theory(peers, params, policy, rebooted, hours_ago or 0.0)
    return ElectionRun(network, sn.eligibility_funnel(population, policy), expected, capacity,
                       sn.supernodes_needed(len(network.client_ids), capacity))


def _election_draw(result: ElectionRun):
    fig, (left, right) = viz.new_figure(ncols=2, width=16, height=6)
    network, capacity = result.network, result.capacity
    loads = network.homing.loads
    viz.plot_eligibility_funnel(result.funnel, needed=result.needed, theory=result.expected,
                                ax=left,
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
    shows the simulated counts beside the expected ones (black ticks,
    :func:`p2plib.supernodes.eligibility_funnel_theory`), with or without a mass reboot of the
    Windows PCs that update automatically.

    Parameters
    ----------
    peers : int
        Online peers in the model population, ``>= 0`` (100,000 answers in well under 200 ms).
    capacity : int
        Default of the capacity slider, clients per supernode, in ``[50, 1000]``.

    Returns
    -------
    Explorer
        Controls (public address, minimum upload in kbit/s, minimum uptime in hours,
        capacity, reboot) and the funnel and load figure; ``result()`` is an
        :class:`ElectionRun`.

    Examples
    --------
    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()):   # outside Jupyter the figure is text
    ...     explorer = election_explorer(peers=2000)
    >>> sorted(explorer.controls)[:2]
    ['capacity', 'min_upload_kbps']
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


@dataclass(frozen=True, eq=False)
class PlugRun:
    """One run of the pull-the-plug explorer: the re-homing rounds after a loss of supernodes.

    Attributes
    ----------
    history : p2plib.supernodes.RehomingResult
        Every round's orphans, live supernodes and loads.
    clients : int
        Clients attached before the failure.
    capacity : int
        Clients per supernode.
    floor_share : float
        Share of clients that find no room even if every free place is found, in ``[0, 1]``
        (:func:`p2plib.supernodes.orphan_floor`).
    supernodes : int
        Supernodes before the failure.
    removed : int
        Supernodes pulled.

    Examples
    --------
    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()):   # outside Jupyter the figure is text
    ...     run = pull_the_plug_explorer(supernodes=100).result()
    >>> run.removed, run.floor_share
    (30, 0.0)
    """

    history: sn.RehomingResult
    clients: int
    capacity: int
    floor_share: float
    supernodes: int
    removed: int


def _plug_run(removed: float, utilisation: float, protection: str, supernodes: int = 2000,
              capacity: int = 300, seed: int = 3) -> PlugRun:
    clients = round(utilisation * supernodes * capacity)
    start = sn.attach(clients, supernodes, capacity, seed=seed)
    pulled = sn.remove_supernodes(start, removed, seed=seed)
    history = sn.rehome(pulled, _ROUNDS, overload_protection=(protection == "shut down"),
                        keep_loads=True, seed=seed)
    return PlugRun(history, clients, capacity, sn.orphan_floor(pulled), supernodes,
                   supernodes - pulled.live)


def _plug_finding(result: PlugRun, round: int, orphans: int) -> str:
    shut = int(result.history.shut_down[1:round + 1].sum())
    at_floor = orphans <= result.floor_share * result.clients + 0.5
    stranded = orphans / max(result.clients, 1)
    if shut:
        return f"{result.removed:,} pulled; by round {round}, {shut:,} more shut down"
    if at_floor and orphans == 0:
        return f"{result.removed:,} supernodes pulled; the rest absorb the load"
    if at_floor:
        return (f"{result.removed:,} supernodes pulled; {stranded:.0%} of clients find no room "
                "(the floor)")
    return f"{result.removed:,} supernodes pulled; clients still searching"


def _plug_draw(result: PlugRun, round: int):
    fig, (left, right) = viz.new_figure(ncols=2, width=16, height=6)
    history, clients = result.history, result.clients
    alive = history.alive[round]
    viz.plot_load_histogram(history.loads[round][alive], result.capacity, ax=left,
                            label="supernodes still serving")
    orphans = int(history.orphans[round])
    left.set_title(f"round {round}: {orphans:,} clients ({orphans / max(clients, 1):.0%}) "
                   f"without a supernode,\n{int(alive.sum()):,} of {result.supernodes:,} "
                   "supernodes serving", fontsize="medium")
    viz.plot_rehoming(history, clients, current_round=round, floor=result.floor_share,
                      ax=right, title=_plug_finding(result, round, orphans))
    right.title.set_fontsize("medium")
    return fig


def pull_the_plug_explorer(supernodes: int = 2000, capacity: int = 300) -> Explorer:
    """Chapter 02: remove a share of supernodes and watch their clients re-home, round by round.

    Each round, every client without a supernode asks one live supernode at random. A full
    supernode refuses; with overload protection ("shut down"), a supernode asked for more than
    its capacity shuts itself down and orphans its clients (Skype, December 2010).

    Parameters
    ----------
    supernodes : int
        Supernodes before the failure, ``>= 0`` (2,000 answers in well under 200 ms).
    capacity : int
        Clients per supernode, ``>= 1``.

    Returns
    -------
    Explorer
        Controls (share pulled, load before as a share of capacity, protection, and a Play
        control over the rounds) and the load and re-homing figure; ``result()`` is a
        :class:`PlugRun`.

    Examples
    --------
    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()):   # outside Jupyter the figure is text
    ...     explorer = pull_the_plug_explorer(supernodes=100)
    >>> hasattr(explorer.controls["round"], "play")
    True
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
