"""Shared helpers of the notebook tools: which chapters to act on, and Jupyter clients whose
waits for a kernel's messages are bounded (p2plib/_kernel_waits.py).

nbclient (and so ``jupyter nbconvert --execute`` and Voilà, which execute notebooks with it)
waits for each cell's ``execute_reply`` with one long ``await get_msg(timeout=...)`` on the
shell channel, through pyzmq's asyncio poller. With ipywidgets' Output widgets in the cell, that
wait sometimes does not wake up when the reply arrives, and returns only when the whole cell
timeout has passed (jupyter/nbclient#312; pyzmq's asyncio poller follows the edge-triggered
ZMQ_FD, zeromq/pyzmq#1558), which turned 5-second notebooks into 60- or 300-second ones here.

:class:`PatientAsyncKernelClient` polls every channel in short slices instead: each slice's end
re-checks the socket, so a reply that has arrived is found within :data:`SLICE_S`; the overall
timeout is unchanged. It is used by

- ``tools/run_notebooks.py`` and the tests, through :class:`PatientNotebookClient`;
- ``jupyter nbconvert --execute`` and Voilà, through the course's Jupyter configuration
  (``jupyter-config/*.json``, read with ``JUPYTER_CONFIG_PATH=jupyter-config``; and
  ``voila.json`` in the repository's folder, which Voilà reads from the folder it starts in),
  which names :data:`CLIENT_CLASS` (what :func:`bound_kernel_waits` sets in a config).

jupyter_client's blocking client (nbval, ``tools/notebook_budget.py``) polls with a plain
``zmq_poll`` and is not affected (CONTRIBUTING, "Kernel waits", has the measurements).
"""

from __future__ import annotations

import argparse
import pathlib

import nbformat
from nbclient import NotebookClient

from p2plib._kernel_waits import (
    CLIENT_CLASS,
    SLICE_S,
    PatientAsyncKernelClient,
    SlicedZMQSocketChannel,
    bound_kernel_waits,
)

__all__ = ["CLIENT_CLASS", "SLICE_S", "PatientAsyncKernelClient", "PatientNotebookClient",
           "SlicedZMQSocketChannel", "bound_kernel_waits", "chapter_paths"]

ROOT = pathlib.Path(__file__).resolve().parents[1]


class PatientNotebookClient(NotebookClient):
    """``nbclient.NotebookClient`` that talks to its kernel through
    :class:`PatientAsyncKernelClient`."""

    async def async_start_new_kernel_client(self):
        if self.km is not None:
            self.km.client_factory = PatientAsyncKernelClient
        return await super().async_start_new_kernel_client()


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
