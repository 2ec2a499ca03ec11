"""The page shell's backend address, computed in the browser (`lib.app.page_shell`): a page
URL without its page segment, under any prefix; served by Playwright, no app needed."""

from __future__ import annotations

import pytest

from lib.app import navigation, page_shell


@pytest.mark.parametrize(("path", "backend"), [
    ("/", "/"),
    ("/tasks", "/"),
    ("/task?task=abc", "/"),
    ("/demo?playlist=launch", "/"),
    ("/songs/tasks", "/songs"),            # behind a proxy's prefix or server.baseUrlPath
    ("/songs", "/songs"),                  # the default page under that prefix
    ("/songs/", "/songs"),
    ("/not-a-page", "/not-a-page"),        # unknown: the frontend's own fallback applies
])
def test_the_backend_is_the_page_url_without_its_page(browser, path, backend):
    html = ("<!doctype html><html><head>"
            + page_shell.backend_script(navigation.url_paths())
            + "</head><body></body></html>")
    context = browser.new_context()
    try:
        page = context.new_page()
        page.route("http://songbench.test/**",
                   lambda route: route.fulfill(status=200, content_type="text/html", body=html))
        page.goto(f"http://songbench.test{path}")
        got = page.evaluate("() => window.__streamlit.BACKEND_BASE_URL")
        assert got == "http://songbench.test" + backend
    finally:
        context.close()
