"""Shared test setup: figures render off-screen."""

import os

os.environ.setdefault("MPLBACKEND", "Agg")
