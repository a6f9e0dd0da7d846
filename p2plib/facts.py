"""Sourced facts and figures used across the course, each with its source and confidence.

The course's sources page, ``notebooks/sources.md``, lists every number below with its full
reference; this module holds the same numbers for code. Each :class:`Fact` carries a one-letter
confidence flag, the same as the sources page's words (:data:`CONFIDENCE`): ``"H"`` documented
(the primary source or several independent reports), ``"M"`` secondary (a summary or one
second-hand report), ``"L"`` hearsay (present it only as a hypothesis), ``"U"`` not verified
(never present it as fact). A notebook that shows a number takes it from here (or labels it a
model assumption), so every figure a student sees carries its source.

Times of the 2007 outage use the course clock: hours since 00:00 UTC on Tuesday 14 August 2007,
the t = 0 of chapter 03 and of ``p2plib.scenarios.skype_2007``.

Examples
--------
>>> FACTS["skype_online_usual"].value
8000000.0
>>> FACTS["skype_online_usual"].cite()
'8,000,000 users online (Computerworld, 17 Aug 2007) [H]'
>>> FACTS["supernode_count_hearsay"].flag
'hearsay'
>>> [e.hours_utc for e in TIMELINE_2007 if e.when.startswith("Fri")]   # noon US Eastern
[88.0]
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CONFIDENCE", "FACTS", "TIMELINE_2007", "Fact", "TimelineEvent"]

#: The confidence flags, letter -> the word the sources page uses.
CONFIDENCE = {"H": "documented", "M": "secondary", "L": "hearsay", "U": "not verified"}


@dataclass(frozen=True)
class Fact:
    """A number with its unit, source and confidence flag (H, M, L or U; see :data:`CONFIDENCE`).

    Attributes
    ----------
    value : float
        The number, in ``unit``.
    unit : str
        What it counts or measures ("users online", "days", ...).
    source : str
        Short reference, as the sources page lists it.
    confidence : str
        ``"H"``, ``"M"``, ``"L"`` or ``"U"``; anything else raises ``ValueError``.
    flag : str
        The flag in the sources page's words (a property).

    References
    ----------
    The course's sources page, ``notebooks/sources.md``, gives each source in full.

    Examples
    --------
    >>> fact = Fact(2.0, "days", "Skype Heartbeat blog, 20 Aug 2007", "H")
    >>> fact.flag, fact.cite()
    ('documented', '2 days (Skype Heartbeat blog, 20 Aug 2007) [H]')
    """

    value: float
    unit: str
    source: str
    confidence: str

    def __post_init__(self):
        if self.confidence not in CONFIDENCE:
            raise ValueError(f"confidence must be one of {sorted(CONFIDENCE)}, "
                             f"got {self.confidence!r}")

    @property
    def flag(self) -> str:
        """The confidence flag as the sources page writes it: documented, secondary, ..."""
        return CONFIDENCE[self.confidence]

    def cite(self, flag_words: bool = False) -> str:
        """The number with unit, source and flag, as one line for a figure or table.

        ``flag_words=True`` writes the flag as the sources page does ("documented", ...)
        instead of its letter.
        """
        value = f"{self.value:,.0f}" if float(self.value).is_integer() else f"{self.value:,g}"
        flag = self.flag if flag_words else self.confidence
        return f"{value} {self.unit} ({self.source}) [{flag}]"


FACTS: dict[str, Fact] = {
    "skype_registered_users": Fact(220e6, "registered users",
                                   "eBay Q2 2007 report", "H"),
    "skype_online_typical_low": Fact(5e6, "users online", "AP, Aug 2007", "H"),
    "skype_online_typical_high": Fact(6e6, "users online", "AP, Aug 2007", "H"),
    "skype_online_peak": Fact(9e6, "users online", "AP, record of Jan 2007", "H"),
    "skype_online_daily_peak_low": Fact(8e6, "users online", "AP, Aug 2007", "H"),
    "skype_online_usual": Fact(8e6, "users online", "Computerworld, 17 Aug 2007", "H"),
    "skype_online_outage": Fact(3e6, "users online",
                                "Computerworld, noon US Eastern 17 Aug 2007", "H"),
    "skype_outage_days": Fact(2.0, "days", "Skype Heartbeat blog, 20 Aug 2007", "H"),
    "skype_outage_hours_gigaom": Fact(30.0, "hours", "GigaOm; ZDNet, Aug 2007", "H"),
    "bootstrap_supernodes": Fact(7.0, "supernodes in a new client's host cache",
                                 "Baset & Schulzrinne, INFOCOM 2006", "H"),
    "host_cache_size": Fact(200.0, "supernode addresses", "Skype 2.5 host cache", "M"),
    "supernode_count_hearsay": Fact(25_000.0, "supernodes", "circulating hearsay", "L"),
    "gizmo_sales_multiple": Fact(4.0, "times usual sales", "GigaOm, 16 Aug 2007", "H"),
    "gizmo_traffic_increase": Fact(400.0, "% more traffic", "GigaOm, 16 Aug 2007", "H"),
    "skype_2010_supernodes_failed_low": Fact(25.0, "% of supernodes",
                                             "Skype post-mortem (L. Rabbe), Dec 2010", "H"),
    "skype_2010_supernodes_failed_high": Fact(30.0, "% of supernodes",
                                              "Skype post-mortem (L. Rabbe), Dec 2010", "H"),
    "skype_2010_load_multiple": Fact(100.0, "times normal supernode load",
                                     "Skype post-mortem (L. Rabbe), Dec 2010", "H"),
    # The median residual life of the 40% of supernodes seen with a single session; those with
    # several sessions had a median of 67.5 days (same paper).
    "supernode_median_residual_life": Fact(1.75, "days",
                                           "Bremler-Barr & Goldschmidt, TMA 2011", "H"),
    "supernode_multi_session_residual_life": Fact(67.5, "days",
                                                  "Bremler-Barr & Goldschmidt, TMA 2011", "H"),
    "iplayer_daily_users_2008": Fact(300_000.0, "users a day", "BBC, Dec 2008", "M"),
}


@dataclass(frozen=True)
class TimelineEvent:
    """One dated event of the 2007 outage, with its source and confidence flag.

    Attributes
    ----------
    when : str
        The date (and hour, if known) as a reader would write it.
    hours_utc : float
        The course clock: hours since 00:00 UTC on Tuesday 14 August 2007 (hours). Where the
        sources give only the day (``hour_known`` False), the event sits at 00:00 UTC that day.
    hour_known : bool
        Whether the sources give the hour.
    event : str
        What happened.
    source, confidence : str
        The event's source and its flag (see :data:`CONFIDENCE`).
    hour_source, hour_confidence : str
        Where the hour comes from, if not from ``source``, and its flag (empty if none).

    References
    ----------
    The course's sources page, ``notebooks/sources.md``, gives each source in full.

    Examples
    --------
    >>> [e.hours_utc for e in TIMELINE_2007 if not e.hour_known]
    [48.0, 96.0, 144.0, 168.0]
    """

    when: str
    hours_utc: float
    hour_known: bool
    event: str
    source: str
    confidence: str
    #: Where the hour comes from, if not from ``source`` (with its own flag).
    hour_source: str = ""
    hour_confidence: str = ""

    def __post_init__(self):
        for name in ("confidence", "hour_confidence"):
            value = getattr(self, name)
            if value not in CONFIDENCE and not (name == "hour_confidence" and value == ""):
                raise ValueError(f"{name} must be one of {sorted(CONFIDENCE)}, got {value!r}")

    def cite(self) -> str:
        """The event's source with its flag in words, and the hour's if it has its own.

        Examples
        --------
        >>> TIMELINE_2007[0].cite()
        "Associated Press [documented]; the hour: Microsoft's usual practice [secondary]"
        """
        text = f"{self.source} [{CONFIDENCE[self.confidence]}]"
        if self.hour_source:
            text += f"; the hour: {self.hour_source} [{CONFIDENCE[self.hour_confidence]}]"
        return text


#: The sourced timeline of August 2007 on the course clock (hours since Tue 14 Aug 00:00 UTC).
TIMELINE_2007 = (
    TimelineEvent("Tue 14 Aug, 17:00 UTC", 17.0, True,
                  "Microsoft releases its monthly security patches (10:00 US Pacific, its usual "
                  "hour); Windows Update installs them and restarts PCs",
                  "Associated Press", "H", hour_source="Microsoft's usual practice",
                  hour_confidence="M"),
    TimelineEvent("Thu 16 Aug", 48.0, False, "Skype log-ins start failing for most users",
                  "Associated Press; Skype Heartbeat blog", "H"),
    TimelineEvent("Fri 17 Aug, 16:00 UTC", 88.0, True,
                  "About 3 million online at noon US Eastern, '5 million shy of the usual "
                  "number' (about 8 million)", "Computerworld", "H"),
    TimelineEvent("Sat 18 Aug", 96.0, False,
                  "Service returns for most users after about two days",
                  "Associated Press; Skype Heartbeat blog", "H"),
    TimelineEvent("Mon 20 Aug", 144.0, False, "Skype explains: a mass restart after Windows "
                  "Update, a flood of log-ins, too few P2P resources, and a bug that stopped "
                  "self-healing", "Skype Heartbeat blog (V. Arak)", "H"),
    TimelineEvent("Tue 21 Aug", 168.0, False, "Follow-up: a 'perfect storm' of high load while "
                  "supernodes rebooted; the P2P core was retuned",
                  "Skype Heartbeat blog (V. Arak), reported by GigaOm and ZDNet", "H"),
)
