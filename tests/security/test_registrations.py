"""Apps add to pages and exports in one way (healthjustice.core.registry): decorated functions
in modules their AppConfig.ready() imports. A registration run as a bare statement or a loop at
the top of a module depends on import order, so it is refused here."""

import ast
from pathlib import Path

import healthjustice

ROOT = Path(healthjustice.__file__).parent


def _registration_calls(node: ast.AST) -> list[str]:
    calls = []
    for inner in ast.walk(node):
        if isinstance(inner, ast.Call):
            func = inner.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name.startswith("register_") and name != "register_draft":
                calls.append(name)
    return calls


def test_no_module_registers_at_its_top_level():
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        for statement in tree.body:
            if isinstance(statement, (ast.Expr, ast.For, ast.Assign)):
                found += [
                    f"{path.relative_to(ROOT)}:{statement.lineno} {name}"
                    for name in _registration_calls(statement)
                ]
    assert not found, "Register with a decorator or from AppConfig.ready(): " + ", ".join(found)


def test_the_scan_sees_a_top_level_registration():
    tree = ast.parse("for f in (a, b):\n    register_subject_access_section('x', f)\n")
    assert _registration_calls(tree.body[0]) == ["register_subject_access_section"]
