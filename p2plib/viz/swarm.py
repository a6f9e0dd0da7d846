"""Figures for chapter 05: peer-assisted delivery (Kontiki), flash crowds and who pays.

Each function draws results of :mod:`p2plib.swarm` (it runs no model) and returns what it drew
on.
"""

from __future__ import annotations

import numpy as np

from p2plib.viz.style import CYCLE, PALETTE, finish_axes, get_axes

__all__ = [
    "plot_break_even",
    "plot_flash_crowd",
    "plot_fluid_vs_chunks",
    "plot_outage",
    "plot_policy_comparison",
    "plot_seed_lifetime",
]


def plot_fluid_vs_chunks(run, trajectory=None, steady=None, ax=None, title=None):
    """Downloaders and seeds over time: chunk-level simulation (thin) and fluid model (dashed).

    Parameters
    ----------
    run : p2plib.swarm.SwarmRun
        The chunk-level simulation (times in hours, counts in peers).
    trajectory : p2plib.swarm.FluidTrajectory, optional
        The fluid model over the same period.
    steady : p2plib.swarm.FluidSteadyState, optional
        Its equilibrium, drawn as dotted horizontal lines.
    ax : matplotlib.axes.Axes, optional
        Where to draw (default: a new course-style figure).
    title : str, optional
        The finding, as the axes' title.

    Returns
    -------
    matplotlib.axes.Axes
        Peers online (downloaders, seeds) against time (hours).

    Examples
    --------
    >>> import matplotlib.pyplot as plt, numpy as np
    >>> from p2plib.swarm import simulate_swarm
    >>> run = simulate_swarm(np.zeros(10), 1.0, 4.0, 1.0, 2.0, chunks=4, duration=1, seed=1)
    >>> ax = plot_fluid_vs_chunks(run, title="Ten viewers")
    >>> ax.get_title(), len(ax.lines)
    ('Ten viewers', 2)
    >>> plt.close(ax.figure)
    """
    ax = get_axes(ax)
    top = 0.0
    for name, colour in (("downloaders", PALETTE["blue"]), ("seeds", PALETTE["orange"])):
        values = getattr(run, name)
        ax.plot(run.times, values, color=colour, linewidth=1.2, alpha=0.8,
                label=f"{name}: chunk simulation")
        top = max(top, float(np.max(values, initial=0.0)))
        if trajectory is not None:
            fluid = getattr(trajectory, name)
            ax.plot(trajectory.times, fluid, "--", color=colour, linewidth=2.5,
                    label=f"{name}: fluid model (Qiu & Srikant)")
            top = max(top, float(np.max(fluid, initial=0.0)))
        if steady is not None:
            ax.axhline(getattr(steady, name), color=colour, linestyle=":", linewidth=2,
                       label=f"{name}: fluid steady state")
    # headroom for the legend above the curves
    ax.set_ylim(0, max(top, 1.0) * 1.45)
    return finish_axes(ax, "time (hours)", "peers online", title,
                       legend=dict(loc="upper right", ncol=2, fontsize="small"))


def plot_seed_lifetime(lifetimes_h, assisted_minutes, server_only_minutes, ax=None,
                       current=None, simulated=None, title=None):
    """Download time vs how long a finished viewer keeps uploading (fluid model).

    Parameters
    ----------
    lifetimes_h : array_like
        Mean seed lifetime 1/γ in hours (x axis).
    assisted_minutes, server_only_minutes : array_like
        Mean download time in minutes, peer-assisted and with the servers alone.
    ax : matplotlib.axes.Axes, optional
        Where to draw (default: a new course-style figure).
    current : (float, float), optional
        A point to highlight (lifetime in hours, minutes).
    simulated : (array_like, array_like), optional
        Chunk-level simulation points (lifetimes in hours, minutes).
    title : str, optional
        The finding, as the axes' title.

    Returns
    -------
    matplotlib.axes.Axes
        Mean download time (minutes) against seed lifetime (hours, log scale).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = plot_seed_lifetime([0.1, 1, 10], [60, 20, 15], [90, 90, 90], current=(1, 20))
    >>> ax.get_xscale(), len(ax.lines)
    ('log', 3)
    >>> plt.close(ax.figure)
    """
    ax = get_axes(ax)
    ax.plot(lifetimes_h, assisted_minutes, "-", color=PALETTE["blue"],
            label="peer-assisted (fluid model)")
    ax.plot(lifetimes_h, server_only_minutes, "--", color=PALETTE["vermillion"],
            label="servers alone (same servers)")
    if simulated is not None:
        ax.plot(*simulated, "o", color=PALETTE["blue"], label="chunk simulation")
    if current is not None:
        ax.plot(*current, "D", color=PALETTE["black"], markersize=11, label="these settings")
    ax.set_xscale("log")
    ax.set_ylim(bottom=0)
    return finish_axes(ax, "seed lifetime: hours a viewer keeps uploading after finishing",
                       "mean download time (minutes)", title,
                       legend=dict(loc="center right"))


