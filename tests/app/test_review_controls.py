"""Review on screen with AppTest: approve, reject or flag a take from the task detail (with the
reviewer's name and a reason), the history, the badges on the board and in the Library, a
bulk decision on selected Library rows, and the name the browser session's cookie remembers
(used without asking; *Forget* asks again)."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from lib.review import reviewer
from tests.app.pages import open_page, rerun, texts
from tests.bench.seed import seed_states


@pytest.fixture
def seeded(app_runtime):
    return seed_states(app_runtime.log, app_runtime.assets_dir)


def run(page: str, at: AppTest | None = None, **query: str) -> AppTest:
    return open_page(page, query) if at is None else rerun(at)


def decide(at: AppTest, track: str, action: str, reason: str = "") -> AppTest:
    at.segmented_control(key=f"review-{track}-action").set_value(action)
    at.text_input(key=f"review-{track}-reason").input(reason)
    at.button(key=f"FormSubmitter:review-{track}-Save").click()
    return run("task", at)


def test_approve_reject_flag_and_note_from_the_task_detail(seeded, app_runtime):
    task = seeded["succeeded"]
    track = app_runtime.log.tracks_for(task)[0]["id"]
    at = run("task", task=task)
    assert "Review" in [m.value.lstrip("# ") for m in at.markdown]
    at = decide(at, track, "Approve")
    assert any("Your name is required" in e.value for e in at.error)
    assert app_runtime.log.review_history(track) == []
    at.text_input(key="review_name").input("Ana")
    at = decide(at, track, "Reject")
    assert any("Say why you reject this take." in e.value for e in at.error)
    at = decide(at, track, "Reject", "off key in the chorus")
    assert any(s.value == "Rejected." for s in at.success)
    assert "✖ rejected" in texts(at)
    at = decide(at, track, "Flag", "clipping at 0:40?")
    assert "⚑ flagged: clipping at 0:40?" in texts(at)
    at = decide(at, track, "Add a note", "checked with the mix engineer")
    assert "⚑ flagged: clipping at 0:40?" in texts(at)  # a note changes no decision
    at = decide(at, track, "Approve")
    assert "✔ approved" in texts(at)
    history = app_runtime.log.review_history(track)
    assert [(r["action"], r["reviewer"]) for r in history] == [
        ("approve", "Ana"), ("note", "Ana"), ("flag", "Ana"), ("reject", "Ana")]
    [shown] = [e for e in at.expander if e.label.startswith("History")]
    assert shown.label == "History (4)"
    table = next(d.value for d in at.dataframe if "who" in d.value.columns)
    assert list(table["what"]) == ["Approved", "Note", "Flagged", "Rejected"]
    assert at.session_state["reviewer_name"] == "Ana"  # remembered for the session
    # the board shows the latest decision beside the take
    board = run("tasks")
    assert "✔ approved" in texts(board)
    assert [t["id"] for t in app_runtime.log.approved_tracks()] == [track]


def test_bulk_decision_in_the_library(seeded, app_runtime):
    from tests.app.test_library_page import select

    at = run("library")
    titles = list(at.dataframe[0].value["title"])
    at = select(at, [0, 1])
    at.text_input(key="review_name").input("Ben")
    at.segmented_control(key="review-bulk-action").set_value("Flag")
    at.text_input(key="review-bulk-reason").input("check the levels")
    at.button(key="FormSubmitter:review-bulk-Save").click()
    run("library", at)
    assert any(s.value == "Flagged (2 takes)." for s in at.success)
    table = at.dataframe[0].value
    assert list(table["review"])[:2] == ["⚑ flagged: check the levels"] * 2
    assert set(table["review"][2:]) <= {""}
    assert list(table["title"]) == titles


def _sync_scripts(at: AppTest) -> list[str]:
    return [h.proto.body for h in at.get("html") if "/api/session/reviewer" in h.proto.body]


def _wish(script: str) -> object:
    found = re.search(r"const wish = (.*);", script)
    assert found, script
    return json.loads(found.group(1))


def test_the_browser_sessions_name_is_used_without_asking(seeded, app_runtime,
                                                          browser_cookies):
    """A reload or a task opened by its address: the session is new, the cookie is there."""
    browser_cookies[reviewer.COOKIE] = "%2A%2ABo%2A%2A%20%3Cb%3E"  # "**Bo** <b>", encoded
    task = seeded["succeeded"]
    track = app_runtime.log.tracks_for(task)[0]["id"]
    at = run("task", task=task)
    assert at.text_input(key="review_name").value == "**Bo** <b>"
    assert at.button(key="review_name_forget").label == "Forget"
    assert _sync_scripts(at) == []  # the cookie already holds the name: nothing to send
    at = decide(at, track, "Approve")
    assert any(s.value == "Approved." for s in at.success)
    assert [r["reviewer"] for r in app_runtime.log.review_history(track)] == ["**Bo** <b>"]

    # Forget: the field is empty again, the cookie is forgotten, a decision asks for a name
    at.button(key="review_name_forget").click()
    at = run("task", at)
    assert at.text_input(key="review_name").value == ""
    assert [_wish(s) for s in _sync_scripts(at)] == [None]
    at = decide(at, track, "Flag", "hiss")
    assert any("Your name is required" in e.value for e in at.error)

    # a new name is sent to the browser (as data in the script)
    at.text_input(key="review_name").input("Cy")
    at = run("task", at)
    [script] = _sync_scripts(at)
    assert _wish(script) == {"name": "Cy"}
    at = decide(at, track, "Flag", "hiss")
    assert [r["reviewer"] for r in app_runtime.log.review_history(track)] == ["Cy", "**Bo** <b>"]


def test_without_a_cookie_the_name_is_asked(seeded, app_runtime, browser_cookies):
    browser_cookies[reviewer.COOKIE] = "%0A"  # not a name: as good as none
    at = run("task", task=seeded["succeeded"])
    assert at.text_input(key="review_name").value == ""
    assert "review_name_forget" not in [b.key for b in at.button]
    assert _sync_scripts(at) == []

