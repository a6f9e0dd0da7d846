"""Sourced facts and figures used across the course, each with its source and confidence.

Confidence flags follow the course's facts file: ``"H"`` primary or several independent
sources; ``"M"`` a secondary summary; ``"L"`` hearsay or speculation (present as a hypothesis);
``"U"`` not verified (never present as fact). A notebook that shows a number takes it from here
(or labels it a model assumption), so every figure a student sees carries its source.

Examples
--------
>>> FACTS["skype_online_usual"].value
8000000.0
>>> FACTS["skype_online_usual"].cite()
'8,000,000 users online (Computerworld, 17 Aug 2007) [H]'
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FACTS", "TIMELINE_2007", "Fact", "TimelineEvent"]


@dataclass(frozen=True)
class Fact:
    """A number with its unit, source and confidence flag (H, M, L or U)."""

    value: float
    unit: str
    source: str
    confidence: str

    def cite(self) -> str:
        """The number with unit, source and flag, as one line for a figure or table."""
        value = f"{self.value:,.0f}" if float(self.value).is_integer() else f"{self.value:,g}"
        return f"{value} {self.unit} ({self.source}) [{self.confidence}]"


FACTS: dict[str, Fact] = {
    "skype_registered_users": Fact(220e6, "registered users",
                                   "eBay Q2 2007 report", "H"),
    "skype_online_typical_low": Fact(5e6, "users online", "AP, Aug 2007", "H"),
    "skype_online_typical_high": Fact(6e6, "users online", "AP, Aug 2007", "H"),
    "skype_online_peak": Fact(9e6, "users online", "AP, record of Jan 2007", "H"),
    "skype_online_usual": Fact(8e6, "users online", "Computerworld, 17 Aug 2007", "H"),
    "skype_online_outage": Fact(3e6, "users online",
                                "Computerworld, noon US Eastern 17 Aug 2007", "H"),
    "skype_outage_days": Fact(2.0, "days", "Skype Heartbeat blog, 20 Aug 2007", "H"),
    "skype_outage_hours_gigaom": Fact(30.0, "hours", "GigaOm, Aug 2007", "H"),
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
    "supernode_median_residual_life": Fact(1.75, "days",
                                           "Bremler-Barr & Goldschmidt, TMA 2011", "H"),
    "iplayer_daily_users_2008": Fact(300_000.0, "users a day", "BBC, Dec 2008", "M"),
}


@dataclass(frozen=True)
class TimelineEvent:
    """One dated event of the 2007 outage, with its source and confidence flag."""

    when: str
    hours_from_patch: float
    event: str
    source: str
    confidence: str


#: The sourced timeline of August 2007 (hours counted from Patch Tuesday, 14 Aug 2007 00:00).
TIMELINE_2007 = (
    TimelineEvent("Tue 14 Aug", 0, "Microsoft releases its monthly security patches; "
                  "Windows Update installs them and restarts PCs", "Associated Press", "H"),
    TimelineEvent("Thu 16 Aug", 48, "Skype log-ins start failing for most users",
                  "Associated Press; Skype Heartbeat blog", "H"),
    TimelineEvent("Fri 17 Aug", 84, "About 3 million online at noon US Eastern, against about "
                  "8 million usual", "Computerworld", "H"),
    TimelineEvent("Sat 18 Aug", 96, "Service returns for most users after about two days",
                  "Associated Press; Skype Heartbeat blog", "H"),
    TimelineEvent("Mon 20 Aug", 144, "Skype explains: a mass restart after Windows Update, a "
                  "flood of log-ins, too few P2P resources, and a bug that stopped self-healing",
                  "Skype Heartbeat blog (V. Arak)", "H"),
    TimelineEvent("Tue 21 Aug", 168, "Follow-up: a 'perfect storm' of high load while "
                  "supernodes rebooted; the P2P core was retuned", "GigaOm; ZDNet", "H"),
)
