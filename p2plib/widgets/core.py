"""The explorer frame: ipywidgets that wire labelled controls to a model and a figure.

Every explorer is an :class:`Explorer`: labelled controls (each with its unit and a one-line
description), a "Reset to defaults" button, an output area with the figure, and optionally a
Play control (play, pause, step) for anything that evolves in time. Sliders that run a model
use ``continuous_update=False``. The model runs only when a *model* control changes (results are
cached); *view* controls such as the time step only redraw.

Only notebooks (and :mod:`p2plib.widgets` chapter modules) import this module.

Examples
--------
>>> from p2plib.widgets import failure_explorer
>>> explorer = failure_explorer()          # doctest: +SKIP
>>> explorer                               # doctest: +SKIP
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import ipywidgets as widgets
from IPython.display import Image, display

from p2plib.viz import FigurePool, figure_alt, render_png

__all__ = ["Explorer", "choice", "control_positions", "play_steps", "slider"]

_STYLE = {"description_width": "190px"}
_LAYOUT = widgets.Layout(width="480px")


def slider(label: str, unit: str, help: str, value, minimum, maximum, step=None, *,
           log: bool = False, integer: bool = False, readout_format: str | None = None):
    """A labelled slider that runs the model only when released (``continuous_update=False``).

    ``label`` and ``unit`` make the visible description (``"Peers (count)"``); ``help`` is the
    one-line description shown beside it and as a tooltip. ``log=True`` gives a slider over
    powers of ten (``minimum``/``maximum`` are then exponents).

    Parameters
    ----------
    label : str
        What the control sets, e.g. ``"Peers"``.
    unit : str
        Its unit, shown in brackets (``"count"``, ``"hours"``, ``"share of peers"``).
    help : str
        One line on what it does, shown beside the slider and as its tooltip.
    value, minimum, maximum : float or int
        Starting value and range (exponents of ten when ``log``).
    step : float or int, optional
        Step of the slider (default 0.01; 1 for ``integer``; 0.1 in exponent for ``log``).
    log : bool
        A slider over powers of ten.
    integer : bool
        A whole-number slider.
    readout_format : str, optional
        Format of the value shown (default ``".2f"``, ``".3g"`` for ``log``).

    Returns
    -------
    ipywidgets.FloatSlider, IntSlider or FloatLogSlider
        With ``continuous_update=False`` and the attribute ``help``.

    Examples
    --------
    >>> peers = slider("Peers", "count", "how many peers", 10, 1, 100, integer=True)
    >>> peers.description, peers.continuous_update
    ('Peers (count)', False)
    """
    common = dict(description=f"{label} ({unit})", value=value, min=minimum, max=maximum,
                  continuous_update=False, style=_STYLE, layout=_LAYOUT, tooltip=help)
    if log:
        control = widgets.FloatLogSlider(base=10, step=step or 0.1,
                                         readout_format=readout_format or ".3g", **common)
    elif integer:
        control = widgets.IntSlider(step=step or 1, **common)
    else:
        control = widgets.FloatSlider(step=step or 0.01,
                                      readout_format=readout_format or ".2f", **common)
    control.help = help
    return control


def choice(label: str, help: str, options, value):
    """A labelled set of toggle buttons for a categorical setting.

    Parameters
    ----------
    label : str
        What the control chooses, e.g. ``"Overlay"``.
    help : str
        One line on what the options mean (the tooltip; shown beside the buttons).
    options : sequence of str
        The choices.
    value : str
        The starting choice, one of ``options``.

    Returns
    -------
    ipywidgets.ToggleButtons
        With the attribute ``help``.

    Examples
    --------
    >>> kind = choice("Overlay", "how links are made", ["random", "scale-free"], "random")
    >>> kind.value, control_positions(kind)
    ('random', ['random', 'scale-free'])
    """
    control = widgets.ToggleButtons(description=label, options=options, value=value,
                                    style={**_STYLE, "button_width": "110px"}, tooltip=help)
    control.help = help
    return control


def play_steps(label: str, unit: str, help: str, steps: int, interval_ms: int = 300):
    """A step slider with a Play control (play, pause, step), for models that evolve in time.

    Parameters
    ----------
    label : str
        What the steps count, e.g. ``"Hour"``.
    unit : str
        Unit of one step (``"hours"``, ``"rounds"``).
    help : str
        One line on what moving it shows.
    steps : int
        Last step (the slider runs from 0 to ``steps``).
    interval_ms : int
        Time between two steps while playing, milliseconds.

    Returns
    -------
    ipywidgets.IntSlider
        Linked to its ``play`` attribute (an ``ipywidgets.Play``); with the attribute ``help``.

    Examples
    --------
    >>> hour = play_steps("Hour", "hours", "hour of the run", 48)
    >>> hour.max, hour.play.max
    (48, 48)
    """
    control = widgets.IntSlider(description=f"{label} ({unit})", value=0, min=0, max=steps,
                                continuous_update=True, style=_STYLE, layout=_LAYOUT, tooltip=help)
    control.help = help
    control.play = widgets.Play(value=0, min=0, max=steps, interval=interval_ms,
                                description="Play", show_repeat=False)
    widgets.jslink((control.play, "value"), (control, "value"))
    return control


def control_positions(control) -> list:
    """Every position a student can reach on a control: a choice's options or a slider's grid.

    A slider's grid is set by its ``min``, ``max`` and ``step``; for a log slider, the powers of
    its base. The fuzz tests and the latency benchmark move the explorers' controls over these.

    Parameters
    ----------
    control : ipywidgets widget
        Built with :func:`slider`, :func:`choice` or :func:`play_steps`.

    Returns
    -------
    list
        The reachable values, in increasing order for a slider.

    Examples
    --------
    >>> control_positions(slider("Share", "share", "a share", 0.5, 0.0, 1.0, 0.25))
    [0.0, 0.25, 0.5, 0.75, 1.0]
    """
    if not hasattr(control, "max"):      # ToggleButtons and other choices
        return list(getattr(control, "_options_values", control.options))
    if isinstance(control.value, int) and not isinstance(control.value, bool):
        return list(range(control.min, control.max + 1, control.step or 1))
    count = round((control.max - control.min) / control.step)
    grid = [round(control.min + k * control.step, 10) for k in range(count + 1)] + [control.max]
    if isinstance(control, widgets.FloatLogSlider):
        grid = [control.base ** x for x in grid]
    return sorted(set(grid))


class Explorer(widgets.VBox):
    """Labelled controls + reset button + figure, wired to a cached model run.

    Parameters
    ----------
    title : str
        Shown above the controls.
    controls : dict of name -> widget
        Built with :func:`slider`, :func:`choice` or :func:`play_steps`; the name is the keyword
        passed to ``run`` or ``draw``.
    run : callable
        ``run(**model_values) -> result``: the model; called only when a model control changes.
    draw : callable
        ``draw(result, **view_values) -> matplotlib.figure.Figure``.
    view : tuple of str
        Names of controls that only change the drawing (passed to ``draw``, not ``run``).

    Attributes
    ----------
    controls : dict of name -> widget
        The controls, as given.
    defaults : dict of name -> value
        Their starting values (:meth:`reset` goes back to them).
    figure : matplotlib.figure.Figure
        The figure on show.
    redraws : int
        How many times the figure was drawn.
    values, view_values : dict
        The current value of every control, and of the view controls only.
    output : ipywidgets.Output
        Where the figure is shown.

    Examples
    --------
    >>> import contextlib, io
    >>> from p2plib import viz
    >>> def draw(slots):
    ...     fig, ax = viz.new_figure(width=4, height=3)
    ...     _ = ax.set_title(f"{slots} slots")
    ...     return fig
    >>> with contextlib.redirect_stdout(io.StringIO()):   # outside Jupyter display() prints
    ...     explorer = Explorer("Slots", {"peers": slider("Peers", "count", "how many", 10, 1,
    ...                         100, integer=True)}, run=lambda peers: 2 * peers, draw=draw)
    ...     explorer.controls["peers"].value = 20
    >>> explorer.figure.axes[0].get_title(), explorer.redraws
    ('40 slots', 2)
    """

    def __init__(self, title: str, controls: dict, run: Callable, draw: Callable,
                 view: tuple[str, ...] = ()):
        self.title = title
        self.controls = controls
        self.defaults = {name: c.value for name, c in controls.items()}
        self.view = tuple(view)
        self._run = functools.lru_cache(maxsize=16)(run)
        self._draw = draw
        self._holding = False
        self._figures = FigurePool()
        self.figure = None
        self._png = b""
        self.redraws = 0
        self.output = widgets.Output()
        self.reset_button = widgets.Button(description="Reset to defaults", icon="undo",
                                           tooltip="Put every control back to its starting value")
        self.reset_button.on_click(lambda _: self.reset())
        rows = []
        for control in controls.values():
            parts = [control.play] if hasattr(control, "play") else []
            parts += [control, widgets.HTML(f"<span style='color:#555'>{control.help}</span>")]
            rows.append(widgets.HBox(parts))
            control.observe(lambda _change: self.update(), names="value")
        header = widgets.HTML(f"<h3 style='margin:4px 0'>{title}</h3>")
        super().__init__([header, *rows, self.reset_button, self.output])
        self.update()

    def __repr__(self) -> str:  # stable text, so stored notebook outputs do not churn
        return f"<Explorer: {self.title}>"

    @property
    def values(self) -> dict:
        """The current value of every control, by name."""
        return {name: c.value for name, c in self.controls.items()}

    @property
    def view_values(self) -> dict:
        """The current value of every view control (passed to ``draw``, not ``run``)."""
        return {k: v for k, v in self.values.items() if k in self.view}

    def result(self):
        """The model result for the current model controls (cached)."""
        model_values = {k: v for k, v in self.values.items() if k not in self.view}
        return self._run(**model_values)

    def update(self) -> None:
        """Re-run the model if needed and redraw the figure."""
        if self._holding:
            return
        result = self.result()
        with self._figures.active():   # the figure drawn last time, cleared and reused
            self.figure = self._draw(result, **self.view_values)
        self._png = render_png(self.figure)
        self.redraws += 1
        self.output.clear_output(wait=True)
        with self.output:
            # the figure's titles as its alternative text (the course website shows it)
            display(Image(data=self._png, metadata={"alt": figure_alt(self.figure)}))

    def png(self) -> bytes:
        """The figure on show, as the PNG bytes displayed (see :func:`p2plib.viz.render_png`)."""
        return self._png

    def reset(self) -> None:
        """Put every control back to its default and redraw once."""
        self._holding = True
        try:
            for name, value in self.defaults.items():
                self.controls[name].value = value
                if hasattr(self.controls[name], "play"):
                    self.controls[name].play.value = value
        finally:
            self._holding = False
        self.update()
