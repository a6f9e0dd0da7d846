"""The discovery behind the error, fuzz and determinism tests finds every public model function.

The expected set is built independently of ``tests/_public_api.py``: every ``.py`` file under
``p2plib/`` outside viz/widgets/checks and private names, read as text (``ast``, nothing
imported), with the functions its ``__all__`` names (or, without ``__all__``, its names not
starting with ``_``) and defines there (``def name``). A module moved into a subpackage must
still be found, or those tests would silently stop covering it; the last tests show that the
comparison notices when discovery skips a subpackage.
"""

import ast
import importlib
import importlib.util
import pathlib
import pkgutil

import _public_api
import pytest
from _public_api import all_functions, all_scenarios, model_modules

import p2plib

ROOT = pathlib.Path(p2plib.__file__).parent
NOT_MODELS = ("viz", "widgets", "checks")


def _model_files():
    """``(module name, path)`` of every model module file, subpackages' ``__init__`` included."""
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in NOT_MODELS or any(
                part.startswith("_") and part != "__init__.py" for part in rel.parts):
            continue
        yield ".".join(("p2plib", *rel.with_suffix("").parts)).removesuffix(".__init__"), path


def _declared_all(tree: ast.Module, path) -> set | None:
    """The names of a module's ``__all__`` (``=``, ``: list[str] =``, ``+=``), None if absent."""
    names = None
    for node in tree.body:
        targets = (node.targets if isinstance(node, ast.Assign)
                   else [node.target] if isinstance(node, ast.AnnAssign | ast.AugAssign)
                   else [])
        if not any(getattr(t, "id", None) == "__all__" for t in targets):
            continue
        try:
            value = ast.literal_eval(node.value)
        except ValueError:     # a computed __all__: this scan could not check it
            pytest.fail(f"{path}: __all__ is not a literal list of names")
        names = (names or set()) | set(value) if isinstance(node, ast.AugAssign) else set(value)
    return names


def _expected_functions():
    expected = set()
    for module, path in _model_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        defined = {node.name for node in tree.body
                   if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}
        public = _declared_all(tree, path)
        if public is None:
            public = {name for name in defined if not name.startswith("_")}
        expected |= {(module, name) for name in public & defined}
    return expected


def _model_subpackages():
    return sorted(module for module, path in _model_files() if path.name == "__init__.py"
                  and module != "p2plib")


def test_discovery_walks_subpackages():
    names = {m.__name__ for m in model_modules()}
    assert {"p2plib.outage", "p2plib.outage.simulation", "p2plib.outage.theory",
            "p2plib.outage.ensemble", "p2plib.scenarios"} <= names
    assert set(_model_subpackages()) <= names
    assert not any(n.startswith(("p2plib.viz", "p2plib.widgets", "p2plib.checks"))
                   for n in names)


def test_discovery_finds_every_public_model_function():
    found = set(all_functions())
    expected = _expected_functions()
    assert len(expected) >= 40, "the independent scan found too little"
    assert any(module.count(".") >= 2 for module, _ in expected), "no subpackage scanned"
    assert found == expected, (expected - found, found - expected)
    assert ("p2plib.outage.simulation", "simulate") in found
    assert ("p2plib.outage.theory", "fluid_thresholds") in found


def test_discovery_finds_the_scenario_dataclasses():
    found = set(all_scenarios())
    assert ("p2plib.outage.scenario", "Scenario") in found
    assert ("p2plib.outage.policy", "Policy") in found


def _found_without(monkeypatch, hidden: str) -> set:
    """What discovery finds when pkgutil does not list the subpackage ``hidden``."""
    parent, _, name = hidden.rpartition(".")
    real = pkgutil.iter_modules

    def iter_modules(path=None, prefix=""):
        listed = list(real(path, prefix))
        parent_path = list(importlib.import_module(parent).__path__)
        if path is not None and list(path) == parent_path:
            listed = [info for info in listed if info.name != name]
        return iter(listed)

    monkeypatch.setattr(_public_api.pkgutil, "iter_modules", iter_modules)
    model_modules.cache_clear()
    try:
        return set(all_functions())
    finally:
        monkeypatch.undo()
        model_modules.cache_clear()


@pytest.mark.parametrize("subpackage", _model_subpackages())
def test_the_comparison_fails_if_discovery_skips_a_subpackage(monkeypatch, subpackage):
    """Hide one subpackage from discovery: exactly its functions go missing, so the test above
    (``found == expected``) would fail."""
    found = _found_without(monkeypatch, subpackage)
    missing = _expected_functions() - found
    assert missing, f"hiding {subpackage} changed nothing: the comparison could not fail"
    assert missing == {(module, name) for module, name in _expected_functions()
                       if module == subpackage or module.startswith(subpackage + ".")}
    assert set(all_functions()) == _expected_functions()   # and the real discovery is back


def _private_imports(path: pathlib.Path) -> list:
    """``from p2plib... import _name`` lines of a file, where ``_name`` is not a module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("p2plib"):
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    if not _is_module(f"{node.module}.{alias.name}"):
                        found.append(f"{path.relative_to(ROOT.parent)}:{node.lineno} "
                                     f"imports {alias.name} from {node.module}")
    return found


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def test_no_module_imports_another_modules_private_names():
    """Layering rule (CONTRIBUTING): a private name (``_x``) stays in its module; a private
    *module* (``p2plib._validate``, ``checks._student_code``) is shared through its public
    names."""
    found = [line for path in sorted(ROOT.rglob("*.py")) for line in _private_imports(path)]
    assert not found, "\n".join(found)
