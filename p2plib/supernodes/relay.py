"""What serving costs a supernode's owner: relay slots (Erlang-B) and bandwidth.

A supernode relays calls between peers that cannot reach each other directly (both behind
NATs) and carries its clients' presence and search traffic. A pool of ``m`` relay slots offered
``E`` Erlangs of calls arriving at random refuses a share given by Erlang-B (A. K. Erlang,
1917), computed with the stable recursion ``B(E, 0) = 1``,
``B(E, m) = E B(E, m-1) / (m + E B(E, m-1))``.

Examples
--------
>>> round(erlang_b(3.0, 4), 3)
0.206
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from p2plib._validate import as_rng, check_array, check_choice, check_int, check_real

__all__ = ["HOLDING_TIMES", "OwnerCost", "erlang_b", "owner_cost", "relay_slots_needed",
           "simulate_relay_blocking"]

#: Call holding-time distributions understood by :func:`simulate_relay_blocking`.
HOLDING_TIMES = ("exponential", "lognormal", "constant")


def erlang_b(offered_load, slots):
    """Blocking probability of a pool of ``slots`` relay slots offered ``offered_load`` Erlangs.

    Erlang's loss formula ``B(E, m) = (E^m / m!) / sum_{k<=m} E^k / k!`` (Erlang 1917): the
    share of relayed calls that find all ``m`` slots busy and are refused, for Poisson call
    arrivals and any holding-time distribution. Computed by the stable recursion
    ``B(E, 0) = 1``, ``B(E, m) = E B(E, m-1) / (m + E B(E, m-1))``, vectorised over
    ``offered_load``.

    Parameters
    ----------
    offered_load : float or array_like
        Offered traffic in Erlangs (mean number of calls that would be in progress if none
        were refused), each ``>= 0`` and finite.
    slots : int
        Number of calls the relay can carry at once, ``>= 0``.

    Returns
    -------
    float or numpy.ndarray (same shape as ``offered_load``)
        Share of calls refused, each in ``[0, 1]``.

    References
    ----------
    A. K. Erlang, "Solution of some problems in the theory of probabilities of significance in
    automatic telephone exchanges", *Elektroteknikeren* 13, 1917.

    Examples
    --------
    >>> erlang_b(1.0, 1)
    0.5
    >>> round(erlang_b(1.0, 2), 6)
    0.2
    >>> erlang_b([0.0, 4.46], 10).round(3).tolist()   # 10 slots carry 4.46 E at 1% blocking
    [0.0, 0.01]
    """
    slots = check_int("slots", slots, minimum=0)
    load = check_array("offered_load", offered_load, 0)
    blocking = np.ones_like(load)
    for m in range(1, slots + 1):
        carried = load * blocking
        blocking = carried / (m + carried)
    return float(blocking) if blocking.ndim == 0 else blocking


def relay_slots_needed(offered_load, target_blocking=0.01) -> int:
    """The fewest relay slots with Erlang-B blocking at most ``target_blocking``.

    Parameters
    ----------
    offered_load : float
        Erlangs, in ``[0, 1e5]``.
    target_blocking : float
        Acceptable share of refused relayed calls, in ``(0, 1]``.

    Returns
    -------
    int
        The fewest relay slots, ``>= 0``, with ``erlang_b(offered_load, slots) <=
        target_blocking``.

    References
    ----------
    Erlang 1917 (the loss formula, here by its recursion in the number of slots).

    Examples
    --------
    >>> relay_slots_needed(4.46, 0.01)
    10
    """
    load = check_real("offered_load", offered_load, 0, 1e5)
    target = check_real("target_blocking", target_blocking, 0, 1, open_min=True)
    blocking, m = 1.0, 0
    while blocking > target:
        m += 1
        blocking = load * blocking / (m + load * blocking)
    return m


def simulate_relay_blocking(offered_load, slots, calls=20_000, holding="exponential",
                            seed=None) -> float:
    """Share of relayed calls refused by a pool of ``slots`` relay slots, by simulation.

    Calls arrive as a Poisson process at rate ``offered_load`` per mean holding time and each
    holds a slot for a random time of mean 1; a call that finds every slot busy is refused
    (a loss system, M/G/m/m). Erlang-B (:func:`erlang_b`) predicts the long-run share for ANY
    holding-time distribution with that mean (Sevastyanov 1957): try ``holding`` to see it.
    The system starts empty, which biases short runs slightly low.

    Parameters
    ----------
    offered_load : float
        Erlangs, in ``[0, 1000]``.
    slots : int
        In ``[0, 1000]``.
    calls : int
        Number of call attempts simulated, in ``[1, 10**6]``.
    holding : {"exponential", "lognormal", "constant"}
        Holding-time distribution (all of mean 1; the log-normal has sigma 1).
    seed : None, int or numpy.random.Generator
        Source of the arrival and holding-time draws.

    Returns
    -------
    float
        Share of the simulated call attempts that were refused, in ``[0, 1]``.

    References
    ----------
    Erlang 1917; B. A. Sevastyanov, "An ergodic theorem for Markov processes and its
    application to telephone systems with refusals", *Theory of Probability and its
    Applications* 2, 1957 (the loss formula holds for any holding-time distribution).

    Examples
    --------
    >>> simulate_relay_blocking(4.46, 10, calls=50_000, seed=1) < 0.02   # Erlang-B: 1%
    True
    """
    load = check_real("offered_load", offered_load, 0, 1000)
    slots = check_int("slots", slots, minimum=0, maximum=1000)
    calls = check_int("calls", calls, minimum=1, maximum=10**6)
    holding = check_choice("holding", holding, HOLDING_TIMES)
    rng = as_rng(seed)
    if slots == 0:
        return 1.0
    if load == 0:
        return 0.0
    arrivals = np.cumsum(rng.exponential(1.0 / load, size=calls))
    if holding == "exponential":
        durations = rng.exponential(1.0, size=calls)
    elif holding == "lognormal":
        durations = np.exp(rng.standard_normal(calls) - 0.5)  # mean exp(0) = 1
    else:
        durations = np.ones(calls)
    ends = np.full(slots, -np.inf)  # when each slot becomes free
    refused = 0
    for t, d in zip(arrivals.tolist(), durations.tolist(), strict=True):
        slot = int(ends.argmin())
        if ends[slot] <= t:
            ends[slot] = t + d
        else:
            refused += 1
    return refused / calls


@dataclass(frozen=True, eq=False)
class OwnerCost:
    """What serving as a supernode costs the owner's PC (see :func:`owner_cost`).

    Rates are per direction (upload = download), in kbit/s, while the PC serves; arrays when
    ``clients`` is an array.

    Attributes
    ----------
    clients : float or numpy.ndarray
        Clients attached.
    hours_per_day : float
        Hours a day the PC serves.
    signalling_kbps : float or numpy.ndarray
        Presence and search signalling, kbit/s each way.
    relay_offered_erlangs : float or numpy.ndarray
        Relayed calls offered to the supernode, Erlangs.
    relay_slots : int
        Relayed calls the PC carries at once.
    relay_blocking : float or numpy.ndarray
        Share of relayed calls refused (Erlang-B), in ``[0, 1]``.
    relay_kbps : float or numpy.ndarray
        Carried relayed calls, kbit/s each way.
    total_kbps : float or numpy.ndarray
        Signalling plus relay, kbit/s each way.
    gigabytes_per_day : float or numpy.ndarray
        Traffic in and out per day, GB (10^9 bytes).
    gigabytes_per_month : float or numpy.ndarray
        The same over 30 days, GB (a property).

    References
    ----------
    Course model (chapter 02): see :func:`owner_cost`.

    Examples
    --------
    >>> cost = owner_cost(300, hours_per_day=24)
    >>> round(cost.gigabytes_per_month / cost.gigabytes_per_day)
    30
    """

    clients: np.ndarray | float
    hours_per_day: float
    signalling_kbps: np.ndarray | float
    relay_offered_erlangs: np.ndarray | float
    relay_slots: int
    relay_blocking: np.ndarray | float
    relay_kbps: np.ndarray | float
    total_kbps: np.ndarray | float
    gigabytes_per_day: np.ndarray | float

    @property
    def gigabytes_per_month(self):
        """Traffic in and out over 30 days, GB (10^9 bytes)."""
        return self.gigabytes_per_day * 30


def owner_cost(clients, hours_per_day=8.0, signalling_bps_per_client=100.0,
               call_share=0.05, relayed_share=0.1, codec_kbps=40.0,
               relay_slots=4) -> OwnerCost:
    """Bandwidth, relay blocking and traffic of a supernode serving ``clients`` clients.

    Model (every default a model assumption; Skype published none of these rates):

    * **signalling**: each client's presence keep-alives, status updates and searches pass
      through its supernode at ``signalling_bps_per_client`` bit/s each way;
    * **relayed calls**: a client is on a call ``call_share`` of the time; a call has two
      parties, so ``clients * call_share / 2`` calls are in progress per supernode's worth of
      clients, and ``relayed_share`` of them need a relay (both ends behind NATs or firewalls
      that block a direct path, Baset & Schulzrinne 2006). Relays are spread over supernodes,
      so on average a supernode is offered ``E = clients * call_share / 2 * relayed_share``
      Erlangs; with ``relay_slots`` slots a share ``B = erlang_b(E, relay_slots)`` is refused.
      A carried relayed call forwards both voice streams: ``2 * codec_kbps`` each way.
    * **traffic**: upload plus download while serving, ``hours_per_day`` hours a day.

    Parameters
    ----------
    clients : float or array_like
        Clients attached, ``>= 0``.
    hours_per_day : float
        Hours a day the PC is on and serving, in ``[0, 24]``.
    signalling_bps_per_client : float
        bit/s each way per client, ``>= 0``.
    call_share : float
        Share of time a user is on a call, in ``[0, 1]``.
    relayed_share : float
        Share of calls that need a relay, in ``[0, 1]``.
    codec_kbps : float
        One voice stream, kbit/s including packet overhead, ``>= 0``.
    relay_slots : int
        Relayed calls the owner's PC carries at once, ``>= 0``.

    Returns
    -------
    OwnerCost
        Rates in kbit/s each way, blocking as a share, traffic in GB (arrays when ``clients``
        is one).

    References
    ----------
    Course model (chapter 02) built on Erlang-B (Erlang 1917) for the relay slots; relaying
    for peers behind NATs from S. A. Baset and H. G. Schulzrinne, "An analysis of the Skype
    peer-to-peer Internet telephony protocol", IEEE INFOCOM 2006. The rates are model
    assumptions.

    Examples
    --------
    >>> cost = owner_cost(300)
    >>> round(cost.relay_offered_erlangs, 2), round(cost.relay_blocking, 3)
    (0.75, 0.006)
    >>> round(cost.total_kbps), round(cost.gigabytes_per_month, 1)
    (90, 19.4)
    """
    n = check_array("clients", clients, 0)
    hours = check_real("hours_per_day", hours_per_day, 0, 24)
    signalling = check_real("signalling_bps_per_client", signalling_bps_per_client, 0)
    call_share = check_real("call_share", call_share, 0, 1)
    relayed_share = check_real("relayed_share", relayed_share, 0, 1)
    codec = check_real("codec_kbps", codec_kbps, 0)
    relay_slots = check_int("relay_slots", relay_slots, minimum=0)
    signalling_kbps = n * signalling / 1000.0
    offered = n * call_share / 2.0 * relayed_share
    blocking = erlang_b(offered, relay_slots)
    relay_kbps = offered * (1.0 - blocking) * 2.0 * codec
    total = signalling_kbps + relay_kbps
    gigabytes = 2.0 * total * 1000.0 * hours * 3600.0 / 8.0 / 1e9

    def out(x):
        return float(x) if np.ndim(x) == 0 else x

    return OwnerCost(out(n), hours, out(signalling_kbps), out(offered), relay_slots,
                     out(blocking), out(relay_kbps), out(total), out(gigabytes))
