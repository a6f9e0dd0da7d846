"""The result of one run of the outage model: time series, one value per step.

Examples
--------
>>> from p2plib.outage import Scenario, simulate
>>> r = simulate(Scenario(online_peers=10_000, days=1.0, step_min=5))
>>> bool(r.served_fraction.min() > 0.99)
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from p2plib._validate import check_real
from p2plib.outage.scenario import Scenario

__all__ = ["OutageResult"]


@dataclass(frozen=True, eq=False)
class OutageResult:
    """Time series of one run, one value per step (the state at the start of the step).

    Counts are expected counts (aggregate model) or counts of agents (agent model). Per-step
    flows (``login_attempts``, ``login_goodput``, ``sn_requests``, ``sn_shutdowns``) are per
    step of ``scenario.step_min`` minutes: divide by ``step_min`` for a rate per minute.

    Attributes
    ----------
    scenario : Scenario
        The scenario that was run.
    model : str
        ``"aggregate"`` or ``"agent"``.
    time_h : numpy.ndarray
        Hours since the start of the run.
    demand : numpy.ndarray
        Clients a normal day would have online at that hour (count): the daily and weekly
        cycle, the footing on which observers' "users online" are compared.
    connected : numpy.ndarray
        Clients connected to a supernode or mega-supernode (count): what an observer counts as
        "online".
    served_fraction : numpy.ndarray
        ``connected / demand``: the share of a normal day's users who have service (not
        clipped; it is at most 1 because nobody comes online who would not on a normal day).
    wanting : numpy.ndarray
        Clients online and not rebooting, with or without service (count).
    supernodes_alive : numpy.ndarray
        Ordinary supernodes serving (count; mega-supernodes not included).
    sn_cooling : numpy.ndarray
        Supernodes shut down by overload, not yet back (count).
    sn_young : numpy.ndarray
        Capable peers up but still proving uptime before promotion (count).
    mega_slots : numpy.ndarray
        Client slots of the mega-supernodes (count).
    login_queue : numpy.ndarray
        Requests queued at the login servers, including stale ones (count).
    login_attempts : numpy.ndarray
        Login requests sent in the step (new sessions, returning reboots and retries).
    login_goodput : numpy.ndarray
        Logins completed in the step for a client that still waited.
    sn_requests : numpy.ndarray
        Supernode searches in the step (logged-in clients and orphans).
    sn_shutdowns : numpy.ndarray
        Supernodes that shut down from overload in the step.
    retrying : numpy.ndarray
        Clients waiting to retry (count).
    peers_total : numpy.ndarray
        Sum over every client compartment (online, including rebooting machines).
    peers_tracked : numpy.ndarray
        Online clients counted by arrivals minus departures (equals ``peers_total``: an
        independent conservation check).
    capable_total : numpy.ndarray
        Supernode-capable peers summed over all their states (constant).

    References
    ----------
    Course model (chapter 03): the compartments of :mod:`p2plib.outage.aggregate` and
    :mod:`p2plib.outage.agent`; "users online" against a usual day is the footing of the
    observers' counts (Computerworld, 17 August 2007).

    Examples
    --------
    >>> from p2plib.outage import Scenario, simulate
    >>> r = simulate(Scenario(online_peers=10_000, days=0.5, step_min=5))
    >>> bool(np.allclose(r.served_fraction, r.connected / r.demand))
    True
    """

    scenario: Scenario
    model: str
    time_h: np.ndarray
    demand: np.ndarray
    connected: np.ndarray
    served_fraction: np.ndarray
    wanting: np.ndarray
    supernodes_alive: np.ndarray
    sn_cooling: np.ndarray
    sn_young: np.ndarray
    mega_slots: np.ndarray
    login_queue: np.ndarray
    login_attempts: np.ndarray
    login_goodput: np.ndarray
    sn_requests: np.ndarray
    sn_shutdowns: np.ndarray
    retrying: np.ndarray
    peers_total: np.ndarray
    peers_tracked: np.ndarray
    capable_total: np.ndarray

    def __repr__(self) -> str:
        return (f"OutageResult({self.scenario.name!r}, model={self.model!r}, "
                f"steps={len(self.time_h)}, min_service={self.min_service():.2f})")

    def _index(self, hour: float) -> int:
        hour = check_real("hour", hour, 0, self.time_h[-1] + self.scenario.step_min / 60)
        return int(min(len(self.time_h) - 1, round(hour * 60 / self.scenario.step_min)))

    def at(self, hour: float) -> dict:
        """Connected, demand and served fraction at ``hour`` (the nearest step).

        Examples
        --------
        >>> from p2plib.outage import Scenario, simulate
        >>> r = simulate(Scenario(online_peers=10_000, days=1.0, step_min=5))
        >>> round(r.at(16.0)["served_fraction"], 2)
        1.0
        """
        i = self._index(hour)
        return {"hour": float(self.time_h[i]), "connected": float(self.connected[i]),
                "demand": float(self.demand[i]),
                "served_fraction": float(self.served_fraction[i])}

    def min_service(self, after_h: float = 0.0) -> float:
        """Lowest served fraction from ``after_h`` on."""
        return float(self.served_fraction[self.time_h >= after_h].min())

    def hours_below(self, level: float = 0.5) -> float:
        """Hours during which the served fraction is below ``level``."""
        level = check_real("level", level, 0, 1)
        return float((self.served_fraction < level).sum() * self.scenario.step_min / 60)

    def first_below(self, level: float = 0.5) -> float:
        """Hour at which service first falls below ``level`` (``nan`` if never)."""
        level = check_real("level", level, 0, 1)
        below = np.flatnonzero(self.served_fraction < level)
        return float(self.time_h[below[0]]) if len(below) else math.nan

    def time_to_recover(self, level: float = 0.9) -> float:
        """Hours from the first fall below ``level`` until service is last back above it.

        ``nan`` if service never falls below ``level``; ``inf`` if it is still below at the end.
        """
        level = check_real("level", level, 0, 1)
        below = np.flatnonzero(self.served_fraction < level)
        if not len(below):
            return math.nan
        if below[-1] == len(self.time_h) - 1:
            return math.inf
        return float(self.time_h[below[-1] + 1] - self.time_h[below[0]])

    def load_at_failure(self, level: float = 0.5) -> float:
        """Demand (as a multiple of ``online_peers``) when service first falls below ``level``."""
        below = np.flatnonzero(self.served_fraction < check_real("level", level, 0, 1))
        if not len(below):
            return math.nan
        return float(self.demand[below[0]] / self.scenario.online_peers)

    def load_at_recovery(self, level: float = 0.5) -> float:
        """Demand (multiple of ``online_peers``) when service is back at ``level`` after failing.

        With :meth:`load_at_failure`, this shows hysteresis: a metastable system recovers only
        at a lower load than the one at which it failed. ``nan`` if it never fails or never
        recovers.
        """
        level = check_real("level", level, 0, 1)
        below = np.flatnonzero(self.served_fraction < level)
        if not len(below):
            return math.nan
        back = np.flatnonzero(self.served_fraction[below[0]:] >= level)
        if not len(back):
            return math.nan
        return float(self.demand[below[0] + back[0]] / self.scenario.online_peers)

    def recovered(self, level: float = 0.9) -> bool:
        """Whether service is at or above ``level`` at the end of the run."""
        return bool(self.served_fraction[-1] >= level)
