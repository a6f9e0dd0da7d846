"""Minimal reproduction, for an upstream report, of nbclient waiting out a cell's timeout after
the kernel has replied (jupyter/nbclient#312). Needs only nbclient, ipykernel, ipywidgets.

A two-cell notebook (no course code): an ipywidgets Output widget, displayed, that a cell then
prints into. It is executed ``--runs`` times with plain ``nbclient.NotebookClient`` (cell
timeout ``--timeout`` s); a run that raises ``CellTimeoutError`` waited out the timeout. After a
timeout the script asks the shell socket, without waiting, whether the cell's ``execute_reply``
is already there, and prints the kernel's own send time of that reply (header ``date``) against
the moment the timeout fired: a reply sent seconds before the timeout is the missed wake-up.

    python benchmarks/kernel_wait_upstream_repro.py --runs 40            # plain nbclient
    python benchmarks/kernel_wait_upstream_repro.py --runs 40 --patient  # waits in 0.2 s slices

Run it with both cores busy (e.g. two ``python -c 'while True: pass'``) to see it often.
"""

from __future__ import annotations

import argparse
import datetime
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError

CELLS = [
    "import ipywidgets as w\nfrom IPython.display import display\nout = w.Output()\n"
    "display(w.VBox([w.IntSlider(description='n'), out]))",
    "with out:\n    out.clear_output(wait=True)\n    for i in range(20):\n        print(i)",
]


class Probe(NotebookClient):
    """Plain NotebookClient that, when a cell times out, looks for the waiting reply."""

    found: list

    async def _async_poll_for_reply(self, msg_id, cell, timeout, task_poll_output_msg,
                                    task_poll_kernel_alive):
        try:
            return await super()._async_poll_for_reply(msg_id, cell, timeout,
                                                       task_poll_output_msg,
                                                       task_poll_kernel_alive)
        except CellTimeoutError:
            fired = datetime.datetime.now(datetime.timezone.utc)
            while await self.kc.shell_channel.msg_ready():
                msg = await self.kc.shell_channel.get_msg(timeout=0)
                if msg["parent_header"].get("msg_id") == msg_id:
                    sent = msg["header"]["date"]
                    self.found.append((fired - sent).total_seconds())
            raise


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
        client.found = []
        if args.patient:
            from p2plib._kernel_waits import PatientAsyncKernelClient

            client.km = client.create_kernel_manager()
            client.km.client_factory = PatientAsyncKernelClient
        start = time.perf_counter()
        try:
            client.execute()
            outcome = "ok"
        except CellTimeoutError:
            stalls += 1
            late = ", ".join(f"{s:.1f} s" for s in client.found) or "no reply in the socket"
            outcome = f"TIMEOUT (the kernel had sent its reply {late} before the timeout fired)"
        print(f"run {run:3d}: {time.perf_counter() - start:5.1f} s  {outcome}", flush=True)
    print(f"{stalls} of {args.runs} runs waited out the {args.timeout} s cell timeout "
          f"({'sliced waits' if args.patient else 'plain nbclient'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
