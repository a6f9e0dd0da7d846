"""Sphinx configuration of the course website (built by ``python tools/build_site.py``).

Sphinx + MyST-NB + sphinx-book-theme: every page from the committed notebooks and their stored
outputs (nothing is re-executed), every script served from the site itself (no CDN): MathJax
from the ``sphinx-mathjax-offline`` package, the widget renderer (ipywidgets' html-manager)
from ``site/_static/vendor``. tools/build_site.py stages the sources (chapters, glossary,
sources, lecturer's guide, a home page made from README) and calls Sphinx with this folder as
its configuration directory; ``site/_ext/course_site.py`` adds the course's own steps.
"""

from __future__ import annotations

import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))

REPOSITORY = "https://github.com/p2p-outage-course/p2p-outage-course"

project = "When peer-to-peer fails: the 2007 Skype outage"
author = "the course's authors"
copyright = "the course's authors; code and notebooks under the MIT licence"
language = "en"

# githubpages: a .nojekyll file, so that GitHub Pages serves the _static/ and _images/ folders
extensions = ["myst_nb", "sphinx.ext.mathjax", "sphinx.ext.githubpages", "course_site"]
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
html_static_path = [str(HERE / "_static")]
html_css_files = ["course.css"]
html_js_files = ["course.js"]

# --- Notebooks: stored outputs only ---------------------------------------------------------
nb_execution_mode = "off"
# the explorers' saved widget state, rendered by the html-manager that ships with the site
nb_ipywidgets_js = {"vendor/html-manager/embed.js": {}}
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "html_image"]
myst_heading_anchors = 3
suppress_warnings = ["mystnb.unknown_mime_type"]

# --- Maths with no CDN (MathJax 3 from the sphinx-mathjax-offline package, copied by
# course_site into _static/mathjax) ---------------------------------------------------------
mathjax_path = "mathjax/tex-chtml-full.js"

# --- Theme ----------------------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = "P2P outage course"
html_last_updated_fmt = None
html_copy_source = True   # the download button offers the notebook itself
html_show_sourcelink = False
# follow the reader's light or dark browser theme (the theme's toggle overrides it)
html_context = {"default_mode": "auto"}
html_theme_options = {
    "repository_url": REPOSITORY,
    "repository_branch": "main",
    "path_to_docs": "notebooks",
    "use_repository_button": True,
    "use_download_button": True,
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "navigation_with_keys": False,
    "navbar_persistent": [],   # search lives in the sidebar and the article's header
    "launch_buttons": {
        "notebook_interface": "jupyterlab",
        "binderhub_url": "https://mybinder.org",
        "colab_url": "https://colab.research.google.com",
        # course_site points this at the site's own JupyterLite (lite/), when it was built
        "jupyterlite_url": "lite/lab/index.html",
    },
}
# Whether lite/ is part of the site: tools/build_site.py passes -D course_lite=1 when it built
# the JupyterLite site (else no JupyterLite button: it would lead nowhere).
course_lite = False
