"""An offline demo works: loading any page (and a task's detail) sends no request anywhere but
the app's own address (127.0.0.1: the app, its assets, the embedded simulator's media)."""

from __future__ import annotations

from urllib.parse import urlsplit

from tests.browser.harness import goto, streamlit_exceptions
from tests.browser.test_screenshots import PAGES

LOCAL_HOSTS = {"127.0.0.1"}


def test_no_request_leaves_the_machine(page, app_server, a_task_id):
    outside: list[tuple[str, str]] = []
    current = {"path": ""}

    def watch(request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if parts.hostname not in LOCAL_HOSTS:
            outside.append((current["path"], request.url))

    page.on("request", watch)
    for _, path, _ in [*PAGES, ("task", f"/task?task={a_task_id}", None)]:
        current["path"] = path
        goto(page, f"{app_server.url}{path}")
        page.wait_for_timeout(1500)  # favicon, fonts, lazy widgets, players
        assert not streamlit_exceptions(page), (path, streamlit_exceptions(page))
    assert outside == [], outside
    favicon = page.evaluate("document.querySelector(\"link[rel='shortcut icon']\")?.href || ''")
    assert favicon.startswith("data:image/svg+xml"), favicon  # drawn locally from the emoji
