"""A blind A/B session in the browser: an experiment with two variants runs to the end against
the simulator, a session of the two variants is created on the Listen page, and a reviewer
(from the shared link) hears every pair with one transport - switching A/B while playing keeps
the position - without any variant, title or id on screen, then sees the win rates."""

from __future__ import annotations

import re
import time

from lib.log.sqlite import SqliteLog
from lib.review import sessions
from tests.browser import flows
from tests.browser.harness import goto, screenshot, streamlit_exceptions, wait_ready

STATE = "() => window.blindPlayer ? window.blindPlayer.state() : null"


def _run_experiment(page, base: str) -> str:
    flows.new_experiment(page, base, "Blind grid")
    flows.custom_mode(page, "Piano sketch")
    flows.commit_text(page, ".st-key-field-generate-prompt textarea", "a short piano sketch")
    flows.commit_text(page, ".st-key-exp-axis0 textarea", "warm\nbright")
    page.get_by_role("button", name=re.compile(r"^Run 2 calls")).click()
    wait_ready(page)
    for _ in range(3):  # a click during a rerun can be lost: click again until it is queued
        confirm = page.get_by_role("button", name="Confirm and queue")
        if confirm.count():
            confirm.click()
        try:
            page.wait_for_url(re.compile(r"/experiments\?id=[0-9a-f]{32}"), timeout=10_000)
            break
        except Exception:
            wait_ready(page)
    found = re.search(r"id=([0-9a-f]{32})", page.url)
    assert found, f"the experiment was not queued: {page.url}"
    return found.group(1)


def _wait_archived(db: str, experiment_id: str, timeout: float = 120.0) -> dict:
    log = SqliteLog(db)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sets = sessions.experiment_sets(log, experiment_id)
        if len(sets) == 2 and all(len(v) == 2 for v in sets.values()):
            return sets
        time.sleep(0.5)
    raise AssertionError(f"the takes were not archived: {sessions.experiment_sets(log, experiment_id)}")


def _player(page):
    page.locator("iframe").first.wait_for()
    for _ in range(100):
        for frame in page.frames:
            if frame != page.main_frame and frame.query_selector("#blind"):
                return frame
        page.wait_for_timeout(100)
    raise AssertionError("no blind player on the page")


def _visible_text(page, player) -> str:
    return page.inner_text("body") + "\n" + player.inner_text("body")


