"""Figures for the minimal chain reaction (:mod:`p2plib.chain_reaction`, chapter 03).

Its three counts over time, a table of them at chosen hours, and its service beside the full
model's (:mod:`p2plib.outage`). Each function draws results (never runs a model). The time
axis is the course clock of :mod:`p2plib.viz.outage` (UTC, ``+h`` since the run start).
"""

from __future__ import annotations

from p2plib.viz.outage import clock_axis, clock_label, step_at
from p2plib.viz.style import CYCLE, PALETTE, ROLE_COLOURS, get_axes, new_figure

__all__ = ["plot_chain_reaction", "plot_minimal_vs_full", "table_chain_reaction"]

_LINES = ("-", "--", "-.", ":")


def plot_chain_reaction(result, title: str | None = None, start_weekday: int = 1,
                        width: float = 14, height: float = 10):
    """The minimal model's three counts over time (a :class:`ChainReactionResult`).

    Top: clients who want service, the pool's slots and the clients connected (millions).
    Middle: login attempts and useful answers per minute against the servers' capacity.
    Bottom: the login queue (millions).

    Parameters
    ----------
    result : ChainReactionResult
        A run of :func:`p2plib.chain_reaction.simulate`.
    title : str, optional
        Title of the figure.
    start_weekday : int
        Weekday of hour 0 (0 = Monday ... 6 = Sunday), for the time axis.
    width, height : float
        Figure size, inches.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from p2plib import chain_reaction
    >>> r = chain_reaction.simulate(chain_reaction.ChainReaction(days=1.0))
    >>> fig = plot_chain_reaction(r, title="one quiet day")
    >>> fig.axes[0].get_ylabel().split()[0]
    'clients'
    >>> plt.close(fig)
    """
    fig, (clients_ax, login_ax, queue_ax) = new_figure(nrows=3, width=width, height=height)
    t, p = result.time_h, result.params
    clients_ax.plot(t, result.demand / 1e6, color=ROLE_COLOURS["theory"], linestyle="--",
                    linewidth=1.5, label="clients who want service")
    clients_ax.plot(t, result.slots / 1e6, color=ROLE_COLOURS["supernode"],
                    label="supernode slots")
    clients_ax.plot(t, result.connected / 1e6, color=ROLE_COLOURS["connected"],
                    label="clients connected")
    clients_ax.set_ylim(bottom=0)
    clients_ax.set_ylabel("clients\n(millions)")
    clients_ax.legend(loc="lower left", fontsize="small", ncol=3)
    login_ax.plot(t, result.login_attempts, color=ROLE_COLOURS["login_server"],
                  label="login attempts")
    login_ax.plot(t, result.login_goodput, color=PALETTE["green"], linestyle="--",
                  label="useful answers")
    login_ax.axhline(p.login_capacity_per_min, color=ROLE_COLOURS["theory"], linewidth=1,
                     linestyle=":", label="login capacity")
    login_ax.set_yscale("symlog", linthresh=p.login_capacity_per_min / 10)
    login_ax.set_ylim(0, max(result.login_attempts.max(), p.login_capacity_per_min) * 3)
    login_ax.set_ylabel("requests\nper minute")
    login_ax.legend(loc="upper left", fontsize="small", ncol=3)
    queue_ax.plot(t, result.login_queue / 1e6, color=PALETTE["vermillion"])
    queue_ax.set_ylim(bottom=0)
    queue_ax.set_ylabel("queued requests\n(millions)")
    for ax in (clients_ax, login_ax, queue_ax):
        clock_axis(ax, t, start_weekday)
    for ax in (clients_ax, login_ax):
        ax.set_xlabel("")
    if title:
        fig.suptitle(title)
    return fig


def plot_minimal_vs_full(minimal, full, ax=None, labels=None, title=None, level=0.5):
    """Service of the minimal model and of the full model, over time.

    Service is connected clients over a normal day's clients at that hour (share in [0, 1]).

    Parameters
    ----------
    minimal : ChainReactionResult
        A run of :func:`p2plib.chain_reaction.simulate`.
    full : OutageResult or list of OutageResult
        Runs of the full model, starting at the same hour.
    ax : matplotlib.axes.Axes, optional
        Where to draw (default: a new figure).
    labels : list of str, optional
        Legend names: the minimal model's first, then one per full run.
    title : str, optional
        Axes title.
    level : float, optional
        A service level drawn as a dotted line (share in [0, 1]); ``None``: none.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from p2plib import chain_reaction, outage
    >>> s = outage.Scenario(online_peers=1e4, days=1.0, step_min=5)
    >>> ax = plot_minimal_vs_full(
    ...     chain_reaction.simulate(chain_reaction.ChainReaction.from_scenario(s)),
    ...     outage.simulate(s), title="both models")
    >>> ax.get_title()
    'both models'
    >>> plt.close(ax.figure)
    """
    ax = get_axes(ax)
    fulls = full if isinstance(full, list | tuple) else [full]
    labels = labels or ["minimal model"] + [r.scenario.name for r in fulls]
    ax.plot(minimal.time_h, minimal.service, color=ROLE_COLOURS["theory"], linestyle="--",
            label=labels[0])
    for i, (r, label) in enumerate(zip(fulls, labels[1:], strict=True)):
        ax.plot(r.time_h, r.connected / r.demand, color=CYCLE[i % len(CYCLE)],
                linestyle=_LINES[i % len(_LINES)], label=label)
    if level is not None:
        ax.axhline(level, color=PALETTE["grey"], linewidth=1, linestyle=":")
    ax.set_ylim(-0.02, 1.05)
    ax.set_ylabel("service (connected /\na normal day's online)")
    clock_axis(ax, minimal.time_h, fulls[0].scenario.start_weekday)
    ax.legend(loc="lower left")
    if title:
        ax.set_title(title)
    return ax


def table_chain_reaction(result, hours, start_weekday: int = 1) -> str:
    """The minimal model's counts at chosen hours, as a text table.

    Demand, slots, connected and queued in millions; attempts and useful answers per minute.

    Parameters
    ----------
    result : ChainReactionResult
        A run of :func:`p2plib.chain_reaction.simulate`.
    hours : sequence of float
        Hours since the run start (+h), each within the run.
    start_weekday : int
        Weekday of hour 0 (0 = Monday ... 6 = Sunday).

    Returns
    -------
    str
        One header line and one line per hour.

    Examples
    --------
    >>> from p2plib import chain_reaction
    >>> r = chain_reaction.simulate(chain_reaction.ChainReaction(days=1.0))
    >>> print(table_chain_reaction(r, [16]).splitlines()[1])
       16  Tue 16h    8.10 M  10.0 M     8.01 M        44,441      44,441    0.0 M
    """
    lines = ["   +h  UTC        demand   slots  connected  attempts/min  useful/min  queued"]
    for hour in hours:
        i = step_at(result.time_h, hour)
        lines.append(f"{hour:5.0f}  {clock_label(hour, start_weekday)}  "
                     f"{result.demand[i] / 1e6:6.2f} M {result.slots[i] / 1e6:5.1f} M  "
                     f"{result.connected[i] / 1e6:7.2f} M  {result.login_attempts[i]:12,.0f}  "
                     f"{result.login_goodput[i]:10,.0f}  {result.login_queue[i] / 1e6:5.1f} M")
    return "\n".join(lines)
