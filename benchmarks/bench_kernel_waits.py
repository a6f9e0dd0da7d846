"""How often does executing a notebook with an explorer cell wait out its cell timeout?

Executes ``benchmarks/kernel_wait_repro.ipynb`` (chapter 01's first explorer, alone) many times
with each of the ways the course runs notebooks headless, and counts the runs whose explorer
cell waited out the cell timeout although the kernel had answered (jupyter/nbclient#312: the
asyncio wait on the shell socket misses its wake-up). CONTRIBUTING ("Kernel waits") holds the
table this prints.

- ``nbval``: ``pytest --nbval-lax`` (jupyter_client's blocking client), all runs in one session
- ``budget``: ``tools/notebook_budget.measure`` (the blocking client), all runs in one process
- ``nbconvert``: ``jupyter nbconvert --to notebook --execute``, one process a run; *before*
  plain, *after* with ``JUPYTER_CONFIG_PATH=jupyter-config`` (the course's configuration)
- ``voila``: one Voilà server per variant, one page load (a fresh kernel) a run; *before*
  plain, *after* with the course's configuration

    python benchmarks/bench_kernel_waits.py --runs 40              # the machine as it is
    python benchmarks/bench_kernel_waits.py --runs 40 --load 2     # plus 2 busy loops

A run counts as a stall when it fails with a cell timeout (``--timeout`` s; the explorer cell
takes well under a second) or takes longer than the timeout. Before and after runs alternate,
so both meet the same background load; the load average is printed at the start and end.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import pathlib
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "benchmarks" / "kernel_wait_repro.ipynb"
CONFIG = ROOT / "jupyter-config"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def loadavg() -> str:
    return " ".join(pathlib.Path("/proc/loadavg").read_text().split()[:3])


def base_env(work: pathlib.Path, configured: bool) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "JPY_"))}
    env.pop("MPLBACKEND", None)
    env.update(JUPYTER_RUNTIME_DIR=str(work / "runtime"), JUPYTER_CONFIG_DIR=str(work / "cfg"))
    if configured:
        env["JUPYTER_CONFIG_PATH"] = str(CONFIG)
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_nbval(work: pathlib.Path, runs: int, timeout: int) -> list[dict]:
    folder = work / "nbval"
    folder.mkdir()
    for i in range(runs):
        shutil.copy(NOTEBOOK, folder / f"run{i:03d}.ipynb")
    (folder / "pytest.ini").write_text("[pytest]\n")
    report = folder / "report.jsonl"
    plugin = folder / "conftest.py"
    plugin.write_text(
        "import json, time\n"
        "_t = {}\n"
        "def pytest_runtest_logreport(report):\n"
        "    if report.when == 'call':\n"
        f"        with open({str(report)!r}, 'a') as f:\n"
        "            f.write(json.dumps({'id': report.nodeid, 'seconds': report.duration,\n"
        "                                'ok': report.passed,\n"
        "                                'text': str(report.longrepr)[-300:]}) + '\\n')\n")
    subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval-lax",
                    "--nbval-current-env", f"--nbval-cell-timeout={timeout}", str(folder)],
                   cwd=folder, env=base_env(work, False), capture_output=True, check=False)
    per_file: dict[str, dict] = {}
    for line in report.read_text().splitlines():
        row = json.loads(line)
        name = row["id"].split("::")[0]
        entry = per_file.setdefault(name, {"seconds": 0.0, "ok": True, "why": ""})
        entry["seconds"] += row["seconds"]
        if not row["ok"]:
            entry["ok"] = False
            entry["why"] = row["text"]
    return [{"tool": "nbval", "variant": "as is", **v} for v in per_file.values()]


def run_budget(work: pathlib.Path, runs: int, timeout: int) -> list[dict]:
    code = (
        "import json, sys, time\n"
        f"sys.path.insert(0, {str(ROOT / 'tools')!r})\n"
        "import notebook_budget\n"
        f"for _ in range({runs}):\n"
        "    t = time.perf_counter()\n"
        "    try:\n"
        f"        notebook_budget.measure({str(NOTEBOOK)!r}, timeout={timeout})\n"
        "        ok, why = True, ''\n"
        "    except Exception as e:\n"
        "        ok, why = False, repr(e)[:300]\n"
        "    print(json.dumps({'seconds': time.perf_counter() - t, 'ok': ok, 'why': why}),"
        " flush=True)\n")
    out = subprocess.run([sys.executable, "-c", code], env=base_env(work, False),
                         capture_output=True, text=True, check=False).stdout
    return [{"tool": "budget", "variant": "as is", **json.loads(line)}
            for line in out.splitlines() if line.startswith("{")]


def run_nbconvert(work: pathlib.Path, configured: bool, timeout: int) -> dict:
    out = work / "nbconvert"
    t = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
         f"--ExecutePreprocessor.timeout={timeout}", "--output-dir", str(out), str(NOTEBOOK)],
        cwd=work, env=base_env(work, configured), capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - t
    why = "" if result.returncode == 0 else result.stderr.strip().splitlines()[-1][:300]
    return {"tool": "nbconvert", "variant": "after" if configured else "before",
            "seconds": seconds, "ok": result.returncode == 0, "why": why}


@contextlib.contextmanager
def voila_server(work: pathlib.Path, configured: bool, timeout: int):
    port = free_port()
    home = work / ("voila-after" if configured else "voila-before")
    home.mkdir()
    shutil.copy(NOTEBOOK, home / NOTEBOOK.name)
    log = (home / "voila.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "voila", NOTEBOOK.name, "--no-browser", f"--port={port}",
         "--Voila.ip=127.0.0.1", "--Voila.port_retries=0", f"--VoilaExecutor.timeout={timeout}",
         "--Voila.tornado_settings={'xsrf_cookies': False}"],
        cwd=home, env=base_env(work, configured), stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def run_voila(url: str, variant: str, timeout: int) -> dict:
    t = time.perf_counter()
    try:
        html = urllib.request.urlopen(url + "/", timeout=timeout + 60).read().decode()
    except OSError as error:
        return {"tool": "voila", "variant": variant, "seconds": time.perf_counter() - t,
                "ok": False, "why": repr(error)[:300]}
    seconds = time.perf_counter() - t
    ok = WIDGET_MIME in html
    kernel = re.search(r'"kernelId":\s*"([0-9a-f-]+)"', html)
    if kernel:      # each page load starts a kernel: shut it down (the page is never opened)
        request = urllib.request.Request(f"{url}/voila/api/shutdown/{kernel.group(1)}",
                                         method="POST", data=b"")
        with contextlib.suppress(OSError):
            urllib.request.urlopen(request, timeout=30).read()
    return {"tool": "voila", "variant": variant, "seconds": seconds, "ok": ok,
            "why": "" if ok else "page without the explorer (cell timed out)"}


def summary(rows: list[dict], timeout: int) -> list[str]:
    lines = []
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        groups.setdefault((row["tool"], row["variant"]), []).append(row)
    for (tool, variant), group in groups.items():
        stalls = [r for r in group if not r["ok"] or r["seconds"] >= timeout]
        times = sorted(r["seconds"] for r in group)
        lines.append(f"{tool:<10} {variant:<7} stalls {len(stalls):>2}/{len(group):<3} "
                     f"median {times[len(times) // 2]:5.1f} s  max {times[-1]:5.1f} s")
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--timeout", type=int, default=10, help="cell timeout, s")
    parser.add_argument("--load", type=int, default=0, help="busy-loop processes to add")
    parser.add_argument("--tools", default="nbval,budget,nbconvert,voila")
    parser.add_argument("--out", type=pathlib.Path, help="write every run as JSON lines")
    args = parser.parse_args(argv)
    tools = args.tools.split(",")
    burners = [subprocess.Popen([sys.executable, "-c", "while True: pass"])
               for _ in range(args.load)]
    rows: list[dict] = []
    start = time.monotonic()

    def keep(new: list[dict]) -> None:
        rows.extend(new)
        if args.out:
            with args.out.open("a") as f:
                for row in new:
                    f.write(json.dumps({**row, "load": args.load, "loadavg": loadavg()}) + "\n")

    try:
        time.sleep(2 if burners else 0)
        print(f"load average at start: {loadavg()} (busy loops added: {args.load})", flush=True)
        with tempfile.TemporaryDirectory() as tmp:
            work = pathlib.Path(tmp)
            if "nbval" in tools:
                keep(run_nbval(work, args.runs, args.timeout))
            if "budget" in tools:
                keep(run_budget(work, args.runs, args.timeout))
            if "nbconvert" in tools:
                for _ in range(args.runs):
                    keep([run_nbconvert(work, False, args.timeout),
                          run_nbconvert(work, True, args.timeout)])
            if "voila" in tools:
                with voila_server(work, False, args.timeout) as before, \
                        voila_server(work, True, args.timeout) as after:
                    for _ in range(args.runs):
                        keep([run_voila(before, "before", args.timeout),
                              run_voila(after, "after", args.timeout)])
        print(f"load average at end: {loadavg()}; {time.monotonic() - start:.0f} s in all")
    finally:
        for burner in burners:
            burner.kill()
            burner.wait()
    for line in summary(rows, args.timeout):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
