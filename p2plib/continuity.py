"""Business continuity in numbers: the servers a P2P design saves against what an outage costs.

Every cost of chapter 06's business-continuity section comes from one stated set of
assumptions, :class:`ContinuityAssumptions`; each field names its source, or says that it is a
model assumption (:attr:`ContinuityAssumptions.SOURCES`). :func:`continuity_costs` turns them
into the operator's and a customer firm's side of the trade:

* **the operator's saving**: the dedicated servers that would carry the clients which Skype's
  supernodes carried, sized for the usual *daily peak* (a pool sized for the mean is too small
  every afternoon), times the yearly cost of one server;
* **the operator's cost of one outage**: user-hours lost, counted from the *mean* number of
  users online (a mean times clock hours is a count of user-hours) and the share of them cut
  off, times the value of one user-hour of service;
* **the break-even**: outages a year at which the outage costs eat the saving. These are
  *extra* outages, ones a design on the operator's own servers would not have had (servers
  fail too): the break-even is a rate of outages that P2P adds, not of all outages;
* **a customer firm's cost of one outage**: people times the *working* hours the outage covers
  (not its clock hours) times the cost of a working hour without calls.

The verdict ("the saving pays for at least one such outage a year", or not) is only as good as
the assumptions, so :meth:`ContinuityCosts.flip_point` gives, for each assumption with the
others held, the value at which the verdict turns over: the range over which it holds.

Source of the method: the cost-of-downtime arithmetic of reliability engineering (e.g.
E. Marcus & H. Stern, *Blueprints for High Availability*, 2nd ed., Wiley 2003); the sourced
numbers come from :mod:`p2plib.facts` (listed in the course's ``notebooks/sources.md``).

Examples
--------
>>> costs = continuity_costs(ContinuityAssumptions())
>>> costs.servers_saved, round(costs.break_even_outages_per_year, 3)
(400, 0.089)
>>> round(costs.flip_point("clients_per_server"))     # below this, the saving pays for one
1778
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from p2plib._validate import check_array, check_choice, check_real
from p2plib.facts import FACTS

__all__ = ["ContinuityAssumptions", "ContinuityCosts", "break_even_sweep", "continuity_costs"]

#: Signs of each assumption's power in the break-even ratio
#: ``peak / clients_per_server * server_cost / (mean * cut_off * hours * value)``.
_BREAK_EVEN_POWER = {
    "peak_online": 1,
    "clients_per_server": -1,
    "server_cost_per_year": 1,
    "mean_online": -1,
    "cut_off_share": -1,
    "outage_hours": -1,
    "value_per_user_hour": -1,
}


@dataclass(frozen=True)
class ContinuityAssumptions:
    """The one set of numbers behind chapter 06's business-continuity section.

    Attributes
    ----------
    peak_online : float
        Users online at the usual daily peak, which servers must carry (users).
    mean_online : float
        Mean users online over a day (users).
    clients_per_server : float
        Clients one dedicated operator server holds (clients per server).
    server_cost_per_year : float
        Yearly cost of one server with its bandwidth and operation (US$ per year).
    outage_hours : float
        Clock hours of one outage (hours).
    cut_off_share : float
        Share of the users online who are cut off during the outage, in [0, 1].
    value_per_user_hour : float
        What an hour of one user's lost service costs the operator: refunds, lost calls and
        goodwill (US$ per user-hour).
    firm_people : float
        People in a customer firm that runs its calls over the service.
    firm_cost_per_working_hour : float
        What a working hour without calls costs that firm, per person (US$ per hour).
    outage_working_hours : float
        Working hours per person that the outage covers, in ``[0, outage_hours]`` (hours).
    SOURCES : dict of str -> str
        Where each number comes from (a class attribute).

    All numbers are ``>= 0``; ``clients_per_server > 0``, ``outage_hours <= 8760`` and
    ``mean_online <= peak_online``; a bad value raises ``ValueError`` naming the field.

    References
    ----------
    Course model (chapter 06); sourced numbers from :mod:`p2plib.facts` (the course's
    ``notebooks/sources.md``), the others model assumptions (see ``SOURCES``).

    Examples
    --------
    >>> a = ContinuityAssumptions()
    >>> a.peak_online, round(a.cut_off_share, 3)
    (8000000.0, 0.625)
    >>> a.replace(outage_hours=30.0).outage_hours
    30.0
    """

    peak_online: float = FACTS["skype_online_usual"].value
    mean_online: float = FACTS["skype_online_typical_high"].value
    clients_per_server: float = 20_000.0
    server_cost_per_year: float = 2_000.0
    outage_hours: float = 24.0 * FACTS["skype_outage_days"].value
    cut_off_share: float = 1.0 - (FACTS["skype_online_outage"].value
                                  / FACTS["skype_online_usual"].value)
    value_per_user_hour: float = 0.05
    firm_people: float = 50.0
    firm_cost_per_working_hour: float = 30.0
    outage_working_hours: float = 16.0

    #: Where each number comes from (flags as in the course's sources page).
    SOURCES: ClassVar[dict[str, str]] = {
        "peak_online": "about 8 million usually online at noon US Eastern, near the daily "
                       "peak (Computerworld, 17 Aug 2007; AP: peaks of 8-9 million) "
                       "[documented]",
        "mean_online": "usually 5-6 million online (AP, Aug 2007), upper end [documented]",
        "clients_per_server": "model assumption, as p2plib.policy and the 2010 preset: "
                              "hundreds of mega-supernodes held about 30% of 20 million",
        "server_cost_per_year": "model assumption, US$ a year (a rented server and its "
                                "bandwidth, 2007)",
        "outage_hours": "about two days (Skype Heartbeat blog, 20 Aug 2007) [documented]; "
                        "30 hours in some reports",
        "cut_off_share": "1 - 3/8: about 3 million online against 8 million usual "
                         "(Computerworld, noon 17 Aug 2007) [documented snapshot]; "
                         "assumed for the whole outage",
        "value_per_user_hour": "model assumption, US$ per user-hour (Skype published no "
                               "such figure)",
        "firm_people": "model assumption (a 50-person firm)",
        "firm_cost_per_working_hour": "model assumption, US$ per person and working hour",
        "outage_working_hours": "Thursday and Friday, 8 working hours each: down Thursday to "
                                "Saturday (AP) [documented]; an upper bound, since the start "
                                "on Thursday depends on the time zone",
    }

    def __post_init__(self):
        for name in ("peak_online", "mean_online", "clients_per_server",
                     "server_cost_per_year", "value_per_user_hour", "firm_people",
                     "firm_cost_per_working_hour"):
            check_real(name, getattr(self, name), 0, open_min=name == "clients_per_server")
        check_real("outage_hours", self.outage_hours, 0, 8760)
        check_real("cut_off_share", self.cut_off_share, 0, 1)
        check_real("outage_working_hours", self.outage_working_hours, 0, self.outage_hours)
        if self.mean_online > self.peak_online:
            raise ValueError(f"mean_online ({self.mean_online:g}) cannot exceed peak_online "
                             f"({self.peak_online:g})")

    def replace(self, **changes) -> ContinuityAssumptions:
        """A copy with some assumptions changed (checked like the original)."""
        return dataclasses.replace(self, **changes)

    def describe(self) -> str:
        """One line per assumption: name, value and source, for printing."""
        return "\n".join(f"{name:<27}{_number(getattr(self, name)):>11}  {source}"
                          for name, source in self.SOURCES.items())


@dataclass(frozen=True)
class ContinuityCosts:
    """Both sides of the trade, from one :class:`ContinuityAssumptions`.

    Attributes
    ----------
    assumptions : ContinuityAssumptions
    servers_saved : int
        Dedicated servers the P2P design does without (servers).
    saving_per_year : float
        Their yearly cost (US$ per year).
    user_hours_lost : float
        User-hours of service lost in one outage (user-hours).
    operator_cost_per_outage : float
        What one outage costs the operator (US$).
    break_even_outages_per_year : float
        Outages a year whose cost equals the saving (outages per year).
    firm_cost_per_outage : float
        What one outage costs the customer firm (US$).
    saving_pays_for_one_outage_a_year : bool
        The verdict: the break-even is at least one outage a year (a property).

    References
    ----------
    The cost-of-downtime arithmetic of reliability engineering (E. Marcus & H. Stern,
    *Blueprints for High Availability*, 2nd ed., Wiley 2003); course model (chapter 06).

    Examples
    --------
    >>> costs = continuity_costs()
    >>> costs.saving_per_year, costs.saving_pays_for_one_outage_a_year
    (800000.0, False)
    """

    assumptions: ContinuityAssumptions
    servers_saved: int
    saving_per_year: float
    user_hours_lost: float
    operator_cost_per_outage: float
    break_even_outages_per_year: float
    firm_cost_per_outage: float

    @property
    def saving_pays_for_one_outage_a_year(self) -> bool:
        """The verdict: does the saving cover the cost of at least one such outage a year?"""
        return self.break_even_outages_per_year >= 1.0

    def flip_point(self, name: str, outages_per_year: float = 1.0) -> float:
        """The value of assumption ``name`` at which the break-even is ``outages_per_year``.

        The others held at their values; servers counted as a continuous number (no rounding
        up), so the answer is exact for the ratio and within one server of the rounded count.
        The result may lie outside the assumption's allowed range (then the verdict holds
        over the whole range).

        Parameters
        ----------
        name : str
            One of ``peak_online``, ``clients_per_server``, ``server_cost_per_year``,
            ``mean_online``, ``cut_off_share``, ``outage_hours``, ``value_per_user_hour``.
        outages_per_year : float
            The break-even to reach, ``> 0`` (outages per year).
        """
        name = check_choice("name", name, tuple(_BREAK_EVEN_POWER))
        outages_per_year = check_real("outages_per_year", outages_per_year, 0, open_min=True)
        ratio = _continuous_break_even(self.assumptions)
        if ratio == 0 or math.isinf(ratio):
            return math.nan
        return getattr(self.assumptions, name) * (outages_per_year / ratio) ** (
            1.0 / _BREAK_EVEN_POWER[name])

    def summary(self) -> str:
        """The trade and its verdict, for printing."""
        be = self.break_even_outages_per_year
        if be >= 1:
            every = f"{be:.3g} such outages a year eat the saving"
        elif be > 0:
            every = f"one such outage every {1 / be:,.1f} years eats the saving"
        else:
            every = "any outage eats the saving"
        verdict = ("covers at least one such outage a year" if
                   self.saving_pays_for_one_outage_a_year else
                   "does not cover one such outage a year")
        return "\n".join([
            f"servers saved: {self.servers_saved:,}, worth US${self.saving_per_year:,.0f} a "
            "year",
            f"one {self.assumptions.outage_hours:g} h outage: {self.user_hours_lost:,.0f} "
            f"user-hours lost, costing the operator US${self.operator_cost_per_outage:,.0f}",
            f"break-even: {be:.3g} outages a year ({every})",
            f"verdict: the server saving {verdict}",
            f"the {self.assumptions.firm_people:g}-person firm loses "
            f"{self.assumptions.outage_working_hours:g} working hours each: "
            f"US${self.firm_cost_per_outage:,.0f} per outage",
        ])


    def verdict_ranges(self) -> str:
        """For each assumption (the others held), the range over which the verdict holds."""
        holds = self.saving_pays_for_one_outage_a_year
        lines = []
        for name, power in _BREAK_EVEN_POWER.items():
            flip = self.flip_point(name)
            above = (power < 0) != holds      # a larger value lowers the break-even if power < 0
            lines.append(f"  {name:<22} {'above' if above else 'below'} {_number(flip)}"
                         f"   (now {_number(getattr(self.assumptions, name))})")
        return "the verdict holds while\n" + "\n".join(lines)


def _number(value: float) -> str:
    """A readable number: thousands separators for large values, 3 significant digits else."""
    if not math.isfinite(value):
        return str(value)
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def _continuous_break_even(a: ContinuityAssumptions) -> float:
    saving = a.peak_online / a.clients_per_server * a.server_cost_per_year
    cost = a.mean_online * a.cut_off_share * a.outage_hours * a.value_per_user_hour
    return math.inf if cost == 0 else saving / cost


def continuity_costs(assumptions: ContinuityAssumptions | None = None) -> ContinuityCosts:
    """Servers saved, outage costs and the break-even, all from one set of assumptions.

    Servers are rounded up to whole servers; user-hours lost are the *mean* users online
    times the share cut off times the outage's clock hours.

    Parameters
    ----------
    assumptions : ContinuityAssumptions, optional
        The numbers to use; the defaults are the chapter's (sources in
        ``ContinuityAssumptions.SOURCES``).

    Returns
    -------
    ContinuityCosts
        Servers saved and their yearly cost (US$ per year), the cost of one outage to the
        operator and to a firm (US$), and the break-even (outages per year).

    References
    ----------
    The cost-of-downtime arithmetic of reliability engineering (E. Marcus & H. Stern,
    *Blueprints for High Availability*, 2nd ed., Wiley 2003); course model (chapter 06).

    Examples
    --------
    >>> c = continuity_costs(ContinuityAssumptions(clients_per_server=500))
    >>> c.servers_saved, c.saving_pays_for_one_outage_a_year
    (16000, True)
    """
    a = ContinuityAssumptions() if assumptions is None else assumptions
    if not isinstance(a, ContinuityAssumptions):
        raise TypeError(f"assumptions must be a ContinuityAssumptions, got {type(a).__name__}")
    servers = math.ceil(a.peak_online / a.clients_per_server - 1e-9)
    saving = servers * a.server_cost_per_year
    user_hours = a.mean_online * a.cut_off_share * a.outage_hours
    cost = user_hours * a.value_per_user_hour
    break_even = math.inf if cost == 0 else saving / cost
    firm = a.firm_people * a.outage_working_hours * a.firm_cost_per_working_hour
    return ContinuityCosts(a, servers, saving, user_hours, cost, break_even, firm)


def break_even_sweep(assumptions: ContinuityAssumptions, name: str, values) -> np.ndarray:
    """Break-even outages a year as one assumption runs over ``values`` (others held).

    Parameters
    ----------
    assumptions : ContinuityAssumptions
        The numbers held fixed.
    name : str
        A field of :class:`ContinuityAssumptions`.
    values : array_like
        Values of that field, each valid for it (in the field's unit).

    Returns
    -------
    numpy.ndarray of float, the shape of ``values``
        One break-even per value (outages per year).

    References
    ----------
    Course model (chapter 06): :func:`continuity_costs` at each value.

    Examples
    --------
    >>> break_even_sweep(ContinuityAssumptions(), "clients_per_server", [500, 20_000]).round(2)
    array([3.56, 0.09])
    """
    if not isinstance(assumptions, ContinuityAssumptions):
        raise TypeError("assumptions must be a ContinuityAssumptions")
    name = check_choice("name", name, tuple(ContinuityAssumptions.SOURCES))
    values = check_array("values", values)
    return np.array([continuity_costs(assumptions.replace(**{name: float(v)}))
                     .break_even_outages_per_year for v in values.ravel()]).reshape(values.shape)
