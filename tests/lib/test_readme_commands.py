"""The README's commands are real: every `make <target>` it names exists, and the options it
documents (another port, pytest options, the quick subset's paths) reach the command they claim."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def dry_run(*args: str) -> str:
    """What `make -n` would run (nothing is run; the venv's stamp files are assumed fresh)."""
    out = subprocess.run(["make", "-n", "-o", ".venv/.installed", "-o", ".venv/.installed-dev",
                          *args], cwd=ROOT, capture_output=True, text=True, check=False)
    assert out.returncode == 0, f"make -n {' '.join(args)} failed: {out.stderr}"
    return out.stdout


def test_every_make_target_the_readme_names_exists() -> None:
    targets = set(re.findall(r"`make ([a-z][a-z-]*)", README))
    assert {"run", "test", "test-fast"} <= targets
    for target in targets:
        dry_run(target)


def test_another_port_reaches_streamlit() -> None:
    assert "make run PORT=" in README
    assert "--server.port 8502" in dry_run("run", "PORT=8502")


def test_pytest_options_and_fast_paths_reach_pytest() -> None:
    assert "PYTEST_ARGS" in README and "make test-fast" in README
    fast = dry_run("test-fast", "PYTEST_ARGS=-k qa -x")
    assert "-k qa -x" in fast and "tests/lib" in fast
    assert "tests/browser" not in fast and "tests/app" not in fast
    assert "tests/lib/qa" in dry_run("test-fast", "FAST=tests/lib/qa")
