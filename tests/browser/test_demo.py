"""Demo mode in a real browser: two songs generated with the app, three takes approved through
`lib`, a playlist made of them, then `/demo?playlist=<slug>` opened at 1920x1080 with every
request outside 127.0.0.1 blocked. Checked: no sidebar, navigation or toolbar; no id, key-like
string or JSON anywhere in the page's text (nor any id in its markup); every cover loaded; a
player plays; playing the second take pauses the first. Screenshots: tests/artifacts/demo_*.png.
"""

from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

import pytest

from lib import demo
from lib.log.sqlite import SqliteLog
from lib.review.decisions import decide
from tests.browser import flows
from tests.browser.harness import ARTIFACTS, goto, screenshot, streamlit_exceptions, wait_ready

KEY_LIKE = re.compile(r"\b[A-Za-z0-9_-]{24,}\b")
HEX_ID = re.compile(r"\b[0-9a-f]{12,}\b")

PAGE_FACTS = """() => {
  const shown = (sel) => [...document.querySelectorAll(sel)].some(
      (e) => e.offsetParent !== null && e.getBoundingClientRect().width > 0);
  return {
    text: document.body.innerText,
    html: document.documentElement.outerHTML,
    sidebar: shown('[data-testid=stSidebar]'),
    nav: shown('[data-testid=stSidebarNav]') || shown('[data-testid=stTopNavigation]'),
    header: shown('[data-testid=stHeader]'),
    toolbar: shown('[data-testid=stToolbar]') || shown('[data-testid=stMainMenu]'),
    covers: [...document.querySelectorAll('.sb-demo img')].map((i) => i.naturalWidth),
    takes: document.querySelectorAll('.sb-take').length,
  };
}"""

PLAYERS = """() => [...document.querySelectorAll('.sb-demo audio')].map(
  (a) => ({paused: a.paused, time: a.currentTime, error: a.error && a.error.code}))"""


