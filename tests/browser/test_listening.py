"""Listening in a real browser: a song, its timestamped lyrics and its stems made through the
pages; the detail shows waveforms, tells the takes apart, plays stems inline, and the aligned
word lights up as the track plays (and a click on a word seeks to it)."""

from __future__ import annotations

import time

from lib.log.sqlite import SqliteLog
from lib.views.lyrics import NOW_CLASS
from tests.browser import flows
from tests.browser.harness import goto, screenshot, streamlit_exceptions, wait_ready


def _wait(log: SqliteLog, task_id: str, timeout: float = 120.0, kind: str | None = None) -> dict:
    """Until the task succeeded (and, with ``kind``, an asset of that kind is archived)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        task = log.get_task(task_id)
        if task and task["state"] == "failed":
            raise AssertionError(task)
        if task and task["state"] == "succeeded":
            assets = log.assets_for(task_id)
            pending = [a for a in assets if a["status"] not in ("done", "failed")]
            if not pending and (kind is None or any(a["kind"].startswith(kind) and
                                                    a["status"] == "done" for a in assets)):
                return task
        time.sleep(0.25)
    raise AssertionError(f"task {task_id} did not finish: {log.get_task(task_id)}")


def _transform(page, base: str, op: str, track_id: str) -> str:
    """Open the one-click transform link for the track, submit, return the new task id."""
    goto(page, f"{base}/transform?op={op}&track={track_id}")
    page.locator(f".st-key-{op}-submit button").click()
    wait_ready(page)
    confirm = page.locator(f".st-key-{op}-confirm button")
    if confirm.count():
        confirm.click()
        wait_ready(page)
    return flows.task_id_from_outcome(page, op)


PLAY = """async () => {
  const a = document.getElementById('karaoke-audio');
  a.muted = true;
  await a.play();
  return true;
}"""

STATE = """() => {
  const a = document.getElementById('karaoke-audio');
  const now = document.querySelector('.w.__NOW__');
  return {time: a.currentTime, paused: a.paused, error: a.error && a.error.code,
          now: now ? Number(now.dataset.i) : null, start: now ? Number(now.dataset.s) : null,
          end: now ? Number(now.dataset.e) : null, words: document.querySelectorAll('.w').length,
          past: document.querySelectorAll('.w.lyric-past').length};
}""".replace("__NOW__", NOW_CLASS)


def test_waveforms_takes_stems_and_words_lit_as_the_song_plays(page, app_server):
    log = SqliteLog(app_server.data_dir / "songbench.db")
    song = flows.submit_song(page, app_server.url, "a bright pop song about summer rain")
    _wait(log, song, kind="waveform")
    tracks = log.tracks_for(song)
    first = tracks[0]["id"]
    timed = _transform(page, app_server.url, "timestamped_lyrics", first)
    stems = _transform(page, app_server.url, "split_stem", first)
    _wait(log, timed)
    _wait(log, stems, kind="stem:")
    stem_count = sum(1 for a in log.assets_for(stems)
                     if a["kind"].startswith("stem:") and a["status"] == "done")

    # the board: waveforms on the card, the takes labelled
    goto(page, f"{app_server.url}/tasks")
    card = page.locator(f".st-key-task-{song}")
    card.wait_for(timeout=30_000)
    waves = card.locator("img[alt^='Waveform of']")
    waves.first.wait_for(timeout=30_000)
    assert waves.count() == 2
    # both images load (wait: the second may still be on its way)
    page.wait_for_function(
        """(sel) => { const imgs = [...document.querySelectorAll(sel)];
                      return imgs.length === 2 &&
                             imgs.every(i => i.complete && i.naturalWidth === 800); }""",
        arg=f".st-key-task-{song} img[alt^='Waveform of']", timeout=15_000)
    assert "Take 1 of 2" in card.inner_text() and "Take 2 of 2" in card.inner_text()
    screenshot(page, "listening-board")

    # the song's detail: the words under the first track, stems one player each
    goto(page, f"{app_server.url}/task?task={song}")
    page.locator(f".st-key-detail-{first} img[alt^='Waveform of']").wait_for(timeout=30_000)
    page.locator(f".st-key-stems-{first} audio").nth(stem_count - 1).wait_for(timeout=30_000)
    assert page.locator(f".st-key-stems-{first} audio").count() == stem_count
    frame_el = page.locator(f".st-key-karaoke-{first} iframe")
    frame_el.wait_for(timeout=30_000)
    frame = frame_el.element_handle().content_frame()
    frame.wait_for_selector("#karaoke-audio")
    before = frame.evaluate(STATE)
    assert before["words"] > 10 and before["now"] is None
    frame.evaluate(PLAY)
    # a word gets the highlight once the audio has moved past the first word's start
    frame.wait_for_function(
        "() => document.getElementById('karaoke-audio').currentTime > 1.0", timeout=20_000)
    frame.wait_for_selector(f".w.{NOW_CLASS}", timeout=5_000)
    playing = frame.evaluate(STATE)
    assert playing["error"] is None and not playing["paused"], playing
    assert playing["start"] <= playing["time"] + 0.3, playing        # the lit word is due
    assert playing["past"] == playing["now"]                          # earlier words: sung
    screenshot(page, "listening-detail-playing")

    # a click on a later word seeks the track there and lights that word
    target = min(before["words"] - 1, playing["now"] + 8)
    frame.locator(f".w[data-i='{target}']").click()
    frame.wait_for_function(f"() => document.querySelector('.w.{NOW_CLASS}') && "
                            f"Number(document.querySelector('.w.{NOW_CLASS}').dataset.i) >= "
                            f"{target}", timeout=5_000)
    jumped = frame.evaluate(STATE)
    start = float(frame.locator(f".w[data-i='{target}']").get_attribute("data-s"))
    assert jumped["time"] >= start - 0.05, (jumped, start)
    assert not streamlit_exceptions(page)

    # the timed-lyrics task's own detail and the stems task's detail
    goto(page, f"{app_server.url}/task?task={timed}")
    page.locator(f".st-key-karaoke-{timed} iframe").wait_for(timeout=30_000)
    screenshot(page, "listening-timed-lyrics")
    goto(page, f"{app_server.url}/task?task={stems}")
    page.locator(f".st-key-stems-{stems} audio").first.wait_for(timeout=30_000)
    assert page.locator(f".st-key-stems-{stems} audio").count() == stem_count
    screenshot(page, "listening-stems")
    assert not streamlit_exceptions(page)


def test_lyric_drafts_read_well_and_go_to_generate(page, app_server):
    log = SqliteLog(app_server.data_dir / "songbench.db")
    goto(page, f"{app_server.url}/?op=lyrics")
    flows.commit_text(page, ".st-key-lyrics-prompt textarea", "a lighthouse keeper in winter")
    page.locator(".st-key-lyrics-submit button").click()
    wait_ready(page)
    task_id = flows.task_id_from_outcome(page, "lyrics")
    _wait(log, task_id)
    goto(page, f"{app_server.url}/task?task={task_id}")
    use = page.locator(f"a[href*='lyrics={task_id}&draft=1']").first
    use.wait_for(timeout=30_000)
    main = page.locator("[data-testid=stMain]").inner_text()
    assert "Verse" in main and "Chorus" in main and "\\n" not in main.split("Timeline")[0]
    screenshot(page, "listening-lyric-drafts")
    use.click()
    page.wait_for_url(f"{app_server.url}/?lyrics={task_id}&draft=1", timeout=30_000)
    wait_ready(page)
    prompt = page.locator(".st-key-generate-prompt textarea")
    prompt.wait_for(timeout=30_000)
    text = prompt.input_value()
    assert text.startswith("[Verse]\n") and "\\n" not in text
    assert page.locator(".st-key-generate-customMode input[type=checkbox]").is_checked()
    screenshot(page, "listening-use-lyrics-generate")
    assert not streamlit_exceptions(page)
