"""The course's figure style: colour-blind-safe, readable from the back of a lecture hall.

Call :func:`use_course_style` once at the top of a notebook (``presenter=True`` enlarges
everything for a projector). Colours come from the Okabe–Ito palette (Okabe & Ito 2008,
"Color Universal Design"), which stays distinct under the common colour-vision deficiencies;
lines also differ by marker and dash so that a figure survives a greyscale projector.

Every plotting function takes an optional ``ax``, draws a *result* (it never runs a model)
and returns the ``matplotlib.axes.Axes`` it drew on.
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
from IPython.display import display

__all__ = [
    "CYCLE",
    "PALETTE",
    "ROLE_COLOURS",
    "finish_axes",
    "get_axes",
    "new_figure",
    "presenter_mode",
    "show_once",
    "use_course_style",
]

#: Okabe–Ito colour-blind-safe palette.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
    "grey": "#999999",
}

#: One colour per role or state of a peer, used by every chapter.
ROLE_COLOURS = {
    "peer": PALETTE["sky"],
    "supernode": PALETTE["orange"],
    "login_server": PALETTE["purple"],
    "connected": PALETTE["blue"],
    "cut_off": PALETTE["yellow"],
    "failed": PALETTE["grey"],
    "theory": PALETTE["black"],
}

CYCLE = [PALETTE[c] for c in ("blue", "orange", "green", "vermillion", "sky", "purple")]
_BASE_FONT = 14
_BASE_SIZE = (10.0, 5.6)
#: Current size factor (1.0, or 1.5 in presenter mode), for sizes that rcParams do not cover.
STATE = {"scale": 1.0}


def use_course_style(presenter: bool = False) -> None:
    """Apply the course style to matplotlib: white background, large fonts, safe colours.

    Parameters
    ----------
    presenter : bool
        Enlarge fonts, lines and figures by half again, for projecting in a lecture hall.

    Examples
    --------
    >>> use_course_style(presenter=True)
    >>> use_course_style()
    """
    scale = 1.5 if presenter else 1.0
    STATE["scale"] = scale
    font = _BASE_FONT * scale
    mpl.rcParams.update(
        {
            "figure.facecolor": "white",
            "axes.facecolor": "white",
            "savefig.facecolor": "white",
            "figure.figsize": (_BASE_SIZE[0] * min(scale, 1.3), _BASE_SIZE[1] * min(scale, 1.3)),
            "figure.dpi": 80,
            "figure.constrained_layout.use": True,
            "font.size": font,
            "axes.titlesize": font * 1.1,
            "axes.titleweight": "bold",
            "axes.labelsize": font,
            "xtick.labelsize": font * 0.9,
            "ytick.labelsize": font * 0.9,
            "legend.fontsize": font * 0.85,
            "legend.framealpha": 0.9,
            "lines.linewidth": 2.5 * scale,
            "lines.markersize": 7 * scale,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.prop_cycle": mpl.cycler(color=CYCLE),
            "text.color": "black",
            "axes.labelcolor": "black",
            "xtick.color": "black",
            "ytick.color": "black",
        }
    )


def presenter_mode(on: bool = True) -> None:
    """Switch presenter mode (larger everything) on or off for the figures that follow."""
    use_course_style(presenter=on)


def new_figure(ncols: int = 1, nrows: int = 1, width: float | None = None,
               height: float | None = None):
    """A figure in the course style with ``nrows x ncols`` axes; returns ``(fig, axes)``."""
    base_w, base_h = mpl.rcParams["figure.figsize"]
    size = (width or base_w * (1 if ncols == 1 else 0.75 * ncols),
            height or base_h * (1 if nrows == 1 else 0.8 * nrows))
    fig, axes = plt.subplots(nrows, ncols, figsize=size, squeeze=False)
    axes = axes.ravel()
    return fig, axes[0] if len(axes) == 1 else axes


def get_axes(ax=None):
    """``ax`` if given, else the axes of a new course-style figure."""
    return ax if ax is not None else new_figure()[1]


def show_once(figure_or_axes) -> None:
    """Display a figure in the notebook now and close it, so that it appears exactly once.

    Works whether or not the inline backend would also show open figures at the end of the
    cell (closed figures are not shown again). Accepts a figure or one of its axes.
    """
    figure = getattr(figure_or_axes, "figure", figure_or_axes)
    display(figure)
    plt.close(figure)


def finish_axes(ax, xlabel: str, ylabel: str, title: str | None = None, *, log_x=False,
                log_y=False, legend: dict | bool = True):
    """Label the axes (with units), set log scales, add the legend and the finding as title."""
    if log_x:
        ax.set_xscale("log")
    if log_y:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if legend:
        ax.legend(**(legend if isinstance(legend, dict) else {}))
    if title:
        ax.set_title(title)
    return ax
