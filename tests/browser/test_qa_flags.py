"""QA flags in the browser: a song made through the app is archived and scored by the real
archiver; its one-line QA shows on the board card and the full scorecard on the task detail.
Stricter thresholds saved on the Settings page change the board's flag. Screenshots:
tests/artifacts/qa-board.png, qa-task-detail.png, qa-board-strict.png."""

from __future__ import annotations

import re
import time

from lib.log.sqlite import SqliteLog
from tests.browser import flows
from tests.browser.harness import goto, screenshot, streamlit_exceptions

ICONS = ("✖", "⚠", "✔", "–")


def _scored_track(app_server, task_id: str, timeout: float = 60.0) -> str:
    log = SqliteLog(app_server.data_dir / "songbench.db")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ids = [t["id"] for t in log.tracks_for(task_id)]
        flags = log.flags_for(ids)
        if ids and all(i in flags for i in ids):
            return ids[0]
        time.sleep(0.5)
    raise AssertionError(f"no scorecard for the tracks of {task_id}")


def _a_song(page, app_server) -> str:
    """The newest task whose tracks have their own MP3 (other tests leave stems or lyrics
    tasks on top of the shared log); a song is made when there is none."""
    log = SqliteLog(app_server.data_dir / "songbench.db")
    for task in log.list_tasks(limit=30):
        if log.tracks_for(task["id"]) and any(a["kind"] == "mp3" and a["track_id"]
                                              for a in log.assets_for(task["id"])):
            return task["id"]
    return flows.submit_song(page, app_server.url, "an upbeat funk tune to check")


def qa_line(page, track: str):
    """The board's QA line of a track: the line of its Markdown that starts with a QA icon
    (`board.track_markdown`)."""
    return page.locator(f".st-key-track-{track}").get_by_text(re.compile(r"^[✔⚠✖–] ")).first


def _set(page, key: str, value: str) -> None:
    box = page.locator(f".st-key-{key} input")
    box.fill(value)
    box.press("Tab")


def test_board_and_detail_show_qa(page, app_server):
    a_task_id = _a_song(page, app_server)
    track = _scored_track(app_server, a_task_id)
    goto(page, f"{app_server.url}/tasks")
    line = qa_line(page, track)
    line.wait_for(timeout=20_000)
    text = line.inner_text().strip()
    assert text[:1] in ICONS and "{" not in text, text
    page.wait_for_timeout(800)
    assert not streamlit_exceptions(page)
    page.locator(f".st-key-task-{a_task_id}").scroll_into_view_if_needed()
    screenshot(page, "qa-board")

    goto(page, f"{app_server.url}/task?task={a_task_id}")
    card = page.locator(f".st-key-qa-card-{track}")
    card.wait_for(timeout=20_000)
    card.get_by_text("QA scorecard").wait_for()
    card.locator("[data-testid=stDataFrame]").wait_for(timeout=15_000)
    card.get_by_role("button", name="Re-check").wait_for()
    page.wait_for_timeout(1000)
    assert not streamlit_exceptions(page)
    screenshot(page, "qa-task-detail")

    # stricter thresholds on the Settings page re-judge the stored scorecard: a warning shows
    goto(page, f"{app_server.url}/settings")
    _set(page, "qa-true_peak_ok", "-15")
    _set(page, "qa-true_peak_warn", "-14")
    page.locator(".st-key-qa-save button").click()
    page.get_by_text("judged again").first.wait_for(timeout=20_000)
    try:
        goto(page, f"{app_server.url}/tasks")
        strict = page.locator(f".st-key-track-{track}").get_by_text(
            re.compile(r"^[✔⚠✖–] .*true peak")).first
        strict.wait_for(timeout=20_000)
        assert strict.inner_text().strip().startswith("✖")
        page.locator(f".st-key-task-{a_task_id}").scroll_into_view_if_needed()
        screenshot(page, "qa-board-strict")
    finally:
        goto(page, f"{app_server.url}/settings")
        page.locator(".st-key-qa-reset button").click()
        page.get_by_text("judged again").first.wait_for(timeout=20_000)
