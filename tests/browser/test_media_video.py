"""Send a music-driven video from the Media page with a finished song's audio, then watch it
on the board: the `<video>` plays the archived MP4 (with its sound) through /api/assets."""

from __future__ import annotations

import httpx

from tests.browser import flows
from tests.browser.harness import goto, screenshot, streamlit_exceptions, wait_ready
from tests.browser.test_upload_transform import _wait_state

VIDEO_SRC = """(id) => {
  const v = [...document.querySelectorAll(`.st-key-task-${id} video`)]
      .find(e => e.getAttribute('src'));
  return v ? v.src : null; }"""

PLAY_VIDEO = """async (id) => {
  const v = [...document.querySelectorAll(`.st-key-task-${id} video`)]
      .find(e => e.getAttribute('src'));
  v.muted = true;  // autoplay is allowed; muted keeps the run quiet
  v.loop = true;
  await v.play();
  const start = v.currentTime;
  await new Promise(r => setTimeout(r, 1200));
  return {paused: v.paused, advanced: v.currentTime - start, error: v.error && v.error.code,
          width: v.videoWidth, audioBytes: v.webkitAudioDecodedByteCount};
}"""


def test_a_music_driven_video_plays_on_the_board(page, app_server):
    db = app_server.data_dir / "songbench.db"
    song = flows.submit_song(page, app_server.url, "a driving synthwave song for a video")
    assert _wait_state(db, song)["state"] == "succeeded"

    goto(page, f"{app_server.url}/media")
    flows.commit_text(page, ".st-key-video_t2v-prompt textarea",
                      "neon city at night, the camera follows the beat")
    page.locator(".st-key-video_t2v-source_mode label").filter(has_text="Finished track").click()
    wait_ready(page)
    page.locator(".st-key-video_t2v-source_track").wait_for()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=stCode]').innerText.includes('audio_url')")
    screenshot(page, "flow-media-video-form")
    page.locator(".st-key-video_t2v-submit button").click()
    wait_ready(page)
    task_id = flows.task_id_from_outcome(page, "video_t2v")
    assert not streamlit_exceptions(page)
    task = _wait_state(db, task_id)
    assert task["state"] == "succeeded" and task["provider"] == "dashscope", task

    goto(page, f"{app_server.url}/tasks")
    page.locator(f".st-key-task-{task_id}").wait_for(timeout=30_000)
    page.wait_for_function(f"() => ({VIDEO_SRC})('{task_id}')", timeout=60_000)
    src = page.evaluate(VIDEO_SRC, task_id)
    assert "/api/assets/" in src, src  # the archived copy, not the provider's link
    response = httpx.get(src, timeout=30)
    response.raise_for_status()
    assert response.content[4:8] == b"ftyp", response.content[:16]  # an MP4
    assert b"mp4a" in response.content  # with its sound (an AAC track from the song)
    played = page.evaluate(PLAY_VIDEO, task_id)
    assert not played["paused"] and played["error"] is None, played
    assert played["advanced"] > 0.2 and played["width"] > 0, played
    assert played["audioBytes"] > 0, played  # its sound is decoded (muted, not silent)
    card = page.locator(f".st-key-task-{task_id}").inner_text()
    assert "Provider link expires in 23 h" in card, card
    page.locator(f".st-key-task-{task_id}").scroll_into_view_if_needed()
    screenshot(page, "flow-media-video-board")
    assert not streamlit_exceptions(page)
