"""Entry points of the outage model: :func:`simulate` one scenario, :func:`simulate_many`.

Examples
--------
>>> from p2plib.outage.scenario import Scenario
>>> r = simulate(Scenario(online_peers=1_000_000, days=1.0, step_min=5))
>>> round(r.min_service(), 2) > 0.95
True
"""

from __future__ import annotations

from itertools import groupby

import numpy as np

from p2plib._validate import as_rng, check_choice
from p2plib.outage.aggregate import simulate_aggregate
from p2plib.outage.result import OutageResult
from p2plib.outage.scenario import MODELS, Scenario

__all__ = ["AGENT_MAX_PEERS", "simulate", "simulate_many"]

#: Largest ``online_peers`` the agent model accepts (memory: a few bytes per peer).
AGENT_MAX_PEERS = 2e6


def _result(s: Scenario, model: str, series: dict) -> OutageResult:
    demand = series["demand"]
    return OutageResult(
        scenario=s, model=model, time_h=series["hours"], demand=demand,
        connected=series["connected"], served_fraction=series["connected"] / demand,
        **{k: series[k] for k in (
            "wanting", "supernodes_alive", "sn_cooling", "sn_young", "mega_slots",
            "login_queue", "login_attempts", "login_goodput", "sn_requests", "sn_shutdowns",
            "retrying", "peers_total", "peers_tracked", "capable_total")})


def simulate(scenario: Scenario, seed=None, model: str = "aggregate") -> OutageResult:
    """Run the outage model for one scenario.

    Parameters
    ----------
    scenario : Scenario
        The situation; see :class:`~p2plib.outage.scenario.Scenario` and
        :data:`p2plib.scenarios.PRESETS`.
    seed : None, int or numpy.random.Generator
        Randomness of the agent model (the aggregate model follows expected counts and is
        deterministic, so ``seed`` does not change it).
    model : {"aggregate", "agent"}
        ``"aggregate"``: mean-field counts, any size (cost independent of ``online_peers``).
        ``"agent"``: every peer and supernode, up to :data:`AGENT_MAX_PEERS` peers.

    Returns
    -------
    OutageResult
        The time series of the run (counts of peers, per-step rates) and its scenario.

    References
    ----------
    Course model (chapter 03): the two-tier log-in of Skype's client (Baset & Schulzrinne
    2006; Skype 2006) with the mechanism Skype described for August 2007 (Arak 2007a) and
    December 2010 (Rabbe 2010), as a metastable failure (Bronson et al. 2021; Huang et al.
    2022); full references in ``notebooks/sources.md``.

    Examples
    --------
    >>> s = Scenario(online_peers=20_000, days=1.0, reboot_fraction=0.5, reboot_start_h=8)
    >>> r = simulate(s)
    >>> bool(r.login_attempts.max() > 3 * r.login_attempts[:60].mean())  # the login flood
    True
    """
    if not isinstance(scenario, Scenario):
        raise TypeError(f"scenario must be a Scenario, got {type(scenario).__name__}")
    model = check_choice("model", model, MODELS)
    rng = as_rng(seed)
    if model == "agent":
        if scenario.online_peers > AGENT_MAX_PEERS:
            raise ValueError(f"online_peers must be at most {AGENT_MAX_PEERS:g} for "
                             f"model='agent' (got {scenario.online_peers:g}); use "
                             "model='aggregate'")
        from p2plib.outage.agent import simulate_agent

        return _result(scenario, "agent", simulate_agent(scenario, rng))
    return _result(scenario, "aggregate", simulate_aggregate([scenario])[0])


def simulate_many(scenarios) -> list:
    """Run the aggregate model for many scenarios, batched (numpy over the batch).

    Scenarios with the same ``days`` and ``step_min`` run as one batch: one pass over the
    steps for all of them, which is what makes sweeps and ensembles fast. The results equal
    those of :func:`simulate` up to rounding (tests/test_outage_numerics.py).

    Parameters
    ----------
    scenarios : sequence of Scenario

    Returns
    -------
    list of OutageResult
        In the order of ``scenarios``.

    References
    ----------
    Course model (chapter 03): the two-tier log-in of Skype's client (Baset & Schulzrinne
    2006; Skype 2006) with the mechanism Skype described for August 2007 (Arak 2007a) and
    December 2010 (Rabbe 2010), as a metastable failure (Bronson et al. 2021; Huang et al.
    2022); full references in ``notebooks/sources.md``.

    Examples
    --------
    >>> runs = simulate_many([Scenario(online_peers=1e4, days=0.5, reboot_fraction=f,
    ...                                reboot_start_h=2.0) for f in (0.0, 0.9)])
    >>> [round(r.min_service(), 1) for r in runs]
    [1.0, 0.0]
    """
    scenarios = list(scenarios)
    if not scenarios or not all(isinstance(s, Scenario) for s in scenarios):
        raise TypeError("scenarios must be a non-empty sequence of Scenario")
    out = [None] * len(scenarios)
    key = lambda i: (scenarios[i].steps, scenarios[i].step_min)  # noqa: E731
    for _, group in groupby(sorted(range(len(scenarios)), key=key), key=key):
        group = list(group)
        for start in range(0, len(group), 256):   # batches of at most 256 (memory)
            chunk = group[start:start + 256]
            series = simulate_aggregate([scenarios[i] for i in chunk])
            for i, ser in zip(chunk, series, strict=True):
                out[i] = _result(scenarios[i], "aggregate", ser)
    return out


del np
