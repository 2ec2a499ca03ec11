"""A `Runtime` on a temp folder that the app's HTTP routes will use, for route tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from lib.app import runtime
from lib.settings import Settings


def route_runtime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> runtime.Runtime:
    """A runtime on ``tmp_path`` (a provider that is never called), installed as the one
    `runtime.get_runtime` returns to the routes."""
    settings = Settings(base_url="http://127.0.0.1:9", api_key="k", db_path=str(tmp_path / "s.db"),
                        assets_dir=str(tmp_path / "assets"))
    rt = runtime.Runtime(settings)
    monkeypatch.setattr(runtime, "get_runtime", lambda **kw: rt)
    return rt
