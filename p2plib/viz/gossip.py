"""Figures for chapter 04: gossip, rumor mongering, reconciliation costs, repair vs rebuild."""

from __future__ import annotations

import numpy as np
from matplotlib.colors import LogNorm

from p2plib.viz.style import CYCLE, PALETTE, STATE, finish_axes, get_axes

__all__ = [
    "PROTOCOL_COLOURS",
    "plot_desync",
    "plot_gossip_race",
    "plot_rebuild_map",
    "plot_rounds_vs_n",
    "plot_rumor_tradeoff",
    "plot_session_bytes",
    "plot_spread_curves",
]

#: One colour per gossip protocol, used by every figure of the chapter.
PROTOCOL_COLOURS = {"push": PALETTE["blue"], "pull": PALETTE["orange"],
                    "push-pull": PALETTE["green"]}
_METHOD_COLOURS = {"full": PALETTE["vermillion"], "digest": PALETTE["purple"],
                   "merkle": PALETTE["green"], "rebuild": PALETTE["black"]}
_DASHES = ["-", "--", ":", "-."]
#: The chapter's display names of the methods, so that a figure keyed by them keeps the colours.
_METHOD_NAMES = {"full comparison": "full", "digests": "digest", "Merkle tree": "merkle"}


def _colour(label, i):
    method = _METHOD_NAMES.get(label, label)
    return PROTOCOL_COLOURS.get(label, _METHOD_COLOURS.get(method, CYCLE[i % len(CYCLE)]))


def plot_spread_curves(results: dict, theory: dict | None = None, ax=None,
                       title: str | None = None, uninformed: bool = True):
    """Share of replicas still without the update after each round, one line per run.

    Parameters
    ----------
    results : dict of label -> p2plib.gossip.SpreadResult
    theory : dict of label -> array, optional
        Predicted uninformed share per round (e.g. Demers' recurrence), drawn dashed in the
        colour of the run with the same label.
    uninformed : bool
        Plot the uninformed share on a log axis (shows the end game); else the informed share.
    """
    ax = get_axes(ax)
    for i, (label, r) in enumerate(results.items()):
        share = r.informed / r.n
        y = 1 - share if uninformed else share
        ax.plot(np.arange(len(y)), y, "o-", color=_colour(label, i), label=f"{label}: simulation",
                markersize=5 * STATE["scale"])
        if theory and label in theory:
            t = np.asarray(theory[label])
            ax.plot(np.arange(len(t)), t, "--", color=_colour(label, i), alpha=0.8,
                    label=f"{label}: recurrence")
    if uninformed:
        ax.set_yscale("log")
        ax.set_ylim(bottom=0.5 / max(r.n for r in results.values()), top=1.5)
        ylabel = "share of replicas still\nwithout the update"
    else:
        ax.set_ylim(0, 1.02)
        ylabel = "share of replicas\nthat have the update"
    return finish_axes(ax, "round", ylabel, title,
                       legend=dict(loc="lower left" if uninformed else "lower right"))


def plot_rounds_vs_n(ns, rounds: dict, theory: dict | None = None, ax=None,
                     title: str | None = None):
    """Rounds until every replica has the update vs number of replicas (log x axis).

    ``rounds`` maps a protocol to the measured mean rounds at each ``ns``; ``theory`` maps a
    label to a curve at the same ``ns`` (e.g. ``log2 n + ln n``).
    """
    ax = get_axes(ax)
    markers = ["o", "s", "^"]
    for i, (label, values) in enumerate(rounds.items()):
        ax.plot(ns, values, markers[i % 3], color=_colour(label, i), label=f"{label}: simulation",
                linestyle="none")
    for i, (label, values) in enumerate((theory or {}).items()):
        ax.plot(ns, values, _DASHES[i % 4], color=PALETTE["black"], alpha=0.7, linewidth=1.8,
                label=label)
    ax.set_xscale("log")
    return finish_axes(ax, "number of replicas",
                       "rounds until every\nreplica has the update", title,
                       legend=dict(loc="upper left"))


