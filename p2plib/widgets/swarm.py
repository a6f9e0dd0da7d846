"""Chapter 05 explorers: a peer-assisted swarm in steady state, and a flash crowd at 9 pm.

Every number not set by a control is a model assumption, listed in :data:`ASSUMPTIONS`.
"""

from __future__ import annotations

import numpy as np

from p2plib import viz
from p2plib.swarm import files_per_hour, flash_crowd, fluid_steady_state
from p2plib.widgets.core import Explorer, play_steps, slider

__all__ = ["ASSUMPTIONS", "flash_crowd_explorer", "swarm_explorer"]

#: Model assumptions (not sourced figures): a one-hour programme of about 350 MB, 2008-era
#: broadband with 4 Mbit/s down and 448 kbit/s up, viewers who give up after 5 hours stuck.
ASSUMPTIONS = {"file_mb": 350.0, "download_mbps": 4.0, "upload_mbps": 0.448,
               "abort_rate_per_h": 0.2}

_LIFETIMES = np.logspace(-2, np.log10(48), 60)


def _rates(server_gbps, upload_share):
    a = ASSUMPTIONS
    return (files_per_hour(a["upload_mbps"] * upload_share, a["file_mb"]),
            files_per_hour(a["download_mbps"], a["file_mb"]),
            files_per_hour(server_gbps * 1000.0, a["file_mb"]))


def _gbps(files_per_h):
    return files_per_h * ASSUMPTIONS["file_mb"] * 8 / 3600 / 1000


def _swarm_run(viewers_per_hour, server_gbps, upload_share, seed_hours):
    mu, c, s = _rates(server_gbps, upload_share)
    theta = ASSUMPTIONS["abort_rate_per_h"]

    def state(lifetime, upload):
        return fluid_steady_state(viewers_per_hour, upload, c, 1.0 / lifetime, theta,
                                  server_rate=s)

    curve = np.array([state(t, mu).download_time for t in _LIFETIMES]) * 60
    alone = state(seed_hours, 0.0)
    return {"assisted": state(seed_hours, mu), "alone": alone, "curve": curve,
            "alone_minutes": alone.download_time * 60, "seed_hours": seed_hours,
            "server_gbps": server_gbps, "viewers": viewers_per_hour, "mu": mu}


def _swarm_draw(result):
    fig, (left, middle, right) = viz.new_figure(ncols=3, width=18, height=6)
    pa, alone = result["assisted"], result["alone"]
    viz.plot_seed_lifetime(_LIFETIMES, result["curve"],
                           np.full(len(_LIFETIMES), result["alone_minutes"]), ax=left,
                           current=(result["seed_hours"], pa.download_time * 60))
    left.set_title("Download time")
    middle.bar([0, 1], [_gbps(pa.server_rate_used), _gbps(alone.server_rate_used)],
                      color=viz.PALETTE["purple"], label="from servers")
    middle.bar([0], [_gbps(pa.peer_rate_used)], bottom=[_gbps(pa.server_rate_used)],
               color=viz.PALETTE["sky"], label="from peers")
    middle.axhline(result["server_gbps"], color=viz.PALETTE["black"], linestyle="--",
                   label="server capacity")
    middle.set_xticks([0, 1], ["peer-assisted", "servers alone"])
    middle.set_ylabel("delivery rate (Gbit/s)")
    tallest = max(_gbps(pa.completion_rate), _gbps(alone.completion_rate), result["server_gbps"])
    middle.set_ylim(0, max(tallest, 1e-3) * 1.45)   # headroom: the legend covers no bar or line
    middle.legend(loc="upper right")
    middle.set_title("Who sends the bytes")
    viewers = result["viewers"]
    size = ASSUMPTIONS["file_mb"]
    uploaded = pa.peer_rate_used / viewers * size if viewers > 0 else 0.0
    right.bar([0, 1], [pa.completion_rate / viewers * size if viewers > 0 else 0.0, uploaded],
              color=[viz.PALETTE["blue"], viz.PALETTE["orange"]])
    right.set_xticks([0, 1], ["downloaded", "uploaded"])
    right.set_ylabel("MB per viewer")
    right.set_title("The viewer's side")
    fig.suptitle(f"Peer-assisted: {pa.download_time * 60:.0f} min; servers alone: "
                 f"{alone.download_time * 60:.0f} min; servers carry "
                 f"{1 - pa.peer_share:.0%} of the bytes ({pa.regime})", fontsize=15)
    return fig


def swarm_explorer() -> Explorer:
    """Chapter 05: a swarm in steady state (fluid model): download time, server load, upload."""
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
                    controls, run=_swarm_run, draw=_swarm_draw)


_START, _END, _STEP_MIN = 20.0, 32.0, 5


def _crowd_run(audience, server_gbps, upload_share, seed_hours):
    mu, c, s = _rates(server_gbps, upload_share)
    points = int((_END - _START) * 60 / _STEP_MIN) + 1
    return flash_crowd(audience, 1.0, mu, c, 1.0 / seed_hours, s,
                       abort_rate=ASSUMPTIONS["abort_rate_per_h"], start=_START, end=_END,
                       points=points)


def _crowd_draw(crowd, step):
    fig, axes = viz.new_figure(ncols=2, width=16, height=6)
    hour = crowd.peer_assisted.times[step]
    viz.plot_flash_crowd(crowd, axes, time=hour,
                         gbps_per_file_per_hour=_gbps(1.0))
    pa, so = crowd.peer_assisted, crowd.server_only
    clock = f"{int(hour) % 24:02d}:{round((hour % 1) * 60) % 60:02d}"
    fig.suptitle(f"{clock}: {pa.downloaders[step]:,.0f} downloading with peers, "
                 f"{so.downloaders[step]:,.0f} with servers alone; peers send "
                 f"{_gbps(pa.peer_rate_used[step]):.1f} Gbit/s", fontsize=15)
    return fig


def flash_crowd_explorer() -> Explorer:
    """Chapter 05: an episode released at 9 pm, peer-assisted vs servers alone, with Play."""
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
