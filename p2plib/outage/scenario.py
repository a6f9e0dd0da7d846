"""The scenario of the outage model: one frozen dataclass, validated field by field.

Every rule of the model is a *rate* (events per minute), so the same scenario gives the same
answer at any time step (:attr:`Scenario.step_min` only sets how finely it is integrated; see
:mod:`p2plib.outage.schedule`). The rules each field sets are described in
:mod:`p2plib.outage`.

The checks of the fields live in :data:`FIELD_RULES`, one function per field name, and are run
by :func:`check_fields`; :class:`p2plib.outage.policy.Policy` reuses them for the fields it
shares with :class:`Scenario`, so a value one rejects the other rejects too.

Examples
--------
>>> s = Scenario(online_peers=1_000_000)
>>> round(s.supernodes)
3333
>>> check_fields(s, ("retry_base_min", "retry_cap_min"))
>>> Scenario(retry_base_min=300.0, retry_cap_min=600.0)
Traceback (most recent call last):
...
ValueError: retry_base_min must be in (0, 240], got 300
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np

from p2plib._validate import check_choice, check_int, check_real

__all__ = [
    "DELAY_STAGES",
    "FIELD_RULES",
    "IMMEDIATE_RETRY_MIN",
    "MODELS",
    "OVERLOAD_MODES",
    "OVERLOAD_WINDOW_MIN",
    "RESEARCH_MIN",
    "RETRY_POLICIES",
    "STALE_RESET_MIN",
    "Scenario",
    "check_fields",
    "retry_base_for",
]

#: Retry policies of a client whose login or supernode search failed (Brooker 2015).
RETRY_POLICIES = ("immediate", "fixed", "exponential", "full_jitter", "decorrelated_jitter")
#: What an overloaded supernode does.
OVERLOAD_MODES = ("refuse", "shutdown")
#: Levels of detail of :func:`p2plib.outage.simulate`.
MODELS = ("aggregate", "agent")

#: Mean wait of an "immediate" retry, minutes (a client reacts within about a minute).
IMMEDIATE_RETRY_MIN = 1.0
#: A supernode judges its load over this window, minutes: it shuts down (``overload =
#: "shutdown"``) when the requests of one window exceed ``sn_overload_factor`` times the normal
#: count. Model assumption: protections of this kind react within about a minute.
OVERLOAD_WINDOW_MIN = 1.0
#: A queued login request whose client left is dropped at this rate (connection reset), 1/min.
#: Model assumption: TCP gives up on a dead connection within tens of minutes.
STALE_RESET_MIN = 30.0
#: Mean time before an orphaned client (its supernode gone) searches again, minutes
#: (keep-alive period; model assumption).
RESEARCH_MIN = 1.0
#: Long delays (promotion uptime, restart after an overload shutdown, reboot downtime) are
#: Erlang distributed with this many exponential stages: close to a fixed delay, yet a rate.
DELAY_STAGES = 4


def retry_base_for(retry_policy: str) -> float:
    """The first wait between retries, minutes, that goes with a retry policy in the course.

    One rule for every place that switches a client's retry policy (the explorers, the
    policy lab, the ensemble and the tornado): a client that retries at a fixed interval
    (``"fixed"``; also ``"immediate"``, whose wait is about a minute whatever the base,
    :data:`IMMEDIATE_RETRY_MIN`) waits 2 minutes, as the 2007 preset assumes; a client that
    backs off (``"exponential"``, ``"full_jitter"``, ``"decorrelated_jitter"``) starts from
    1 minute and doubles from there, the base of the 2007 jittered-backoff and the 2010
    presets. The backoff's cap (``retry_cap_min``) is left to the scenario.

    Parameters
    ----------
    retry_policy : str
        One of :data:`RETRY_POLICIES`.

    Returns
    -------
    float
        ``retry_base_min`` for that policy, minutes: 2.0 or 1.0.

    References
    ----------
    Course model (chapter 03): the 2007 client's rule is unknown (the preset assumes a retry
    every 2 minutes); the backoff policies are those of M. Brooker, "Exponential Backoff and
    Jitter", AWS Architecture Blog (2015), with a base of 1 minute.

    Examples
    --------
    >>> retry_base_for("fixed"), retry_base_for("full_jitter")
    (2.0, 1.0)
    >>> Scenario(retry_policy="exponential", retry_base_min=retry_base_for("exponential"))
    ... # doctest: +ELLIPSIS
    Scenario(...retry_policy='exponential', retry_base_min=1.0...)
    """
    retry_policy = check_choice("retry_policy", retry_policy, RETRY_POLICIES)
    return 2.0 if retry_policy in ("immediate", "fixed") else 1.0


def _positive_or_none(name, lower=0.0, open_min=True):
    def rule(value, _obj):
        if value is not None:
            check_real(name, value, lower, None, open_min=open_min)
    return rule


def _real(name, low=None, high=None, open_min=False):
    def rule(value, _obj):
        check_real(name, value, low, high, open_min=open_min)
    return rule


def _boolean(name):
    def rule(value, _obj):
        if not isinstance(value, bool | np.bool_):
            raise TypeError(f"{name} must be True or False, got {value!r}")
    return rule


def _retry_cap(value, obj):
    check_real("retry_cap_min", value, obj.retry_base_min, 240)


def _events(value, _obj):
    if not isinstance(value, tuple) or not all(
            isinstance(e, tuple) and len(e) == 2 and isinstance(e[1], str) for e in value):
        raise TypeError(f"events must be a tuple of (hour, label) pairs, got {value!r}")
    for hour, _label in value:
        check_real("events hour", hour, 0, None)


def _name(value, _obj):
    if not isinstance(value, str):
        raise TypeError(f"name must be a string, got {value!r}")


#: Field name -> check ``rule(value, obj)`` raising ``TypeError``/``ValueError`` that names it.
#: Shared by :class:`Scenario` and :class:`p2plib.outage.policy.Policy`.
FIELD_RULES = {
    "online_peers": _real("online_peers", 100, 1e9),
    "load": _real("load", 0, 5, open_min=True),
    "days": _real("days", 0, 30, open_min=True),
    "step_min": lambda v, _o: check_int("step_min", v, 1, 10),
    "start_weekday": lambda v, _o: check_int("start_weekday", v, 0, 6),
    "daily_amplitude": _real("daily_amplitude", 0, 0.9),
    "cycle_h": _real("cycle_h", 1, 24 * 30),
    "peak_hour_utc": _real("peak_hour_utc", 0, None),
    "weekend_dip": _real("weekend_dip", 0, 0.9),
    "session_h": _real("session_h", 0.1, 1000),
    "supernode_fraction": _real("supernode_fraction", 0, 0.5, open_min=True),
    "sn_capacity": _real("sn_capacity", 0, None, open_min=True),
    "promotion_uptime_h": _real("promotion_uptime_h", 0, 240),
    "overload": lambda v, _o: check_choice("overload", v, OVERLOAD_MODES),
    "sn_overload_factor": _real("sn_overload_factor", 1, 1000),
    "sn_restart_h": _real("sn_restart_h", 0, 240),
    "fix_h": _positive_or_none("fix_h", 0.0, open_min=False),
    "patience_h": _positive_or_none("patience_h"),
    "login_headroom": _real("login_headroom", 0, None, open_min=True),
    "login_timeout_min": _real("login_timeout_min", 0, 20, open_min=True),
    "admission_control": _boolean("admission_control"),
    "retry_policy": lambda v, _o: check_choice("retry_policy", v, RETRY_POLICIES),
    "retry_base_min": _real("retry_base_min", 0, 240, open_min=True),
    "retry_cap_min": _retry_cap,
    "reboot_fraction": _real("reboot_fraction", 0, 1),
    "sn_reboot_fraction": lambda v, _o: None if v is None else check_real(
        "sn_reboot_fraction", v, 0, 1),
    "reboot_start_h": _real("reboot_start_h", 0, None),
    "reboot_window_h": _real("reboot_window_h", 0, None, open_min=True),
    "reboot_downtime_min": _real("reboot_downtime_min", 0, 24 * 60),
    "reboot_waves": lambda v, _o: check_int("reboot_waves", v, 1, 14),
    "mega_share": _real("mega_share", 0, 10),
    "mega_start_h": _real("mega_start_h", 0, None),
    "mega_ramp_h": _real("mega_ramp_h", 0, None),
    "name": _name,
    "events": _events,
}


def check_fields(obj, names) -> None:
    """Run the :data:`FIELD_RULES` of ``names`` on ``obj``'s attributes (in that order).

    Parameters
    ----------
    obj : object
        Anything with the named attributes (a :class:`Scenario`, a ``Policy``).
    names : iterable of str
        Field names, each a key of :data:`FIELD_RULES`.

    Raises
    ------
    TypeError, ValueError
        From the first field that breaks its rule; the message names the field.

    References
    ----------
    Course model (chapter 03): the allowed range of each field of :class:`Scenario`.

    Examples
    --------
    >>> check_fields(Scenario(), ("retry_policy", "overload"))
    """
    if isinstance(names, str):
        raise TypeError(f"names must be a sequence of field names, got {names!r}")
    for name in names:
        if name not in FIELD_RULES:
            raise ValueError(f"names must be fields of Scenario, got {name!r}")
        if not hasattr(obj, name):
            raise TypeError(f"obj must have the field {name!r}, got {type(obj).__name__}")
        FIELD_RULES[name](getattr(obj, name), obj)


@dataclass(frozen=True)
class Scenario:
    """One situation of the model; every count scales with ``online_peers``.

    Times are hours since the start of the run (``t = 0`` is midnight UTC of ``start_weekday``)
    unless a field says minutes. ``s.replace(online_peers=N)`` is the same situation at
    another size: supernodes, login capacity and mega-supernodes are shares of it. The
    parameters are its fields; the attributes below are derived from them.

    Parameters
    ----------
    online_peers : float
        Mean number of peers online (ordinary clients; the supernode-capable peers come on top
        as the share ``supernode_fraction``), ``>= 100``.
    load : float
        Offered load: the demand as a multiple of a normal day's, in ``(0, 5]`` (the
        supernodes and the login servers stay sized for ``online_peers``). Used by
        :func:`~p2plib.outage.theory.fluid_thresholds` to freeze the load.
    days : float
        Simulated time, days, in ``(0, 30]``.
    step_min : int
        Integration step, minutes (1 to 10). Every rule is a rate, so results converge as the
        step shrinks (tests/test_outage_numerics.py states the tolerance for 1, 2 and 5).
    start_weekday : int
        Day of the week at ``t = 0`` (0 = Monday).
    daily_amplitude : float
        Relative swing of the daily cycle, in ``[0, 0.9]``: online = mean x (1 + a cos(...)).
    cycle_h : float
        Period of the cycle, hours (24 = daily; a longer period gives a slow load ramp up and
        down, to show hysteresis).
    peak_hour_utc : float
        Hour of the (first) peak of the cycle.
    weekend_dip : float
        Relative drop of the online population on Saturday and Sunday, in ``[0, 0.9]``.
    session_h : float
        Mean session length, hours (sessions end at rate ``1 / session_h``).
    supernode_fraction : float
        Supernode-capable peers per online peer, in ``(0, 0.5]``. Skype never published the
        supernode count (facts file); it is one of the unknowns of the ensemble.
    sn_capacity : float
        Clients one supernode serves, ``> 0``.
    promotion_uptime_h : float
        Mean uptime a capable peer must show before it serves as a supernode, hours (Erlang
        with :data:`DELAY_STAGES` stages).
    overload : {"refuse", "shutdown"}
        Behaviour of an overloaded supernode: refuse searches beyond its slots, or shut down
        (the protection Skype described in 2010) when its request rate is too high.
    sn_overload_factor : float
        Shutdown threshold: a supernode shuts down when the searches of one
        :data:`OVERLOAD_WINDOW_MIN` window reach this multiple of what a full supernode
        (``sn_capacity`` clients) receives on a normal day (:attr:`normal_search_rate`),
        in ``[1, 1000]``. A property of the host and of the protection, not of how many
        supernodes there are.
    sn_restart_h : float
        Mean hours before a supernode that shut itself down serves again.
    fix_h : float or None
        The operator's fix, from this hour on: the P2P core is retuned so that supernodes refuse
        excess load instead of shutting down (what Skype said it changed in 2007). ``None``: no
        fix. The hour is unknown; see :func:`p2plib.outage.ensemble`.
    patience_h : float or None
        Mean time a user without service keeps trying before closing the client, hours
        (``None``: users leave only when their session ends).
    login_headroom : float
        Login server capacity as a multiple of the mean login rate ``online_peers / session``.
    login_timeout_min : float
        Mean time a client waits for the login server before it gives up, minutes (its
        request stays queued, stale, until served or reset).
    admission_control : bool
        Login servers accept only what they can serve within the timeout and drop stale
        requests.
    retry_policy : str
        One of :data:`RETRY_POLICIES`.
    retry_base_min, retry_cap_min : float
        Base delay and cap of the retry policy, minutes, ``0 < base <= cap <= 240``.
    reboot_fraction : float
        Share of ordinary peers rebooted at least once in the window(s), in ``[0, 1]``.
    sn_reboot_fraction : float or None
        Share of supernode-capable peers rebooted (``None``: same as ``reboot_fraction``).
    reboot_start_h, reboot_window_h : float
        Start and length (``> 0``) of the reboot window, hours.
    reboot_downtime_min : float
        Mean minutes a rebooted machine is down.
    reboot_waves : int
        The window repeats on this many consecutive days; ``reboot_fraction`` is the share
        rebooted over all of them.
    mega_share : float
        Client slots of the operator's mega-supernodes, as a share of ``online_peers``.
    mega_start_h, mega_ramp_h : float
        When the operator starts adding mega-supernodes, and how long until all run, hours.
    name : str
        Label for figures.
    events : tuple of (hour, label)
        Marks for figures (not used by the model).

    Attributes
    ----------
    supernodes : float
        Supernode-capable peers, ``supernode_fraction * online_peers`` (count).
    pool_headroom : float
        Supernode client slots over the daily peak of clients (> 1: room at the peak).
    login_capacity_per_min : float
        Logins per minute the login servers handle.
    normal_search_rate : float
        Searches per minute a full supernode receives on a normal day.
    steps : int
        Number of time steps of the run.

    References
    ----------
    Course model (chapter 03): the two-tier log-in of Skype's client (Baset & Schulzrinne
    2006; Skype 2006) with the mechanism Skype described for August 2007 (Arak 2007a) and
    December 2010 (Rabbe 2010), as a metastable failure (Bronson et al. 2021; Huang et al.
    2022); full references in ``notebooks/sources.md``.

    Examples
    --------
    >>> s = Scenario(online_peers=2e6, supernode_fraction=1 / 400)
    >>> s.supernodes
    5000.0
    >>> s.replace(online_peers=1e5).supernodes
    250.0
    """

    online_peers: float = 1_000_000
    load: float = 1.0
    days: float = 3.0
    step_min: int = 1
    start_weekday: int = 0
    daily_amplitude: float = 0.35
    cycle_h: float = 24.0
    peak_hour_utc: float = 16.0
    weekend_dip: float = 0.15
    session_h: float = 3.0
    supernode_fraction: float = 1 / 300
    sn_capacity: float = 450.0
    promotion_uptime_h: float = 24.0
    overload: str = "refuse"
    sn_overload_factor: float = 20.0
    sn_restart_h: float = 1.0
    fix_h: float | None = None
    patience_h: float | None = None
    login_headroom: float = 3.0
    login_timeout_min: float = 2.0
    admission_control: bool = False
    retry_policy: str = "immediate"
    retry_base_min: float = 1.0
    retry_cap_min: float = 32.0
    reboot_fraction: float = 0.0
    sn_reboot_fraction: float | None = None
    reboot_start_h: float = 12.0
    reboot_window_h: float = 2.0
    reboot_downtime_min: float = 5.0
    reboot_waves: int = 1
    mega_share: float = 0.0
    mega_start_h: float = 0.0
    mega_ramp_h: float = 4.0
    name: str = "scenario"
    events: tuple = field(default=(), compare=False)

    def __post_init__(self):
        check_fields(self, FIELD_RULES)

    # -- derived quantities (all scale with online_peers) -------------------------------------
    @property
    def supernodes(self) -> float:
        """Supernode-capable peers: ``supernode_fraction * online_peers`` (count)."""
        return self.supernode_fraction * self.online_peers

    @property
    def pool_headroom(self) -> float:
        """Supernode client slots over the daily peak of clients (> 1: room at the peak)."""
        peak = self.online_peers * (1 + self.daily_amplitude)
        return self.supernodes * self.sn_capacity / peak

    @property
    def login_capacity_per_min(self) -> float:
        """Logins per minute the login servers handle."""
        return self.login_headroom * self.online_peers / (self.session_h * 60)

    @property
    def normal_search_rate(self) -> float:
        """Searches per minute that a supernode holding ``sn_capacity`` clients receives on a
        normal day (each client searches once a session): ``sn_capacity / session``."""
        return self.sn_capacity / (self.session_h * 60)

    @property
    def steps(self) -> int:
        """Number of time steps."""
        return round(self.days * 24 * 60 / self.step_min)

    def replace(self, **changes) -> Scenario:
        """A copy with some fields changed (``dataclasses.replace``)."""
        return dataclasses.replace(self, **changes)
