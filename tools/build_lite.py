"""Build the course as a static JupyterLite site: the notebooks, a p2plib wheel, no server.

    python tools/build_lite.py                        # -> build/lite (serve it, or publish it)
    python tools/build_lite.py --out-dir /tmp/lite --pyodide /path/to/npm/pyodide/package

A student opens the site in a browser and runs the course with Pyodide (Python compiled to
WebAssembly). The notebooks' first cell installs p2plib there from the wheel that ships with
the site (``%pip install p2plib``); numpy, scipy, networkx and matplotlib come from Pyodide's
own distribution and ipywidgets/tqdm from PyPI, fetched by the student's browser the first
time (so the site needs the network at the student's end, unless ``--pyodide`` was given AND
the notebook needs only pure Python). The build itself needs no network beyond PyPI for the
Pyodide kernel's wheel (pinned below; ``--kernel-wheel`` takes a local copy).

The Pyodide kernel's JupyterLab extension is built for JupyterLite only (in JupyterLab it logs
"Shared module @jupyterlite/services doesn't exist"), so it is not in requirements.txt: the
wheel is fetched into a temporary folder and used only here. The site is built from only the
extensions it needs (``--ignore-sys-prefix``): the Pyodide kernel and the ipywidgets manager.

``--pyodide DIR`` copies a Pyodide core (the npm package ``pyodide``, version
:data:`PYODIDE_VERSION`, e.g. ``npm pack pyodide@314.0.6``) into ``static/pyodide`` so that the
kernel boots with no CDN; the browser tests use it to boot the kernel offline.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

ROOT = pathlib.Path(__file__).resolve().parents[1]
#: Pyodide kernel for JupyterLite, made for jupyterlite-core 0.8.6 (requirements.txt).
PYODIDE_KERNEL = "jupyterlite-pyodide-kernel==0.8.6"
#: The Pyodide release that PYODIDE_KERNEL loads (from its CDN unless --pyodide is given).
PYODIDE_VERSION = "314.0.6"
KERNEL_PLUGIN = "@jupyterlite/pyodide-kernel-extension:kernel"
#: What the kernel loads from Pyodide's distribution as it boots (with their dependencies).
BOOT_FROM_PYODIDE = ["micropip", "ipython", "prompt_toolkit", "jedi"]
#: Wheels the kernel installs at boot that Pyodide's distribution lacks (offline sites only).
BOOT_EXTRA = ["comm==0.2.3"]


def _run(argv, **kwargs) -> None:
    subprocess.run([str(a) for a in argv], check=True, **kwargs)


def _wheelhouse_args() -> list:
    """pip arguments that take every download from ``P2P_LITE_WHEELHOUSE`` (offline build).

    ``python tools/build_lite.py --fetch DIR`` fills such a folder while the network is there;
    CI does that before the tests, which then build the site with no network at all.
    """
    wheelhouse = os.environ.get("P2P_LITE_WHEELHOUSE")
    return ["--no-index", "--find-links", wheelhouse] if wheelhouse else []


def p2plib_wheel(dest: pathlib.Path) -> pathlib.Path:
    """Build the p2plib wheel (pure Python) into ``dest``.

    With setuptools >= 70.1 here (it builds wheels itself) the build needs no network; else
    pip fetches a build backend from PyPI for an isolated build.
    """
    argv = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dest, ROOT,
            *_wheelhouse_args()]
    try:
        import setuptools

        if tuple(int(x) for x in setuptools.__version__.split(".")[:2]) >= (70, 1):
            argv.insert(5, "--no-build-isolation")
    except (ImportError, ValueError):
        pass
    _run(argv)
    return next(dest.glob("p2plib-*.whl"))


def kernel_wheel(dest: pathlib.Path) -> pathlib.Path:
    """Download the pinned Pyodide-kernel wheel (no dependencies) into ``dest``."""
    _run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", dest,
          *_wheelhouse_args(), PYODIDE_KERNEL])
    return next(dest.glob("jupyterlite_pyodide_kernel-*.whl"))


def widgets_extension() -> pathlib.Path:
    """The ipywidgets manager's prebuilt JupyterLab extension in this environment."""
    import jupyter_core.paths

    for base in jupyter_core.paths.jupyter_path("labextensions"):
        path = pathlib.Path(base) / "@jupyter-widgets" / "jupyterlab-manager"
        if (path / "package.json").is_file():
            return path
    raise FileNotFoundError("jupyterlab_widgets is not installed (pip install -r requirements.txt)")


