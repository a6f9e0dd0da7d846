"""The capstone policy: applied without touching the trigger, judged by the outage model."""

import dataclasses

import pytest

from p2plib import checks, scenarios, viz, widgets
from p2plib.policy import EVENTS, Policy, apply_policy, evaluate_policy

TRIGGER_FIELDS = ("online_peers", "reboot_fraction", "sn_reboot_fraction", "reboot_start_h",
                  "reboot_window_h", "reboot_waves", "days", "fix_h", "supernode_fraction")


def test_policy_changes_only_the_defences():
    policy = Policy(retry_policy="full_jitter", retry_base_min=1.0, admission_control=True,
                    overload="refuse", supernode_headroom=1.5, dedicated_share=0.2)
    for name in EVENTS:
        preset = scenarios.PRESETS[name]()
        changed = apply_policy(preset, policy)
        for field in TRIGGER_FIELDS:
            assert getattr(changed, field) == getattr(preset, field), field
        assert changed.sn_capacity == pytest.approx(1.5 * preset.sn_capacity)
        assert changed.mega_share == 0.2 and changed.mega_start_h == 0.0
        assert changed.retry_policy == "full_jitter" and changed.admission_control


def test_skype_like_policy_fails_and_a_designed_one_passes():
    skype_like = evaluate_policy(Policy(), online_peers=50_000)
    assert not skype_like.passed
    assert skype_like.hours_below["skype_2007"] > 12        # documented: about two days
    designed = evaluate_policy(Policy(overload="refuse"), online_peers=50_000)
    assert designed.passed and designed.dedicated_servers == 0


def test_the_defences_act_on_the_p2p_layer():
    # Backoff alone does not stop either cascade: the login servers still pass their full
    # capacity on to a drained pool (chapter 03); supernodes that refuse, or more room, do.
    jitter = evaluate_policy(Policy(retry_policy="full_jitter", retry_base_min=1.0), 50_000)
    assert jitter.hours_below["skype_2007"] > 1.0
    assert jitter.hours_below["skype_2010"] > 1.0
    assert evaluate_policy(Policy(supernode_headroom=1.5), 50_000).passed
    # Dedicated capacity from the start prevents both, at a price in servers.
    bought = evaluate_policy(Policy(dedicated_share=0.3), 50_000)
    assert bought.passed and bought.dedicated_servers == 300


def test_report_scales_with_population():
    small = evaluate_policy(Policy(), online_peers=20_000)
    large = evaluate_policy(Policy(), online_peers=500_000)
    for name in EVENTS:
        assert small.hours_below[name] == pytest.approx(large.hours_below[name], abs=1.0)


def test_check_policy_messages():
    assert "No policy yet" in repr(checks.check_policy(None))
    assert "Policy(" in repr(checks.check_policy({"overload": "refuse"}))
    failing = checks.check_policy(Policy(retry_policy="full_jitter", retry_base_min=1.0),
                                  online_peers=20_000)
    assert not failing and "2010 still fails" in failing.message
    assert "2007 still fails" in failing.message
    assert checks.check_policy(Policy(overload="refuse"), online_peers=20_000)


@pytest.mark.parametrize("changes, words", [
    (dict(retry_policy="sometimes"), "retry_policy"),
    (dict(retry_base_min=0.0), "retry_base_min"),
    (dict(retry_cap_min=1.0, retry_base_min=2.0), "retry_cap_min"),
    (dict(retry_base_min=300.0, retry_cap_min=600.0), "retry_base_min"),  # Scenario's rule
    (dict(admission_control="yes"), "admission_control"),
    (dict(overload="explode"), "overload"),
    (dict(supernode_headroom=5.0), "supernode_headroom"),
    (dict(dedicated_share=-0.1), "dedicated_share"),
])
def test_bad_policy(changes, words):
    with pytest.raises((ValueError, TypeError), match=words):
        dataclasses.replace(Policy(), **changes)


def test_bad_evaluation_input():
    with pytest.raises(ValueError, match="online_peers"):
        evaluate_policy(Policy(), online_peers=10)
    with pytest.raises(TypeError, match="policy"):
        apply_policy(scenarios.skype_2007(), "fast")


def test_lessons_explorers_update():
    viz.use_course_style()
    lab = widgets.policy_explorer()
    assert "not yet" in lab.figure.texts[0].get_text()
    lab.controls["admission_control"].value = "on"
    lab.controls["overload"].value = "refuse"
    assert "PASSED" in lab.figure.texts[0].get_text()
    lab.reset()
    assert lab.values == lab.defaults
    market = widgets.provider_explorer()
    before = market._run.cache_info().misses
    market.controls["outage_hours"].value = 10.0
    assert market._run.cache_info().misses == before
    assert "After 10 h" in market.figure.axes[1].get_title()
