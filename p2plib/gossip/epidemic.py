"""Gossip: how one update reaches every replica, and what rumor mongering leaves behind.

``n`` replicas talk in synchronous rounds; in every round each replica calls one other replica
chosen uniformly at random (the "random phone call" model). Three ways to use a call:

* **push**: a replica that has the update sends it to the replica it calls;
* **pull**: a replica that lacks the update asks the replica it calls, and gets it if that one
  has it;
* **push-pull**: both.

Simple epidemics (:func:`spread`, Demers' *anti-entropy* for one update) keep calling until
every replica has the update. Complex epidemics (:func:`rumor_mongering`, Demers' *rumor
mongering*) stop spreading once the update seems old news, which saves traffic but can leave a
*residue* of replicas that never hear of it.

Theory used here
----------------
* Push needs ``log2 n + ln n + O(1)`` rounds (Frieze & Grimmett 1985; Pittel, SIAM J. Appl.
  Math. 1987).
* Push-pull needs ``log3 n + O(log log n)`` rounds (Karp, Schindelhauer, Shenker & Vöcking,
  FOCS 2000): the informed set triples while small, then the uninformed share squares.
* Demers, Greene, Hauser, Irish, Larson, Shenker, Sturgis, Swinehart & Terry, "Epidemic
  algorithms for replicated database maintenance", PODC 1987: the anti-entropy recurrences
  (:func:`susceptible_recurrence`) and rumor mongering with feedback/blind, counter/coin and
  parameter ``k``; for push with feedback and coin the residue ``s`` solves
  ``s = exp(-(k + 1)(1 - s))`` (:func:`rumor_residue_theory`) and residue and traffic ``m``
  are linked by ``s = exp(-m)``.

Examples
--------
>>> from p2plib.gossip.epidemic import spread
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
from scipy import optimize

from p2plib._validate import as_rng, check_choice, check_int, check_real

__all__ = [
    "DEMERS_TABLES",
    "PROTOCOLS",
    "RumorResult",
    "SpreadResult",
    "karp_rounds",
    "pittel_rounds",
    "rumor_mongering",
    "rumor_residue_theory",
    "spread",
    "spread_rounds",
    "susceptible_recurrence",
]

#: How a call is used: the sender pushes, the caller pulls, or both.
PROTOCOLS = ("push", "pull", "push-pull")

#: Demers et al. (PODC 1987), simulations on 1000 sites, averaged over runs:
#: ``{variant: {k: (residue s, traffic m, t_ave, t_last)}}``. Table 1: push, feedback and
#: counter; Table 2: push, blind and coin; Table 3: pull, feedback and counter.
DEMERS_TABLES = {
    "push feedback counter": {1: (0.176, 1.74, 11.0, 16.8), 2: (0.037, 3.30, 12.1, 16.9),
                              3: (0.011, 4.53, 12.5, 17.4), 4: (0.0036, 5.64, 12.7, 17.5),
                              5: (0.0012, 6.68, 12.8, 17.7)},
    "push blind coin": {1: (0.960, 0.04, 19.0, 38.0), 2: (0.205, 1.59, 17.0, 33.0),
                        3: (0.060, 2.82, 15.0, 32.0), 4: (0.021, 3.91, 14.1, 32.0),
                        5: (0.008, 4.95, 13.8, 32.0)},
    "pull feedback counter": {1: (3.1e-2, 2.70, 9.97, 17.63), 2: (5.8e-4, 4.49, 10.07, 15.39),
                              3: (4.0e-6, 6.09, 10.08, 14.00)},
}

_MAX_ROUNDS = 10_000


@dataclass(frozen=True, eq=False)
class SpreadResult:
    """One run of :func:`spread`.

    Attributes
    ----------
    n : int
        Number of replicas.
    protocol : str
        ``"push"``, ``"pull"`` or ``"push-pull"``.
    informed : numpy.ndarray of int64
        Replicas holding the update before round 1 (``informed[0]``), then after each round;
        ends at ``n``.
    messages : numpy.ndarray of int64
        Copies of the update sent in each round (length ``rounds``): every informed caller
        pushes; a called replica that has the update answers every uninformed caller's pull.
    rounds : int
        Rounds until every replica had the update.
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