def plot_flash_crowd(crowd, axes, time=None, gbps_per_file_per_hour=1.0):
    """A flash crowd on two axes: viewers downloading, and who sends the bytes.

    Parameters
    ----------
    crowd : p2plib.swarm.FlashCrowd
        The crowd, peer-assisted and served by the servers alone (times: hours of the day).
    axes : pair of matplotlib Axes
        Left: viewers downloading and seeding; right: delivery rate (Gbit/s) by source.
    time : float, optional
        Hour of the day to mark (the animation's current frame).
    gbps_per_file_per_hour : float
        Conversion from files per hour to Gbit/s (file size in Gbit / 3600), ``> 0``.

    Returns
    -------
    pair of matplotlib Axes
        ``axes``, drawn on.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from p2plib.swarm import flash_crowd
    >>> from p2plib.viz import new_figure
    >>> crowd = flash_crowd(1000, 1.0, 0.3, 3, 1.0, server_rate=100, points=25)
    >>> fig, axes = new_figure(ncols=2)
    >>> left, right = plot_flash_crowd(crowd, axes, time=22.0)
    >>> left.get_xlabel(), right.get_ylabel()
    ('time of day', 'delivery rate (Gbit/s)')
    >>> plt.close(fig)
    """
    left, right = axes
    pa, so = crowd.peer_assisted, crowd.server_only
    hours = pa.times
    left.plot(hours, so.downloaders, "--", color=PALETTE["vermillion"], label="servers alone")
    left.plot(hours, pa.downloaders, "-", color=PALETTE["blue"], label="peer-assisted")
    left.plot(hours, pa.seeds, ":", color=PALETTE["orange"], label="seeds (peer-assisted)")
    left.set_ylabel("viewers (downloading or seeding)")
    left.legend(loc="upper right")
    g = gbps_per_file_per_hour
    right.stackplot(hours, pa.server_rate_used * g, pa.peer_rate_used * g,
                    colors=[PALETTE["purple"], PALETTE["sky"]], alpha=0.8,
                    labels=["peer-assisted: from servers", "peer-assisted: from peers"])
    right.plot(hours, so.server_rate_used * g, "--", color=PALETTE["vermillion"],
               label="servers alone: from servers")
    right.set_ylabel("delivery rate (Gbit/s)")
    right.legend(loc="upper right")
    for ax in axes:
        ax.axvline(crowd.release_time, color=PALETTE["grey"], linewidth=1)
        ticks = np.arange(np.ceil(hours[0]), hours[-1] + 1e-9, 2)
        ax.set_xticks(ticks, [f"{int(t) % 24:02d}:00" for t in ticks])
        ax.set_xlabel("time of day")
        if time is not None:
            ax.axvline(time, color=PALETTE["black"], linewidth=5, alpha=0.25)
    return axes


def plot_policy_comparison(runs: dict, axes):
    """Rarest-first vs random chunk choice: rarest chunk's copies, and download times.

    Parameters
    ----------
    runs : dict of label -> p2plib.swarm.SwarmRun
        The same swarm simulated under each chunk policy (times in hours).
    axes : pair of matplotlib Axes
        Left: copies of the rarest chunk over time; right: histogram of download times
        (minutes).

    Returns
    -------
    pair of matplotlib Axes
        ``axes``, drawn on.

    Examples
    --------
    >>> import matplotlib.pyplot as plt, numpy as np
    >>> from p2plib.swarm import simulate_swarm
    >>> from p2plib.viz import new_figure
    >>> runs = {p: simulate_swarm(np.zeros(20), 1.0, 4.0, 1.0, 2.0, chunks=8, policy=p,
    ...                           duration=2, seed=1) for p in ("rarest", "random")}
    >>> fig, axes = new_figure(ncols=2)
    >>> left, right = plot_policy_comparison(runs, axes)
    >>> len(left.lines), right.get_xlabel()
    (2, 'download time (minutes)')
    >>> plt.close(fig)
    """
    left, right = axes
    times = [run.download_time * 60 for run in runs.values()]
    bins = np.linspace(0, max(float(np.percentile(t, 99)) for t in times if len(t)), 40)
    for (label, run), colour, minutes in zip(runs.items(), CYCLE, times, strict=False):
        left.plot(run.times, run.min_copies, color=colour, label=label)
        # light fill plus a solid outline: where the two overlap, both outlines stay visible
        right.hist(minutes, bins=bins, color=colour, alpha=0.25, histtype="stepfilled")
        right.hist(minutes, bins=bins, color=colour, linewidth=2.5, histtype="step", label=(
            f"{label}: last 10% of chunks took {run.last_chunks_share:.0%} of the time"))
    left.set_xlabel("time (hours)")
    left.set_ylabel("copies of the rarest chunk\namong online peers")
    left.legend()
    right.set_xlabel("download time (minutes)")
    right.set_ylabel("viewers")
    right.set_ylim(0, right.get_ylim()[1] * 1.3)   # headroom: the legend covers no bar
    right.legend(loc="upper right")
    return axes


