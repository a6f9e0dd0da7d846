"""Named scenarios of the outage model at real scale, each parameter with its source or reason.

``PRESETS`` maps a name to a zero-argument function returning a :class:`~p2plib.outage.Scenario`.
Facts are those of the course's sources page (``notebooks/sources.md``, which cites the primary
sources). Every other number is a *model assumption*, chosen where the facts leave
a range and explored over that range in the notebook. Sizes scale with ``online_peers``:
``PRESETS["skype_2007"]().replace(online_peers=10_000)`` is the same situation with 10^4 peers.

Hours count from midnight UTC of the first simulated day.

Examples
--------
>>> from p2plib.outage.presets import PRESETS
>>> sorted(PRESETS)  # doctest: +NORMALIZE_WHITESPACE
['skype_2007', 'skype_2007_jittered_backoff', 'skype_2007_staggered_reboots', 'skype_2010',
 'skype_2010_no_mega_supernodes']
>>> PRESETS["skype_2007"]().online_peers
6000000.0
"""

from __future__ import annotations

from p2plib.outage.scenario import Scenario

__all__ = [
    "CRASH_2010_H",
    "PATCH_RELEASE_H",
    "PRESETS",
    "load_ramp",
    "skype_2007",
    "skype_2007_jittered_backoff",
    "skype_2007_staggered_reboots",
    "skype_2010",
    "skype_2010_no_mega_supernodes",
]

#: Microsoft's patches: Tuesday 14 August 2007, 10:00 US Pacific = 17:00 UTC (AP; the hour is
#: Microsoft's usual release time). The 2007 runs start at 00:00 UTC on Tuesday 14 August.
PATCH_RELEASE_H = 17.0


def skype_2007() -> Scenario:
    """16-18 August 2007: Patch-Tuesday reboots drain the supernode pool; the P2P layer tips.

    Mechanism: Windows Automatic Updates installs at 03:00 local time, so the patched machines
    restart on the nights after the release: Wednesday and Thursday, 01:00-11:00 UTC as 03:00
    sweeps from Europe to the US west coast. Rebooted supernodes must show about two days of
    uptime before they serve again, so the pool shrinks on Wednesday and again on Thursday; on
    Thursday afternoon (the daily peak) the clients outnumber the slots. Refused clients retry
    every two minutes and log in again; the login servers pass up to their capacity (five
    times a normal day's login rate) on to a pool about 27% smaller, and supernodes
    whose request rate reaches the overload threshold shut down, orphaning their clients, who
    search again: the chain reaction through the P2P layer's resource allocation that Skype
    named. With clients that keep retrying every two minutes the stuck state does not heal by
    itself; Skype's fix (the P2P core retuned, ``fix_h``: supernodes refuse instead of
    shutting down) ends it, and the pool then regrows as the shut-down supernodes restart.

    Returns
    -------
    Scenario
        Six days from 00:00 UTC on Tuesday 14 August 2007, at real scale (6 million online).

    References
    ----------
    Course model (chapter 03) on Arak 2007a/b, AP 2007a/b, Computerworld 2007, Microsoft 2005;
    sources in ``notebooks/sources.md``, model assumptions labelled in the code.

    Examples
    --------
    >>> skype_2007().online_peers, skype_2007().fix_h
    (6000000.0, 102.0)
    """
    return Scenario(
        name="Skype, August 2007",
        # Usually 5-6 million online, peaks 8-9 million (AP): mean 6 M with a +-35% daily swing
        # gives a peak of 8.1 M at 16:00 UTC (noon US Eastern, 8 M usual: Computerworld).
        online_peers=6_000_000.0,
        days=6.0,
        start_weekday=1,  # Tuesday 14 August 2007
        daily_amplitude=0.35,
        peak_hour_utc=16.0,
        weekend_dip=0.2,  # daily and work-week cycles (Guha et al. 2006); size: assumption
        session_h=3.0,  # model assumption
        # Supernode count never published; "about 25,000" is hearsay (L). 1 in 300 online peers
        # (20,000 at 6 M) serving 500 clients each ("several hundred", Skype 2010) leaves 23%
        # headroom at the daily peak. The notebook sweeps both.
        supernode_fraction=1 / 300,
        sn_capacity=500.0,
        # Model assumption, of the order of supernode residual lifetimes (median 1.75 days,
        # Bremler-Barr & Goldschmidt 2011): a rebooted supernode serves again after 2 days.
        promotion_uptime_h=48.0,
        overload="shutdown",  # hypothesis for the "allocation bug": as documented in 2010
        # Shut down when the requests of a minute reach 6x what a full supernode (500 clients)
        # gets on a normal day (assumption; range 4-20 in outage.ensemble: below about 4 a
        # normal day's fluctuations already trip it).
        sn_overload_factor=6.0,
        sn_restart_h=48.0,  # mean total until it serves again: restart + uptime (assumption)
        login_headroom=5.0,  # login servers: 5x the mean login rate (assumption)
        login_timeout_min=2.0,
        # Login servers that turn away what they cannot serve in time. Assumption, from the
        # sources: Skype's fix acted on the P2P core and ended the outage, which it could not
        # have done had the login queue been stuck serving stale requests (run with
        # admission_control=False to see that other metastable state).
        admission_control=True,
        retry_policy="fixed",  # the 2007 client's retry rule is unknown: retry every 2 minutes
        retry_base_min=2.0,
        retry_cap_min=64.0,
        patience_h=1.0,  # users without service give up after ~1 h on average (assumption)
        # Share of supernode-capable peers (always-on Windows machines with automatic updates)
        # rebooted over the two nights: assumption; the notebook shows the range.
        reboot_fraction=0.3,
        reboot_start_h=25.0,  # Wednesday 01:00 UTC = 03:00 in central Europe
        reboot_window_h=10.0,  # until 03:00 on the US west coast
        reboot_waves=2,  # Wednesday and Thursday nights
        reboot_downtime_min=5.0,
        # Skype "retuned the P2P core" (follow-up statement, 21 August); AP: service back on
        # Saturday. When the fix went live is unknown: Saturday 06:00 UTC (assumption; range
        # Friday 00:00 to Sunday 00:00 in outage.ensemble).
        fix_h=102.0,
        events=((PATCH_RELEASE_H, "patches released (Tue)"), (102.0, "operator fix (Sat)")),
    )