def build(out_dir: pathlib.Path, *, pyodide: pathlib.Path | None = None,
          kernel: pathlib.Path | None = None) -> pathlib.Path:
    """Build the site into ``out_dir`` (replaced if it exists) and return it."""
    out_dir = out_dir.resolve()
    with tempfile.TemporaryDirectory(prefix="p2p-lite-") as tmp:
        tmp = pathlib.Path(tmp)
        wheel = p2plib_wheel(tmp / "wheels")
        kernel = kernel or kernel_wheel(tmp / "kernel")
        # The kernel's build-time add-ons (piplite index, Pyodide settings) are Python entry
        # points: unpack its wheel and put it on the path of the build only.
        site = tmp / "kernel-site"
        with zipfile.ZipFile(kernel) as archive:
            archive.extractall(site)
        lite_dir = tmp / "lite"
        contents = lite_dir / "files"
        contents.mkdir(parents=True)
        for notebook in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
            shutil.copy2(notebook, contents / notebook.name)
        settings = {}
        if pyodide is not None:
            settings["pyodideUrl"] = "./static/pyodide/pyodide.mjs"
        (lite_dir / "jupyter-lite.json").write_text(json.dumps({
            "jupyter-lite-schema-version": 0,
            "jupyter-config-data": {
                "appName": "P2P outage course",
                "litePluginSettings": {KERNEL_PLUGIN: settings},
            },
        }, indent=2))
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            [str(site), *filter(None, [os.environ.get("PYTHONPATH")])])}
        dist_wheels, extra_wheels = [], []
        if pyodide is not None:
            dist_wheels, extra_wheels = boot_wheels(pyodide, tmp / "boot")
        if out_dir.exists():
            shutil.rmtree(out_dir)
        _run([sys.executable, "-m", "jupyter", "lite", "build", "--lite-dir", lite_dir,
              "--output-dir", out_dir, "--contents", contents, "--ignore-sys-prefix",
              "--no-sourcemaps",
              *[arg for w in [wheel, *extra_wheels] for arg in ("--piplite-wheels", w)],
              f"--LiteBuildConfig.federated_extensions={kernel}",
              f"--LiteBuildConfig.federated_extensions={widgets_extension()}"],
             env=env, cwd=lite_dir)
        if pyodide is not None:
            install_pyodide(pyodide, out_dir, dist_wheels)
    return out_dir


def boot_wheels(pyodide: pathlib.Path, dest: pathlib.Path) -> tuple[list, list]:
    """Fetch from PyPI the wheels that the Pyodide kernel needs to boot with no CDN.

    The npm package holds only Pyodide's core. Booting the kernel also loads micropip and
    IPython and jedi (pure-Python wheels of Pyodide's distribution: fetched at the versions of
    Pyodide's lock file) and installs comm (not in Pyodide's distribution:
    :data:`BOOT_EXTRA`, for the site's own wheel index). Returns (distribution wheels with
    their lock names, extra wheels).
    """
    lock = json.loads((pyodide / "pyodide-lock.json").read_text())
    packages = lock["packages"]
    keys = {_canonical(key): key for key in packages}
    needed, todo = [], list(BOOT_FROM_PYODIDE)
    while todo:
        name = keys.get(_canonical(todo.pop()))
        if name is not None and name not in needed:
            needed.append(name)
            todo += packages[name]["depends"]
    pins = [f"{packages[n]['name']}=={packages[n]['version']}" for n in needed]
    python = lock["info"]["python"].rsplit(".", 1)[0]
    _run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "--only-binary=:all:",
          f"--python-version={python}", "-d", dest, *_wheelhouse_args(), *pins, *BOOT_EXTRA])

    def wheel_of(pin: str) -> pathlib.Path:
        name, version = pin.split("==")
        stem = _canonical(name).replace("-", "_")
        return next(w for w in dest.glob("*.whl")
                    if w.name.lower().startswith(f"{stem}-{version}-"))

    return [(n, wheel_of(pin)) for n, pin in zip(needed, pins, strict=True)], [
        wheel_of(pin) for pin in BOOT_EXTRA]


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def install_pyodide(pyodide: pathlib.Path, site: pathlib.Path, wheels: list) -> None:
    """Copy Pyodide's core and the boot wheels into ``site/static/pyodide``; fix the lock."""
    target = site / "static" / "pyodide"
    shutil.copytree(pyodide, target, dirs_exist_ok=True)
    lock = json.loads((target / "pyodide-lock.json").read_text())
    for name, wheel in wheels:
        shutil.copy2(wheel, target / wheel.name)
        entry = lock["packages"][name]
        entry["file_name"] = wheel.name
        entry["sha256"] = hashlib.sha256(wheel.read_bytes()).hexdigest()
    (target / "pyodide-lock.json").write_text(json.dumps(lock))


def fetch(dest: pathlib.Path, pyodide: pathlib.Path | None = None) -> pathlib.Path:
    """Download into ``dest`` every wheel the build needs, for a later offline build.

    The Pyodide-kernel wheel, a setuptools that builds wheels by itself (for p2plib's isolated
    build) and, with ``pyodide``, the wheels its kernel boots with.
    """
    dest.mkdir(parents=True, exist_ok=True)
    kernel_wheel(dest)
    _run([sys.executable, "-m", "pip", "download", "-q", "-d", dest, "setuptools>=70.1"])
    if pyodide is not None:
        boot_wheels(pyodide, dest)
    return dest


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", type=pathlib.Path, default=ROOT / "build" / "lite")
    parser.add_argument("--pyodide", type=pathlib.Path,
                        help=f"folder of npm package pyodide@{PYODIDE_VERSION}: offline kernel")
    parser.add_argument("--kernel-wheel", type=pathlib.Path,
                        help=f"a local wheel of {PYODIDE_KERNEL} (else fetched from PyPI)")
    parser.add_argument("--fetch", type=pathlib.Path, metavar="DIR",
                        help="only download the wheels an offline build needs into DIR "
                             "(then build with P2P_LITE_WHEELHOUSE=DIR)")
    args = parser.parse_args(argv)
    if args.fetch:
        print(f"wheels for an offline build in {fetch(args.fetch, args.pyodide)}")
        return 0
    out = build(args.out_dir, pyodide=args.pyodide, kernel=args.kernel_wheel)
    print(f"JupyterLite site in {out}; try:  python -m http.server -d {out} 8000")
    return 0


if __name__ == "__main__":
    sys.exit(main())
