"""Chapter 00 exercise checks."""

from __future__ import annotations

from p2plib import availability
from p2plib.checks.core import CheckResult, check_number
from p2plib.facts import FACTS

__all__ = ["check_missing_share", "check_yearly_availability"]


def check_missing_share(answer) -> CheckResult:
    """Share of the usual online users who were not online at noon on 17 August 2007."""
    expected = 1 - FACTS["skype_online_outage"].value / FACTS["skype_online_usual"].value
    return check_number(answer, expected, rel_tol=0.02,
                        too_low="Compare the two counts: how many of the usual users are "
                                "missing, as a share of the usual number?",
                        too_high="The answer is a share between 0 and 1 of the USUAL users.")


def check_yearly_availability(answer, outage_hours: float) -> CheckResult:
    """Availability over a 365-day year with one outage of ``outage_hours`` hours."""
    expected = availability.yearly_availability(outage_hours)
    return check_number(answer, expected, rel_tol=0.0, abs_tol=5e-5,
                        too_low="A year has 365 x 24 hours; availability is the share of "
                                "them the service was up.",
                        too_high="Subtract the outage hours from the year's hours before "
                                 "dividing.")
