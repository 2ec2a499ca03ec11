"""Upload a file on the Transform page (upload_cover), submit, and see the task finish."""

from __future__ import annotations

import time

from lib.log.sqlite import SqliteLog
from tests.browser import flows
from tests.browser.harness import goto, screenshot, streamlit_exceptions, wait_ready


def _wait_state(db_path, task_id: str, timeout: float = 90.0) -> dict:
    log = SqliteLog(db_path)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        task = log.get_task(task_id)
        if task and task["state"] in ("succeeded", "failed"):
            return task
        time.sleep(0.25)
    raise AssertionError(f"task {task_id} did not finish: {log.get_task(task_id)}")


def test_upload_cover_from_a_file(page, app_server, tmp_path):
    wav = flows.make_wav(tmp_path / "hum.wav", seconds=3.0)
    goto(page, f"{app_server.url}/transform")
    flows.pick_option(page, ".st-key-transform_page-op", r"Cover uploaded audio")
    page.locator(".st-key-upload_cover-file").wait_for()

    page.locator(".st-key-upload_cover-file input[type=file]").set_input_files(str(wav))
    wait_ready(page)
    page.get_by_text("The team may use this audio").first.wait_for()
    page.locator(".st-key-upload_cover-attest label").click()  # required before the upload
    page.get_by_text("Uploaded hum.wav").wait_for(timeout=30_000)  # sent to the upload host
    wait_ready(page)
    flows.commit_text(page, ".st-key-upload_cover-prompt textarea",
                      "a bright synth-pop cover of this hum")
    screenshot(page, "flow-transform-upload")
    page.locator(".st-key-upload_cover-submit button").click()
    wait_ready(page)
    task_id = flows.task_id_from_outcome(page, "upload_cover")
    assert not streamlit_exceptions(page)

    task = _wait_state(app_server.data_dir / "songbench.db", task_id)
    assert task["state"] == "succeeded", task
    assert task["op"] == "upload_cover"

    goto(page, f"{app_server.url}/tasks")
    card = page.locator(f".st-key-task-{task_id}")
    card.wait_for(timeout=30_000)
    src = flows.wait_for_audio(page, task_id, timeout=30)
    assert flows.fetch_and_decode(src) > 0
    assert "Succeeded" in card.inner_text()
    screenshot(page, "flow-transform-board")
