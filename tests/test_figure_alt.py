"""Figures carry their finding as alternative text ("alt") in the stored PNG output.

The course website (tools/build_site.py) gives each figure the ``alt`` that
:func:`p2plib.viz.use_course_style` makes IPython store with its PNG (these tests display a
figure through a real IPython shell's formatters, as a notebook does), and each explorer's
figure the ``alt`` it is displayed with.
"""

import matplotlib.pyplot as plt
import pytest
from IPython.core.interactiveshell import InteractiveShell

from p2plib import viz, widgets
from p2plib.widgets import core as widgets_core


@pytest.fixture()
def shell():
    shell = InteractiveShell.instance()
    try:
        yield shell
    finally:
        InteractiveShell.clear_instance()


def _png_formatter(fig):
    return viz.render_png(fig)


def test_figure_alt_states_the_titles_in_order():
    fig, axes = viz.new_figure(ncols=2)
    axes[0].set_title("Random failures barely dent the overlay")
    axes[1].set_title("An attack on hubs breaks it\nat 5% removed")
    assert viz.figure_alt(fig) == ("Random failures barely dent the overlay. "
                                   "An attack on hubs breaks it at 5% removed")
    fig.suptitle("Random failure vs attack")
    assert viz.figure_alt(fig).startswith("Random failure vs attack. Random failures")
    plt.close(fig)


def test_untitled_figure_has_no_alt():
    fig, _ax = viz.new_figure()
    assert viz.figure_alt(fig) == ""
    plt.close(fig)


def test_course_style_stores_alt_with_the_png_output(shell):
    formatter = shell.display_formatter
    # the inline backend's PNG formatter (here a stand-in that draws with render_png)
    formatter.formatters["image/png"].for_type(plt.Figure, _png_formatter)
    fig, ax = viz.new_figure()
    ax.plot([0, 1], [1, 0])
    ax.set_title("Log-ins outrun the login servers")
    before_data, before_md = formatter.format(fig)
    assert "image/png" in before_data and "image/png" not in before_md
    viz.use_course_style()
    data, metadata = formatter.format(fig)
    assert data["image/png"] == before_data["image/png"]       # the image itself is unchanged
    assert metadata["image/png"] == {"alt": "Log-ins outrun the login servers"}
    # the PNG formatter set up again later (as the inline backend may do) keeps the alt
    formatter.formatters["image/png"].for_type(plt.Figure, _png_formatter)
    assert formatter.format(fig)[1]["image/png"]["alt"] == "Log-ins outrun the login servers"
    plt.close(fig)


def test_untitled_figure_gets_no_alt_metadata(shell):
    formatter = shell.display_formatter
    formatter.formatters["image/png"].for_type(plt.Figure, _png_formatter)
    viz.use_course_style()
    fig, _ax = viz.new_figure()
    data, metadata = formatter.format(fig)
    assert "image/png" in data and "image/png" not in metadata
    plt.close(fig)


@pytest.mark.parametrize("name", sorted(widgets.explorer_factories()))
def test_every_explorer_shows_its_figure_with_its_titles_as_alt(monkeypatch, name):
    shown = []
    monkeypatch.setattr(widgets_core, "display", shown.append)
    explorer = widgets.explorer_factories()[name]()
    image = shown[-1]
    assert image.data == explorer.png()
    assert image.metadata == {"alt": viz.figure_alt(explorer.figure)}
    assert image.metadata["alt"], f"{name}'s figure has no title"
    plt.close("all")
