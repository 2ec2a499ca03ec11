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