def _partners(rng: np.random.Generator, callers: np.ndarray, n: int) -> np.ndarray:
    """A uniformly random other replica for each caller (never the caller itself)."""
    dtype = np.int32 if n < 2**31 - 1 else np.int64
    partner = rng.integers(0, n - 1, size=len(callers), dtype=dtype)
    partner += partner >= callers
    return partner


def _spread_state(informed: np.ndarray, protocol: str, rng: np.random.Generator,
                  max_rounds: int = _MAX_ROUNDS):
    """Run rounds on the boolean ``informed`` array (modified in place) until all are informed.

    Returns the informed count before round 1 and after each round, and the messages per round.
    """
    n = len(informed)
    counts, messages = [int(informed.sum())], []
    everyone = np.arange(n, dtype=np.int32 if n < 2**31 - 1 else np.int64)
    push, pull = protocol in ("push", "push-pull"), protocol in ("pull", "push-pull")
    while counts[-1] < n and len(messages) < max_rounds:
        sent = 0
        if push and pull:  # every replica calls; one draw of n partners serves both directions
            partner = _partners(rng, everyone, n)
            pulled = informed[partner]
            pushed_to = partner[informed]
            sent = len(pushed_to) + int(np.count_nonzero(pulled & ~informed))
            informed |= pulled
            informed[pushed_to] = True
        elif push:
            senders = np.flatnonzero(informed)
            pushed_to = _partners(rng, senders, n)
            sent = len(senders)
            informed[pushed_to] = True
        else:
            askers = np.flatnonzero(~informed)
            got = informed[_partners(rng, askers, n)]
            sent = int(np.count_nonzero(got))
            informed[askers[got]] = True
        counts.append(int(np.count_nonzero(informed)))
        messages.append(sent)
    return np.asarray(counts, dtype=np.int64), np.asarray(messages, dtype=np.int64)


def spread(n, protocol="push", seed=None) -> SpreadResult:
    """Spread one update from one replica to all ``n`` by push, pull or push-pull gossip.

    Synchronous rounds; in each round every replica calls one other replica chosen uniformly at
    random (the random phone call model of Frieze & Grimmett 1985 and Karp et al. 2000; the
    simple epidemic, or anti-entropy for one update, of Demers et al. 1987). State is read at
    the start of a round: a replica informed in round ``t`` first passes it on in ``t + 1``.

    Parameters
    ----------
    n : int
        Number of replicas, ``n >= 1``. Vectorised: 10^7 replicas take seconds.
    protocol : {"push", "pull", "push-pull"}
        How calls are used (see the module docstring).
    seed : None, int or numpy.random.Generator
        Source of randomness; the same seed gives the same run.

    Returns
    -------
    SpreadResult
        ``.rounds`` (int) and ``.informed`` (int array: 1 before round 1, then after each round,
        ending at ``n``), plus ``.messages`` per round.

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
    informed[0] = True  # replicas are exchangeable: the update starts at replica 0
    counts, messages = _spread_state(informed, protocol, rng)
    return SpreadResult(n, protocol, counts, messages)


def spread_rounds(n, protocol="push", runs=20, seed=None) -> np.ndarray:
    """Rounds needed by :func:`spread` in each of ``runs`` independent runs (int array).

    Examples
    --------
    >>> spread_rounds(1000, "pull", runs=3, seed=1).shape
    (3,)
    """
    runs = check_int("runs", runs, minimum=1)
    rng = as_rng(seed)
    return np.array([spread(n, protocol, seed=rng).rounds for _ in range(runs)], dtype=np.int64)


def pittel_rounds(n) -> float:
    """Leading terms ``log2 n + ln n`` of the push rounds (Frieze & Grimmett 1985; Pittel 1987).

    Examples
    --------
    >>> round(pittel_rounds(1024), 2)
    16.93
    """
    n = check_real("n", n, 1)
    return math.log2(n) + math.log(n)


def karp_rounds(n) -> float:
    """Leading terms ``log3 n + ln ln n`` of the push-pull rounds (Karp et al. 2000).

    The second term is ``O(log log n)`` in the theorem; its constant is not given there, so
    this is an order-of-magnitude guide, not a prediction to the round.

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
        Rounds to iterate, ``>= 0``.
    protocol : {"push", "pull", "push-pull"}
    n : int, optional
        Number of replicas for the finite-``n`` push factor; ``None`` for the large-``n`` limit.

    Returns
    -------
    numpy.ndarray
        ``rounds + 1`` shares, starting with ``p0``.

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


