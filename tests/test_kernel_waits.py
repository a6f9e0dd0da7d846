"""Bounded kernel waits (tools/nbexec.py): every headless way README gives to run a notebook
uses a client whose waits poll in short slices.

- ``tools/run_notebooks.py`` and the tests: :class:`nbexec.PatientNotebookClient`;
- ``jupyter nbconvert --execute`` with ``JUPYTER_CONFIG_PATH=jupyter-config``, and Voilà with
  that configuration or started from the repository's folder (``voila.json``): the course's
  configuration makes their kernel managers hand out :class:`nbexec.PatientAsyncKernelClient`.

nbval and ``tools/notebook_budget.py`` use jupyter_client's blocking client, which is not
affected (CONTRIBUTING, "Kernel waits", has the measurements).
"""

from __future__ import annotations

import asyncio
import json
import os
import pathlib
import subprocess
import sys
import threading
import time
from queue import Empty

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import nbexec  # noqa: E402

CLIENT = "p2plib._kernel_waits.PatientAsyncKernelClient"


def _env(config_path: pathlib.Path | None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "JPY_"))}
    if config_path is not None:
        env["JUPYTER_CONFIG_PATH"] = str(config_path)
    return env


def _client_of(app_code: str, cwd: pathlib.Path, config_path: pathlib.Path | None) -> str:
    """Run ``app_code`` (which sets ``km``) in a fresh interpreter; the class ``km.client()``
    would hand out."""
    code = app_code + "\nc = km.client_factory\nprint('CLIENT', c.__module__ + '.' + c.__name__)"
    result = subprocess.run([sys.executable, "-c", code], cwd=cwd, env=_env(config_path),
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.split("CLIENT", 1)[1].strip()


NBCONVERT = """
from nbconvert.nbconvertapp import NbConvertApp
from nbconvert.preprocessors import ExecutePreprocessor
app = NbConvertApp()
app.initialize(["--to", "notebook", "--execute"])
km = ExecutePreprocessor(config=app.config, kernel_name="python3").create_kernel_manager()
"""

VOILA = """
import sys
from jupyter_server.services.kernels.kernelmanager import ServerKernelManager
from voila.app import Voila
app = Voila()
app.initialize([sys.argv[1] if len(sys.argv) > 1 else "."])
km = ServerKernelManager(parent=app)
"""



def _run(coroutine):
    """``asyncio.run(coroutine)`` in a thread of its own: the browser tests' Playwright session
    (sync API) leaves an event loop running in the main thread, where asyncio.run refuses."""
    box = {}

    def target():
        try:
            box["value"] = asyncio.run(coroutine)
        except BaseException as error:  # re-raised in the caller's thread
            box["error"] = error

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["value"]


def test_nbconvert_with_the_course_config_uses_the_patient_client(tmp_path):
    assert _client_of(NBCONVERT, tmp_path, ROOT / "jupyter-config") == CLIENT


def test_nbconvert_without_it_uses_nbclient_default(tmp_path):
    # the check above can fail: without the configuration nbconvert keeps jupyter_client's own
    assert _client_of(NBCONVERT, tmp_path, None) == "jupyter_client.asynchronous.client." \
                                                    "AsyncKernelClient"


def test_voila_with_the_course_config_uses_the_patient_client(tmp_path):
    assert _client_of(VOILA, tmp_path, ROOT / "jupyter-config") == CLIENT


def test_voila_started_from_the_repository_reads_voila_json():
    # README: `voila notebooks/01_p2p_basics.ipynb` from the repository's folder, no variable
    assert _client_of(VOILA, ROOT, None) == CLIENT


def test_voila_elsewhere_without_config_is_not_bounded(tmp_path):
    assert _client_of(VOILA, tmp_path, None) != CLIENT


class _Socket:
    """A socket whose first poll misses the waiting message, as in jupyter/nbclient#312."""

    def __init__(self):
        self.polls = []

    async def poll(self, timeout_ms):
        self.polls.append(timeout_ms)
        await asyncio.sleep(timeout_ms / 1000 if len(self.polls) == 1 else 0)
        return len(self.polls) > 1


def test_sliced_wait_finds_a_missed_reply_within_one_slice():
    channel = nbexec.SlicedZMQSocketChannel.__new__(nbexec.SlicedZMQSocketChannel)
    channel.socket = _Socket()

    async def recv(**_):
        return {"msg_type": "execute_reply"}

    channel._recv = recv
    start = time.monotonic()
    reply = _run(channel.get_msg(timeout=300))
    assert reply == {"msg_type": "execute_reply"}
    assert time.monotonic() - start < 2 * nbexec.SLICE_S
    assert max(channel.socket.polls) <= nbexec.SLICE_S * 1000


def test_sliced_wait_keeps_the_overall_timeout():
    channel = nbexec.SlicedZMQSocketChannel.__new__(nbexec.SlicedZMQSocketChannel)

    class Silent:
        async def poll(self, timeout_ms):
            await asyncio.sleep(timeout_ms / 1000)
            return 0

    channel.socket = Silent()
    start = time.monotonic()
    with pytest.raises(Empty):
        _run(channel.get_msg(timeout=0.5))
    assert 0.5 <= time.monotonic() - start < 0.5 + 2 * nbexec.SLICE_S


def test_configuration_files_name_the_client():
    for path in [ROOT / "voila.json", *sorted((ROOT / "jupyter-config").glob("*.json"))]:
        config = json.loads(path.read_text())
        assert config["AsyncKernelManager"]["client_class"] == nbexec.CLIENT_CLASS, path
    assert nbexec.CLIENT_CLASS == CLIENT


def test_patient_notebook_client_runs_a_widget_cell(tmp_path):
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(
        "import ipywidgets as w\nout = w.Output()\ndisplay(out)\nwith out:\n    print('hi')")]
    seen = []

    class Spy(nbexec.PatientNotebookClient):
        async def async_start_new_kernel_client(self):
            kernel_client = await super().async_start_new_kernel_client()
            seen.append(type(kernel_client))
            return kernel_client

    Spy(notebook, timeout=60, kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}}).execute()
    assert seen == [nbexec.PatientAsyncKernelClient]
    outputs = notebook.cells[0].outputs
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)
    state = json.dumps(notebook.metadata.get("widgets", {}))
    assert "hi" in state   # the Output widget captured the print (nbclient's widget support)