def skype_2007_jittered_backoff() -> Scenario:
    """The 2007 trigger with clients that back off exponentially with full jitter (Brooker 2015).

    Base 1 minute, cap 64 minutes: a client that keeps failing waits on average up to 32
    minutes instead of 2. In the v2 model this alone does not prevent the 2007 outage: the
    refused clients still outnumber what the login servers pass on, so the drained pool
    receives their full capacity either way and tips at about the same hour (the defence that
    works acts on the supernodes: see ``p2plib.outage.policy``).

    Returns
    -------
    Scenario
        The 2007 scenario with ``retry_policy="full_jitter"`` (base 1 min, cap 64 min).

    References
    ----------
    Brooker 2015 (exponential backoff and jitter), on :func:`skype_2007`.

    Examples
    --------
    >>> skype_2007_jittered_backoff().retry_policy
    'full_jitter'
    """
    return skype_2007().replace(name="2007 trigger, clients back off with jitter",
                                retry_policy="full_jitter", retry_base_min=1.0,
                                retry_cap_min=64.0)


def skype_2007_staggered_reboots() -> Scenario:
    """The same number of reboots spread over a week (daily windows from Tuesday 17:00 UTC).

    Rebooted supernodes still need two days to serve again, but at any time only about two
    sevenths of the reboots are that recent, so the pool never falls below the Thursday peak.

    Returns
    -------
    Scenario
        The 2007 scenario with the reboots in seven daily windows.

    References
    ----------
    Course model (chapter 03): a counterfactual of :func:`skype_2007`.

    Examples
    --------
    >>> skype_2007_staggered_reboots().reboot_waves
    7
    """
    return skype_2007().replace(name="2007, the same reboots spread over a week",
                                reboot_start_h=PATCH_RELEASE_H, reboot_window_h=24.0,
                                reboot_waves=7)


#: 22 December 2010: runs start at 00:00 UTC on Wednesday 22 December; the crash begins at
#: 16:00 UTC (model assumption: the post-mortem gives the day, not the hour).
CRASH_2010_H = 16.0