# --- rumor mongering -------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class RumorResult:
    """Outcome of :func:`rumor_mongering`, averaged over ``runs`` independent runs.

    Attributes
    ----------
    residue : float
        Share of replicas that never received the update (Demers' ``s``).
    traffic : float
        Update messages sent per replica (Demers' ``m``).
    t_ave : float
        Mean round at which a replica received the update (over replicas that did).
    t_last : float
        Round at which the last replica received it.
    residues, traffics, t_aves, t_lasts : numpy.ndarray
        The same per run.
    """

    n: int
    k: int
    feedback: bool
    counter: bool
    protocol: str
    residues: np.ndarray
    traffics: np.ndarray
    t_aves: np.ndarray
    t_lasts: np.ndarray

    @property
    def residue(self) -> float:
        return float(self.residues.mean())

    @property
    def traffic(self) -> float:
        return float(self.traffics.mean())

    @property
    def t_ave(self) -> float:
        return float(self.t_aves.mean())

    @property
    def t_last(self) -> float:
        return float(self.t_lasts.mean())

    def __repr__(self) -> str:
        how = f"{'feedback' if self.feedback else 'blind'}, {'counter' if self.counter else 'coin'}"
        return (f"RumorResult({self.protocol}, {how}, k={self.k}, n={self.n}, "
                f"runs={len(self.residues)}: residue={self.residue:.3g}, "
                f"traffic={self.traffic:.3g}, t_ave={self.t_ave:.3g}, t_last={self.t_last:.3g})")


_SUSCEPTIBLE, _INFECTIVE, _REMOVED = 0, 1, 2


