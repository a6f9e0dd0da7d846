"""Determinism: the same seed gives byte-identical results, whatever the process.

* Models: every public model function that takes a ``seed`` (discovered, see
  ``tests/_public_api.py``) is called with its docstring example's arguments and a fixed seed in
  two separate Python processes started with different ``PYTHONHASHSEED`` values (so set and
  dict-of-str iteration orders differ), and once more in this process. The result's arrays and
  numbers are hashed byte for byte (dtype, shape and raw bytes of every array; ``repr`` of every
  number); the hashes must match. The second process also stands in for another machine: it
  runs OpenBLAS's generic x86 kernels (``OPENBLAS_CORETYPE=Prescott``) and numpy without its
  AVX-512 loops (``NPY_DISABLE_CPU_FEATURES``), as on a laptop where this is a server. Both once
  changed results here (the outage model's matrix product; numpy's vectorised ``exp`` in the
  peer population). Not covered: another C maths library (macOS, Windows) or an x86 CPU
  without FMA, whose ``exp``/``log`` round some last bits differently.
* The capstone's policy reports (chapter 06), the same way: the outage model tips between
  recovery and a lasting outage, so a last-bit difference could change a verdict there.
* Notebooks: strict nbval (part of every ``pytest``) already compares a fresh execution of each
  notebook with its stored outputs, which ``tools/run_notebooks.py`` produced in another run: two
  executions, identical text. Here one notebook is also executed twice and its text outputs
  compared directly, so that the property does not rest on nbval's sanitising rules alone.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import inspect
import json
import os
import pathlib
import subprocess
import sys

import numpy as np
import pytest
from _public_api import all_functions, example_call

ROOT = pathlib.Path(__file__).resolve().parents[1]
SEED = 20070816   # the day the outage began


def digest(value, h=None):
    """A hash of everything a result holds, byte for byte."""
    top = h is None
    h = h or hashlib.sha256()
    if isinstance(value, np.ndarray):
        h.update(f"array{value.dtype.str}{value.shape}".encode())
        h.update(np.ascontiguousarray(value).tobytes())
    elif isinstance(value, np.random.Generator):
        h.update(b"generator")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        h.update(type(value).__name__.encode())
        for field in dataclasses.fields(value):
            h.update(field.name.encode())
            digest(getattr(value, field.name), h)
    elif isinstance(value, dict):
        h.update(b"dict")
        for key, inner in value.items():     # in its own order: that order must not vary
            h.update(repr(key).encode())
            digest(inner, h)
    elif isinstance(value, list | tuple):
        h.update(f"seq{len(value)}".encode())
        for inner in value:
            digest(inner, h)
    elif isinstance(value, float | int | str | bool | np.generic | type(None)):
        h.update(repr(value).encode())
    else:
        h.update(repr(type(value)).encode())
    return h.hexdigest() if top else h


def seeded_functions() -> list[tuple[str, str]]:
    """Public model functions with a ``seed`` parameter and a runnable example."""
    found = []
    for module_name, func_name in all_functions():
        func = getattr(importlib.import_module(module_name), func_name)
        if "seed" in inspect.signature(func).parameters and \
                example_call(module_name, func_name) is not None:
            found.append((module_name, func_name))
    return found


def run_seeded(module_name: str, func_name: str) -> str:
    func = getattr(importlib.import_module(module_name), func_name)
    args, kwargs = example_call(module_name, func_name)
    bound = inspect.signature(func).bind(*args, **kwargs)
    bound.arguments["seed"] = SEED
    return digest(func(*bound.args, **bound.kwargs))


def policy_reports_digest() -> str:
    """The chapter-06 reports of a few policies (the model has no seed: it is deterministic)."""
    from p2plib.policy import Policy, evaluate_policy

    policies = [Policy(),
                Policy(retry_policy="exponential", retry_base_min=1.0, supernode_headroom=0.8),
                Policy(retry_policy="full_jitter", retry_base_min=1.0, overload="refuse",
                       admission_control=True, dedicated_share=0.1),
                Policy(retry_policy="decorrelated_jitter", retry_base_min=1.0,
                       supernode_headroom=0.6, dedicated_share=0.1)]
    return digest([evaluate_policy(policy, online_peers=100_000) for policy in policies])


def all_digests() -> dict[str, str]:
    return {**{f"{m}.{f}": run_seeded(m, f) for m, f in seeded_functions()},
            "policy reports": policy_reports_digest()}


#: What "another machine" switches off: OpenBLAS's CPU-specific kernels and numpy's AVX-512 loops
#: (both are ignored where they do not apply).
OTHER_MACHINE = {"OPENBLAS_CORETYPE": "Prescott",
                 "NPY_DISABLE_CPU_FEATURES": "AVX512F AVX512CD AVX512_KNL AVX512_KNM AVX512_SKX "
                                             "AVX512_CLX AVX512_CNL AVX512_ICL AVX512_SPR"}


def _in_subprocess(hash_seed: str, other_machine: bool = False) -> dict[str, str]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed, "MPLBACKEND": "Agg"}
    if other_machine:
        env.update(OTHER_MACHINE)
    code = ("import json, sys; sys.path.insert(0, sys.argv[1]); "
            "import test_determinism as t; print(json.dumps(t.all_digests()))")
    done = subprocess.run([sys.executable, "-c", code, str(ROOT / "tests")], env=env,
                          capture_output=True, text=True, timeout=600, check=True, cwd=ROOT)
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def processes():
    return _in_subprocess("0"), _in_subprocess("4242", other_machine=True)


def test_seeded_functions_are_found():
    names = {f for _, f in seeded_functions()}
    assert {"random_overlay", "spread", "simulate_swarm"} <= names


@pytest.mark.parametrize(("module_name", "func_name"), seeded_functions(),
                         ids=lambda x: x.removeprefix("p2plib."))
def test_same_seed_same_bytes_across_processes(module_name, func_name, processes):
    key = f"{module_name}.{func_name}"
    first, second = processes
    here = run_seeded(module_name, func_name)
    assert first[key] == second[key] == here, f"{key}: results differ between processes"


def test_policy_reports_same_bytes_across_processes_and_machines(processes):
    first, second = processes
    here = policy_reports_digest()
    assert first["policy reports"] == second["policy reports"] == here


def test_digest_sees_a_single_changed_bit():
    a = np.arange(10, dtype=np.int64)
    b = a.copy()
    b[3] ^= 1
    assert digest({"x": a}) != digest({"x": b})
    assert digest(np.zeros(2, np.float32)) != digest(np.zeros(2, np.float64))


def _text_outputs(notebook) -> list[str]:
    texts = []
    for cell in notebook.cells:
        if cell.cell_type != "code" or "nbval-ignore-output" in cell.metadata.get("tags", []):
            continue
        for output in cell.get("outputs", []):
            if output.output_type == "stream":
                texts.append(output.text)
            elif "data" in output:
                texts.append(output.data.get("text/plain", ""))
            elif output.output_type == "error":
                texts.append(output.ename)
    return texts


def test_a_notebook_executed_twice_prints_the_same_text():
    import nbformat

    sys.path.insert(0, str(ROOT / "tools"))
    from nbexec import PatientNotebookClient  # the client tools/run_notebooks.py uses

    path = sorted((ROOT / "notebooks").glob("*.ipynb"))[0]
    runs = []
    for _ in range(2):
        notebook = nbformat.read(path, as_version=4)
        PatientNotebookClient(notebook, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        runs.append(_text_outputs(notebook))
    assert runs[0], f"{path.name} printed nothing to compare"
    assert runs[0] == runs[1], f"{path.name}: two executions printed different text"