def plot_rumor_tradeoff(ours: dict, paper: dict | None = None, ax=None, title: str | None = None):
    """Residue (log) vs traffic per replica for rumor mongering, one series per variant.

    ``ours`` and ``paper`` map a variant label to ``(traffic array, residue array)`` over k;
    the paper's values are drawn as open markers, the analytic ``s = exp(-m)`` as a line.
    """
    ax = get_axes(ax)
    for i, (label, (m, s)) in enumerate(ours.items()):
        colour = CYCLE[i % len(CYCLE)]
        ax.plot(m, s, "o-", color=colour, label=f"{label}: simulation")
        if paper and label in paper:
            pm, ps = paper[label]
            ax.plot(pm, ps, "s", color=colour, markerfacecolor="none", markersize=12 * STATE[
                "scale"], markeredgewidth=2, label=f"{label}: Demers et al. 1987")
    grid = np.linspace(0, max(max(np.max(m) for m, _ in ours.values()), 1), 100)
    ax.plot(grid, np.exp(-grid), ":", color=PALETTE["black"], label="s = exp(-m)")
    ax.set_yscale("log")
    return finish_axes(ax, "traffic m (update messages per replica)",
                       "residue s (share never\nreached by the update)", title,
                       legend=dict(loc="lower left", fontsize="small"))


def plot_session_bytes(differences, costs: dict, ax=None, title: str | None = None):
    """Bytes of one anti-entropy session vs records that differ, one line per method (log-log)."""
    ax = get_axes(ax)
    for i, (label, values) in enumerate(costs.items()):
        ax.plot(differences, values, _DASHES[i % 4], color=_colour(label, i), label=label)
    return finish_axes(ax, "records in which the two replicas differ",
                       "bytes sent in one session", title, log_x=True, log_y=True)


def _hours(seconds):
    return np.asarray(seconds, dtype=float) / 3600.0


def plot_desync(results: dict, ax=None, title: str | None = None, rebuild: bool = True):
    """Mean records out of date per replica over time after a restart storm.

    One step line per :class:`p2plib.directory.DesyncResult` (repair by anti-entropy) and, for
    the first result, the rebuild from a central copy: replicas reload one after another at
    the central server's rate, so the divergence falls linearly until the rebuild ends.
    """
    ax = get_axes(ax)
    first = next(iter(results.values()))
    end = 0.0
    for i, (label, r) in enumerate(results.items()):
        t, y = _hours(r.time), r.divergence
        if np.isfinite(r.repair_seconds):
            end = max(end, t[-1])
        else:  # never repaired: hold the level past the rebuild
            t, y = np.append(t, max(t[-1], _hours(first.rebuild_seconds)) * 2 + 1), \
                np.append(y, y[-1])
        ax.step(t, y, where="post", color=_colour(label, i), linestyle=_DASHES[i % 4],
                label=f"repair: {label}")
    if rebuild and np.isfinite(first.rebuild_seconds) and first.rebuild_seconds > 0:
        stop = _hours(first.rebuild_seconds)
        # many points: a straight two-point segment would show a linear fall as exponential
        # on the log axis
        t = np.linspace(0.0, stop, 400)
        ax.plot(t, first.divergence[0] * (1 - t / stop), "--",
                color=_METHOD_COLOURS["rebuild"], label="rebuild from a central copy")
        end = max(end, stop)
    ax.set_xlim(0, max(end, 1 / 60) * 1.15)
    ax.set_yscale("symlog", linthresh=1)
    ax.set_ylim(bottom=0)
    # the rebuild line runs along the top for most of its length: the legend goes below
    return finish_axes(ax, "hours after the restart",
                       "records out of date\n(mean per replica)", title,
                       legend=dict(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2,
                                   fontsize="small", frameon=False))


