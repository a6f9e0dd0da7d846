"""Epidemic spread: how one update reaches every replica by push, pull or push-pull gossip.

``n`` replicas talk in synchronous rounds; in every round each replica calls one other replica
chosen uniformly at random (the "random phone call" model). Three ways to use a call:

* **push**: a replica that has the update sends it to the replica it calls;
* **pull**: a replica that lacks the update asks the replica it calls, and gets it if that one
  has it;
* **push-pull**: both.

This is the *simple epidemic* of Demers et al. (anti-entropy for one update): replicas keep
calling until every one has the update (:func:`spread`, :func:`spread_from`). Its theory sits
beside it: the round counts of Pittel and of Karp et al. (:func:`pittel_rounds`,
:func:`karp_rounds`) and Demers' recurrence for the share still uninformed
(:func:`susceptible_recurrence`). :func:`race` runs the three protocols side by side, as the
chapter's explorer shows them.

Theory used here
----------------
* Push needs ``log2 n + ln n + O(1)`` rounds (Frieze & Grimmett 1985; Pittel, SIAM J. Appl.
  Math. 1987).
* Push-pull needs ``log3 n + O(log log n)`` rounds (Karp, Schindelhauer, Shenker & Vöcking,
  FOCS 2000): the informed set triples while small, then the uninformed share squares.
* Demers, Greene, Hauser, Irish, Larson, Shenker, Sturgis, Swinehart & Terry, "Epidemic
  algorithms for replicated database maintenance", PODC 1987: the anti-entropy recurrences.

Examples
--------
>>> from p2plib.gossip import spread
>>> result = spread(100_000, "push-pull", seed=1)
>>> int(result.informed[0]), int(result.informed[-1])
(1, 100000)
>>> 12 <= result.rounds <= 16
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from p2plib._validate import as_rng, check_choice, check_int, check_real

__all__ = [
    "MAX_ROUNDS",
    "PROTOCOLS",
    "RaceResult",
    "SpreadResult",
    "karp_rounds",
    "pittel_rounds",
    "race",
    "spread",
    "spread_from",
    "spread_rounds",
    "susceptible_recurrence",
]

#: How a call is used: the sender pushes, the caller pulls, or both.
PROTOCOLS = ("push", "pull", "push-pull")

#: Rounds after which a run stops even if some replica is still uninformed.
MAX_ROUNDS = 10_000


@dataclass(frozen=True, eq=False)
class SpreadResult:
    """One run of :func:`spread` or :func:`spread_from`: who had the update after each round.

    Attributes
    ----------
    n : int
        Number of replicas (replicas).
    protocol : str
        ``"push"``, ``"pull"`` or ``"push-pull"``.
    informed : numpy.ndarray of int64
        Replicas holding the update before round 1 (``informed[0]``), then after each round;
        ends at ``n`` (replicas).
    messages : numpy.ndarray of int64
        Copies of the update sent in each round (length ``rounds``): every informed caller
        pushes; a called replica that has the update answers every uninformed caller's pull
        (messages per round).
    rounds : int
        Rounds until every replica had the update (rounds; a property).
    total_messages : int
        Copies of the update sent over the whole run (messages; a property).

    References
    ----------
    Demers et al., "Epidemic algorithms for replicated database maintenance", PODC 1987
    (the simple epidemic).

    Examples
    --------
    >>> spread(1000, "pull", seed=2)
    SpreadResult(n=1000, protocol='pull', rounds=15, messages=999)
    """

    n: int
    protocol: str
    informed: np.ndarray
    messages: np.ndarray

    @property
    def rounds(self) -> int:
        """Rounds until every replica had the update."""
        return len(self.informed) - 1

    @property
    def total_messages(self) -> int:
        """Copies of the update sent over the whole run."""
        return int(self.messages.sum())

    def __repr__(self) -> str:
        return (f"SpreadResult(n={self.n}, protocol={self.protocol!r}, rounds={self.rounds}, "
                f"messages={self.total_messages})")


def _index_dtype(n: int):
    return np.int32 if n < 2**31 - 1 else np.int64


def _partners(rng: np.random.Generator, callers: np.ndarray, n: int) -> np.ndarray:
    """A uniformly random other replica for each caller (never the caller itself)."""
    partner = rng.integers(0, n - 1, size=len(callers), dtype=_index_dtype(n))
    partner += partner >= callers
    return partner


def _push_pull_round(informed, everyone, rng) -> int:
    """Every replica calls; one draw of n partners serves both directions. Returns messages."""
    partner = _partners(rng, everyone, len(informed))
    pulled = informed[partner]
    pushed_to = partner[informed]
    sent = len(pushed_to) + int(np.count_nonzero(pulled & ~informed))
    informed |= pulled
    informed[pushed_to] = True
    return sent


def _push_round(informed, everyone, rng) -> int:
    """Every informed replica pushes to a random other one. Returns messages."""
    senders = np.flatnonzero(informed)
    informed[_partners(rng, senders, len(informed))] = True
    return len(senders)


def _pull_round(informed, everyone, rng) -> int:
    """Every uninformed replica asks a random other one. Returns messages (answers)."""
    askers = np.flatnonzero(~informed)
    got = informed[_partners(rng, askers, len(informed))]
    informed[askers[got]] = True
    return int(np.count_nonzero(got))


_ROUNDS = {"push": _push_round, "pull": _pull_round, "push-pull": _push_pull_round}


def _run_rounds(informed: np.ndarray, protocol: str, rng: np.random.Generator):
    """Run rounds on the boolean ``informed`` array (modified in place) until all are informed.

    Returns the informed count before round 1 and after each round, and the messages per round.
    """
    n = len(informed)
    one_round = _ROUNDS[protocol]
    counts, messages = [int(np.count_nonzero(informed))], []
    everyone = np.arange(n, dtype=_index_dtype(n)) if protocol == "push-pull" else None
    while counts[-1] < n and len(messages) < MAX_ROUNDS:
        messages.append(one_round(informed, everyone, rng))
        counts.append(int(np.count_nonzero(informed)))
    return np.asarray(counts, dtype=np.int64), np.asarray(messages, dtype=np.int64)


def spread(n, protocol="push", seed=None) -> SpreadResult:
    """Spread one update from one replica to all ``n`` by push, pull or push-pull gossip.

    Synchronous rounds; in each round every replica calls one other replica chosen uniformly at
    random (the random phone call model). State is read at the start of a round: a replica
    informed in round ``t`` first passes it on in ``t + 1``. Replicas are exchangeable, so the
    update starts at replica 0.

    Parameters
    ----------
    n : int
        Number of replicas, ``n >= 1`` (replicas). Vectorised: 10^7 replicas take seconds.
    protocol : {"push", "pull", "push-pull"}
        How calls are used (see the module docstring).
    seed : None, int or numpy.random.Generator
        Source of randomness; the same seed gives the same run.

    Returns
    -------
    SpreadResult
        ``.rounds`` (rounds) and ``.informed`` (replicas: 1 before round 1, then after each
        round, ending at ``n``), plus ``.messages`` per round.

    References
    ----------
    Frieze & Grimmett, Discrete Appl. Math. 1985, and Karp, Schindelhauer, Shenker & Vöcking,
    FOCS 2000 (the random phone call model); Demers et al., PODC 1987 (the simple epidemic,
    anti-entropy for one update).

    Examples
    --------
    >>> result = spread(1000, "push", seed=3)
    >>> result.informed[0], result.informed[-1]
    (np.int64(1), np.int64(1000))
    >>> bool(np.all(np.diff(result.informed) >= 0))
    True
    """
    n = check_int("n", n, minimum=1)
    protocol = check_choice("protocol", protocol, PROTOCOLS)
    rng = as_rng(seed)
    informed = np.zeros(n, dtype=bool)
    informed[0] = True
    counts, messages = _run_rounds(informed, protocol, rng)
    return SpreadResult(n, protocol, counts, messages)


def spread_from(informed, protocol="push", seed=None) -> SpreadResult:
    """Spread an update from the replicas that already hold it until every replica does.

    The rounds of :func:`spread`, started from any set of informed replicas: anti-entropy
    repairing replicas that lost an update, from the ones that kept it (the repair phase of
    :func:`p2plib.gossip.desync`).

    Parameters
    ----------
    informed : array_like of bool, shape (replicas,)
        Which replicas hold the update at the start; at least one must. Not modified.
    protocol : {"push", "pull", "push-pull"}
        How calls are used (see the module docstring).
    seed : None, int or numpy.random.Generator
        Source of randomness; the same seed gives the same run.

    Returns
    -------
    SpreadResult
        ``.informed`` starts at the number of ``True`` entries (replicas) and ends at
        ``len(informed)`` (or stops after ``MAX_ROUNDS`` rounds).

    References
    ----------
    Demers et al., "Epidemic algorithms for replicated database maintenance", PODC 1987
    (anti-entropy); Karp et al., FOCS 2000 (push-pull rounds).

    Examples
    --------
    >>> start = np.zeros(1000, dtype=bool)
    >>> start[:500] = True                      # half the replicas kept the update
    >>> result = spread_from(start, "push-pull", seed=1)
    >>> int(result.informed[0]), int(result.informed[-1]), result.rounds <= 6
    (500, 1000, True)
    """
    array = np.asarray(informed)
    if array.dtype != np.bool_:
        raise TypeError(f"informed must be an array of bool (True: holds the update), got "
                        f"dtype {array.dtype}")
    if array.ndim != 1 or array.size == 0 or not array.any():
        raise ValueError("informed must be a 1-D array of at least one replica with at least "
                         "one True entry")
    protocol = check_choice("protocol", protocol, PROTOCOLS)
    rng = as_rng(seed)
    counts, messages = _run_rounds(array.copy(), protocol, rng)
    return SpreadResult(len(array), protocol, counts, messages)


def spread_rounds(n, protocol="push", runs=20, seed=None) -> np.ndarray:
    """Rounds needed by :func:`spread` in each of ``runs`` independent runs.

    Parameters
    ----------
    n : int
        Number of replicas, ``n >= 1`` (replicas).
    protocol : {"push", "pull", "push-pull"}
        How calls are used.
    runs : int
        Independent runs, ``>= 1``; they share one Generator, drawn in turn.
    seed : None, int or numpy.random.Generator
        Source of randomness.

    Returns
    -------
    numpy.ndarray of int64, shape (runs,)
        Rounds until every replica had the update, one per run (rounds).

    References
    ----------
    Pittel, SIAM J. Appl. Math. 1987 (the distribution of push's rounds is concentrated
    around ``log2 n + ln n``).

    Examples
    --------
    >>> spread_rounds(1000, "pull", runs=3, seed=1).shape
    (3,)
    """
    runs = check_int("runs", runs, minimum=1)
    rng = as_rng(seed)
    return np.array([spread(n, protocol, seed=rng).rounds for _ in range(runs)], dtype=np.int64)


def pittel_rounds(n) -> float:
    """Leading terms ``log2 n + ln n`` of the rounds push gossip needs to inform ``n`` replicas.

    While few replicas know, every informed one informs another each round (the informed set
    doubles: ``log2 n`` rounds); at the end, each uninformed replica escapes all callers with
    probability about ``1/e`` per round (``ln n`` rounds).

    Parameters
    ----------
    n : float
        Number of replicas, ``n >= 1`` (replicas).

    Returns
    -------
    float
        Rounds (rounds), without the ``O(1)`` term (about 1 in simulations).

    References
    ----------
    Frieze & Grimmett, Discrete Appl. Math. 1985; Pittel, "On spreading a rumor", SIAM J.
    Appl. Math. 1987.

    Examples
    --------
    >>> round(pittel_rounds(1024), 2)
    16.93
    """
    n = check_real("n", n, 1)
    return math.log2(n) + math.log(n)


def karp_rounds(n) -> float:
    """Leading terms ``log3 n + ln ln n`` of the rounds push-pull gossip needs for ``n`` replicas.

    The second term is ``O(log log n)`` in the theorem; its constant is not given there, so
    this is an order-of-magnitude guide, not a prediction to the round.

    Parameters
    ----------
    n : float
        Number of replicas, ``n >= 3`` (replicas).

    Returns
    -------
    float
        Rounds (rounds).

    References
    ----------
    Karp, Schindelhauer, Shenker & Vöcking, "Randomized rumor spreading", FOCS 2000.

    Examples
    --------
    >>> round(karp_rounds(10**6), 1)
    15.2
    """
    n = check_real("n", n, 3)
    return math.log(n, 3) + math.log(math.log(n))


def susceptible_recurrence(p0, rounds, protocol="push", n=None) -> np.ndarray:
    """Demers et al.'s anti-entropy recurrence for the share of replicas still lacking an update.

    With ``p_i`` the share of susceptible (uninformed) replicas after round ``i``:

    * pull: ``p_{i+1} = p_i ** 2`` (a susceptible replica stays so if it calls another one);
    * push: ``p_{i+1} = p_i (1 - 1/n) ** (n (1 - p_i))``, which is ``p_i exp(-(1 - p_i))`` for
      large ``n`` (``n=None``): no informed replica calls it;
    * push-pull: the product of both factors.

    Parameters
    ----------
    p0 : float
        Susceptible share before the first round, in ``[0, 1]``.
    rounds : int
        Rounds to iterate, ``>= 0`` (rounds).
    protocol : {"push", "pull", "push-pull"}
        How calls are used.
    n : int, optional
        Number of replicas for the finite-``n`` push factor, ``>= 2`` (replicas); ``None``
        for the large-``n`` limit.

    Returns
    -------
    numpy.ndarray of float, shape (rounds + 1,)
        Susceptible shares in ``[0, 1]``, starting with ``p0``.

    References
    ----------
    Demers et al., "Epidemic algorithms for replicated database maintenance", PODC 1987,
    section 1.3 (anti-entropy).

    Examples
    --------
    >>> susceptible_recurrence(0.5, 3, "pull").tolist()
    [0.5, 0.25, 0.0625, 0.00390625]
    """
    p = check_real("p0", p0, 0, 1)
    rounds = check_int("rounds", rounds, minimum=0)
    protocol = check_choice("protocol", protocol, PROTOCOLS)
    if n is not None:
        n = check_int("n", n, minimum=2)
    out = [p]
    for _ in range(rounds):
        miss_push = (math.exp(-(1 - p)) if n is None else (1 - 1 / n) ** (n * (1 - p)))
        if protocol == "pull":
            p = p * p
        elif protocol == "push":
            p = p * miss_push
        else:
            p = p * p * miss_push
        out.append(p)
    return np.asarray(out)


@dataclass(frozen=True, eq=False)
class RaceResult:
    """The three protocols of :func:`race` run side by side on the same number of replicas.

    Attributes
    ----------
    n : int
        Number of replicas (replicas).
    push, pull, push_pull : SpreadResult
        One run of :func:`spread` per protocol.
    push_theory_rounds : float
        :func:`pittel_rounds` of ``n``: the leading terms of push's rounds (rounds).
    runs : dict of str -> SpreadResult
        The three runs keyed by protocol name, in :data:`PROTOCOLS` order (a property).

    References
    ----------
    Karp et al., FOCS 2000 (push-pull against push and pull); Pittel 1987.

    Examples
    --------
    >>> r = race(1000, seed=1)
    >>> list(r.runs), r.push_pull.rounds < r.push.rounds
    (['push', 'pull', 'push-pull'], True)
    """

    n: int
    push: SpreadResult
    pull: SpreadResult
    push_pull: SpreadResult
    push_theory_rounds: float

    @property
    def runs(self) -> dict:
        """The three runs keyed by protocol name, in :data:`PROTOCOLS` order."""
        return {"push": self.push, "pull": self.pull, "push-pull": self.push_pull}

    def rounds(self, protocol: str) -> int:
        """Rounds the run of ``protocol`` needed to inform every replica."""
        return self.runs[check_choice("protocol", protocol, PROTOCOLS)].rounds


def race(n, seed=None) -> RaceResult:
    """Push, pull and push-pull spreading one update to the same ``n`` replicas.

    Each protocol runs :func:`spread` with the same ``seed`` (with an int seed, each starts
    from the same random stream; with a Generator, they draw from it in turn).

    Parameters
    ----------
    n : int
        Number of replicas, ``n >= 2`` (replicas).
    seed : None, int or numpy.random.Generator
        Source of randomness.

    Returns
    -------
    RaceResult
        One :class:`SpreadResult` per protocol and Pittel's push rounds for ``n``.

    References
    ----------
    Karp, Schindelhauer, Shenker & Vöcking, FOCS 2000; Pittel, SIAM J. Appl. Math. 1987.

    Examples
    --------
    >>> r = race(10_000, seed=1)
    >>> r.push_pull.rounds < r.pull.rounds < r.push.rounds
    True
    """
    n = check_int("n", n, minimum=2)
    as_rng(seed)   # check the seed once, before any run
    runs = [spread(n, protocol, seed=seed) for protocol in PROTOCOLS]
    return RaceResult(n, *runs, pittel_rounds(n))