def plot_outage(run, axes, outage_time=None, outage_duration=None, chunk_mb=None,
                smooth_hours=0.1):
    """A correlated outage in a swarm: who is online, and the load that falls back on servers.

    Parameters
    ----------
    run : p2plib.swarm.SwarmRun
        A simulation with a correlated outage (times in hours).
    axes : pair of matplotlib Axes
        Left: peers downloading, seeding and offline; right: the servers' load and the copies
        of the rarest chunk (right-hand axis).
    outage_time, outage_duration : float, optional
        The outage's start and length (hours), shaded.
    chunk_mb : float, optional
        Chunk size in MB, to show server load in Mbit/s instead of chunks per hour.
    smooth_hours : float
        Server load is shown as a moving average over this window (hours), ``> 0``.

    Returns
    -------
    pair of matplotlib Axes
        ``axes``, drawn on.

    Examples
    --------
    >>> import matplotlib.pyplot as plt, numpy as np
    >>> from p2plib.swarm import simulate_swarm
    >>> from p2plib.viz import new_figure
    >>> run = simulate_swarm(np.linspace(0, 1, 30), 1.0, 4.0, 1.0, 20.0, chunks=8, duration=2,
    ...                      outage_time=1.0, outage_fraction=0.5, outage_duration=0.5, seed=1)
    >>> fig, axes = new_figure(ncols=2)
    >>> left, right = plot_outage(run, axes, outage_time=1.0, outage_duration=0.5, chunk_mb=10)
    >>> right.get_ylabel()
    'server load (Mbit/s)'
    >>> plt.close(fig)
    """
    left, right = axes
    left.plot(run.times, run.downloaders, color=PALETTE["blue"], label="downloading (online)")
    left.plot(run.times, run.seeds, color=PALETTE["orange"], label="seeding (online)")
    left.plot(run.times, run.offline, color=PALETTE["grey"], label="offline (rebooting)")
    left.set_ylabel("peers")
    left.legend(loc="upper left")
    window = max(1, round(smooth_hours / run.dt))
    rate = np.convolve(run.server_chunks, np.ones(window) / window, mode="same") / run.dt
    label = "chunks per hour"
    if chunk_mb is not None:
        rate = rate * chunk_mb * 8 / 3600
        label = "Mbit/s"
    right.plot(run.times, rate, color=PALETTE["purple"], linewidth=1.2,
               label="origin servers' load")
    right.set_ylabel(f"server load ({label})")
    twin = right.twinx()
    twin.plot(run.times, run.min_copies, color=PALETTE["green"], linewidth=1.5,
              label="copies of rarest chunk")
    twin.set_ylabel("copies of rarest chunk", color=PALETTE["green"])
    twin.grid(False)
    right.plot([], [], color=PALETTE["green"], label="copies of rarest chunk (right axis)")
    # both curves use the whole height: the legend goes below the axes
    right.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, frameon=False)
    for ax in axes:
        ax.set_xlabel("time (hours)")
        if outage_time is not None:
            ax.axvspan(outage_time, outage_time + (outage_duration or 0), color=PALETTE["grey"],
                       alpha=0.2)
    return axes


def plot_break_even(prices, costs_by_share: dict, server_only, ax=None, title=None):
    """The broadcaster's daily bill vs bandwidth price, one line per peer share.

    Crossings, where peer assistance stops paying, are marked with dots.

    Parameters
    ----------
    prices : array_like
        Price per GB (currency units; x axis).
    costs_by_share : dict of label -> array
        Peer-assisted daily cost (currency units per day) at each price.
    server_only : array_like
        Server-only daily cost (currency units per day) at each price.
    ax : matplotlib.axes.Axes, optional
        Where to draw (default: a new course-style figure).
    title : str, optional
        The finding, as the axes' title.

    Returns
    -------
    matplotlib.axes.Axes
        Daily bill against price per GB.

    Examples
    --------
    >>> import matplotlib.pyplot as plt, numpy as np
    >>> prices = np.linspace(0, 0.2, 21)
    >>> ax = plot_break_even(prices, {"half": 500 * prices + 50}, 1000 * prices,
    ...                      title="Cheap bandwidth favours servers")
    >>> ax.get_title()
    'Cheap bandwidth favours servers'
    >>> plt.close(ax.figure)
    """
    ax = get_axes(ax)
    ax.plot(prices, server_only, "-", color=PALETTE["black"], label="server-only CDN")
    styles = ["--", "-.", ":"]
    for (label, cost), colour, style in zip(costs_by_share.items(), CYCLE, styles * 3,
                                            strict=False):
        ax.plot(prices, cost, style, color=colour, label=label)
        above = (np.asarray(cost) > np.asarray(server_only)).astype(int)
        crossing = np.flatnonzero(np.diff(above) != 0)
        for i in crossing:
            ax.plot(prices[i], cost[i], "o", color=colour)
    return finish_axes(ax, "bandwidth price paid by the broadcaster (per GB)",
                       "daily delivery bill (currency units)", title,
                       legend=dict(loc="upper left"))
