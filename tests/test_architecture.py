"""The architecture's contracts hold (pyproject.toml `[tool.importlinter]`, explained in
docs/architecture.md): layers of lib/ and of simulator/, operation and family modules
independent of each other, the simulator apart from lib, Streamlit only in lib.app. `make lint`
runs the same check (`lint-imports`); this test makes a plain pytest run catch it too."""

from __future__ import annotations

from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)  # the contracts name the packages from the repository root
    code = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True)
    report = capsys.readouterr().out
    assert code == 0, f"an import runs against the architecture's contracts:\n{report}"
    assert " 0 broken" in report, report


def _log_calls(path: Path) -> list[str]:
    """``file:line rt.log.method(...)`` for every call of a task-log method in a page file."""
    import ast

    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Attribute) and node.func.value.attr == "log"
                and isinstance(node.func.value.value, ast.Name)
                and node.func.value.value.id == "rt"):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} rt.log.{node.func.attr}(...)")
    return found


def test_pages_call_view_models_not_the_task_log():
    """Pages hold UI only: they hand the log to a view-model function (`lib.views`,
    `lib.review`, `lib.experiments`, ...) and never query or write it themselves."""
    calls = [c for path in sorted((ROOT / "pages").rglob("*.py")) for c in _log_calls(path)]
    assert calls == [], "pages call the task log directly:\n" + "\n".join(calls)
