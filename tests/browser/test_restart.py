"""Restart the app as a user would (stop `streamlit run app.py`, start it again on the same data
folder), then extend a song made before the restart from its one-click link: accepted, finished
and playable. The embedded simulator keeps its state and its port across the restart."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from lib.log.sqlite import SqliteLog
from tests.browser import flows
from tests.browser.harness import AppServer, goto, screenshot, streamlit_exceptions, wait_ready


def _wait_final(db: Path, task_id: str, timeout: float = 90.0) -> dict:
    log = SqliteLog(db)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        task = log.get_task(task_id)
        if task and task["state"] in ("succeeded", "failed"):
            return task
        time.sleep(0.25)
    raise AssertionError(f"task {task_id} did not finish: {log.get_task(task_id)}")


def test_extend_a_song_made_before_the_restart(browser):
    data = Path(tempfile.mkdtemp(prefix="songbench-restart-"))
    first = AppServer(data_dir=data).start()
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    try:
        task_id = flows.submit_song(page, first.url, "a song to come back to")
        goto(page, f"{first.url}/tasks")
        flows.wait_for_audio(page, task_id, timeout=60)
        song = _wait_final(data / "songbench.db", task_id)
        assert song["state"] == "succeeded"
        track = SqliteLog(data / "songbench.db").tracks_for(task_id)[0]
        first.stop()  # the data folder is ours: it stays

        second = AppServer(data_dir=data, sim_port=first.sim_port).start()
        try:
            goto(page, f"{second.url}/transform?op=extend&track={track['id']}")
            page.locator(".st-key-extend-submit button").click()
            wait_ready(page)
            extend_id = flows.task_id_from_outcome(page, "extend")
            assert not streamlit_exceptions(page)
            task = _wait_final(data / "songbench.db", extend_id)
            assert task["state"] == "succeeded", task["error_message"]
            goto(page, f"{second.url}/tasks")
            src = flows.wait_for_audio(page, extend_id, timeout=60)
            assert flows.fetch_and_decode(src) > 0
            screenshot(page, "flow-restart-extend")
        finally:
            second.stop()
    finally:
        context.close()
        first.stop()
