"""The reviewer's name is asked once per browser session: entered on one task's review
controls, it is still there after a reload, on another task opened by its address and in a
new tab, and a decision there is recorded under it; *Forget* asks again, and another browser
session (a new context, its own cookies) is asked.

The app runs on a server of its own here (the shared one's newest task is what other tests
review, and this test reviews takes).
"""

from __future__ import annotations

import re
import time

import pytest

from lib.log.sqlite import SqliteLog
from lib.review import reviewer
from tests.browser import flows, harness
from tests.browser.conftest import _require_browser
from tests.browser.harness import goto, screenshot, streamlit_exceptions, wait_ready

NAME = "Ana <i>Lía</i> *x*"  # shown as typed, never as markup


@pytest.fixture(scope="module")
def server():
    _require_browser()  # fails under CI, skips (printing why) elsewhere
    with harness.AppServer() as app:
        yield app


def _songs(page, app, n: int = 2) -> list[str]:
    """``n`` song tasks whose takes are in the log (made on the Generate page)."""
    log = SqliteLog(app.data_dir / "songbench.db")
    tasks = [flows.submit_song(page, app.url, f"a short piano tune number {i}")
             for i in range(n)]
    deadline = time.monotonic() + 90
    while not all(log.tracks_for(t) for t in tasks) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert all(log.tracks_for(t) for t in tasks), "the songs have no takes"
    return tasks


def _name_box(page, task: str):
    box = page.locator(f".st-key-reviews-{task}")
    box.wait_for(timeout=30_000)
    field = box.locator(".st-key-review_name input")
    field.wait_for()
    return box, field


def _open(page, app, task: str):
    goto(page, f"{app.url}/task?task={task}")
    return _name_box(page, task)


def _sent(page, method: str):
    return page.expect_response(lambda r: r.url.endswith(reviewer.ROUTE)
                                and r.request.method == method, timeout=15_000)


def test_the_name_is_kept_for_the_browser_session(browser, server):
    harness.ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    other = None
    try:
        page = context.new_page()
        page.set_default_timeout(30_000)
        first, second = _songs(page, server)
        log = SqliteLog(server.data_dir / "songbench.db")

        box, field = _open(page, server, first)
        assert field.input_value() == ""
        assert box.get_by_role("button", name=re.compile("Forget")).count() == 0
        box.screenshot(path=str(harness.ARTIFACTS / "review-name-asked.png"))
        with _sent(page, "POST") as answer:
            flows.commit_text(page, f".st-key-reviews-{first} .st-key-review_name input", NAME)
        assert answer.value.status == 200, answer.value.text()
        wait_ready(page)
        [cookie] = [c for c in context.cookies() if c["name"] == reviewer.COOKIE]
        assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["path"] == "/"
        assert cookie["expires"] == -1  # a session cookie: gone when the browser closes
        assert page.evaluate("document.cookie").find(reviewer.COOKIE) == -1  # HttpOnly
        box, _ = _name_box(page, first)
        box.get_by_role("button", name=re.compile("Forget")).wait_for()
        assert page.locator('[class*="st-key-reviewer-sync-"]').count() == 1
        with_script = box.bounding_box()["height"]

        page.reload(wait_until="domcontentloaded")
        wait_ready(page)
        box, field = _name_box(page, first)
        assert field.input_value() == NAME
        box.get_by_role("button", name=re.compile("Forget")).wait_for()
        assert page.locator('[class*="st-key-reviewer-sync-"]').count() == 0  # nothing to send
        # the hidden script took no room (no gap either)
        assert abs(box.bounding_box()["height"] - with_script) < 1, with_script
        box.screenshot(path=str(harness.ARTIFACTS / "review-name-remembered.png"))

        # another task, by its address: a new websocket session, the same browser session
        box, field = _open(page, server, second)
        assert field.input_value() == NAME
        track = log.tracks_for(second)[0]["id"]
        page.locator(f".st-key-review-{track}-action").get_by_text("Approve").click()
        page.locator("[data-testid=stForm]").filter(
            has=page.locator(f".st-key-review-{track}-action")).get_by_role(
            "button", name="Save").click()
        wait_ready(page)
        page.get_by_text("Approved.").first.wait_for()
        [row] = log.review_history(track)
        assert (row["action"], row["reviewer"]) == ("approve", NAME)
        assert not streamlit_exceptions(page)

        # a new tab of the same browser knows it too
        tab = context.new_page()
        tab.set_default_timeout(30_000)
        _, field = _open(tab, server, first)
        assert field.input_value() == NAME
        tab.close()

        # another browser session is asked
        other = browser.new_context(viewport={"width": 1400, "height": 900})
        stranger = other.new_page()
        stranger.set_default_timeout(30_000)
        _, field = _open(stranger, server, second)
        assert field.input_value() == ""

        # Forget: asked again, also after a reload
        box, field = _open(page, server, first)
        with _sent(page, "DELETE") as answer:
            box.get_by_role("button", name=re.compile("Forget")).click()
        assert answer.value.status == 200
        wait_ready(page)
        assert field.input_value() == ""
        assert not [c for c in context.cookies() if c["name"] == reviewer.COOKIE]
        page.reload(wait_until="domcontentloaded")
        wait_ready(page)
        _, field = _name_box(page, first)
        assert field.input_value() == ""
        screenshot(page, "review-name-forgotten")
    except Exception:
        screenshot(page, "FAILED-review-name")
        print(server.log_tail())
        raise
    finally:
        if other is not None:
            other.close()
        context.close()
