"""Every chapter runs top to bottom under the constraints Pyodide (JupyterLite) imposes.

No Pyodide build of numpy, scipy or matplotlib can be fetched here (PyPI holds no WebAssembly
wheels of numpy; the npm package ``pyodide`` is the interpreter alone and its lock file points
to Pyodide's CDN), so the chapters cannot run in Pyodide itself in CI. This test runs each
chapter in an ordinary kernel that refuses, as Pyodide does, what WebAssembly in a browser
cannot do:

- no subprocesses: ``subprocess``, ``os.fork``/``posix_spawn``/``system`` and the fork-exec
  behind multiprocessing raise ``OSError`` (ENOSYS);
- no process pools: ``concurrent.futures.ProcessPoolExecutor()`` raises CPython's own
  ``NotImplementedError`` for a build without ``multiprocessing.synchronize``;
- no threads started by the course: ``threading.Thread.start`` raises
  ``RuntimeError("can't start new thread")`` when a notebook cell or p2plib is on the calling
  stack (directly or through a library such as tqdm); the kernel's own machinery (ipykernel's
  and pyzmq's threads, which Pyodide's kernel does not have) still starts its threads.

The constraints are installed by a cell run before the chapter's first cell (an IPython startup
file would be too early: ipykernel starts its shell thread after those have run); a probe cell
appended to each chapter proves they were still in force at its end. A cell that errs, or
writes to stderr (a warning a student would see), fails the chapter. What this does not check
(README says so):
WebAssembly's 32-bit integers and pointers (numpy's default integer is int32 there), Pyodide's
memory limit and speed, and the packages' Pyodide builds themselves.
"""

from __future__ import annotations

import os
import pathlib
import sys

import nbformat
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from nbexec import PatientNotebookClient  # noqa: E402

CHAPTERS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))

#: Chapters that cannot pass yet, with the reason (strict: an unexpected pass fails too).
KNOWN: dict = {}  # chapter stem -> why it cannot run under Pyodide yet (none today)

STARTUP = r'''
# Pyodide's constraints (tests/test_pyodide_constraints.py), installed after the kernel started.
import _posixsubprocess
import concurrent.futures.process as _process
import errno as _errno
import importlib.util as _importlib_util
import os as _os
import subprocess as _subprocess
import sys as _sys
import threading as _threading

_COURSE = _os.path.dirname(_importlib_util.find_spec("p2plib").origin)
_start_thread = _threading.Thread.start


def _no_process(*args, **kwargs):
    raise OSError(_errno.ENOSYS, "Pyodide: no subprocesses in WebAssembly")


def _by_the_course(frame):
    while frame is not None:
        name = frame.f_code.co_filename
        if name.startswith(_COURSE) or "/ipykernel_" in name or name.startswith("<ipython"):
            return True
        frame = frame.f_back
    return False


def _no_thread(self, *args, **kwargs):
    if _by_the_course(_sys._getframe(1)):
        raise RuntimeError("can't start new thread")
    return _start_thread(self, *args, **kwargs)


for _name in ("fork", "forkpty", "posix_spawn", "posix_spawnp", "system", "popen",
              "spawnv", "spawnve", "spawnvp", "spawnvpe", "execv", "execve"):
    if hasattr(_os, _name):
        setattr(_os, _name, _no_process)
_posixsubprocess.fork_exec = _no_process
_subprocess.Popen._execute_child = _no_process
_threading.Thread.start = _no_thread
_sys.modules["multiprocessing.synchronize"] = None   # as in Pyodide: no named semaphores
_process._system_limits_checked = False
_process._system_limited = None
del _name
'''

PROBE = r'''
import concurrent.futures, subprocess, threading
refused = []
for what, attempt in [("thread", lambda: threading.Thread(target=print).start()),
                      ("subprocess", lambda: subprocess.run(["true"])),
                      ("pool", lambda: concurrent.futures.ProcessPoolExecutor(1))]:
    try:
        attempt()
    except (OSError, RuntimeError, NotImplementedError):
        refused.append(what)
print("PYODIDE CONSTRAINTS", refused)
'''


def _params():
    for path in CHAPTERS:
        marks = [pytest.mark.xfail(strict=True, reason=KNOWN[path.stem])] \
            if path.stem in KNOWN else []
        yield pytest.param(path, id=path.stem, marks=marks)


def run_constrained(path: pathlib.Path) -> nbformat.NotebookNode:
    """Execute a copy of ``path`` in a kernel under the constraints; return the copy (its
    first cell installs them, its last is the probe)."""
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.insert(0, nbformat.v4.new_code_cell(STARTUP))
    notebook.cells.append(nbformat.v4.new_code_cell(PROBE))
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    client = PatientNotebookClient(notebook, timeout=300, kernel_name="python3",
                                   resources={"metadata": {"path": str(path.parent)}})
    client.execute(env=env)
    return notebook


@pytest.mark.parametrize("path", _params())
def test_chapter_runs_under_pyodide_constraints(path):
    notebook = run_constrained(path)
    probe = "".join(o.get("text", "") for o in notebook.cells[-1].outputs)
    assert "PYODIDE CONSTRAINTS ['thread', 'subprocess', 'pool']" in probe, probe
    stderr = [(index, output.get("text", "")[:500])
              for index, cell in enumerate(notebook.cells) if cell.cell_type == "code"
              for output in cell.outputs if output.get("name") == "stderr"]
    assert not stderr, f"cells wrote to stderr under Pyodide's constraints: {stderr}"
