"""Shared helpers of the notebook tools: which chapters to act on, and a NotebookClient that
does not stall on notebooks with widgets.

nbclient waits for each cell's ``execute_reply`` with one long ``get_msg(timeout=...)`` on the
shell channel. With ipywidgets' Output widgets in the cell, that wait sometimes does not wake up
when the reply arrives and returns only when the whole timeout has passed (jupyter/nbclient
issue #312), which turned 5-second notebooks into 60- or 300-second ones here. Polling in short
slices finds the waiting reply at once; the overall timeout is unchanged.
"""

from __future__ import annotations

import argparse
import pathlib
import time
from queue import Empty

import nbformat
from jupyter_core.utils import ensure_async
from nbclient import NotebookClient

__all__ = ["PatientNotebookClient", "chapter_paths"]

ROOT = pathlib.Path(__file__).resolve().parents[1]

_SLICE_S = 0.2


class PatientNotebookClient(NotebookClient):
    """``nbclient.NotebookClient`` whose shell-channel waits poll in short slices."""

    async def async_start_new_kernel_client(self):
        kernel_client = await super().async_start_new_kernel_client()
        channel = kernel_client.shell_channel
        wait_once = channel.get_msg

        async def get_msg(timeout=None):
            deadline = None if timeout is None else time.monotonic() + timeout
            while True:
                remaining = _SLICE_S if deadline is None else deadline - time.monotonic()
                try:
                    return await ensure_async(wait_once(timeout=max(0.0, min(_SLICE_S,
                                                                             remaining))))
                except Empty:
                    if deadline is not None and time.monotonic() >= deadline:
                        raise

        channel.get_msg = get_msg
        return kernel_client


def chapter_paths(description: str, argv=None) -> list[pathlib.Path]:
    """The notebooks named on the command line, or else every ``notebooks/NN_*.ipynb``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("notebooks", nargs="*", type=pathlib.Path)
    args = parser.parse_args(argv)
    return args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def edit_chapters(description: str, argv, edit, done: str) -> int:
    """Apply ``edit(notebook, path)`` (True if it changed something) to the chapters of
    :func:`chapter_paths`; write and report (``"{path}: {done}"``) each notebook it changed."""
    for path in chapter_paths(description, argv):
        notebook = nbformat.read(path, as_version=4)
        if edit(notebook, path):
            nbformat.write(notebook, path)
            print(f"{path}: {done}")
    return 0
