"""Step convergence: every rule is a rate, so the answers do not depend on the time step.

What is tested, for every preset, at ``step_min`` 1, 2 and 5:

* the verdict (an outage below 50% or not) is the same;
* the hours below 50% agree within ``max(1.5 h, 5%)`` of the 1-minute value. The one-step
  phase splitting is first order in the step: the largest difference measured on the presets
  is under 1 h at 5 minutes (a step of 5 minutes moves the start and the end of an outage by
  at most a few steps each);
* the error shrinks with the step: the hourly served fraction at 2 minutes is closer to the
  1-minute run than the one at 5 minutes (first-order convergence).

The fast loop (login, search, retries) always runs sub-steps of at most
``p2plib.outage.schedule.FAST_STEP_MIN``; the slow phases (sessions, reboots, Erlang delays)
take the whole step.
"""

import functools

import numpy as np
import pytest

from p2plib.outage import simulate, simulate_many
from p2plib.scenarios import PRESETS

STEPS = (1, 2, 5)


@functools.cache
def runs(name):
    s = PRESETS[name]().replace(online_peers=100_000)
    return {step: simulate(s.replace(step_min=step)) for step in STEPS}


def hourly(r):
    per_hour = 60 // r.scenario.step_min
    n = len(r.served_fraction) // per_hour
    return r.served_fraction[:n * per_hour].reshape(n, per_hour).mean(axis=1)


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_verdict_and_hours_below_half_agree_across_steps(name):
    by_step = runs(name)
    exact = by_step[1].hours_below(0.5)
    for step in STEPS[1:]:
        r = by_step[step]
        assert (r.hours_below(0.5) > 0) == (exact > 0), step
        assert r.hours_below(0.5) == pytest.approx(exact, abs=max(1.5, 0.05 * exact)), step


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_error_shrinks_with_the_step(name):
    by_step = runs(name)
    ref = hourly(by_step[1])
    err = {step: np.abs(hourly(by_step[step]) - ref).mean() for step in STEPS[1:]}
    assert err[2] <= err[5] + 1e-6
    assert err[5] < 0.05   # the mean hourly difference in served share


def test_policy_verdicts_do_not_depend_on_the_step():
    from p2plib.policy import Policy, evaluate_policy

    for policy in (Policy(), Policy(overload="refuse"),
                   Policy(retry_policy="full_jitter", retry_base_min=1.0, dedicated_share=0.3)):
        verdicts = {evaluate_policy(policy, online_peers=50_000, step_min=step).passed
                    for step in STEPS}
        assert len(verdicts) == 1, policy


def test_batch_of_steps_is_grouped():
    s = PRESETS["skype_2010"]().replace(online_peers=10_000, days=1.0)
    many = simulate_many([s.replace(step_min=5), s.replace(step_min=2), s.replace(step_min=5)])
    assert [r.scenario.step_min for r in many] == [5, 2, 5]
    np.testing.assert_array_equal(many[0].served_fraction, many[2].served_fraction)
