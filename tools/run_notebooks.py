"""Re-execute notebooks in place so that their stored outputs are exactly a fresh run's.

Run after every change to p2plib that a notebook uses:

    python tools/run_notebooks.py                 # every notebooks/*.ipynb
    python tools/run_notebooks.py notebooks/01_p2p_basics.ipynb

Prints each notebook's wall time. Cell timing metadata is not recorded, so a re-run that
changes nothing leaves the file unchanged.
"""

from __future__ import annotations

import pathlib
import sys
import time

import nbformat
from nbexec import PatientNotebookClient, chapter_paths

ROOT = pathlib.Path(__file__).resolve().parents[1]


def run(path: pathlib.Path, timeout: int = 300) -> float:
    notebook = nbformat.read(path, as_version=4)
    client = PatientNotebookClient(notebook, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}},
                            record_timing=False)
    # The widget state is stored (nbclient 0.11 also needs it for Output widgets): JupyterLab
    # then shows each explorer as it was, instead of "model not found", until the student runs it.
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    nbformat.write(notebook, path)
    return elapsed


def main(argv=None) -> int:
    paths = chapter_paths(__doc__.splitlines()[0], argv)
    for path in paths:
        print(f"{path.name}: {run(path):.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
