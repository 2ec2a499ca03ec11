"""Submit a song on the Generate page and hear it on the board, across fragment refreshes."""

from __future__ import annotations

import time

from lib.views.board import REFRESH_SECONDS
from tests.browser import flows
from tests.browser.harness import goto, screenshot, streamlit_exceptions, wait_ready

START_PLAYBACK = """async (id) => {
  const a = [...document.querySelectorAll(`.st-key-task-${id} audio`)].find(e => e.getAttribute('src'));
  a.__songbenchMarker = 'kept-alive';
  a.loop = true;  // the simulated tracks are short; keep playing through the refreshes
  window.__sbPlayed = 0;
  let last = a.currentTime;
  a.addEventListener('timeupdate', () => {
    const now = a.currentTime;
    window.__sbPlayed += now >= last ? now - last : now;  // a loop wraps to 0
    last = now;
  });
  await a.play();
  const track = a.closest('[class*="st-key-track-"]');
  return [...track.classList].find(c => c.startsWith('st-key-track-'));
}"""

PLAYER_STATE = """(trackClass) => {
  const a = document.querySelector(`.${trackClass} audio`);
  if (!a) return null;
  return {marker: a.__songbenchMarker || null, paused: a.paused, time: a.currentTime,
          played: window.__sbPlayed, src: a.src, error: a.error && a.error.code};
}"""


def test_generate_and_hear_across_refreshes(page, app_server):
    task_id = flows.submit_song(page, app_server.url, "a calm lo-fi piano song about rain")
    screenshot(page, "flow-generate-submitted")

    goto(page, f"{app_server.url}/tasks")
    page.locator(f".st-key-task-{task_id}").wait_for(timeout=30_000)
    src = flows.wait_for_audio(page, task_id, timeout=90)
    assert flows.fetch_and_decode(src) > 0  # the source serves decodable MP3

    track_class = page.evaluate(START_PLAYBACK, task_id)
    page.wait_for_function("() => window.__sbPlayed > 0.3", timeout=15_000)
    before = page.evaluate(PLAYER_STATE, track_class)
    assert before["marker"] == "kept-alive" and not before["paused"], before

    runs_before = page.evaluate(flows.WATCH_RUNS)
    started = time.monotonic()
    # at least two fragment runs seen in the page, and long enough for two board ticks
    page.wait_for_function("(n) => window.__sbRuns >= n + 2", arg=runs_before, timeout=20_000)
    remaining = 2 * REFRESH_SECONDS + 0.5 - (time.monotonic() - started)
    page.wait_for_timeout(max(0.0, remaining) * 1000)
    after = page.evaluate(PLAYER_STATE, track_class)
    screenshot(page, "flow-board-playing")

    assert after is not None, "the track's player disappeared"
    assert after["marker"] == "kept-alive", "the <audio> element was replaced by a refresh"
    assert not after["paused"], after
    assert after["error"] is None, after
    assert after["played"] > before["played"] + 1.5, (before, after)
    assert after["src"] == before["src"]
    assert not streamlit_exceptions(page)


def test_playback_survives_a_new_task_card(page, app_server):
    """A card arriving on the board while a track plays must not remount that player."""
    first = flows.submit_song(page, app_server.url, "a slow ambient drone for the first card")
    goto(page, f"{app_server.url}/tasks")
    flows.wait_for_audio(page, first, timeout=90)
    track_class = page.evaluate(START_PLAYBACK, first)
    page.wait_for_function("() => window.__sbPlayed > 0.3", timeout=15_000)

    other = page.context.new_page()  # a second tab submits while the board keeps playing
    second = flows.submit_song(other, app_server.url, "a fast drum and bass track, second card")
    other.close()
    page.bring_to_front()
    page.locator(f".st-key-task-{second}").wait_for(timeout=15_000)  # the new card arrives
    flows.wait_for_audio(page, second, timeout=60)
    page.wait_for_timeout(2 * REFRESH_SECONDS * 1000)
    after = page.evaluate(PLAYER_STATE, track_class)
    assert after is not None and after["marker"] == "kept-alive", after
    assert not after["paused"], after


UNDER_FORM_PLAYERS = """() => [...document.querySelectorAll('.st-key-outcome-generate audio')]
    .filter(a => a.getAttribute('src')).map(a => a.src)"""

PLAY_UNDER_FORM = """async () => {
  const a = [...document.querySelectorAll('.st-key-outcome-generate audio')]
      .find(e => e.getAttribute('src'));
  a.__songbenchMarker = 'kept-alive';
  a.loop = true;
  await a.play();
  const start = a.currentTime;
  await new Promise(r => setTimeout(r, 800));
  return {paused: a.paused, advanced: a.currentTime - start, error: a.error && a.error.code};
}"""

UNDER_FORM_PLAYING = """() => {
  const a = [...document.querySelectorAll('.st-key-outcome-generate audio')]
      .find(e => e.__songbenchMarker);
  return a ? {paused: a.paused, error: a.error && a.error.code} : null;
}"""

BALANCES = """() => {
  const side = document.querySelector('[data-testid=stSidebar]').innerText;
  const main = document.querySelector('[data-testid=stMain]').innerText;
  const s = side.match(/Credits left:\\s*([\\d,]+|unavailable)/);
  const m = main.match(/balance\\s*([\\d,]+|unavailable)/);
  return [s && s[1], m && m[1]];
}"""


def test_prompt_generate_hear_with_nothing_else_to_click(page, app_server):
    """The design's target: type a prompt, press *Generate song*, and the song plays under
    the form (stages first, then both takes) while every balance on the page agrees. The
    notice used to stay "pending", no player appeared, and the cost line kept the balance from
    before the submit."""
    task_id = flows.submit_song(page, app_server.url, "a warm ukulele song about a sunny porch")
    side, main = page.evaluate(BALANCES)
    assert side and side == main, (side, main)  # the run that spent shows the same balance
    screenshot(page, "flow-generate-live-stage")

    deadline = time.monotonic() + 90
    players: list[str] = []
    while time.monotonic() < deadline and len(players) < 2:  # no click: the panel refreshes
        page.wait_for_timeout(200)
        players = page.evaluate(UNDER_FORM_PLAYERS)
    assert len(players) == 2, f"no players under the form for task {task_id}: {players}"
    assert flows.fetch_and_decode(players[0]) > 0
    played = page.evaluate(PLAY_UNDER_FORM)
    assert not played["paused"] and played["advanced"] > 0.2 and played["error"] is None, played
    runs = page.evaluate(flows.WATCH_RUNS)

    notice = page.locator(".st-key-outcome-generate [data-testid=stAlertContentSuccess]")
    notice.filter(has_text="finished (succeeded)").wait_for(timeout=90_000)
    wait_ready(page)
    # the full run the finished song triggers, and the ticks after it
    page.wait_for_function("(n) => window.__sbRuns >= n + 3", arg=runs, timeout=20_000)
    kept = page.evaluate(UNDER_FORM_PLAYING)
    assert kept is not None and not kept["paused"] and kept["error"] is None, \
        "the player under the form was replaced or stopped when the song finished"
    side, main = page.evaluate(BALANCES)
    assert side and side == main, (side, main)
    screenshot(page, "flow-generate-live-playing")
    assert not streamlit_exceptions(page)
