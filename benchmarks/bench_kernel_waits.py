"""How often does executing a notebook with an explorer cell wait out its cell timeout?

Executes ``benchmarks/kernel_wait_repro.ipynb`` (chapter 01's first explorer, alone) many times
with each of the ways the course runs notebooks headless, and counts the runs whose explorer
cell waited out the cell timeout although the kernel had answered (jupyter/nbclient#312: the
asyncio wait on the shell socket misses its wake-up). CONTRIBUTING ("Kernel waits") holds the
table this prints.

- ``nbval``: ``pytest --nbval-lax`` (jupyter_client's blocking client), all runs in one session
- ``budget``: ``tools/notebook_budget.measure`` (the blocking client), all runs in one process
- ``nbconvert``: ``jupyter nbconvert --to notebook --execute`` of all runs' copies in one
  process (a fresh kernel each; a timed-out cell is interrupted and logged, and the run goes
  on); *before* plain, *after* with ``JUPYTER_CONFIG_PATH=jupyter-config``
- ``voila``: one Voilà server per variant, one page load (a fresh kernel) a run; *before*
  plain, *after* with the course's configuration

    python benchmarks/bench_kernel_waits.py --runs 40              # the machine as it is
    python benchmarks/bench_kernel_waits.py --runs 40 --load 2     # plus 2 busy loops

A missed wake-up raises nothing: when the poll's timeout fires, pyzmq's last ``zmq_poll(0)``
finds the waiting reply, so the cell "succeeds" after waiting out the rest of its timeout. A run
therefore counts as a stall when it took at least half the cell timeout (``--timeout`` s) more
than the median run of the same tool and variant (the explorer cell itself takes well under a
second at rest), or when a cell timed out; times include the kernel's start. The tools, and
the before and after variants, run at the same time (one thread each), so that all meet the
same background load, which they add to; the load average is printed at the start and end
and stored with each run (``--out``).
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
import threading
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


def run_nbconvert(work: pathlib.Path, configured: bool, runs: int, timeout: int, keep) -> None:
    """One ``jupyter nbconvert --execute`` of ``runs`` copies of the notebook (a fresh kernel
    each). A cell that times out is logged ("Timeout waiting for execute reply"), interrupted
    and the run goes on (``interrupt_on_timeout``, ``--allow-errors``), so one process serves
    every run; each notebook's time is read from the log's "Converting notebook" lines."""
    variant = "after" if configured else "before"
    copies = []
    for i in range(runs):
        copies.append(work / f"run{i:03d}.ipynb")
        shutil.copy(NOTEBOOK, copies[-1])
    process = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
         "--allow-errors", f"--ExecutePreprocessor.timeout={timeout}",
         "--ExecutePreprocessor.interrupt_on_timeout=True", "--output-dir", str(work / "out"),
         *map(str, copies)],
        cwd=work, env=base_env(work, configured), stderr=subprocess.PIPE, text=True)
    current, started, stalled = None, 0.0, False

    def close() -> None:
        if current is not None:
            keep([{"tool": "nbconvert", "variant": variant,
                   "seconds": time.perf_counter() - started, "ok": not stalled,
                   "why": "cell timeout (reply never seen)" if stalled else ""}])

    for line in process.stderr:
        if "Converting notebook" in line:
            close()
            current, started, stalled = line, time.perf_counter(), False
        elif "Timeout waiting for execute reply" in line:
            stalled = True
    close()
    process.wait()


@contextlib.contextmanager
def voila_server(work: pathlib.Path, configured: bool, timeout: int):
    port = free_port()
    home = work / ("voila-after" if configured else "voila-before")
    home.mkdir()
    shutil.copy(NOTEBOOK, home / NOTEBOOK.name)
    log = (home / "voila.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "voila", NOTEBOOK.name, "--no-browser", f"--port={port}",
         "--Voila.ip=127.0.0.1", "--Voila.port_retries=0", f"--VoilaExecutor.timeout={timeout}"],
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
    opener = urllib.request.build_opener()
    t = time.perf_counter()
    try:
        html = opener.open(url + "/", timeout=timeout + 60).read().decode()
    except Exception as error:
        return {"tool": "voila", "variant": variant, "seconds": time.perf_counter() - t,
                "ok": False, "why": repr(error)[:300]}
    seconds = time.perf_counter() - t
    ok = WIDGET_MIME in html
    kernel = re.search(r'"kernelId":\s*"([0-9a-f-]+)"', html)
    if kernel:      # each page load starts a kernel: shut it down (the page is never opened)
        # tornado's XSRF check compares the cookie with the header: any equal pair passes
        request = urllib.request.Request(f"{url}/voila/api/shutdown/{kernel.group(1)}",
                                         method="POST", data=b"",
                                         headers={"X-XSRFToken": "bench",
                                                  "Cookie": "_xsrf=bench"})
        with contextlib.suppress(Exception):
            opener.open(request, timeout=30).read()
    return {"tool": "voila", "variant": variant, "seconds": seconds, "ok": ok,
            "why": "" if ok else "page without the explorer (cell timed out)"}


def summary(rows: list[dict], timeout: int) -> list[str]:
    lines = []
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        groups.setdefault((row["tool"], row["variant"]), []).append(row)
    for (tool, variant), group in groups.items():
        times = sorted(r["seconds"] for r in group)
        median = times[len(times) // 2]
        stalls = [r for r in group if not r["ok"] or r["seconds"] >= median + timeout / 2]
        lines.append(f"{tool:<10} {variant:<7} stalls {len(stalls):>2}/{len(group):<3} "
                     f"median {times[len(times) // 2]:5.1f} s  max {times[-1]:5.1f} s")
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--timeout", type=int, default=20, help="cell timeout, s")
    parser.add_argument("--load", type=int, default=0, help="busy-loop processes to add")
    parser.add_argument("--tools", default="nbval,budget,nbconvert,voila")
    parser.add_argument("--out", type=pathlib.Path, help="write every run as JSON lines")
    args = parser.parse_args(argv)
    tools = args.tools.split(",")
    burners = [subprocess.Popen([sys.executable, "-c", "while True: pass"])
               for _ in range(args.load)]
    rows: list[dict] = []
    lock = threading.Lock()
    start = time.monotonic()

    def keep(new: list[dict]) -> None:
        with lock:
            rows.extend(new)
            if args.out:
                with args.out.open("a") as f:
                    for row in new:
                        f.write(json.dumps({**row, "load": args.load,
                                            "loadavg": loadavg()}) + "\n")

    def guarded(job):
        def run():
            try:
                job()
            except Exception as error:
                print(f"{job.__name__} failed: {error!r}", flush=True)
        return threading.Thread(target=run)

    try:
        time.sleep(2 if burners else 0)
        print(f"load average at start: {loadavg()} (busy loops added: {args.load})", flush=True)
        with tempfile.TemporaryDirectory() as tmp:
            work = pathlib.Path(tmp)

            def nbval():
                keep(run_nbval(work, args.runs, args.timeout))

            def budget():
                keep(run_budget(work, args.runs, args.timeout))

            def nbconvert(configured):
                folder = work / f"nbconvert-{configured}"
                folder.mkdir()
                run_nbconvert(folder, configured, args.runs, args.timeout, keep)

            def nbconvert_before():
                nbconvert(False)

            def nbconvert_after():
                nbconvert(True)

            def voila(configured):
                with voila_server(work, configured, args.timeout) as url:
                    for _ in range(args.runs):
                        keep([run_voila(url, "after" if configured else "before",
                                        args.timeout)])

            def voila_before():
                voila(False)

            def voila_after():
                voila(True)

            jobs = {"nbval": [nbval], "budget": [budget],
                    "nbconvert": [nbconvert_before, nbconvert_after],
                    "voila": [voila_before, voila_after]}
            threads = [guarded(job) for tool in tools for job in jobs[tool]]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
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
