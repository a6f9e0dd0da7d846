"""The course's figure style: colour-blind-safe, readable from the back of a lecture hall.

Call :func:`use_course_style` once at the top of a notebook. The default sizes are chosen for
a projector: at the default figure width (10 in, 800 px) no text is smaller than 14 pt (axis
labels, tick labels, legends and "small" annotations 14 pt, titles 15.4 pt). Presenter mode enlarges
everything by half again (the figures are drawn at 1.5 times the resolution, so their layout
is unchanged): ``use_course_style(presenter=True)``, or, without editing any notebook, the
environment variable ``P2P_PRESENTER=1`` (read by every call that does not say
``presenter=``). Colours come from the Okabe–Ito palette (Okabe & Ito 2008,
"Color Universal Design"), which stays distinct under the common colour-vision deficiencies;
lines also differ by marker and dash so that a figure survives a greyscale projector.

Every plotting function takes an optional ``ax``, draws a *result* (it never runs a model)
and returns the ``matplotlib.axes.Axes`` it drew on.
"""

from __future__ import annotations

import collections
import contextlib
import contextvars
import os
import struct
import types
import zlib

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from IPython import get_ipython
from IPython.display import display
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.layout_engine import PlaceHolderLayoutEngine
from matplotlib.ticker import NullLocator

