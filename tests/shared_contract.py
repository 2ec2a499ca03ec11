"""The published contract files beside the repository (``../shared``), for the tests that read
them. A user's clone has no ``../shared``: those tests then skip with the reason (``pytest -ra``
prints it). Under CI (``CI`` set to anything but ``""``/``0``/``false``) a missing file fails the
run instead, so CI never passes without them. ``SONGBENCH_SHARED_DIR`` points elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    return Path(os.environ.get("SONGBENCH_SHARED_DIR") or REPO.parent / "shared")


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def shared_file(rel: str) -> Path:
    """``<shared>/<rel>``; when it is missing, skip the calling test module (fail under CI).
    Call it at module level, before anything reads the file."""
    path = shared_dir() / rel
    if path.is_file():
        return path
    reason = (f"{path} is not there: the published contract lives in ../shared beside the "
              "repository (or set SONGBENCH_SHARED_DIR)")
    if in_ci():
        pytest.fail(f"CI needs the published contract: {reason}", pytrace=False)
    pytest.skip(reason, allow_module_level=True)
    raise AssertionError("unreachable")  # pytest.skip raises