def plot_rebuild_map(copy_bytes, bandwidths, seconds, ax=None, title: str | None = None,
                     marks: dict | None = None):
    """Heat map of rebuild time over total bytes to reload and central bandwidth.

    Parameters
    ----------
    copy_bytes : array_like
        Total bytes the central copy must send (x axis, log).
    bandwidths : array_like
        Central bandwidth in bytes/s (y axis, log; labelled in Mbit/s).
    seconds : 2-D array, shape (len(bandwidths), len(copy_bytes))
    marks : dict of label -> (bytes, bandwidth), optional
        Scenarios to mark with a labelled point.
    """
    ax = get_axes(ax)
    x = np.asarray(copy_bytes, float)
    y = np.asarray(bandwidths, float) * 8 / 1e6
    hours = _hours(seconds)
    mesh = ax.pcolormesh(x, y, hours, norm=LogNorm(vmin=max(hours.min(), 1e-3),
                                                   vmax=hours.max()),
                         cmap="cividis", shading="auto")
    ax.figure.colorbar(mesh, ax=ax, label="rebuild time (hours)")
    # Colour bar and log axes first: contour labels placed before the change of scale (or of
    # the axes' shape) end up far from their lines and turned the wrong way. Each level is
    # then labelled on its own line, in the middle of its visible part.
    ax.set_xscale("log")
    ax.set_yscale("log")
    names = {1 / 6: "10 min", 1: "1 hour", 24: "1 day", 24 * 7: "1 week"}
    levels = [level for level in names if hours.min() < level < hours.max()]
    contour = ax.contour(x, y, hours, levels=levels, colors="white", linewidths=1.5)
    places = []
    for level in levels:
        # on this line, bytes = level * 3600 * bandwidth (bytes/s): the part inside the axes
        bw = np.asarray(bandwidths, float)
        inside = bw[(level * 3600 * bw >= x.min()) & (level * 3600 * bw <= x.max())]
        if inside.size:
            middle = np.sqrt(inside.min() * inside.max())
            places.append((level * 3600 * middle, middle * 8 / 1e6))
    if places:
        ax.clabel(contour, fmt=names, fontsize="medium", manual=places, inline_spacing=6)
    for label, (b, bw) in (marks or {}).items():
        ax.plot(b, bw * 8 / 1e6, "o", color=PALETTE["vermillion"], markeredgecolor="white",
                markersize=10 * STATE["scale"])
        ax.annotate(label, (b, bw * 8 / 1e6), textcoords="offset points", xytext=(8, 6),
                    color="white", fontweight="bold")
    ax.set_xlabel("bytes to reload from the central copy")
    ax.set_ylabel("central bandwidth (Mbit/s)")
    ax.grid(False)
    if title:
        ax.set_title(title)
    return ax


def plot_gossip_race(results: dict, round_: int, axes, n_label: str | None = None):
    """Gossip race: informed share and cumulative messages up to ``round_``, per protocol.

    ``axes`` is a pair (left: share informed per round; right: messages per replica so far).
    """
    left, right = axes
    last = max(r.rounds for r in results.values())
    for i, (label, r) in enumerate(results.items()):
        colour = _colour(label, i)
        upto = min(round_, r.rounds)
        x = np.arange(r.rounds + 1)
        share = r.informed / r.n
        left.plot(x, share, "-", color=colour, alpha=0.25)
        status = f"all in {r.rounds} rounds" if upto == r.rounds else f"{share[upto]:.1%}"
        left.plot(x[: upto + 1], share[: upto + 1], "o-", color=colour,
                  markersize=5 * STATE["scale"], label=f"{label}: {status}")
        sent = np.concatenate([[0], np.cumsum(r.messages)]) / r.n
        right.plot(x, sent, "-", color=colour, alpha=0.25)
        right.plot(x[: upto + 1], sent[: upto + 1], "o-", color=colour,
                   markersize=5 * STATE["scale"], label=f"{label}: {sent[upto]:.1f}")
    for ax in (left, right):
        ax.axvline(round_, color=PALETTE["grey"], linewidth=6, alpha=0.3)
        ax.set_xlim(-0.5, last + 0.5)
        ax.set_xlabel("round")
    left.set_yscale("log")
    left.set_ylim(0.5 / next(iter(results.values())).n, 1.5)
    left.set_ylabel("share of replicas that\nhave the update (log scale)")
    left.legend(loc="lower right", title=n_label)
    right.set_ylabel("copies of the update sent\n(per replica, so far)")
    right.legend(loc="upper left")
    return left, right
