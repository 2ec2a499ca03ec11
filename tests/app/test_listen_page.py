"""The Listen page with AppTest: create a blind session from two variants, join as a reviewer,
answer every pair with nothing that names a take on screen, then the results with the labels
revealed."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.pages import open_page, rerun
from lib.review import sessions
from tests.lib.review.support import finished_experiment

PAGE = "../../pages/listen.py"


def run(at: AppTest | None = None, **query: str) -> AppTest:
    return open_page(PAGE, query, timeout=60) if at is None else rerun(at)


def _walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def screen_text(at: AppTest) -> str:
    """Everything the page sends to the browser (labels, values, options, the player's HTML)."""
    return "\n".join(str(getattr(n, "proto", "")) for n in _walk(at.main))


@pytest.fixture
def experiment(app_runtime, tmp_path):
    return finished_experiment(app_runtime.log, tmp_path / "takes", repeats=2)


def _session(log, exp):
    sets = sessions.experiment_sets(log, exp)
    sid = sessions.create(log, name="Sunday listening", x_label="warm", xs=sets["warm"],
                          y_label="bright", ys=sets["bright"], seed=5,
                          source={"kind": "experiment", "experiment_id": exp})
    return log.get_ab_session(sid)


def test_create_a_session_from_two_variants(app_runtime, experiment):
    at = run()
    assert at.title[0].value == "Listen"
    assert at.radio(key="ab_new_from").value == "Two variants of an experiment"
    assert at.selectbox(key="ab_new_x").value == "warm"
    assert at.selectbox(key="ab_new_y").value == "bright"
    at.text_input(key="ab_new_name").input("Sunday listening")
    at.selectbox(key="ab_new_y").set_value("warm")
    run(at)
    assert any("two different variants" in e.value for e in at.error)
    at.selectbox(key="ab_new_y").set_value("bright")
    at.button(key="ab_new_create").click()
    run(at)
    [made] = app_runtime.log.list_ab_sessions()
    assert made["name"] == "Sunday listening" and at.query_params["session"] in (made["token"], [made["token"]])
    assert len(app_runtime.log.ab_pairs(made["id"])) == 4
    assert at.title[0].value == "Sunday listening"
    assert made["token"] in at.code[0].value  # the shareable link


def test_a_reviewer_answers_every_pair_blind_then_sees_the_results(app_runtime, experiment):
    session = _session(app_runtime.log, experiment)
    at = run(session=session["token"])
    at.button(key="FormSubmitter:ab_join-Start listening").click()
    run(at)
    assert any("Enter your name" in e.value for e in at.error)
    at.text_input(key="ab_reviewer").input("Ana")
    at.button(key="FormSubmitter:ab_join-Start listening").click()
    run(at)
    hidden = ["warm", "bright", "Song ", "repeat"]
    hidden += [t["id"] for t in app_runtime.log.list_tracks(limit=50)]
    for n in range(1, 5):
        assert at.get("progress")[0].proto.text == f"Pair {n} of 4"
        text = screen_text(at)
        assert "/api/blind/" in text  # the player
        for word in hidden:
            assert word not in text, (n, word)
        if n == 1:  # no choice yet: a clear message, nothing stored
            at.button(key="ab_next").click()
            run(at)
            assert any("Choose “Prefer A”" in e.value for e in at.error)
        at.segmented_control(key=f"ab_choice_{n}").set_value(
            "Prefer A" if n % 2 else "No preference")
        at.text_input(key=f"ab_reason_{n}").input("rounder bass" if n == 1 else "")
        at.button(key="ab_next").click()
        run(at)
    trials = app_runtime.log.ab_trials(session["id"], "Ana")
    assert [t["choice"] for t in trials] == ["a", "none", "a", "none"]
    assert trials[0]["reason"] == "rounder bass"
    assert any("answered all 4 pairs" in s.value for s in at.success)
    text = screen_text(at)
    assert "warm" in text and "bright" in text  # revealed at the end
    assert any("too few reviewers" in m.value for m in at.markdown)
    assert "chance to win" in " ".join(m.value for m in at.markdown)
    frames = [d.value for d in at.dataframe]
    assert list(frames[0]["set"]) == ["warm", "bright"]
    assert int(frames[0]["answers"].sum()) == 8
    assert list(frames[1]["reviewer"]) == ["Ana"] and frames[1]["answered"][0] == "4 of 4"


def test_a_reviewer_the_browser_remembers_starts_at_once(app_runtime, experiment,
                                                        browser_cookies):
    from lib.review import reviewer

    browser_cookies[reviewer.COOKIE] = "%5BAna%5D(http%3A%2F%2Fx.example)%20**Lee**"
    session = _session(app_runtime.log, experiment)
    at = run(session=session["token"])
    assert at.text_input(key="ab_reviewer").value == "[Ana](http://x.example) **Lee**"
    at.button(key="FormSubmitter:ab_join-Start listening").click()
    run(at)
    assert {t["reviewer"] for t in app_runtime.log.ab_trials(session["id"])} == {
        "[Ana](http://x.example) **Lee**"}
    [said] = [c.value for c in at.caption if c.value.startswith("Listening as")]
    assert said == r"Listening as \[Ana\](http://x.example) \*\*Lee\*\*."  # shown as typed
    assert at.get("progress")[0].proto.text == "Pair 1 of 4"
    at.segmented_control(key="ab_choice_1").set_value("Prefer A")
    at.button(key="ab_next").click()
    run(at)

    # a reload: a new session, the same browser session; Start resumes at the next pair
    again = run(session=session["token"])
    assert again.text_input(key="ab_reviewer").value == "[Ana](http://x.example) **Lee**"
    again.button(key="FormSubmitter:ab_join-Start listening").click()
    run(again)
    assert again.get("progress")[0].proto.text == "Pair 2 of 4"


def test_results_can_be_revealed_by_the_organiser(app_runtime, experiment):
    session = _session(app_runtime.log, experiment)
    for name in ("Ana", "Ben"):
        sessions.join(app_runtime.log, session["id"], name)
    for trial in app_runtime.log.ab_trials(session["id"]):
        sessions.answer(app_runtime.log, trial["id"], "a" if trial["x_is_a"] else "b")
    at = run(session=session["token"])
    assert "warm" not in screen_text(at)
    at.toggle(key="ab_peek").set_value(True)
    run(at)
    assert any(m.value.startswith("**warm is preferred") for m in at.markdown)
    assert any("Krippendorff" in m.value or "alpha" in m.value for m in at.markdown)


def test_a_wrong_link_says_so(app_runtime):
    at = run(session="nope")
    assert "No blind session matches this link" in at.error[0].value


def test_takes_from_the_library_fill_the_two_sets(app_runtime, experiment):
    ids = [t["id"] for t in app_runtime.log.list_tracks(limit=50)][:4]
    at = run(tracks=",".join(ids))
    assert at.radio(key="ab_new_from").value == "Two sets of takes"
    assert at.multiselect(key="ab_new_xs").value == ids[:2]
    assert at.multiselect(key="ab_new_ys").value == ids[2:]
    at.button(key="ab_new_create").click()
    run(at)
    [made] = app_runtime.log.list_ab_sessions()
    assert made["x_label"] == "First set" and len(app_runtime.log.ab_pairs(made["id"])) == 2


def test_through_the_app_a_session_is_a_room_with_no_way_out(app_runtime, experiment,
                                                              monkeypatch):
    """The session page showed the whole app sidebar: a listener could open Library and read
    which variant is which. Through the app (`st.navigation`) the session link has no sidebar
    and no navigation; the listing page keeps them."""
    from pathlib import Path

    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__  # as in test_demo_page's app-level test

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)
    session = _session(app_runtime.log, experiment)
    app = str(Path(__file__).resolve().parents[2] / "app.py")
    at = AppTest.from_file(app, default_timeout=60).run()
    at.switch_page("pages/listen.py").run()
    assert not at.exception and len(at.sidebar.markdown) > 0          # the listing: the app
    at = AppTest.from_file(app, default_timeout=60)
    at.query_params["session"] = session["token"]
    at.run()
    at.switch_page("pages/listen.py")
    at.query_params["session"] = session["token"]
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Sunday listening"
    assert len(at.sidebar.markdown) == 0 and len(at.sidebar.button) == 0
    assert not [e for e in at.get("page_link") if "library" in str(e.proto).lower()]