def skype_2010() -> Scenario:
    """22-24 December 2010: a client crash, supernode overload protection, mega-supernodes.

    Skype's post-mortem (Rabbe, December 2010): delayed replies crashed Windows client
    5.0.0.152, used by about 50% of users; about 40% of those crashed (20% of clients); 25-30%
    of public supernodes failed; load on the rest reached about 100x normal; a protection shut
    overloaded supernodes down, orphaning clients (positive feedback); near-total failure a few
    hours later; Skype added hundreds of dedicated mega-supernodes; fully restored on the 24th.

    Returns
    -------
    Scenario
        Three days from 00:00 UTC on Wednesday 22 December 2010, at real scale (20 million
        online).

    References
    ----------
    Rabbe 2010 (Skype's post-mortem), BetaNews 2010; the other numbers are model
    assumptions, labelled in the code.

    Examples
    --------
    >>> s = skype_2010()
    >>> s.online_peers, s.overload, s.mega_share
    (20000000.0, 'shutdown', 0.3)
    """
    return Scenario(
        name="Skype, December 2010",
        online_peers=20_000_000.0,  # "more than 20 million normally" (post-mortem coverage)
        days=3.0,
        start_weekday=2,  # Wednesday 22 December 2010
        daily_amplitude=0.35,
        peak_hour_utc=16.0,
        weekend_dip=0.0,  # the Christmas week: no weekend in the run
        session_h=3.0,
        supernode_fraction=1 / 300,  # unknown; as in 2007
        sn_capacity=500.0,
        promotion_uptime_h=48.0,
        overload="shutdown",  # the documented protection (post-mortem)
        sn_overload_factor=6.0,  # as in 2007 (assumption); the observed load reached ~100x
        sn_restart_h=18.0,  # a protected supernode offers itself again after 18 h (assumption)
        login_headroom=5.0,  # as in 2007 (assumption)
        login_timeout_min=2.0,
        admission_control=True,  # as in 2007
        retry_policy="exponential",  # the 5.0 client's rule is unknown (assumption)
        retry_base_min=1.0,
        retry_cap_min=32.0,
        patience_h=1.0,
        reboot_fraction=0.5 * 0.4,  # half the users ran 5.0.0.152, 40% of those crashed
        sn_reboot_fraction=0.275,  # 25-30% of supernodes failed
        reboot_start_h=CRASH_2010_H,
        # the crashes came as the delayed replies arrived, over about two hours (assumption,
        # range 1-4 h)
        reboot_window_h=2.0,
        reboot_downtime_min=10.0,  # users restart the client (assumption)
        # Hundreds of mega-supernodes; together room for 30% of the mean online clients
        # (assumption: e.g. 300 servers x 20,000 clients at 20 M online), started a few hours
        # into the outage and added over half a day.
        mega_share=0.3,
        mega_start_h=CRASH_2010_H + 6.0,
        mega_ramp_h=12.0,
        events=((CRASH_2010_H, "client crash (Wed)"), (CRASH_2010_H + 6.0, "mega-supernodes")),
    )


def skype_2010_no_mega_supernodes() -> Scenario:
    """December 2010 without the operator's mega-supernodes.

    Returns
    -------
    Scenario
        The 2010 scenario with ``mega_share=0``.

    References
    ----------
    Course model (chapter 03): a counterfactual of :func:`skype_2010` (Rabbe 2010).

    Examples
    --------
    >>> skype_2010_no_mega_supernodes().mega_share
    0.0
    """
    return skype_2010().replace(name="2010 without mega-supernodes", mega_share=0.0,
                                events=((CRASH_2010_H, "client crash (Wed)"),))


#: Name -> zero-argument function returning the scenario at real scale.
PRESETS = {
    "skype_2007": skype_2007,
    "skype_2007_jittered_backoff": skype_2007_jittered_backoff,
    "skype_2007_staggered_reboots": skype_2007_staggered_reboots,
    "skype_2010": skype_2010,
    "skype_2010_no_mega_supernodes": skype_2010_no_mega_supernodes,
}


def load_ramp(**changes) -> Scenario:
    """A slow load ramp (no reboots) to show hysteresis: up for two days, down for two.

    The 2007 system with the demand swinging from 0.2 to 1.8 times ``online_peers`` over four
    days and 400 clients per supernode, so that the pool is outgrown at the top; promotion and
    restart take about an hour instead of two days, so that the ramp is slow compared with the
    model's delays and follows its stationary states (model assumptions, for the theory
    comparison of :func:`p2plib.outage.fluid_thresholds`). Service fails on the way up at a
    higher load than the one at which it comes back on the way down.

    Parameters
    ----------
    **changes
        Fields of :class:`~p2plib.outage.scenario.Scenario` to replace (e.g.
        ``online_peers=100_000``, ``step_min=5``).

    Returns
    -------
    Scenario
        Four days, a 96-hour cycle with amplitude 0.8, no reboots and no fix.

    References
    ----------
    Course model (chapter 03): hysteresis of a metastable system (Bronson et al. 2021), to
    compare with :func:`p2plib.outage.fluid_thresholds`.

    Examples
    --------
    >>> from p2plib.outage.simulation import simulate
    >>> r = simulate(load_ramp(online_peers=100_000, step_min=5))
    >>> r.load_at_recovery() < r.load_at_failure()
    True
    """
    base = skype_2007().replace(
        name="slow load ramp", reboot_fraction=0.0, fix_h=None, weekend_dip=0.0, cycle_h=96.0,
        peak_hour_utc=48.0, daily_amplitude=0.8, sn_capacity=400.0, days=4.0,
        promotion_uptime_h=1.0, sn_restart_h=1.0, events=())
    return base.replace(**changes)
