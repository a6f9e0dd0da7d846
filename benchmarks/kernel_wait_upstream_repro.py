"""Minimal reproduction, for an upstream report, of nbclient sleeping through a cell's reply
until the cell timeout (jupyter/nbclient#312). Needs only nbclient, ipykernel and ipywidgets.

A two-cell notebook (no course code): an ipywidgets Output widget, displayed, that the second
cell prints into. It is executed ``--runs`` times with plain ``nbclient.NotebookClient`` (cell
timeout ``--timeout`` s). For each cell the script compares the moment nbclient got the
``execute_reply`` with the kernel's own send time of that reply (its header ``date``). A reply
picked up seconds after it was sent is the missed wake-up: the asyncio poll on the shell
socket does not wake when the reply arrives, and only the final ``zmq_poll(0)`` that pyzmq makes
when the poll's timeout fires finds it, so the cell "succeeds" after waiting out its timeout
and no error is raised.

    python benchmarks/kernel_wait_upstream_repro.py --runs 40            # plain nbclient
    python benchmarks/kernel_wait_upstream_repro.py --runs 40 --patient  # waits in 0.2 s slices

Run it with both cores busy (e.g. two ``python -c 'while True: pass'``) to see it more often.
"""

from __future__ import annotations

import argparse
import datetime
import sys
import time

import nbformat
from nbclient import NotebookClient

CELLS = [
    "import ipywidgets as w\nfrom IPython.display import display\nout = w.Output()\n"
    "display(w.VBox([w.IntSlider(description='n'), out]))",
    "with out:\n    out.clear_output(wait=True)\n    for i in range(20):\n        print(i)",
]


class Probe(NotebookClient):
    """Plain NotebookClient that records how late each execute_reply was picked up (s)."""

    late: list

    async def _async_poll_for_reply(self, msg_id, cell, timeout, task_poll_output_msg,
                                    task_poll_kernel_alive):
        msg = await super()._async_poll_for_reply(msg_id, cell, timeout, task_poll_output_msg,
                                                  task_poll_kernel_alive)
        got = datetime.datetime.now(datetime.timezone.utc)
        self.late.append((got - msg["header"]["date"]).total_seconds())
        return msg


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--timeout", type=int, default=10)
    parser.add_argument("--patient", action="store_true",
                        help="use the course's sliced waits (p2plib._kernel_waits)")
    args = parser.parse_args(argv)
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    notebook.cells = [nbformat.v4.new_code_cell(c) for c in CELLS]
    stalls = 0
    for run in range(1, args.runs + 1):
        client = Probe(nbformat.from_dict(notebook), timeout=args.timeout, kernel_name="python3")
        client.late = []
        if args.patient:
            from p2plib._kernel_waits import PatientAsyncKernelClient

            client.km = client.create_kernel_manager()
            client.km.client_factory = PatientAsyncKernelClient
        start = time.perf_counter()
        client.execute()
        worst = max(client.late)
        missed = worst > 1.0
        stalls += missed
        outcome = (f"MISSED WAKE-UP: a reply was picked up {worst:.1f} s after the kernel sent "
                   "it" if missed else f"replies picked up within {worst:.2f} s")
        print(f"run {run:3d}: {time.perf_counter() - start:5.1f} s  {outcome}", flush=True)
    print(f"{stalls} of {args.runs} runs picked a reply up more than 1 s late "
          f"({'sliced waits' if args.patient else 'plain nbclient'}, cell timeout "
          f"{args.timeout} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