__all__ = [
    "CYCLE",
    "PALETTE",
    "ROLE_COLOURS",
    "FigurePool",
    "cache_background",
    "figure_alt",
    "finish_axes",
    "get_axes",
    "major_ticks_only",
    "new_figure",
    "presenter_from_environment",
    "presenter_mode",
    "render_png",
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
#: The environment variable that switches presenter mode on for every chapter (1, true, yes, on).
PRESENTER_ENV = "P2P_PRESENTER"
_BASE_SIZE = (10.0, 5.6)
_BASE_DPI = 80
#: How much presenter mode enlarges every figure (its resolution: 80 -> 120 dpi).
_PRESENTER_ZOOM = 1.5
#: ``presenter``: whether presenter mode is on; ``scale``: a factor for sizes that rcParams do
#: not cover (1.0: presenter mode enlarges through the dpi, which scales every size in points).
STATE = {"scale": 1.0, "presenter": False}


def use_course_style(presenter: bool | None = None) -> None:
    """Apply the course style to matplotlib: white background, large fonts, safe colours.

    Parameters
    ----------
    presenter : bool, optional
        Enlarge everything by half again, for projecting in a large hall: the figures are
        drawn at 1.5 times the resolution (120 instead of 80 dpi), so text, lines and markers
        grow together and every figure keeps its layout (nothing new overlaps or is cut off).
        ``None`` (the default) reads the environment variable ``P2P_PRESENTER``: ``1``,
        ``true``, ``yes`` or ``on`` switch presenter mode on, so that a lecturer needs to edit
        no notebook (start Jupyter or Voila with ``P2P_PRESENTER=1``).

    Examples
    --------
    >>> use_course_style(presenter=True)
    >>> use_course_style(presenter=False)
    """
    if presenter is None:
        presenter = presenter_from_environment()
    STATE["presenter"] = bool(presenter)
    # Sizes in points (fonts, lines, markers) grow with the dpi; a figure's composition does
    # not change, so STATE["scale"] (for sizes the rcParams do not cover) stays 1.
    STATE["scale"] = 1.0
    font = _BASE_FONT
    # "small" text (secondary legends, annotations) stays at 14 pt: a projector's floor
    font_manager.font_scalings["small"] = 1.0
    mpl.rcParams.update(
        {
            "figure.facecolor": "white",
            "axes.facecolor": "white",
            "savefig.facecolor": "white",
            "figure.figsize": _BASE_SIZE,
            "figure.dpi": _BASE_DPI * (_PRESENTER_ZOOM if presenter else 1.0),
            "figure.constrained_layout.use": True,
            "font.size": font,
            "axes.titlesize": font * 1.1,
            "axes.titleweight": "bold",
            "axes.labelsize": font,
            "xtick.labelsize": font,
            "ytick.labelsize": font,
            "legend.fontsize": font,
            "legend.framealpha": 0.9,
            "lines.linewidth": 2.5,
            "lines.markersize": 7,
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
    _register_alt_text()


def figure_alt(fig) -> str:
    """A figure's alternative text: what it shows, from its titles (they state the finding).

    The figure's suptitle, then each axes' titles (left, centre, right), in order, without
    repeats; a title's line breaks (set for its width) become spaces. Empty when the figure
    has no title at all.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure.

    Returns
    -------
    str
        The titles joined by ". " (empty without titles).

    Examples
    --------
    >>> fig = Figure()
    >>> ax = fig.subplots()
    >>> _ = ax.set_title("Capacity grows with the peers")
    >>> figure_alt(fig)
    'Capacity grows with the peers'
    >>> _ = fig.suptitle("Two tiers")
    >>> figure_alt(fig)
    'Two tiers. Capacity grows with the peers'
    """
    texts = [fig._suptitle.get_text() if fig._suptitle is not None else ""]
    texts += [ax.get_title(loc) for ax in fig.axes for loc in ("left", "center", "right")]
    parts = []
    for text in texts:
        text = " ".join(line.strip() for line in text.splitlines() if line.strip())
        if text and text not in parts:
            parts.append(text)
    return ". ".join(parts)


def _alt_metadata(fig) -> tuple[dict, dict]:
    """Mime-bundle formatter: no data (the PNG formatter draws), only the PNG's alt text."""
    alt = figure_alt(fig)
    return ({}, {"image/png": {"alt": alt}}) if alt else ({}, {})


def _register_alt_text() -> None:
    """In IPython, store each figure's :func:`figure_alt` with its PNG output ("alt").

    Registered as a mime-bundle formatter for matplotlib figures: it adds only metadata, so
    the inline backend's PNG formatter still draws the image (and can be set up later without
    undoing this). Notebooks' stored outputs then carry the alternative text that the course
    website (tools/build_site.py) gives each figure. Outside IPython nothing happens.
    """
    shell = get_ipython()
    if shell is None:
        return
    shell.display_formatter.mimebundle_formatter.for_type(Figure, _alt_metadata)


def presenter_from_environment() -> bool:
    """Whether ``P2P_PRESENTER`` asks for presenter mode (``1``, ``true``, ``yes``, ``on``).

    Returns
    -------
    bool
        True if the environment variable holds one of those words (any case).

    Examples
    --------
    >>> import os
    >>> os.environ.get("P2P_PRESENTER", "") == "" and presenter_from_environment()
    False
    """
    return os.environ.get(PRESENTER_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def presenter_mode(on: bool = True) -> None:
    """Switch presenter mode (larger everything) on or off for the figures that follow.

    Parameters
    ----------
    on : bool
        True: presenter mode (figures at 120 dpi instead of 80); False: the normal style.

    Examples
    --------
    >>> presenter_mode(True)
    >>> STATE["presenter"]
    True
    >>> presenter_mode(False)
    """
    use_course_style(presenter=on)


def new_figure(ncols: int = 1, nrows: int = 1, width: float | None = None,
               height: float | None = None):
    """A figure in the course style with ``nrows x ncols`` axes; returns ``(fig, axes)``.

    Inside :meth:`FigurePool.active` (an explorer redrawing), the figure comes from the pool:
    the same figure and axes as last time, cleared. Otherwise it is a new pyplot figure, which
    the notebook shows at the end of the cell.

    Parameters
    ----------
    ncols, nrows : int
        Columns and rows of axes (>= 1).
    width, height : float, optional
        Figure size in inches; by default the style's (10 x 5.6 in after
        :func:`use_course_style`), 0.75 of that width per column and 0.8 of that height per
        row when there are several.

    Returns
    -------
    tuple
        ``(fig, ax)`` for a single axes, else ``(fig, axes)`` with a flat array of axes (row
        by row).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, (left, right) = new_figure(ncols=2, width=12, height=5)
    >>> [float(x) for x in fig.get_size_inches()]
    [12.0, 5.0]
    >>> plt.close(fig)
    """
    base_w, base_h = mpl.rcParams["figure.figsize"]
    size = (width or base_w * (1 if ncols == 1 else 0.75 * ncols),
            height or base_h * (1 if nrows == 1 else 0.8 * nrows))
    pool = _ACTIVE_POOL.get()
    if pool is not None:
        fig, axes = pool.figure(nrows, ncols, size)
    else:
        fig, axes = plt.subplots(nrows, ncols, figsize=size, squeeze=False)
        axes = axes.ravel()
    return fig, axes[0] if len(axes) == 1 else axes


_ACTIVE_POOL: contextvars.ContextVar[FigurePool | None] = contextvars.ContextVar(
    "active_figure_pool", default=None)


class FigurePool:
    """Figures kept from one redraw to the next, so that an explorer answers quickly.

    A fresh matplotlib figure spends most of its first rendering on building tick marks and
    measuring text; an explorer that redraws the same kind of figure after every slider move
    can skip that by clearing and reusing the figure it drew last time. While the pool is
    :meth:`active`, :func:`new_figure` takes its figures from the pool (outside pyplot, so they
    are never shown twice). A reused figure renders pixel for pixel like a fresh one (the
    course's tests compare them for every explorer).

    Attributes
    ----------
    active : method
        Context manager: within it, :func:`new_figure` reuses this pool's figures.
    figure : method
        ``figure(nrows, ncols, size)``: the pool's figure for that grid and size, cleared.

    Examples
    --------
    >>> pool = FigurePool()
    >>> with pool.active():
    ...     fig, ax = new_figure()
    >>> with pool.active():
    ...     again, ax = new_figure()
    >>> again is fig
    True
    """

    def __init__(self):
        self._figures: dict = {}

    @contextlib.contextmanager
    def active(self):
        """Within this block, :func:`new_figure` reuses this pool's figures."""
        token = _ACTIVE_POOL.set(self)
        try:
            yield self
        finally:
            _ACTIVE_POOL.reset(token)

    def figure(self, nrows: int, ncols: int, size: tuple[float, float]):
        """The pool's figure with this grid and size, cleared; ``(fig, flat array of axes)``."""
        # a change of style (presenter mode, say) starts a new figure
        key = (nrows, ncols, tuple(size), hash(repr(sorted(mpl.rcParams.items()))))
        if key not in self._figures:
            fig = Figure(figsize=size)      # the course style's rcParams apply (layout too)
            FigureCanvasAgg(fig)
            self._figures[key] = (fig, fig.subplots(nrows, ncols, squeeze=False).ravel())
            return self._figures[key]
        fig, axes = self._figures[key]
        _clear_figure(fig, axes)
        return fig, axes


def _clear_figure(fig, axes) -> None:
    """Clear a pooled figure to its just-made state, keeping each axis's tick objects."""
    for extra in [ax for ax in fig.axes if not any(ax is kept for kept in axes)]:
        fig.delaxes(extra)                      # twin axes, colour bars
    for artist in [*fig.texts, *fig.legends, *fig.lines, *fig.patches, *fig.images]:
        artist.remove()
    fig._suptitle = fig._supxlabel = fig._supylabel = None
    fig._course_background = None       # the saved pictures of the last drawing (render_png)
    for ax in axes:
        ticks = [(axis, axis.majorTicks, axis.minorTicks) for axis in (ax.xaxis, ax.yaxis)]
        ax.cla()
        ax._colorbars = []                  # (cla keeps them; the layout would make room)
        for axis, major, minor in ticks:    # building ticks is the slow part of a new figure
            for tick in major:
                tick._apply_params(**axis._major_tick_kw)
            for tick in minor:
                tick._apply_params(**axis._minor_tick_kw)
            axis.majorTicks, axis.minorTicks = major, minor
        # back to the grid position, so that the layout engine starts where a new figure would
        ax._set_position(ax.get_subplotspec().get_position(fig))


def render_png(fig) -> bytes:
    """The figure as PNG bytes, rendered once at its own size and dpi (no pyplot needed).

    What an explorer displays after every move, so it is built for speed:

    - one Agg draw (the layout engine, constrained layout in the course style, runs inside
      it; ``savefig`` would lay the figure out twice);
    - a figure prepared with :func:`cache_background` redraws only its changing artists
      over a saved picture of the rest (a few milliseconds instead of tens);
    - the pixels are written as PNG directly: RGB when every pixel is opaque (the course's
      white figures), rows unfiltered, zlib level 1: about twice as fast as Pillow's encoder
      at its fastest level, for a file no larger (the images are shown, not stored).

    The picture is the figure's own size and resolution: 80 dpi, or 120 in presenter mode.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        Any figure; it gets an Agg canvas if it has another one.

    Returns
    -------
    bytes
        A PNG image, ``width x height`` pixels as ``fig.get_size_inches() * fig.dpi``.

    Examples
    --------
    >>> fig = Figure(figsize=(4, 3), dpi=80)
    >>> _ = fig.subplots().plot([0, 1], [1, 0])
    >>> png = render_png(fig)
    >>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n", struct.unpack(">II", png[16:24])
    (True, (320, 240))
    """
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    layers = getattr(fig, "_course_background", None)
    if layers is None:
        canvas.draw()
    else:
        layers.render(canvas)
    return _png_bytes(np.asarray(canvas.buffer_rgba()))


def _png_chunk(tag: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))


def _png_bytes(rgba: np.ndarray) -> bytes:
    """A ``height x width x 4`` uint8 array as a PNG (8-bit RGB if fully opaque, else RGBA)."""
    height, width, _ = rgba.shape
    opaque = bool((rgba[..., 3] == 255).all())
    pixels = rgba[..., :3] if opaque else rgba
    rows = np.zeros((height, 1 + width * pixels.shape[2]), np.uint8)   # filter byte 0: none
    rows[:, 1:] = pixels.reshape(height, -1)
    header = struct.pack(">IIBBBBB", width, height, 8, 2 if opaque else 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header)
            + _png_chunk(b"IDAT", zlib.compress(rows, 1)) + _png_chunk(b"IEND", b""))


class _Background:
    """The saved pictures of a figure's static part, and how to draw the rest over them."""

    def __init__(self, dynamic, on_top, keep: int):
        self.dynamic, self.keep = list(dynamic), keep
        self._on_top = on_top if callable(on_top) else tuple(on_top)
        self.saved: collections.OrderedDict = collections.OrderedDict()

    @property
    def on_top(self) -> list:
        """The artists put back on top (a callable's answer at this moment)."""
        return list(self._on_top() if callable(self._on_top) else self._on_top)

    def _draw_order(self, fig) -> list:
        """The dynamic artists in the order a full draw would paint them."""
        wanted = {id(artist) for artist in self.dynamic}
        order = []
        for top in sorted(fig.get_children()[1:], key=lambda a: a.get_zorder()):
            if hasattr(top, "get_children") and top in fig.axes:
                children = [a for a in top.get_children() if a is not top.patch]
                order += [a for a in sorted(children, key=lambda a: a.get_zorder())
                          if id(a) in wanted]
            elif id(top) in wanted:
                order.append(top)
        return order

    def render(self, canvas) -> None:
        fig = canvas.figure
        key = (canvas.get_width_height(), fig.dpi,
               tuple(tuple(np.round(ax.viewLim.bounds, 12)) for ax in fig.axes))
        saved = self.saved.pop(key, None)
        if saved is None:
            # everything static: the dynamic artists "animated" (left out) for this one
            # draw only, since savefig leaves animated figure-level artists (the suptitle)
            # out too; not hidden, which would move the axes' titles
            animated = [artist.get_animated() for artist in self.dynamic]
            for artist in self.dynamic:
                artist.set_animated(True)
            try:
                canvas.draw()
            finally:
                for artist, before in zip(self.dynamic, animated, strict=True):
                    artist.set_animated(before)
            saved = canvas.copy_from_bbox(fig.bbox)
        else:
            canvas.restore_region(saved)
        self.saved[key] = saved
        while len(self.saved) > self.keep:
            self.saved.popitem(last=False)
        renderer = canvas.get_renderer()
        for artist in self._draw_order(fig):
            artist.draw(renderer)
        height = int(fig.bbox.height)
        for artist in self.on_top:      # back on top of what was just drawn
            if artist.get_visible():
                # the saved picture's pixels count rows from the top
                x0, y0, x1, y1 = artist.get_window_extent(renderer).extents
                box = (int(np.floor(x0)) - 1, height - int(np.ceil(y1)) - 1,
                       int(np.ceil(x1)) + 1, height - int(np.floor(y0)) + 1)
                canvas.restore_region(saved, bbox=box, xy=(0, 0))   # xy: an offset


def cache_background(fig, dynamic, on_top=(), keep: int = 4) -> None:
    """Let :func:`render_png` redraw only ``dynamic`` artists over a saved static picture.

    For a figure an explorer keeps and updates in place (curves, a cursor, titles), where
    most of the drawing (axes, ticks, labels, legends) does not change: the first rendering
    draws everything else and saves the picture; later renderings restore it and draw the
    dynamic artists over it, in the order a full draw would. Pictures are kept per axis
    limits (up to ``keep`` of them), so limits that move between a few values stay fast.
    ``savefig`` and the notebook's inline backend still draw the whole figure as usual.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure, with fixed margins (``fig.set_layout_engine("none")``: a layout engine
        would move the axes under the saved picture); :class:`FigurePool` forgets this when
        it clears the figure.
    dynamic : sequence of matplotlib.artist.Artist
        Every artist whose look may change between renderings, plus every artist drawn above
        one of them that they may overlap (reference lines, spines, markers).
    on_top : sequence of matplotlib.artist.Artist, or a callable returning one
        Static artists that must stay above the dynamic ones (legends): their box is put
        back from the saved picture after the dynamic artists are drawn. A callable is asked
        at every rendering (for legends that may be replaced).
    keep : int
        How many saved pictures (one per set of axis limits) to keep, at least 1; each is
        ``width x height x 4`` bytes (2.3 MB at 960 x 608 pixels).

    Examples
    --------
    >>> fig = Figure(figsize=(4, 3), dpi=80, layout="none")
    >>> ax = fig.subplots()
    >>> line, = ax.plot([0, 1], [0, 1])
    >>> cache_background(fig, [line])
    >>> first = render_png(fig)
    >>> line.set_ydata([1, 0])
    >>> render_png(fig) != first
    True
    """
    if keep < 1:
        raise ValueError(f"keep must be at least 1, got {keep}")
    if not isinstance(fig.get_layout_engine(), types.NoneType | PlaceHolderLayoutEngine):
        raise ValueError("fig must have fixed margins (fig.set_layout_engine('none')): a "
                         "layout engine would move the axes under the saved picture")
    # kept on the figure, so that it goes with it (a registry keyed by figures would keep
    # every figure alive through its artists)
    fig._course_background = _Background(dynamic, on_top, keep)


def get_axes(ax=None):
    """``ax`` if given, else the axes of a new course-style figure.

    Parameters
    ----------
    ax : matplotlib.axes.Axes, optional
        Axes to draw on.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``, or the single axes of :func:`new_figure`.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = get_axes()
    >>> get_axes(ax) is ax
    True
    >>> plt.close(ax.figure)
    """
    return ax if ax is not None else new_figure()[1]


def major_ticks_only(*axes) -> None:
    """Drop the unlabelled minor ticks of these axes (``ax.xaxis``, ``ax.yaxis``).

    A log axis over several decades carries dozens of minor ticks, which can double the time an
    explorer takes to draw; the labelled decades and their grid lines remain.

    Parameters
    ----------
    *axes : matplotlib.axis.Axis
        The axes' x or y axis objects.

    Examples
    --------
    >>> fig = Figure()
    >>> ax = fig.subplots()
    >>> ax.set_yscale("log")
    >>> major_ticks_only(ax.yaxis)
    >>> type(ax.yaxis.get_minor_locator()).__name__
    'NullLocator'
    """
    for axis in axes:
        axis.set_minor_locator(NullLocator())


def show_once(figure_or_axes) -> None:
    """Display a figure in the notebook now and close it, so that it appears exactly once.

    Works whether or not the inline backend would also show open figures at the end of the
    cell (closed figures are not shown again). Accepts a figure or one of its axes.

    Parameters
    ----------
    figure_or_axes : matplotlib.figure.Figure or matplotlib.axes.Axes
        What to show (for axes, its figure).

    Examples
    --------
    >>> fig, ax = new_figure()
    >>> show_once(ax)  # doctest: +ELLIPSIS
    Figure(...)
    >>> plt.fignum_exists(fig.number)
    False
    """
    figure = getattr(figure_or_axes, "figure", figure_or_axes)
    display(figure)
    plt.close(figure)


def finish_axes(ax, xlabel: str, ylabel: str, title: str | None = None, *, log_x=False,
                log_y=False, legend: dict | bool = True):
    """Label the axes (with units), set log scales, add the legend and the finding as title.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The axes drawn on.
    xlabel, ylabel : str
        Axis labels, with their units.
    title : str, optional
        The finding the figure shows.
    log_x, log_y : bool
        Log scale on that axis.
    legend : dict or bool
        Draw a legend (a dict: keyword arguments of ``ax.legend``).

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``.

    Examples
    --------
    >>> fig = Figure()
    >>> ax = finish_axes(fig.subplots(), "hours", "share of users", "Service falls",
    ...                  log_y=True, legend=False)
    >>> ax.get_yscale(), ax.get_title()
    ('log', 'Service falls')
    """
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
