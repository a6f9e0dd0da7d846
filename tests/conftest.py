"""Shared test setup.

Figures drawn by the tests themselves render off-screen (Agg). The notebook kernels that nbval
starts must see the same matplotlib setup as a student's Jupyter (the inline backend), so an
MPLBACKEND variable is removed from the environment they inherit.
"""

import os

import matplotlib

os.environ.pop("MPLBACKEND", None)
matplotlib.use("Agg")
