"""Jupyter kernel clients whose waits for a kernel's messages are bounded (not a model).

nbclient (and so ``jupyter nbconvert --execute`` and Voilà, which execute notebooks with it)
waits for each cell's ``execute_reply`` with one long ``await get_msg(timeout=...)`` on the
shell channel, through pyzmq's asyncio poller. With ipywidgets' Output widgets in the cell, that
wait sometimes does not wake up when the reply arrives, and returns only when the whole cell
timeout has passed (jupyter/nbclient#312; pyzmq's asyncio poller follows the edge-triggered
ZMQ_FD, zeromq/pyzmq#1558). :class:`PatientAsyncKernelClient` polls every channel in slices of
at most :data:`SLICE_S`: each slice's end re-checks the socket with a plain ``zmq_poll``, so a
message that has arrived is found within one slice; the overall timeout is unchanged.

It lives in the course's package because the package is installed wherever the course runs, so
Jupyter configuration can name it (``jupyter-config/*.json``, ``voila.json``): see
``tools/nbexec.py``. Only Jupyter tools import this module (it needs jupyter_client, which
every Jupyter installation has); models, viz and widgets never do.
"""

from __future__ import annotations

import time
from queue import Empty

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.channels import AsyncZMQSocketChannel
from traitlets import Type

__all__ = ["CLIENT_CLASS", "SLICE_S", "PatientAsyncKernelClient", "SlicedZMQSocketChannel",
           "bound_kernel_waits"]

#: Longest single wait on a socket (s): the most a missed wake-up can cost.
SLICE_S = 0.2


class SlicedZMQSocketChannel(AsyncZMQSocketChannel):
    """An asyncio ZMQ channel whose ``get_msg`` waits in slices of at most :data:`SLICE_S`."""

    async def get_msg(self, timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            wait = SLICE_S if deadline is None else min(SLICE_S,
                                                        max(0.0, deadline - time.monotonic()))
            try:
                return await super().get_msg(timeout=wait)
            except Empty:
                if deadline is not None and time.monotonic() >= deadline:
                    raise


class PatientAsyncKernelClient(AsyncKernelClient):
    """jupyter_client's ``AsyncKernelClient`` with :class:`SlicedZMQSocketChannel` channels."""

    shell_channel_class = Type(SlicedZMQSocketChannel)
    iopub_channel_class = Type(SlicedZMQSocketChannel)
    stdin_channel_class = Type(SlicedZMQSocketChannel)
    control_channel_class = Type(SlicedZMQSocketChannel)


#: Dotted name of the client, for Jupyter configuration files.
CLIENT_CLASS = "p2plib._kernel_waits.PatientAsyncKernelClient"


def bound_kernel_waits(c) -> None:
    """Make every asynchronous kernel manager configured by ``c`` (a traitlets config: nbclient,
    nbconvert's ExecutePreprocessor, Voilà's kernels) hand out :class:`PatientAsyncKernelClient`.
    """
    c.AsyncKernelManager.client_class = CLIENT_CLASS
