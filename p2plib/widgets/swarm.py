"""Chapter 05 explorers: a peer-assisted swarm in steady state, and a flash crowd at 9 pm.

The explorers wire controls to :func:`p2plib.swarm.steady_delivery` and
:func:`p2plib.swarm.evening_flash_crowd` and draw what they return; every number not set by a
control is a model assumption of :data:`p2plib.swarm.IPLAYER_2008`.
"""

from __future__ import annotations

import numpy as np

from p2plib import viz
from p2plib.swarm import IPLAYER_2008, evening_flash_crowd, steady_delivery
from p2plib.widgets.core import Explorer, play_steps, slider

__all__ = ["flash_crowd_explorer", "swarm_explorer"]


def _swarm_draw(result):
    """Three panels for a :class:`p2plib.swarm.SteadyDelivery`."""
    fig, (left, middle, right) = viz.new_figure(ncols=3, width=18, height=6)
    pa, alone, gbps = result.assisted, result.alone, result.setting.gbit_per_s
    viz.plot_seed_lifetime(result.lifetimes_h, result.assisted_minutes,
                           np.full(len(result.lifetimes_h), result.alone_minutes), ax=left,
                           current=(result.seed_hours, pa.download_time * 60))
    left.set_title("Download time")
    middle.bar([0, 1], [gbps(pa.server_rate_used), gbps(alone.server_rate_used)],
               color=viz.PALETTE["purple"], label="from servers")
    middle.bar([0], [gbps(pa.peer_rate_used)], bottom=[gbps(pa.server_rate_used)],
               color=viz.PALETTE["sky"], label="from peers")
    middle.axhline(result.server_gbps, color=viz.PALETTE["black"], linestyle="--",
                   label="server capacity")
    middle.set_xticks([0, 1], ["peer-assisted", "servers alone"])
    middle.set_ylabel("delivery rate (Gbit/s)")
    tallest = max(gbps(pa.completion_rate), gbps(alone.completion_rate), result.server_gbps)
    middle.set_ylim(0, max(tallest, 1e-3) * 1.45)   # headroom: the legend covers no bar or line
    middle.legend(loc="upper right")
    middle.set_title("Who sends the bytes")
    right.bar([0, 1], [result.downloaded_mb_per_viewer, result.uploaded_mb_per_viewer],
              color=[viz.PALETTE["blue"], viz.PALETTE["orange"]])
    right.set_xticks([0, 1], ["downloaded", "uploaded"])
    right.set_ylabel("MB per viewer")
    right.set_title("The viewer's side")
    fig.suptitle(f"Peer-assisted: {pa.download_time * 60:.0f} min; servers alone: "
                 f"{alone.download_time * 60:.0f} min; servers carry "
                 f"{1 - pa.peer_share:.0%} of the bytes ({pa.regime})", fontsize=15)
    return fig


def swarm_explorer() -> Explorer:
    """Chapter 05: a swarm in steady state (fluid model): download time, server load, upload.

    Controls: viewers per hour, the servers' capacity (Gbit/s), the share of each viewer's
    upstream the client uses, and the seed lifetime (hours); each change runs
    :func:`p2plib.swarm.steady_delivery` and redraws three panels: download time against seed
    lifetime (peer-assisted and servers alone), who sends the bytes (Gbit/s), and what the
    average viewer downloads and uploads (MB).

    Returns
    -------
    p2plib.widgets.core.Explorer
        The explorer (display it in a notebook); ``explorer.result()`` is the
        :class:`p2plib.swarm.SteadyDelivery` on show.

    Examples
    --------
    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()):   # outside a notebook the figure prints
    ...     explorer = swarm_explorer()
    >>> round(explorer.result().assisted.download_time * 60, 1)    # minutes
    26.8
    >>> len(explorer.figure.axes)
    3
    """
    controls = {
        "viewers_per_hour": slider("Viewers", "per hour", "viewers who start the download each "
                                   "hour", 20_000, 2, 5, 0.1, log=True, readout_format=",.0f"),
        "server_gbps": slider("Server capacity", "Gbit/s", "the origin servers' total upload",
                              2.0, 0.1, 20.0, 0.1, readout_format=".1f"),
        "upload_share": slider("Upload share", "of each link", "share of a viewer's 448 kbit/s "
                               "upstream the client uses (Kontiki: no limit, 1.0)",
                               1.0, 0.0, 1.0, 0.05),
        "seed_hours": slider("Seed lifetime", "hours", "how long a viewer keeps uploading after "
                             "finishing", 1.0, -2, 1.6, 0.1, log=True, readout_format=".2f"),
    }
    return Explorer("Who pays for the bandwidth? A peer-assisted swarm in steady state",
                    controls, run=steady_delivery, draw=_swarm_draw)


