"""Attachment and re-homing: clients of vanished supernodes look for others.

Each client keeps one connection to a supernode with a capacity limit ("several hundred"
clients, Skype 2010 post-mortem). When supernodes disappear, their clients become orphans and
ask other live supernodes, round by round: a full supernode refuses, or, with overload
protection, shuts itself down and orphans its own clients, the positive feedback of Skype's
December 2010 outage (L. Rabbe, Skype post-mortem, 2010). Without overload protection the
orphans settle at the capacity shortfall (:func:`orphan_floor`). Vectorised with bincount-style
numpy: 10^7 clients over 2x10^4 supernodes per round in a fraction of a second.

Examples
--------
>>> state = attach(10_000, 40, capacity=300, seed=1)
>>> state.orphans, int(state.loads.max()) <= 300
(0, True)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from p2plib._validate import as_rng, check_int, check_real

__all__ = ["Homing", "RehomingResult", "RoundStats", "attach", "orphan_floor", "rehome",
           "rehome_round", "remove_supernodes"]


@dataclass(frozen=True, eq=False)
class Homing:
    """Which supernode each client is attached to, and which supernodes still serve.

    The state of the client tier: each client holds at most one connection, to a live
    supernode, and no supernode takes more than ``capacity`` clients. The functions of this
    module keep these invariants, checked by :meth:`check`. Arrays are read-only.

    Parameters
    ----------
    home : array_like of int, length = clients
        Index of each client's supernode, or ``-1`` for none.
    alive : array_like of bool, length = supernodes
        Whether each supernode is still serving.
    loads : array_like of int, length = supernodes
        Clients attached to each supernode.
    capacity : int
        Clients a supernode accepts, ``>= 1``.

    Attributes
    ----------
    home : int32 array, length = clients
        Index of the client's supernode, or ``-1`` if the client has none (an "orphan": it
        cannot log in, search or be reached).
    alive : bool array, length = supernodes
        Whether each supernode is still serving.
    loads : int64 array, length = supernodes
        Clients attached to each supernode (``bincount`` of ``home``; 0 for dead ones).
    capacity : int
        Clients a supernode accepts.

    References
    ----------
    L. Rabbe, "CIO update: Post-mortem on the Skype outage", Skype, 29 December 2010
    (each supernode serves "several hundred" clients).

    Examples
    --------
    >>> import numpy as np
    >>> state = Homing(np.array([0, 0, -1]), np.array([True, True]), np.array([2, 0]), 300)
    >>> state.orphans, state.live
    (1, 2)
    """

    home: np.ndarray
    alive: np.ndarray
    loads: np.ndarray
    capacity: int

    def __post_init__(self):
        check_int("capacity", self.capacity, minimum=1)
        home, alive, loads = (np.asarray(a) for a in (self.home, self.alive, self.loads))
        if home.ndim != 1 or alive.ndim != 1 or loads.shape != alive.shape:
            raise ValueError("home, alive and loads must be 1-d; loads as long as alive")
        for name, array in (("home", home), ("alive", alive), ("loads", loads)):
            array.flags.writeable = False
            object.__setattr__(self, name, array)

    @property
    def clients(self) -> int:
        """Number of clients (attached or not)."""
        return len(self.home)

    @property
    def supernodes(self) -> int:
        """Number of supernodes ever elected (live or not)."""
        return len(self.alive)

    @property
    def live(self) -> int:
        """Number of live supernodes."""
        return int(self.alive.sum())

    @property
    def orphans(self) -> int:
        """Clients without a supernode."""
        return self.clients - int(self.loads.sum())

    def check(self) -> None:
        """Raise ``AssertionError`` unless the invariants hold (for tests; O(clients))."""
        s = self.supernodes
        assert self.home.min(initial=0) >= -1 and self.home.max(initial=-1) < s
        attached = self.home[self.home >= 0]
        assert self.alive[attached].all(), "a client is attached to a dead supernode"
        assert (np.bincount(attached, minlength=s) == self.loads).all(), "loads out of date"
        assert (self.loads[self.alive] <= self.capacity).all(), "a supernode is over capacity"
        assert (self.loads[~self.alive] == 0).all()

    def __repr__(self) -> str:
        return (f"Homing(clients={self.clients}, supernodes={self.live}/{self.supernodes} live,"
                f" orphans={self.orphans}, capacity={self.capacity})")


@dataclass(frozen=True)
class RoundStats:
    """What happened in one re-homing round (:func:`rehome_round`).

    Attributes
    ----------
    orphans_before : int
        Clients without a supernode when the round began.
    accepted : int
        Of those, clients a supernode took in.
    refused : int
        Requests turned away (the clients try again next round).
    shut_down : int
        Supernodes that shut themselves down this round (overload protection).
    orphaned_by_shutdown : int
        Clients those supernodes had, orphaned by the shutdown.
    orphans_after : int
        Clients without a supernode when the round ended,
        ``orphans_before - accepted + orphaned_by_shutdown``.
    live : int
        Supernodes still serving when the round ended.

    References
    ----------
    Course model (chapter 02): the counts of :func:`rehome_round`.

    Examples
    --------
    >>> stats = rehome_round(attach(100, 2, 80, rounds=0), seed=1)[1]
    >>> stats.orphans_before, stats.accepted + stats.refused
    (100, 100)
    """

    orphans_before: int
    accepted: int
    refused: int
    shut_down: int
    orphaned_by_shutdown: int
    orphans_after: int
    live: int


def _ask(orphans, live, rng):
    """Phase 1: every orphan picks a live supernode uniformly (the requests are multinomial)."""
    choice = rng.integers(0, len(live), size=len(orphans), dtype=np.int32)  # index into `live`
    return choice, np.bincount(choice, minlength=len(live))


def _answer(live, choice, requests, accepted, rng) -> np.ndarray:
    """Phase 2: the supernode each orphan ends up with (index into all supernodes), or -1."""
    live32 = live.astype(np.int32)
    # Supernodes with room for every request take them all; full or shut ones take none.
    answer = np.where((accepted == requests)[choice], live32[choice], np.int32(-1))
    partial = (accepted > 0) & (accepted < requests)
    if partial.any():
        # A supernode with room for only some requests takes a random `accepted[j]` of them.
        # Given the request counts, iid choices are a uniformly random arrangement of the
        # requests, so we lay the requests to partial supernodes out sorted by target, accept
        # the first `accepted[j]` of each, and hand the layout to those orphans in random order.
        asking = np.flatnonzero(partial[choice])
        counts = requests[partial]
        first = np.cumsum(counts) - counts
        position = np.arange(len(asking)) - np.repeat(first, counts)
        laid_out = np.where(position < np.repeat(accepted[partial], counts),
                            np.repeat(live32[partial], counts), np.int32(-1))
        answer[asking[rng.permutation(len(asking))]] = laid_out
    return answer


def _shut_down(home, loads, alive, dead):
    """Phase 3: the ``dead`` supernodes stop serving and orphan their clients (in place)."""
    orphaned = int(loads[dead].sum())
    alive = alive.copy()
    alive[dead] = False
    killed = np.zeros(len(alive) + 1, dtype=bool)  # slot -1 stands for "no home"
    killed[dead] = True
    home[killed[home]] = -1
    loads[dead] = 0
    return alive, orphaned


def rehome_round(homing: Homing, overload_protection=False, shutdown_ratio=1.0,
                 seed=None) -> tuple[Homing, RoundStats]:
    """One round: every client without a supernode asks one live supernode, chosen at random.

    Each orphan picks a live supernode uniformly and independently (as from its host cache of
    supernode addresses), so the requests per supernode are multinomial. A supernode accepts
    requests up to its spare capacity, choosing at random which ones if it cannot take them all,
    and refuses the rest (the refused try again next round). With
    ``overload_protection``, a supernode whose demand (clients + requests) exceeds
    ``shutdown_ratio * capacity`` instead shuts itself down, refusing every request and
    orphaning its clients, who search again next round. The cost is O(clients) numpy work and
    no sort (a bincount of the choices; a permutation only of the requests to partly full
    supernodes).

    Parameters
    ----------
    homing : Homing
        The state before the round.
    overload_protection : bool
        Whether overloaded supernodes shut down (True) or only refuse (False).
    shutdown_ratio : float
        Demand, as a multiple of capacity, above which a protected supernode shuts down;
        in ``[1, 100]``.
    seed : None, int or numpy.random.Generator
        Source of the orphans' random choices.

    Returns
    -------
    (Homing, RoundStats)
        The state after the round, and what happened in it (counts of clients/supernodes).

    References
    ----------
    L. Rabbe, "CIO update: Post-mortem on the Skype outage", Skype, 29 December 2010
    (overloaded supernodes shut down and their clients search again); requests as balls in
    bins: N. L. Johnson and S. Kotz, *Urn Models and Their Application*, Wiley, 1977.

    Examples
    --------
    >>> state = attach(1000, 10, capacity=150, seed=1)
    >>> state = remove_supernodes(state, 0.5, seed=1)
    >>> after, stats = rehome_round(state, seed=1)
    >>> stats.orphans_before > after.orphans
    True
    """
    _check_homing(homing)
    if not isinstance(overload_protection, bool | np.bool_):
        raise TypeError(f"overload_protection must be True or False, got {overload_protection!r}")
    shutdown_ratio = check_real("shutdown_ratio", shutdown_ratio, 1, 100)
    rng = as_rng(seed)
    cap = homing.capacity
    orphans = np.flatnonzero(homing.home < 0)
    live = np.flatnonzero(homing.alive)
    n_orphans = len(orphans)
    if n_orphans == 0 or len(live) == 0:
        return homing, RoundStats(n_orphans, 0, n_orphans, 0, 0, n_orphans, len(live))
    choice, requests = _ask(orphans, live, rng)
    loads_live = homing.loads[live]
    if overload_protection:
        shut = loads_live + requests > shutdown_ratio * cap
    else:
        shut = np.zeros(len(live), dtype=bool)
    accepted = np.minimum(requests, np.where(shut, 0, np.maximum(cap - loads_live, 0)))
    home = homing.home.copy()
    home[orphans] = _answer(live, choice, requests, accepted, rng)
    loads = homing.loads.copy()
    loads[live] += accepted
    alive, orphaned = homing.alive, 0
    if shut.any():
        alive, orphaned = _shut_down(home, loads, alive, live[shut])
    result = Homing(home, alive, loads, cap)
    n_accepted = int(accepted.sum())
    return result, RoundStats(n_orphans, n_accepted, n_orphans - n_accepted, int(shut.sum()),
                              orphaned, result.orphans, result.live)


def attach(clients, supernodes, capacity, rounds=20, seed=None) -> Homing:
    """Attach ``clients`` to ``supernodes`` by re-homing rounds from "nobody attached".

    Every client starts without a supernode and runs :func:`rehome_round` (without overload
    protection) until all are attached, no supernode has room, or ``rounds`` rounds passed.

    Parameters
    ----------
    clients : int
        Number of clients, in ``[0, 2**31 - 1]``.
    supernodes : int
        Number of supernodes, in ``[0, 2**31 - 2]``.
    capacity : int
        Clients per supernode, ``>= 1``.
    rounds : int
        At most this many rounds, in ``[0, 1000]``.
    seed : None, int or numpy.random.Generator
        Source of the clients' random choices.

    Returns
    -------
    Homing
        Every supernode alive; clients attached as far as the rounds and capacity allowed.

    References
    ----------
    Course model (chapter 02): repeated :func:`rehome_round` from an empty client tier.

    Examples
    --------
    >>> state = attach(10_000, 40, capacity=300, seed=0)
    >>> state.orphans, int(state.loads.sum())
    (0, 10000)
    """
    clients = check_int("clients", clients, minimum=0, maximum=2**31 - 1)
    supernodes = check_int("supernodes", supernodes, minimum=0, maximum=2**31 - 2)
    capacity = check_int("capacity", capacity, minimum=1)
    rounds = check_int("rounds", rounds, minimum=0, maximum=1000)
    rng = as_rng(seed)
    state = Homing(np.full(clients, -1, dtype=np.int32), np.ones(supernodes, dtype=bool),
                   np.zeros(supernodes, dtype=np.int64), capacity)
    for _ in range(rounds):
        if state.orphans == 0 or state.live * capacity <= int(state.loads.sum()):
            break
        state, _ = rehome_round(state, seed=rng)
    return state


def _supernodes_named(homing: Homing, which) -> np.ndarray:
    """Indices of the supernodes that ``which`` names (indices or a boolean mask)."""
    which = np.asarray(which)
    if which.dtype == bool:
        if which.shape != homing.alive.shape:
            raise ValueError(f"which, as a mask, must have length {homing.supernodes}")
        return np.flatnonzero(which)
    if not np.issubdtype(which.dtype, np.integer) and which.size:
        raise TypeError("which must be supernode indices (integers) or a boolean mask")
    dead = which.astype(np.int64).ravel()
    if dead.size and (dead.min() < 0 or dead.max() >= homing.supernodes):
        raise ValueError(f"which must name supernodes in [0, {homing.supernodes - 1}]")
    return dead


def remove_supernodes(homing: Homing, fraction=None, which=None, seed=None) -> Homing:
    """Pull the plug: supernodes vanish and their clients become orphans.

    Give either ``fraction`` (that share of the *live* supernodes, chosen at random, rounded to
    the nearest whole number) or ``which`` (indices or a boolean mask of supernodes).

    Parameters
    ----------
    homing : Homing
        The state before the failure.
    fraction : float, optional
        Share of the live supernodes that vanish, in ``[0, 1]``.
    which : array_like of int or bool, optional
        Supernode indices in ``[0, supernodes - 1]``, or a mask of length ``supernodes``.
    seed : None, int or numpy.random.Generator
        Chooses the supernodes when ``fraction`` is given.

    Returns
    -------
    Homing
        The vanished supernodes dead, their clients orphans (``home == -1``).

    References
    ----------
    Course model (chapter 02): the supernodes lost in a mass reboot (Skype, August 2007) or a
    client crash (December 2010) all at once.

    Examples
    --------
    >>> state = attach(2000, 10, capacity=300, seed=0)
    >>> after = remove_supernodes(state, 0.3, seed=0)
    >>> after.live, after.orphans == int(state.loads[~after.alive].sum())
    (7, True)
    """
    _check_homing(homing)
    if (fraction is None) == (which is None):
        raise ValueError("give exactly one of fraction (share of live supernodes) or which")
    if fraction is not None:
        fraction = check_real("fraction", fraction, 0, 1)
        live = np.flatnonzero(homing.alive)
        count = round(fraction * len(live))
        dead = as_rng(seed).choice(live, size=count, replace=False)
    else:
        dead = _supernodes_named(homing, which)
    alive = homing.alive.copy()
    alive[dead] = False
    killed = np.append(~alive, False)  # slot -1 stands for "no home"
    home = homing.home.copy()
    home[killed[home]] = -1
    loads = np.where(alive, homing.loads, 0)
    return Homing(home, alive, loads, homing.capacity)


def orphan_floor(homing: Homing) -> float:
    """Share of clients left without a supernode once every free place is found.

    ``max(0, 1 - live * capacity / clients)``: the live supernodes have ``live * capacity``
    places, so at least the rest of the clients stay orphans, however many rounds they search.
    Without overload protection re-homing reaches this floor (every round each orphan finds a
    supernode with room with probability at least ``1 / live``); with it, shutdowns can leave
    far more clients stranded.

    Parameters
    ----------
    homing : Homing
        The state after the failure.

    Returns
    -------
    float
        Share of all clients, in ``[0, 1]`` (0 when there are no clients).

    References
    ----------
    Course model (chapter 02): the capacity shortfall (a pigeonhole bound) that
    :func:`rehome` converges to without overload protection.

    Examples
    --------
    >>> start = remove_supernodes(attach(6000, 30, 300, seed=1), 0.5, seed=1)
    >>> orphan_floor(start)                  # 15 x 300 places for 6000 clients
    0.25
    """
    _check_homing(homing)
    if homing.clients == 0:
        return 0.0
    return max(0.0, 1.0 - homing.live * homing.capacity / homing.clients)


@dataclass(frozen=True, eq=False)
class RehomingResult:
    """Round-by-round record of :func:`rehome` (entry 0 is the state before the first round).

    Attributes
    ----------
    orphans : int64 array, length rounds + 1
        Clients without a supernode after each round.
    live : int64 array, length rounds + 1
        Live supernodes after each round.
    refused, shut_down : int64 arrays, length rounds + 1
        Requests refused / supernodes that shut themselves down in each round (0 at entry 0).
    loads : int64 array of shape (rounds + 1, supernodes), or None
        Clients per supernode after each round (if ``keep_loads``).
    alive : bool array of shape (rounds + 1, supernodes), or None
        Which supernodes serve after each round (if ``keep_loads``).
    final : Homing
        The state after the last round.

    References
    ----------
    Course model (chapter 02): the record of repeated :func:`rehome_round`.

    Examples
    --------
    >>> result = rehome(remove_supernodes(attach(600, 6, 200, seed=1), 0.5, seed=1), 3, seed=1)
    >>> result.rounds, len(result.orphans)
    (3, 4)
    """

    orphans: np.ndarray
    live: np.ndarray
    refused: np.ndarray
    shut_down: np.ndarray
    loads: np.ndarray | None
    alive: np.ndarray | None
    final: Homing

    @property
    def rounds(self) -> int:
        """Number of rounds run."""
        return len(self.orphans) - 1


def rehome(homing: Homing, rounds=10, overload_protection=False, shutdown_ratio=1.0,
           keep_loads=False, seed=None) -> RehomingResult:
    """Run ``rounds`` rounds of :func:`rehome_round` and record each one.

    Without overload protection the orphans settle at ``max(0, clients - live * capacity)``
    (:func:`orphan_floor`: every supernode with room is found eventually); with it, a large
    enough loss of supernodes can cascade to collapse.

    Parameters
    ----------
    homing : Homing
        The state before the first round.
    rounds : int
        Rounds to run, in ``[0, 10000]``.
    overload_protection : bool
        Whether overloaded supernodes shut down (True) or only refuse (False).
    shutdown_ratio : float
        Demand, as a multiple of capacity, above which a protected supernode shuts down;
        in ``[1, 100]``.
    keep_loads : bool
        Also record every supernode's load and state after each round (memory: rounds x
        supernodes).
    seed : None, int or numpy.random.Generator
        Source of the orphans' random choices.

    Returns
    -------
    RehomingResult
        Counts after each round (clients, supernodes), and the final state.

    References
    ----------
    L. Rabbe, "CIO update: Post-mortem on the Skype outage", Skype, 29 December 2010 (the
    overload feedback loop).

    Examples
    --------
    >>> start = remove_supernodes(attach(6000, 30, 300, seed=1), 0.5, seed=1)
    >>> calm = rehome(start, 30, seed=2)
    >>> int(calm.orphans[-1])                       # 6000 clients, 15 x 300 places left
    1500
    >>> storm = rehome(start, 30, overload_protection=True, seed=2)
    >>> int(storm.live[-1]) < 15
    True
    """
    _check_homing(homing)
    rounds = check_int("rounds", rounds, minimum=0, maximum=10_000)
    rng = as_rng(seed)
    orphans, live, refused, shut = [homing.orphans], [homing.live], [0], [0]
    loads = [homing.loads] if keep_loads else None
    alive = [homing.alive] if keep_loads else None
    state = homing
    for _ in range(rounds):
        state, s = rehome_round(state, overload_protection, shutdown_ratio, seed=rng)
        orphans.append(s.orphans_after)
        live.append(s.live)
        refused.append(s.refused)
        shut.append(s.shut_down)
        if keep_loads:
            loads.append(state.loads)
            alive.append(state.alive)
    return RehomingResult(np.array(orphans), np.array(live), np.array(refused), np.array(shut),
                          np.array(loads) if keep_loads else None,
                          np.array(alive) if keep_loads else None, state)


def _check_homing(homing):
    if not isinstance(homing, Homing):
        raise TypeError(f"homing must be a Homing, got {type(homing).__name__}")
