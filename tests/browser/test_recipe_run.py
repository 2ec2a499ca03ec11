"""A promo-clip recipe run in the real app, as a new user would do it: start it from the
Recipes page, watch it progress step by step, see the cover-image step fail (a provider fault
switched on as the Settings page does, through the simulator's admin route), retry that step
alone, and play the finished video with the song's sound. Nothing that succeeded is sent
twice."""

from __future__ import annotations

import time

import httpx

from lib.log.sqlite import SqliteLog
from lib.recipes import progress
from tests.browser.harness import goto, screenshot, streamlit_exceptions, wait_ready
from tests.browser.test_media_video import PLAY_VIDEO, VIDEO_SRC


def _wait_run(log, run_id: str, until, timeout: float = 120.0) -> progress.RunView:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        view = progress.load(log, run_id)
        if view is not None and until(view):
            return view
        time.sleep(0.25)
    raise AssertionError(progress.describe(progress.load(log, run_id)))


def test_a_promo_clip_run_with_a_failed_step_retried_alone(page, app_server):
    log = SqliteLog(app_server.data_dir / "songbench.db")
    faults = f"{app_server.sim_url}/_sim/faults"
    httpx.post(faults, json={"rate_429_media": 1.0}, timeout=5).raise_for_status()
    try:
        goto(page, f"{app_server.url}/recipes")
        box = page.get_by_label("What the product and the song are about")
        box.fill("a lemonade brand for hot summer days")
        box.press("Tab")
        page.wait_for_timeout(300)
        wait_ready(page)
        start = page.get_by_role("button", name="Start the run")
        assert start.is_enabled()
        start.click()
        page.wait_for_url("**/recipes?run=*", timeout=30_000)
        run_id = page.url.split("run=")[1].split("&")[0]
        # the page follows the run by itself: the failed step shows without a reload
        page.locator(".st-key-recipe-step-cover").get_by_text("failed").first.wait_for(
            timeout=90_000)
        view = _wait_run(log, run_id, lambda v: v.step("cover").state == "failed")
    finally:
        httpx.post(faults, json={"rate_429_media": 0.0}, timeout=5)
    cover = page.locator(".st-key-recipe-step-cover").inner_text()
    assert "Too many requests" in cover or "rate" in cover.lower(), cover
    screenshot(page, "flow-recipe-failed-step")
    song_task = _wait_run(log, run_id, lambda v: v.step("song").state == "succeeded") \
        .step("song").row["task_id"]

    page.get_by_role("button", name="Retry cover image").click()
    _wait_run(log, run_id, lambda v: v.step("cover").row["attempt"] == 2, timeout=20)
    view = _wait_run(log, run_id, lambda v: v.status != "running", timeout=150)
    assert view.status == "succeeded", [(s.step.name, s.state, s.note) for s in view.steps]
    assert view.step("cover").row["attempt"] == 2
    assert view.step("song").row["task_id"] == song_task
    since = view.run["created_at"]  # the app is shared with other tests: this run's tasks

    def made(op: str) -> int:
        return sum(1 for t in log.list_tasks(op=op, limit=500) if t["created_at"] >= since)

    assert made("generate") == 1 and made("text_chat") == 1  # paid once each
    assert made("qwen_image") == 2  # the failed cover and its retry

    video = view.step("video").row["task_id"]
    page.wait_for_function(f"() => ({VIDEO_SRC})('{video}')", timeout=60_000)
    played = page.evaluate(PLAY_VIDEO, video)
    assert not played["paused"] and played["error"] is None, played
    assert played["advanced"] > 0.2 and played["audioBytes"] > 0, played  # the song's sound
    assert page.locator(".st-key-recipe-step-video").get_by_text("done").count()
    screenshot(page, "flow-recipe-done")
    assert not streamlit_exceptions(page)

    goto(page, f"{app_server.url}/tasks")  # each step is a task on the board, linked back
    card = page.locator(f".st-key-task-{video}")
    card.wait_for(timeout=30_000)
    assert "Step “video” of a Promo clip run" in card.inner_text()
