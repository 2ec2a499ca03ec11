"""AppTest fixtures: every page test gets its own SQLite log and a fresh runtime.

The runtime starts the embedded simulator (fast settings) because no API key is configured.
"""

from __future__ import annotations

import pytest

from lib.app import runtime

PROVIDER_ENV = ("SONGBENCH_API_KEY", "SONGBENCH_API_BASE_URL", "SONGBENCH_API_DIALECT",
                "SONGBENCH_PUBLIC_URL", "SONGBENCH_UPLOAD_BASE_URL")


@pytest.fixture
def app_runtime(tmp_path, monkeypatch):
    """A fresh `Runtime` on a temp database with a fast embedded simulator."""
    for name in PROVIDER_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SONGBENCH_DB", str(tmp_path / "songbench.db"))
    monkeypatch.setenv("SONGBENCH_ASSETS_DIR", str(tmp_path / "assets"))
    monkeypatch.setenv("SONGBENCH_SIM_SPEED", "200")
    monkeypatch.setenv("SONGBENCH_SIM_TRACK_SECONDS", "3")
    runtime.reset_runtime()
    rt = runtime.get_runtime()
    yield rt
    runtime.reset_runtime()


class _Client:
    """What `st.context` reads of the browser's request (AppTest cannot seed cookies)."""

    def __init__(self, cookies: dict[str, str]) -> None:
        self.cookies, self.headers = cookies, {}


@pytest.fixture
def browser_cookies(monkeypatch):
    """The cookies the page's websocket was opened with (``st.context.cookies``): a dict the
    test fills. AppTest has no client (and ``AppTest.context`` cannot seed cookies), so
    `st.context` is given one through Streamlit's private ``_get_client_context``; if an
    upgrade renames it, ``setattr`` fails here and names it."""
    from streamlit.runtime import context

    jar: dict[str, str] = {}
    monkeypatch.setattr(context, "_get_client_context", lambda: _Client(jar))
    return jar
