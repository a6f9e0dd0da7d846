"""Figures for the chapter 06 capstone: service in 2007 and 2010 under one policy.

:class:`PolicyPanels` is the policy lab's figure, built once and updated in place after every
move; :func:`plot_policy_report` draws one report the same way.
"""

from __future__ import annotations

from p2plib.viz.outage import plot_service
from p2plib.viz.style import PALETTE, cache_background, new_figure

__all__ = ["PolicyPanels", "plot_policy_report"]


def _verdict(report, name: str) -> tuple[str, str]:
    """The title of one event's panel and its colour (vermillion when the event fails)."""
    text = (f"{report.hours_below[name]:.1f} h below {report.service_level:.0%}"
            + ("" if report.recovered[name] else ", still down"))
    ok = report.recovered[name] and report.hours_below[name] <= report.max_hours_below
    return text, PALETTE["black"] if ok else PALETTE["vermillion"]


class PolicyPanels:
    """Service in 2007 and in 2010 under one policy, side by side, redrawn in place.

    One panel per event of the report (left 2007, right 2010): the served fraction over the
    run (connected clients over a normal day's online), the service level as a dashed line,
    the events, and the verdict as the panel's title (vermillion when the event fails).
    :meth:`update` changes only the curves, the titles and the cursor, so that the policy
    lab's redraw costs only their rendering (:func:`p2plib.viz.cache_background`).

    Parameters
    ----------
    report : p2plib.policy.PolicyReport
        What :func:`p2plib.policy.evaluate_policy` returned; every later report must have
        the same events and run lengths (any policy does).
    title : str, optional
        The figure's title (e.g. the verdict over both events).
    now_h : float, optional
        A time cursor, hours since each run's start.
    width, height : float
        Figure size, inches (default 15 x 5.8: two panels, readable from the back of a room).

    Attributes
    ----------
    figure : matplotlib.figure.Figure
    axes : array of matplotlib.axes.Axes
        One per event, in the order of ``report.results``.
    service : list of matplotlib.lines.Line2D
        The served-fraction curve of each panel.
    suptitle : matplotlib.text.Text

    Examples
    --------
    >>> from p2plib.policy import Policy, evaluate_policy
    >>> panels = PolicyPanels(evaluate_policy(Policy(), online_peers=5_000, step_min=5))
    >>> panels.axes[0].get_title()
    '52.7 h below 50%'
    >>> better = evaluate_policy(Policy(overload="refuse"), online_peers=5_000, step_min=5)
    >>> panels.update(better, title="PASSED") is panels.figure, panels.axes[0].get_title()
    (True, '0.0 h below 50%')
    """

    def __init__(self, report, title: str | None = None, now_h: float | None = None,
                 width: float = 15, height: float = 5.8):
        fig, axes = new_figure(ncols=2, width=width, height=height)
        # Fixed margins instead of the layout engine: the lab redraws this many times, and
        # the titles it changes must not move the axes.
        fig.set_layout_engine("none")
        gap = 1.05
        fig.subplotpars.update(left=0.95 / width, right=1 - 0.3 / width, bottom=0.8 / height,
                               top=1 - 1.2 / height,
                               wspace=gap / ((width - 0.95 - 0.3 - gap) / 2))
        for ax in axes:
            ax.set_position(ax.get_subplotspec().get_position(fig))
        self.figure, self.axes = fig, axes
        self.names = list(report.results)
        self.service, self.levels, self.cursors = [], [], []
        for ax, (name, result) in zip(axes, report.results.items(), strict=True):
            plot_service(result, ax=ax, labels=[f"{name}: your policy"],
                         level=report.service_level)
            self.service.append(ax.lines[0])
            self.levels.append(ax.lines[1])
            self.cursors.append(ax.axvline(0.0, color=PALETTE["vermillion"], linewidth=4,
                                           alpha=0.35))
            ax.set_title(" ", pad=46)
        self.suptitle = fig.suptitle(" ", fontweight="bold")
        dynamic = [self.suptitle]
        for ax in axes:
            dynamic += [ax.title, *ax.lines, *ax.collections, *ax.spines.values()]
        # one saved picture: the axis limits never change
        cache_background(fig, dynamic, on_top=[ax.get_legend() for ax in axes], keep=1)
        self.update(report, title=title, now_h=now_h)

    def update(self, report, title: str | None = None, now_h: float | None = None):
        """Draw another report (same events and run lengths) on the same figure.

        Parameters
        ----------
        report : p2plib.policy.PolicyReport
        title : str, optional
            The figure's title.
        now_h : float, optional
            A time cursor, hours since each run's start.

        Returns
        -------
        matplotlib.figure.Figure
            :attr:`figure`, updated.
        """
        if list(report.results) != self.names:
            raise ValueError(f"report must have the events {self.names}, got "
                             f"{list(report.results)}")
        for k, (name, result) in enumerate(report.results.items()):
            served = result.connected / result.demand
            if len(served) != len(self.service[k].get_xdata()):
                raise ValueError(f"report: the {name} run has another length than the first")
            self.service[k].set_ydata(served)
            self.levels[k].set_ydata([report.service_level] * 2)
            self.cursors[k].set_xdata([0.0 if now_h is None else now_h] * 2)
            self.cursors[k].set_visible(now_h is not None)
            text, colour = _verdict(report, name)
            self.axes[k].title.set_text(text)
            self.axes[k].title.set_color(colour)
        self.suptitle.set_text(title or "")
        return self.figure


def plot_policy_report(report, now_h: float | None = None, title: str | None = None):
    """Service in 2007 and in 2010 under one policy, side by side; returns the figure.

    The policy lab's figure (:class:`PolicyPanels`) for one report.

    Parameters
    ----------
    report : p2plib.policy.PolicyReport
        What :func:`p2plib.policy.evaluate_policy` returned.
    now_h : float, optional
        A time cursor, hours since each run's start.
    title : str, optional
        The figure's title.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from p2plib.policy import Policy, evaluate_policy
    >>> fig = plot_policy_report(evaluate_policy(Policy(), online_peers=5_000, step_min=5),
    ...                          title="Skype's 2007 behaviour")
    >>> fig.texts[0].get_text(), fig.axes[1].get_title()
    ("Skype's 2007 behaviour", '54.2 h below 50%, still down')
    >>> plt.close(fig)
    """
    return PolicyPanels(report, title=title, now_h=now_h).figure

