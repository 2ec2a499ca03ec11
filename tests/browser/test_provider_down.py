"""The provider goes away and comes back, as a user sees it on the board.

The app runs against a separate simulator process (a configured provider, not the embedded
one). A song is sent, then the provider is killed: the song's card and the sidebar say the
provider is not answering (since when, failed tries, the next try, the last good answer) while
the polls fail. The provider is started again on the same port and data folder: the notice
clears by itself and the song finishes and plays, with nothing clicked in between."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from tests.browser import flows
from tests.browser.harness import ROOT, AppServer, free_port, goto, screenshot, stop_group

DOWN = "Provider not answering since"


def _start_provider(port: int, data: Path) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "simulator", "--host", "127.0.0.1", "--port", str(port),
         "--data-dir", str(data), "--speed", "6", "--track-seconds", "6"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/_sim/config", timeout=1)
            return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    stop_group(proc)
    raise AssertionError("the provider simulator did not start")


def _text(page, selector: str) -> str:
    loc = page.locator(selector)
    return loc.first.inner_text() if loc.count() else ""


def _wait_for(page, predicate, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        page.wait_for_timeout(250)
    raise AssertionError(f"{what} after {timeout} s")


def test_board_says_when_the_provider_stops_answering_and_recovers(browser):
    data = Path(tempfile.mkdtemp(prefix="songbench-provider-"))
    port = free_port()
    provider = _start_provider(port, data / "provider")
    app = AppServer(env_overrides={"SONGBENCH_API_BASE_URL": f"http://127.0.0.1:{port}",
                                   "SONGBENCH_API_KEY": "sk-provider-down-test"}).start()
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    try:
        task_id = flows.submit_song(page, app.url, "a song sent just before the provider goes")
        os.killpg(provider.pid, signal.SIGKILL)  # gone at once, as a crashed host
        provider.wait(timeout=10)

        goto(page, f"{app.url}/tasks")
        card = f".st-key-task-{task_id}"
        _wait_for(page, lambda: DOWN in _text(page, card), "the card never said the provider is down")
        card_text = _text(page, card)
        assert "failed tr" in card_text and "next try" in card_text, card_text
        sidebar = _text(page, "[data-testid=stSidebar]")
        assert DOWN in sidebar, sidebar
        assert flows.audio_src(page, task_id) is None
        assert "sk-provider-down-test" not in page.content()
        screenshot(page, "flow-provider-down")

        provider = _start_provider(port, data / "provider")  # back, with its tasks
        _wait_for(page, lambda: DOWN not in _text(page, card), "the notice never cleared")
        src = flows.wait_for_audio(page, task_id, timeout=90)
        assert flows.fetch_and_decode(src) > 0
        assert DOWN not in _text(page, "[data-testid=stSidebar]")
        screenshot(page, "flow-provider-back")
    finally:
        context.close()
        app.stop()
        stop_group(provider)
