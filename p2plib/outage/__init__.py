"""The reboot trigger and the chain reaction: a model of Skype around its 2007 and 2010 outages.

The model is built from mechanisms, each a rate over time, not from a scripted service curve:

* **Peers** come and go with a daily and weekly cycle (Guha, Daswani & Jain, IPTPS 2006):
  sessions end at rate ``1 / session_h`` and new sessions start so that a normal day's online
  count (``demand``) follows the cycle. A new session must log in.
* A **reboot wave** (Patch Tuesday, or the 2010 client crash) is a Poisson hazard inside its
  windows that makes a share ``reboot_fraction`` reboot; a rebooted machine is down for about
  ``reboot_downtime_min`` and logs in again: the logins of a wave arrive together.
* **Supernode-capable peers** (a share ``supernode_fraction`` of ``online_peers``) serve as
  supernodes only after about ``promotion_uptime_h`` of uptime, so a reboot removes a supernode
  for that long, not for the few minutes the machine is down.
* The **login servers** (the only central part, Baset & Schulzrinne 2006) serve a fixed number
  of logins per minute, oldest first. A client gives up after about ``login_timeout_min`` and
  retries, but its request stays queued: under overload the servers spend their capacity on
  requests nobody waits for (goodput collapse; Bronson et al., HotOS 2021; Huang et al., OSDI
  2022). *Admission control* accepts only what can be served before the timeout.
* **The P2P layer's resource allocation:** a logged-in client needs a supernode slot (each
  supernode serves ``sn_capacity`` clients, "several hundred" in Skype's 2010 post-mortem). With
  ``overload="shutdown"`` a supernode whose request rate reaches ``sn_overload_factor`` times
  normal shuts down (:func:`~p2plib.outage.schedule.overload_hazard`), orphaning its clients,
  who search again: the positive feedback Skype described in 2010. Skype's 2007 statements
  name the same layer (a bug in the network's resource allocation; the P2P core retuned),
  so the fix (``fix_h``) acts there: supernodes refuse instead of shutting down.
* Clients whose login or search fails **retry** under a policy (Brooker 2015).
* **Mega-supernodes**: dedicated operator servers (no overload shutdown) from a chosen hour.

Two levels of detail share these rules: :func:`simulate` with ``model="aggregate"`` (the
default) follows the expected counts of every compartment (a mean-field fluid model: its cost
does not depend on the number of peers); ``model="agent"`` follows every peer and supernode with
random draws of the same rates. The aggregate model is the large-population limit of the agent
model (Kurtz 1970).

Around them: :func:`fluid_thresholds` and :func:`stationary_service` (the analytic baseline:
the healthy and the stuck state against the load, and where they vanish), :func:`ensemble`
(the unknowns' ranges, the probability of an outage and which unknowns matter),
:mod:`~p2plib.outage.presets`, :mod:`~p2plib.outage.sweep` and :mod:`~p2plib.outage.policy`.

Examples
--------
>>> from p2plib.outage import Scenario, simulate
>>> quiet = simulate(Scenario(online_peers=1_000_000, days=1.0))
>>> round(quiet.min_service(), 2) > 0.95
True
"""

from p2plib.outage.ensemble import (
    UNKNOWNS,
    EnsembleResult,
    TornadoResult,
    Unknown,
    ensemble,
    sobol_sensitivity,
    tornado,
)
from p2plib.outage.result import OutageResult
from p2plib.outage.scenario import (
    FIELD_RULES,
    MODELS,
    OVERLOAD_MODES,
    RETRY_POLICIES,
    Scenario,
    check_fields,
    retry_base_for,
)
from p2plib.outage.schedule import overload_hazard, retry_delays
from p2plib.outage.simulation import simulate, simulate_many
from p2plib.outage.theory import (
    FluidThresholds,
    StationaryService,
    fluid_thresholds,
    fluid_thresholds_many,
    load_extremes,
    stationary_service,
)

__all__ = [
    "FIELD_RULES",
    "MODELS",
    "OVERLOAD_MODES",
    "RETRY_POLICIES",
    "UNKNOWNS",
    "EnsembleResult",
    "FluidThresholds",
    "OutageResult",
    "Scenario",
    "StationaryService",
    "TornadoResult",
    "Unknown",
    "check_fields",
    "ensemble",
    "fluid_thresholds",
    "fluid_thresholds_many",
    "load_extremes",
    "overload_hazard",
    "retry_base_for",
    "retry_delays",
    "simulate",
    "simulate_many",
    "sobol_sensitivity",
    "stationary_service",
    "tornado",
]
