"""Rumor mongering: gossip that stops once the update seems old news, and what it leaves behind.

Complex epidemics (Demers et al.'s *rumor mongering*) stop spreading an update once it seems
old news, which saves traffic but can leave a *residue* of replicas that never hear of it.
:func:`rumor_mongering` simulates the variants of the paper (feedback or blind, counter or
coin, parameter ``k``) and reproduces its Tables 1-3 (:data:`DEMERS_TABLES`); for push with
feedback and coin the residue ``s`` solves ``s = exp(-(k + 1)(1 - s))``
(:func:`rumor_residue_theory`), and residue and traffic ``m`` are linked by ``s = exp(-m)``.

Source: Demers, Greene, Hauser, Irish, Larson, Shenker, Sturgis, Swinehart & Terry, "Epidemic
algorithms for replicated database maintenance", PODC 1987, section 1.4.

Examples
--------
>>> from p2plib.gossip import rumor_mongering, rumor_residue_theory
>>> r = rumor_mongering(1000, 2, feedback=True, counter=False, seed=1, runs=50)
>>> abs(r.residue - rumor_residue_theory(2)) < 0.03
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize

from p2plib._validate import as_rng, check_choice, check_int, check_real
from p2plib.gossip.epidemic import MAX_ROUNDS, PROTOCOLS

__all__ = ["CONTACTS", "DEMERS_TABLES", "RumorResult", "rumor_mongering", "rumor_residue_theory"]

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

#: How the contacts of one round are ordered (see :func:`rumor_mongering`).
CONTACTS = ("synchronous", "sequential")


@dataclass(frozen=True, eq=False)
class RumorResult:
    """Outcome of :func:`rumor_mongering`, averaged over ``runs`` independent runs.

    Attributes
    ----------
    n, k : int
        Replicas (replicas) and Demers' parameter ``k``.
    feedback, counter : bool
        The variant: feedback or blind, counter or coin.
    protocol : str
        ``"push"``, ``"pull"`` or ``"push-pull"``.
    residues, traffics, t_aves, t_lasts : numpy.ndarray, shape (runs,)
        Per run: the share never reached (in [0, 1]), update messages per replica, the mean
        and the last round of receipt (rounds).
    residue : float
        Share of replicas that never received the update (Demers' ``s``), mean over runs.
    traffic : float
        Update messages sent per replica (Demers' ``m``), mean over runs.
    t_ave : float
        Mean round at which a replica received the update, over replicas that did (rounds).
    t_last : float
        Round at which the last replica received it, mean over runs (rounds).

    References
    ----------
    Demers et al., "Epidemic algorithms for replicated database maintenance", PODC 1987,
    Tables 1-3 (the same four measures).

    Examples
    --------
    >>> rumor_mongering(1000, 1, seed=2, runs=20).residues.shape
    (20,)
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
        """Share of replicas never reached, mean over runs."""
        return float(self.residues.mean())

    @property
    def traffic(self) -> float:
        """Update messages sent per replica, mean over runs."""
        return float(self.traffics.mean())

    @property
    def t_ave(self) -> float:
        """Mean round of receipt, mean over runs."""
        return float(self.t_aves.mean())

    @property
    def t_last(self) -> float:
        """Last round of receipt, mean over runs."""
        return float(self.t_lasts.mean())

    def __repr__(self) -> str:
        how = f"{'feedback' if self.feedback else 'blind'}, {'counter' if self.counter else 'coin'}"
        return (f"RumorResult({self.protocol}, {how}, k={self.k}, n={self.n}, "
                f"runs={len(self.residues)}: residue={self.residue:.3g}, "
                f"traffic={self.traffic:.3g}, t_ave={self.t_ave:.3g}, t_last={self.t_last:.3g})")


_SUSCEPTIBLE, _INFECTIVE, _REMOVED = 0, 1, 2


@dataclass(frozen=True)
class _Rules:
    """The variant being simulated (checked arguments of :func:`rumor_mongering`)."""

    n: int
    k: int
    feedback: bool
    counter: bool
    push: bool
    pull: bool
    sequential: bool


@dataclass
class _Runs:
    """State of ``runs`` runs of ``n`` replicas, simulated as one array of ``runs * n``."""

    state: np.ndarray      # susceptible / infective / removed, per replica
    learned: np.ndarray    # round at which each replica received the update, -1 if never
    strikes: np.ndarray    # rounds in a row that counted towards losing interest
    sent: np.ndarray       # update messages sent, per run
    everyone: np.ndarray   # replica indices 0 .. runs * n - 1

    @classmethod
    def start(cls, n: int, runs: int) -> _Runs:
        """One infective replica at the start of each run, everyone else susceptible."""
        total = runs * n
        starts = np.arange(runs, dtype=np.int64) * n
        state = np.zeros(total, dtype=np.int8)
        state[starts] = _INFECTIVE
        learned = np.full(total, -1, dtype=np.int64)
        learned[starts] = 0
        return cls(state, learned, np.zeros(total, dtype=np.int64),
                   np.zeros(runs, dtype=np.int64), np.arange(total, dtype=np.int64))


def _partners_within(rng: np.random.Generator, callers: np.ndarray, n: int) -> np.ndarray:
    """Random other replica in the caller's own run (runs are blocks of ``n`` replicas)."""
    base = callers - callers % n
    partner = rng.integers(0, n - 1, size=len(callers))
    partner += partner >= callers - base
    return base + partner


def _contacts(s: _Runs, infective: np.ndarray, rules: _Rules, rng):
    """Who sends the update to whom this round: pull answers first, then pushes."""
    senders, receivers = [], []
    if rules.pull:  # every replica calls someone; infective callees answer with the update
        partner = _partners_within(rng, s.everyone, rules.n)
        hit = s.state[partner] == _INFECTIVE
        senders.append(partner[hit])
        receivers.append(s.everyone[hit])
    if rules.push:
        senders.append(infective)
        receivers.append(_partners_within(rng, infective, rules.n))
    return np.concatenate(senders), np.concatenate(receivers)


def _necessary(s: _Runs, receivers: np.ndarray, rules: _Rules, rng) -> np.ndarray:
    """Contacts that reach a susceptible replica (with sequential contacts: one per replica)."""
    necessary = s.state[receivers] == _SUSCEPTIBLE
    if rules.sequential:  # one contact per newly reached replica is the necessary one
        order = rng.permutation(len(receivers))
        candidates = order[necessary[order]]
        _, first = np.unique(receivers[candidates], return_index=True)
        necessary[:] = False
        necessary[candidates[first]] = True
    return necessary


def _losing_interest(s: _Runs, senders, necessary, rules: _Rules, rng) -> np.ndarray:
    """Infective senders that lose interest this round (feedback/blind, counter/coin)."""
    contacted = np.unique(senders)
    if rules.feedback:
        useful = np.unique(senders[necessary])
        struck = np.setdiff1d(contacted, useful, assume_unique=True)
        s.strikes[useful] = 0
    else:
        struck = contacted
    if rules.counter:
        s.strikes[struck] += 1
        return struck[s.strikes[struck] >= rules.k]
    return struck[rng.random(len(struck)) < 1.0 / rules.k]


def _one_round(s: _Runs, infective: np.ndarray, round_: int, rules: _Rules, rng) -> None:
    """Contacts, then loss of interest, then the newly informed become infective."""
    senders, receivers = _contacts(s, infective, rules, rng)
    necessary = _necessary(s, receivers, rules, rng)
    s.sent += np.bincount(senders // rules.n, minlength=len(s.sent))
    lose = _losing_interest(s, senders, necessary, rules, rng)
    informed_now = receivers[necessary]
    s.state[lose] = _REMOVED
    s.state[informed_now] = _INFECTIVE
    s.learned[informed_now] = np.where(s.learned[informed_now] < 0, round_,
                                       s.learned[informed_now])


def _summary(s: _Runs, rules: _Rules, protocol: str) -> RumorResult:
    runs = len(s.sent)
    learned = s.learned.reshape(runs, rules.n)
    knows = learned >= 0
    residues = 1.0 - knows.mean(axis=1)
    reached = knows.sum(axis=1) - 1  # replicas that received it (not the one that started it)
    t_aves = np.where(knows, learned, 0).sum(axis=1) / np.maximum(reached, 1)
    t_lasts = learned.max(axis=1).astype(float)
    return RumorResult(rules.n, rules.k, rules.feedback, rules.counter, protocol, residues,
                       s.sent / rules.n, t_aves, t_lasts)


def _check_flag(name: str, value) -> bool:
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def rumor_mongering(n, k, feedback=True, counter=True, protocol="push", seed=None,
                    runs=1, contacts="synchronous") -> RumorResult:
    """Rumor mongering as Demers et al. define it, over ``n`` replicas, ``runs`` times.

    A replica is *susceptible* (has not heard the update), *infective* (spreads it) or
    *removed* (knows it but has lost interest). One replica starts infective. In every round
    each infective replica pushes the update to a random other replica (push); every replica
    calls a random other replica and gets the update if that one is infective (pull); or both.
    A contact is *necessary* when the receiver did not know the update. An infective replica
    loses interest with ``feedback`` in rounds with unnecessary contacts and no necessary one
    (blind: in any round with a contact); with ``counter`` after ``k`` such rounds in a row (a
    necessary contact resets the count), with a coin with probability ``1/k`` in each. The run
    ends when no replica is infective. ``contacts="synchronous"`` reads the state at the start
    of the round (several contacts that reach one susceptible replica are all necessary: this
    reproduces :data:`DEMERS_TABLES`); ``"sequential"`` lets only one of them be necessary, the
    assumption behind the paper's differential equation (:func:`rumor_residue_theory`).

    Parameters
    ----------
    n : int
        Number of replicas, ``n >= 2`` (replicas).
    k : int
        Demers' parameter, ``k >= 1``: counter limit (rounds), or coin with probability ``1/k``.
    feedback, counter : bool
        Feedback vs blind, counter vs coin.
    protocol : {"push", "pull", "push-pull"}
        How calls are used.
    seed : None, int or numpy.random.Generator
        Source of randomness.
    runs : int
        Independent runs, ``>= 1``, simulated together as one array of ``runs * n`` replicas
        (at most 10^8 replicas in all).
    contacts : {"synchronous", "sequential"}
        How the contacts of one round are ordered (see above).

    Returns
    -------
    RumorResult
        ``.residue`` (share in [0, 1]), ``.traffic`` (update messages per replica),
        ``.t_ave``, ``.t_last`` (rounds), as means over runs.

    References
    ----------
    Demers et al., "Epidemic algorithms for replicated database maintenance", PODC 1987,
    section 1.4 and Tables 1-3.

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
    feedback, counter = _check_flag("feedback", feedback), _check_flag("counter", counter)
    protocol = check_choice("protocol", protocol, PROTOCOLS)
    runs = check_int("runs", runs, minimum=1, maximum=max(1, 10**8 // n))
    contacts = check_choice("contacts", contacts, CONTACTS)
    rng = as_rng(seed)
    rules = _Rules(n, k, feedback, counter, push=protocol in ("push", "push-pull"),
                   pull=protocol in ("pull", "push-pull"), sequential=contacts == "sequential")
    s = _Runs.start(n, runs)
    for round_ in range(1, MAX_ROUNDS + 1):
        infective = np.flatnonzero(s.state == _INFECTIVE)
        if len(infective) == 0:
            break
        _one_round(s, infective, round_, rules, rng)
    return _summary(s, rules, protocol)


def rumor_residue_theory(k) -> float:
    """Residue of push rumor mongering with feedback and coin: root of ``s = exp(-(k+1)(1-s))``.

    Demers et al. derive it from ``di/ds = -(k+1)/k + 1/(k s)`` in the large-``n`` limit (each
    contact one after another). The traffic is then ``m = -ln s`` update messages per replica.

    Parameters
    ----------
    k : float
        Demers' parameter, ``k >= 1`` (the coin's probability is ``1/k``).

    Returns
    -------
    float
        The residue ``s``: share of replicas never reached, in ``(0, 1)``.

    References
    ----------
    Demers et al., "Epidemic algorithms for replicated database maintenance", PODC 1987,
    section 1.4.

    Examples
    --------
    >>> round(rumor_residue_theory(1), 4)
    0.2032
    """
    k = check_real("k", k, 1)
    # the non-trivial root lies in (0, 1): f(s) = s - exp(-(k+1)(1-s)) is < 0 near 0 ... > 0
    return float(optimize.brentq(lambda s: s - math.exp(-(k + 1) * (1 - s)), 1e-300,
                                 1 - 1e-9))
