"""Chapter 06 capstone check: does a policy keep service up through 2007 and 2010?"""

from __future__ import annotations

from p2plib.checks.core import CheckResult
from p2plib.policy import Policy, evaluate_policy

__all__ = ["check_policy"]


def check_policy(policy, online_peers=100_000) -> CheckResult:
    """Capstone: does ``policy`` keep service up through both the 2007 and the 2010 events?

    Runs :func:`p2plib.policy.evaluate_policy` and, when the policy fails, points at the
    mechanism that sank it without naming the settings that would pass.

    Parameters
    ----------
    policy : p2plib.policy.Policy or None
        The student's policy; ``None`` (nothing written yet) gets a reminder, not a verdict.
    online_peers : float
        Peers online on a normal day in both runs (every count scales with it), ``> 0``.

    Returns
    -------
    CheckResult
        ``correct`` and a message: the report's summary when it passes, otherwise a hint for
        each event that still fails.

    Examples
    --------
    >>> check_policy(None).correct
    False
    >>> check_policy("refuse").message
    'Build your answer with Policy(...) from p2plib.policy.'
    """
    if policy is None:
        return CheckResult(False, "No policy yet: set my_policy = Policy(...) and run the cell "
                                  "again.")
    if not isinstance(policy, Policy):
        return CheckResult(False, "Build your answer with Policy(...) from p2plib.policy.")
    report = evaluate_policy(policy, online_peers=online_peers)
    if report.passed:
        return CheckResult(True, "Passed! " + report.summary().replace("\n", "; "))
    hints = []
    if not (report.hours_below["skype_2007"] <= report.max_hours_below
            and report.recovered["skype_2007"]):
        hints.append("2007 still fails: with almost a third of the supernodes rebooted, what "
                     "does a supernode do when more requests arrive than it can take, and how "
                     "much spare room does the pool have?")
    if not (report.hours_below["skype_2010"] <= report.max_hours_below
            and report.recovered["skype_2010"]):
        hints.append("2010 still fails: what happens to the clients of a supernode that "
                     "protects itself by shutting down? Where do they go next?")
    return CheckResult(False, "Not yet. " + " ".join(hints))