_START, _END, _STEP_MIN = 20.0, 32.0, 5     # the evening shown: 20:00 to 08:00, 5-minute steps


def _crowd_run(audience, server_gbps, upload_share, seed_hours):
    return evening_flash_crowd(audience, server_gbps, upload_share, seed_hours,
                               start=_START, end=_END, step_minutes=_STEP_MIN)


def _crowd_draw(crowd, step):
    fig, axes = viz.new_figure(ncols=2, width=16, height=6)
    gbps = IPLAYER_2008.gbit_per_s
    hour = crowd.peer_assisted.times[step]
    viz.plot_flash_crowd(crowd, axes, time=hour, gbps_per_file_per_hour=gbps(1.0))
    pa, so = crowd.peer_assisted, crowd.server_only
    clock = f"{int(hour) % 24:02d}:{round((hour % 1) * 60) % 60:02d}"
    fig.suptitle(f"{clock}: {pa.downloaders[step]:,.0f} downloading with peers, "
                 f"{so.downloaders[step]:,.0f} with servers alone; peers send "
                 f"{gbps(pa.peer_rate_used[step]):.1f} Gbit/s", fontsize=15)
    return fig


def flash_crowd_explorer() -> Explorer:
    """Chapter 05: an episode released at 9 pm, peer-assisted vs servers alone, with Play.

    Controls: the audience (viewers), the servers' capacity (Gbit/s), the upload share and the
    seed lifetime (hours) run :func:`p2plib.swarm.evening_flash_crowd`; the time control
    (5-minute steps from 20:00, with Play) only moves the marked moment and redraws.

    Returns
    -------
    p2plib.widgets.core.Explorer
        The explorer; ``explorer.result()`` is the :class:`p2plib.swarm.FlashCrowd` on show.

    Examples
    --------
    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()):   # outside a notebook the figure prints
    ...     explorer = flash_crowd_explorer()
    ...     explorer.controls["step"].value = 30       # 30 steps of 5 minutes after 20:00
    >>> explorer.figure._suptitle.get_text()[:5]
    '22:30'
    """
    steps = int((_END - _START) * 60 / _STEP_MIN)
    controls = {
        "audience": slider("Audience", "viewers", "viewers who download the episode tonight "
                           "(half of them within the first 42 minutes)", 100_000, 3, 6, 0.1,
                           log=True, readout_format=",.0f"),
        "server_gbps": slider("Server capacity", "Gbit/s", "the origin servers' total upload",
                              2.0, 0.1, 20.0, 0.1, readout_format=".1f"),
        "upload_share": slider("Upload share", "of each link", "share of a viewer's upstream "
                               "the client uses", 1.0, 0.0, 1.0, 0.05),
        "seed_hours": slider("Seed lifetime", "hours", "how long a viewer keeps uploading after "
                             "finishing", 1.0, -1, 1.4, 0.1, log=True, readout_format=".2f"),
        "step": play_steps("Time", f"{_STEP_MIN}-minute steps from 20:00", "move or play the "
                           "clock: only redraws", steps, interval_ms=200),
    }
    return Explorer("A flash crowd at 9 pm: self-scaling capacity", controls, run=_crowd_run,
                    draw=_crowd_draw, view=("step",))