def _archived_songs(log: SqliteLog, task_ids: list[str], timeout: float = 120.0) -> list:
    """Wait until each task's two takes have archived audio and cover art; returns them."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        tracks = [t for tid in task_ids for t in log.tracks_for(tid)]
        if len(tracks) == 2 * len(task_ids) and all(
                t["local_audio_path"] and t["local_image_path"] for t in tracks):
            return tracks
        time.sleep(0.25)
    raise AssertionError(f"takes not archived after {timeout} s: {tracks}")


@pytest.fixture
def demo_setup(page, app_server):
    log = SqliteLog(app_server.data_dir / "songbench.db")
    task_ids = [flows.submit_song(page, app_server.url, prompt) for prompt in (
        "a bright acoustic pop song about a summer road trip",
        "a moody synthwave track for a night drive")]
    tracks = _archived_songs(log, task_ids)
    first, second = (log.tracks_for(t) for t in task_ids)
    shown = [first[0], second[0], second[1]]
    for track in shown:
        decide(log, track["id"], "approve", reviewer="QA")
    decide(log, first[1]["id"], "reject", reviewer="QA", reason="the vocals drift")
    row = demo.create(log, "Spring campaign: first listen", subtitle="Three takes for Acme",
                      notes="Approved by QA this week.",
                      track_ids=[t["id"] for t in (*shown, first[1])][:3],
                      assets_dir=app_server.data_dir / "assets")
    demo.set_note(log, row["slug"], shown[0]["id"], "Our pick for the opening scene")
    ids = {t["id"] for t in tracks} | set(task_ids)
    ids |= {log.get_task(t)["provider_task_id"] for t in task_ids}
    return row["slug"], ids


def test_presentation_is_clean_offline_and_plays(browser, app_server, page, demo_setup):
    slug, ids = demo_setup
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    outside: list[str] = []

    def only_local(route) -> None:
        parts = urlsplit(route.request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname != "127.0.0.1":
            outside.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", only_local)
    pg = context.new_page()
    try:
        goto(pg, f"{app_server.url}{demo.share_path(slug)}")
        pg.locator(".sb-take").nth(2).wait_for(timeout=30_000)
        pg.wait_for_function("() => [...document.querySelectorAll('.sb-demo img')]"
                             ".every((i) => i.complete)", timeout=15_000)
        facts = pg.evaluate(PAGE_FACTS)
        pg.screenshot(path=str(ARTIFACTS / "demo_projector_1920.png"))  # what the room sees
        screenshot(pg, "demo_presentation_1920")  # the whole page
        assert not streamlit_exceptions(pg)
        assert facts["takes"] == 3, facts["text"]
        assert not facts["sidebar"] and not facts["nav"], "navigation is on screen"
        assert not facts["header"] and not facts["toolbar"], "Streamlit's header is on screen"
        text = facts["text"]
        assert "Spring campaign: first listen" in text and "Our pick for the opening scene" in text
        for value in ids:
            assert value not in text, f"an id is on screen: {value}"
            assert value not in facts["html"], f"an id is in the page's markup: {value}"
        assert "{" not in text and "}" not in text, text
        assert not KEY_LIKE.search(text) and not HEX_ID.search(text), text
        assert "api" not in text.lower(), text
        assert len(facts["covers"]) == 3 and all(w > 0 for w in facts["covers"]), facts["covers"]

        pg.locator(".sb-take").nth(0).locator(".sb-play").click()
        pg.wait_for_function("() => document.querySelectorAll('.sb-demo audio')[0]"
                             ".currentTime > 0.3", timeout=15_000)
        screenshot(pg, "demo_playing_1920")
        pg.locator(".sb-take").nth(1).locator(".sb-play").click()
        pg.wait_for_function("() => document.querySelectorAll('.sb-demo audio')[1]"
                             ".currentTime > 0.3", timeout=15_000)
        players = pg.evaluate(PLAYERS)
        assert players[0]["paused"] and not players[1]["paused"], players
        assert all(p["error"] is None for p in players), players
        assert pg.locator(".sb-take.sb-playing").count() == 1

        pg.keyboard.press("Space")  # space pauses the take playing
        pg.wait_for_function("() => document.querySelectorAll('.sb-demo audio')[1].paused")
        pg.keyboard.press("ArrowDown")  # the next take plays
        pg.wait_for_function("() => document.querySelectorAll('.sb-demo audio')[2]"
                             ".currentTime > 0.3", timeout=15_000)
        players = pg.evaluate(PLAYERS)
        assert [p["paused"] for p in players] == [True, True, False], players
        # Space acts on the take playing, not on the take whose button was clicked last
        pg.keyboard.press("Space")
        pg.wait_for_function("() => document.querySelectorAll('.sb-demo audio')[2].paused")
        pg.wait_for_timeout(300)
        players = pg.evaluate(PLAYERS)
        assert [p["paused"] for p in players] == [True, True, True], players
        pg.keyboard.press("Space")                            # and starts it again
        pg.wait_for_function("() => !document.querySelectorAll('.sb-demo audio')[2].paused")
        players = pg.evaluate(PLAYERS)
        assert [p["paused"] for p in players] == [True, True, False], players
        pg.screenshot(path=str(ARTIFACTS / "demo_projector_playing_1920.png"))  # the room
        pg.set_viewport_size({"width": 1280, "height": 720})
        pg.wait_for_timeout(300)
        screenshot(pg, "demo_presentation_1280")

        goto(pg, f"{app_server.url}/demo?playlist=no-such-list")
        pg.get_by_text("This demo link leads nowhere").wait_for(timeout=15_000)
        screenshot(pg, "demo_unknown_link")
        assert outside == [], outside
    finally:
        context.close()


def test_manager_lists_links_and_presents(page, app_server, demo_setup):
    slug, ids = demo_setup
    goto(page, f"{app_server.url}/demo")
    card = page.locator(f".st-key-demo-playlist-{slug}")
    card.wait_for(timeout=15_000)
    assert not streamlit_exceptions(page)
    link = f"{app_server.url}/demo?playlist={slug}"
    card.get_by_text(link).wait_for(timeout=15_000)  # the code block draws after the card
    assert card.get_by_role("link", name="Present").get_attribute("href") == link
    assert "All approved takes" in page.locator("[data-testid=stMain]").inner_text()
    card.get_by_text("Edit takes, order and notes").click()
    wait_ready(page)
    text = page.locator("[data-testid=stMain]").inner_text()
    for value in ids:
        assert value not in text, f"an id is on screen: {value}"
    screenshot(page, "demo_manager")