def test_a_blind_session_of_two_variants_runs_to_the_end(page, app_server):
    base = app_server.url
    experiment_id = _run_experiment(page, base)
    db = str(app_server.data_dir / "songbench.db")
    sets = _wait_archived(db, experiment_id)
    log = SqliteLog(db)
    takes = [t for v in sets.values() for t in v]
    hidden = ["warm", "bright", "Blind grid"] + [t.track_id for t in takes]
    hidden += [log.get_track(t.track_id)["title"] for t in takes if log.get_track(t.track_id)["title"]]

    # the organiser creates the session from the two variants
    goto(page, f"{base}/listen")
    page.get_by_text("Two variants of an experiment").wait_for()
    page.locator(".st-key-ab_new_name input").fill("Friday panel")
    page.locator(".st-key-ab_new_name input").press("Tab")
    wait_ready(page)
    screenshot(page, "flow-blind-create")
    page.get_by_role("button", name="Create session").click()
    page.wait_for_url(re.compile(r"/listen\?session=[\w-]+"), timeout=60_000)
    wait_ready(page)
    page.get_by_text("Share this session").click()
    link = page.locator("[data-testid=stCode]").first.inner_text().strip()
    assert re.fullmatch(rf"{re.escape(base)}/listen\?session=[\w-]+", link), link

    # a reviewer opens the shared link in their own browser
    reviewer = page.context.browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        rp = reviewer.new_page()
        rp.set_default_timeout(30_000)
        goto(rp, link)
        rp.locator(".st-key-ab_reviewer input").fill("Ana")
        rp.get_by_role("button", name="Start listening").click()
        wait_ready(rp)
        answers = ["Prefer A", "Prefer B"]
        for n in (1, 2):
            rp.get_by_text(f"Pair {n} of 2").wait_for()
            player = _player(rp)
            # the simulator's takes last 6 s: loop them so a slow machine never hits the end
            player.evaluate("() => document.querySelectorAll('audio').forEach(e => e.loop = true)")
            player.click("#play")
            player.wait_for_function(
                "() => { const s = window.blindPlayer.state(); return s.a > 0.8 && !s.paused; }",
                timeout=20_000)
            for key in ("b", "a", "b"):
                rp.locator("h1").first.click()  # the keys work on the page around the player
                rp.keyboard.press(key)
                state = player.evaluate(STATE)
                assert state["active"] == key and not state["paused"], state
                assert abs(state["a"] - state["b"]) < 0.25, state  # the position is kept
                assert state["mutedA"] == (key == "b") and state["mutedB"] == (key == "a")
                rp.wait_for_timeout(300)
            player.click("#side-a")  # the buttons switch too
            assert player.evaluate(STATE)["active"] == "a"
            rp.locator(f".st-key-ab_reason_{n} input").press("b")  # typing a reason: no switch
            assert player.evaluate(STATE)["active"] == "a"
            rp.locator("h1").first.click()
            rp.keyboard.press("Space")  # pauses both
            player.wait_for_function("() => window.blindPlayer.state().paused")
            state = player.evaluate(STATE)
            trial = next(t for t in log.ab_trials(log.list_ab_sessions()[0]["id"], "Ana")
                         if t["position"] == n - 1)
            assert (state["volumeA"], state["volumeB"]) == tuple(
                __import__("lib.review.levels", fromlist=["volume"]).volume(g)
                for g in (trial["a_gain_db"], trial["b_gain_db"]))
            text = _visible_text(rp, player)
            for word in hidden:  # nothing tells the takes apart during the trials
                assert word not in text, (n, word)
            if n == 1:
                screenshot(rp, "flow-blind-trial")
            rp.locator(f".st-key-ab_choice_{n}").get_by_text(answers[n - 1]).click()
            wait_ready(rp)
            rp.locator(f".st-key-ab_reason_{n} input").fill("fuller low end")
            rp.locator(f".st-key-ab_reason_{n} input").press("Tab")
            wait_ready(rp)
            rp.get_by_role("button", name="Next pair" if n == 1 else "Finish").click()
            wait_ready(rp)

        rp.get_by_text("you answered all 2 pairs").wait_for()
        results = rp.locator(".st-key-ab_results")
        results.get_by_text("Results").wait_for()
        # the block is drawn in pieces: wait for its last line before reading it whole
        results.get_by_text("Agreement between reviewers").wait_for()
        text = results.inner_text()
        assert "warm" in text and "bright" in text  # revealed at the end
        assert re.search(r"(warm|bright) is preferred: \d+% chance to win", text), text
        assert "too few reviewers" in text
        rp.locator(".st-key-ab_results [data-testid=stVegaLiteChart]").first.wait_for()
        rp.wait_for_timeout(800)
        screenshot(rp, "flow-blind-results")
        assert not streamlit_exceptions(rp)
        trials = log.ab_trials(log.list_ab_sessions()[0]["id"], "Ana")
        assert [t["choice"] for t in trials] == ["a", "b"]
        assert all(t["reason"] == "fuller low end" for t in trials)
    finally:
        reviewer.close()


def test_review_a_take_on_screen_and_see_its_badge_on_the_board(page, app_server, a_task_id):
    log = SqliteLog(str(app_server.data_dir / "songbench.db"))
    deadline = time.monotonic() + 60
    while not log.tracks_for(a_task_id) and time.monotonic() < deadline:
        time.sleep(0.5)
    track = log.tracks_for(a_task_id)[0]
    goto(page, f"{app_server.url}/task?task={a_task_id}")
    box = page.locator(f".st-key-reviews-{a_task_id}")
    box.wait_for()
    box.locator(".st-key-review_name input").fill("Ana")
    box.locator(".st-key-review_name input").press("Tab")
    wait_ready(page)
    form = page.locator(f".st-key-review-{track['id']}-action").locator("xpath=..")
    page.locator(f".st-key-review-{track['id']}-action").get_by_text("Flag").click()
    page.locator(f".st-key-review-{track['id']}-reason input").fill("hiss in the intro")
    form.page.get_by_role("button", name="Save").first.click()
    wait_ready(page)
    page.get_by_text("⚑ flagged: hiss in the intro").first.wait_for()
    screenshot(page, "flow-review-task")
    [row] = log.review_history(track["id"])
    assert (row["action"], row["reviewer"], row["reason"]) == ("flag", "Ana", "hiss in the intro")
    goto(page, f"{app_server.url}/tasks")
    page.locator(f".st-key-track-{track['id']}").get_by_text("⚑ flagged: hiss in the intro") \
        .wait_for()
    screenshot(page, "flow-review-board")
    assert not streamlit_exceptions(page)