def rumor_mongering(n, k, feedback=True, counter=True, protocol="push", seed=None,
                    runs=1, contacts="synchronous") -> RumorResult:
    """Rumor mongering as Demers et al. (PODC 1987) define it, over ``n`` replicas.

    A replica is *susceptible* (has not heard the update), *infective* (spreads it) or
    *removed* (knows it but has lost interest). One replica starts infective. In every round
    each infective replica pushes the update to a random other replica (push); every replica
    calls a random other replica and gets the update if that one is infective (pull); or both.
    A contact is *necessary* when the receiver did not know the update, else *unnecessary*.
    An infective replica loses interest:

    * ``feedback=True``: in rounds with unnecessary contacts and no necessary one;
      ``feedback=False`` (blind): in any round with a contact;
    * ``counter=True``: after ``k`` such rounds in a row (a necessary contact resets the
      count); ``counter=False`` (coin): with probability ``1/k`` in each such round.

    The run ends when no replica is infective. Contacts read the state at the start of the
    round (``contacts="synchronous"``): several contacts that reach one susceptible replica in
    a round are all necessary. These rules reproduce the residue, traffic and ``t_last`` of
    Demers' Tables 1-3 (:data:`DEMERS_TABLES`). ``contacts="sequential"`` treats the round's
    contacts as happening one after another (only one of them is necessary), the assumption
    behind the paper's differential equation (:func:`rumor_residue_theory`).

    Parameters
    ----------
    n : int
        Number of replicas, ``n >= 2``.
    k : int
        Demers' parameter, ``k >= 1``: counter limit, or coin with probability ``1/k``.
    feedback, counter : bool
        Feedback vs blind, counter vs coin.
    protocol : {"push", "pull", "push-pull"}
    seed : None, int or numpy.random.Generator
    runs : int
        Independent runs, simulated together as one vectorised array of ``runs * n`` replicas
        (at most about 10^8 replicas in all).
    contacts : {"synchronous", "sequential"}

    Returns
    -------
    RumorResult
        ``.residue``, ``.traffic`` (update messages per replica), ``.t_ave``, ``.t_last``
        (rounds), as means over runs.

    Examples
    --------
    >>> r = rumor_mongering(1000, 1, seed=2, runs=20)
    >>> 0.1 < r.residue < 0.26
    True
    >>> bool(abs(r.traffic + np.log(r.residue)) < 0.3)   # s = exp(-m) for push
    True
    """
    n = check_int("n", n, minimum=2)
    k = check_int("k", k, minimum=1)
    if not isinstance(feedback, bool | np.bool_):
        raise TypeError(f"feedback must be True or False, got {feedback!r}")
    if not isinstance(counter, bool | np.bool_):
        raise TypeError(f"counter must be True or False, got {counter!r}")
    protocol = check_choice("protocol", protocol, PROTOCOLS)
    runs = check_int("runs", runs, minimum=1, maximum=max(1, 10**8 // n))
    contacts = check_choice("contacts", contacts, ("synchronous", "sequential"))
    rng = as_rng(seed)
    total = runs * n
    state = np.zeros(total, dtype=np.int8)
    starts = np.arange(runs, dtype=np.int64) * n
    state[starts] = _INFECTIVE
    learned = np.full(total, -1, dtype=np.int64)
    learned[starts] = 0
    strikes = np.zeros(total, dtype=np.int64)
    sent = np.zeros(runs, dtype=np.int64)
    everyone = np.arange(total, dtype=np.int64)
    push, pull = protocol in ("push", "push-pull"), protocol in ("pull", "push-pull")
    round_ = 0
    while round_ < _MAX_ROUNDS:
        infective = np.flatnonzero(state == _INFECTIVE)
        if len(infective) == 0:
            break
        round_ += 1
        senders, receivers = [], []
        if pull:  # every replica calls someone; infective callees answer with the update
            partner = _partners_within(rng, everyone, n)
            hit = state[partner] == _INFECTIVE
            senders.append(partner[hit])
            receivers.append(everyone[hit])
        if push:
            senders.append(infective)
            receivers.append(_partners_within(rng, infective, n))
        senders = np.concatenate(senders)
        receivers = np.concatenate(receivers)
        necessary = state[receivers] == _SUSCEPTIBLE
        if contacts == "sequential":  # one contact per newly reached replica is the necessary one
            order = rng.permutation(len(receivers))
            candidates = order[necessary[order]]
            _, first = np.unique(receivers[candidates], return_index=True)
            necessary[:] = False
            necessary[candidates[first]] = True
        sent += np.bincount(senders // n, minlength=runs)
        contacted = np.unique(senders)
        if feedback:
            useful = np.unique(senders[necessary])
            struck = np.setdiff1d(contacted, useful, assume_unique=True)
            strikes[useful] = 0
        else:
            struck = contacted
        if counter:
            strikes[struck] += 1
            lose = struck[strikes[struck] >= k]
        else:
            lose = struck[rng.random(len(struck)) < 1.0 / k]
        informed_now = receivers[necessary]
        state[lose] = _REMOVED
        state[informed_now] = _INFECTIVE
        learned[informed_now] = np.where(learned[informed_now] < 0, round_,
                                         learned[informed_now])
    learned = learned.reshape(runs, n)
    knows = learned >= 0
    residues = 1.0 - knows.mean(axis=1)
    reached = knows.sum(axis=1) - 1  # replicas that received it (not the one that started it)
    t_aves = np.where(knows, learned, 0).sum(axis=1) / np.maximum(reached, 1)
    t_lasts = learned.max(axis=1).astype(float)
    return RumorResult(n, k, bool(feedback), bool(counter), protocol, residues,
                       sent / n, t_aves, t_lasts)


def _partners_within(rng: np.random.Generator, callers: np.ndarray, n: int) -> np.ndarray:
    """Random other replica in the caller's own run (runs are blocks of ``n`` replicas)."""
    base = callers - callers % n
    partner = rng.integers(0, n - 1, size=len(callers))
    partner += partner >= callers - base
    return base + partner


def rumor_residue_theory(k) -> float:
    """Residue of push rumor mongering with feedback and coin: root of ``s = exp(-(k+1)(1-s))``.

    Demers et al. (1987) derive it from ``di/ds = -(k+1)/k + 1/(k s)`` in the large-``n``
    limit. The traffic is then ``m = -ln s`` update messages per replica.

    Examples
    --------
    >>> round(rumor_residue_theory(1), 4)
    0.2032
    """
    k = check_real("k", k, 1)
    # the non-trivial root lies in (0, 1): f(s) = s - exp(-(k+1)(1-s)) is < 0 near 0 ... > 0
    return float(optimize.brentq(lambda s: s - math.exp(-(k + 1) * (1 - s)), 1e-300,
                                 1 - 1e-9))
