"""One rule for the first wait of each retry policy (issue 17): the model's, used everywhere.

``outage.retry_base_for`` gives the ``retry_base_min`` that goes with a retry policy: 2
minutes for the fixed-interval policies, 1 minute for the backoffs. The presets were written
with these values; the explorers, the policy lab and the ensemble switch the policy through
this one function.
"""

import importlib

import pytest

from p2plib import outage, scenarios, widgets
from p2plib.policy import Policy

# the module (p2plib.outage.ensemble is also the name of its main function)
ens = importlib.import_module("p2plib.outage.ensemble")


def test_rule_and_its_range():
    assert [outage.retry_base_for(p) for p in outage.RETRY_POLICIES] == [2.0, 2.0, 1.0, 1.0, 1.0]
    with pytest.raises(ValueError, match="retry_policy"):
        outage.retry_base_for("sometimes")


@pytest.mark.parametrize("name", sorted(scenarios.PRESETS))
def test_presets_follow_the_rule(name):
    s = scenarios.PRESETS[name]()
    assert s.retry_base_min == outage.retry_base_for(s.retry_policy)


def test_default_policy_follows_the_rule():
    assert Policy().retry_base_min == outage.retry_base_for(Policy().retry_policy)


@pytest.mark.parametrize("retry_policy", outage.RETRY_POLICIES)
def test_explorers_and_the_ensemble_use_the_rule(retry_policy):
    from p2plib.widgets.outage import _outage_run
    from p2plib.widgets.policy import _policy_run

    base = outage.retry_base_for(retry_policy)
    run = _outage_run(0.3, 10.0, 500.0, retry_policy, "on", "off", online_peers=5_000)
    assert run.scenario.retry_base_min == base
    report = _policy_run(retry_policy, "off", "shutdown", 1.0, 0.0, online_peers=5_000)
    assert report.policy.retry_base_min == base
    for result in report.results.values():
        assert result.scenario.retry_base_min == base
    unknown = next(u for u in outage.UNKNOWNS if u.name == "retry_policy")
    row = [unknown.choices.index(retry_policy) / len(unknown.choices) + 1e-3] \
        if retry_policy in unknown.choices else None
    if row is not None:
        assert ens._apply(scenarios.skype_2007(), (unknown,), row).retry_base_min == base


def test_widgets_still_offer_every_policy():
    lab = widgets.policy_explorer()
    assert list(lab.controls["retry_policy"].options) == list(outage.RETRY_POLICIES)
