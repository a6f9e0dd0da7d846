"""The discovery behind the error, fuzz and determinism tests finds every public model function.

The expected set is built independently of ``tests/_public_api.py``: every ``.py`` file under
``p2plib/`` outside viz/widgets/checks and private names, read as text, with the functions its
``__all__`` names and defines (``def name``). A module moved into a subpackage must still be
found, or those tests would silently stop covering it.
"""

import ast
import pathlib

from _public_api import all_functions, all_scenarios, model_modules

import p2plib

ROOT = pathlib.Path(p2plib.__file__).parent


def _expected_functions():
    expected = set()
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in ("viz", "widgets", "checks") or any(
                part.startswith("_") and part != "__init__.py" for part in rel.parts):
            continue
        tree = ast.parse(path.read_text())
        names = set()
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__all__"
                                                    for t in node.targets):
                names = {elt.value for elt in node.value.elts}
        defined = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
        module = ".".join(("p2plib", *rel.with_suffix("").parts)).removesuffix(".__init__")
        expected |= {(module, name) for name in names & defined}
    return expected


def test_discovery_walks_subpackages():
    names = {m.__name__ for m in model_modules()}
    assert {"p2plib.outage", "p2plib.outage.simulation", "p2plib.outage.theory",
            "p2plib.outage.ensemble", "p2plib.scenarios"} <= names
    assert not any(n.startswith(("p2plib.viz", "p2plib.widgets", "p2plib.checks"))
                   for n in names)


def test_discovery_finds_every_public_model_function():
    found = set(all_functions())
    expected = _expected_functions()
    assert expected, "the independent scan found nothing"
    assert found == expected, (expected - found, found - expected)
    assert ("p2plib.outage.simulation", "simulate") in found
    assert ("p2plib.outage.theory", "fluid_thresholds") in found


def test_discovery_finds_the_scenario_dataclasses():
    found = set(all_scenarios())
    assert ("p2plib.outage.scenario", "Scenario") in found
    assert ("p2plib.outage.policy", "Policy") in found
