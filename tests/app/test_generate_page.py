"""The Generate page under AppTest, against the embedded fast simulator (`app_runtime`)."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from lib.families import parse_poll
from tests.helpers import drive_to_success, finished_song

PAGE = "../../pages/generate.py"


def page() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    return at


def pick(at: AppTest, op: str) -> AppTest:
    at.segmented_control(key="generate_page.op").set_value(op).run()
    assert not at.exception, at.exception
    return at


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def sent_body(at: AppTest) -> dict:
    return json.loads(at.code[0].value)


def test_renders_with_preview_cost_and_no_key(app_runtime):
    at = page()
    body = sent_body(at)
    assert body["callBackUrl"] == app_runtime.callback_url and body["model"] == "V5"
    captions = " ".join(c.value for c in at.caption)
    assert "/api/v1/generate" in captions and "Bearer ***" in captions
    assert "0/500 characters" in captions  # simple-mode prompt limit
    assert any("12" in m.value and "balance" in m.value for m in at.markdown)
    assert app_runtime.log.count_tasks() == 0


def test_too_long_title_is_refused_at_the_field(app_runtime):
    at = page()
    at.toggle(key="generate.customMode").set_value(True).run()
    at.text_input(key="generate.style").input("synthwave")
    at.text_area(key="generate.prompt").input("[Verse] la la la")
    at.text_input(key="generate.title").input("t" * 101).run()
    assert any(c.value.startswith(":red[101/100") for c in at.caption)  # live counter
    at.button(key="generate.submit").click().run()
    assert any(e.startswith("Title is 101 characters long") and "100" in e for e in errors(at))
    assert any(e.startswith("Nothing was sent") for e in errors(at))
    assert app_runtime.log.count_tasks() == 0
    # the limit follows the model: V4 allows 80 characters
    at.selectbox(key="generate.model").set_value("V4").run()
    assert any("101/80" in c.value for c in at.caption)


def test_missing_style_in_custom_mode_is_refused(app_runtime):
    at = page()
    at.toggle(key="generate.customMode").set_value(True)
    at.toggle(key="generate.instrumental").set_value(True).run()
    at.text_input(key="generate.title").input("Night Drive").run()
    at.button(key="generate.submit").click().run()
    assert "Style is required in custom mode for an instrumental" in errors(at)
    assert app_runtime.log.count_tasks() == 0


def test_simple_song_submits_once_and_guards_duplicates(app_runtime):
    at = page()
    at.text_area(key="generate.prompt").input("a calm piano song about rain").run()
    at.button(key="generate.submit").click().run()
    assert not errors(at), errors(at)
    tasks = app_runtime.log.list_tasks()
    assert len(tasks) == 1 and tasks[0]["op"] == "generate"
    assert json.loads(tasks[0]["request_json"]) == {
        "customMode": False, "instrumental": False, "model": "V5",
        "prompt": "a calm piano song about rain", "callBackUrl": app_runtime.callback_url}
    assert tasks[0]["provider_task_id"]
    assert any("accepted" in s.value for s in at.success)
    assert any(f"/task?task={tasks[0]['id']}" in m.value for m in at.markdown)
    # the same body again within 10 s asks first
    at.button(key="generate.submit").click().run()
    assert any("same request" in w.value for w in at.warning)
    assert app_runtime.log.count_tasks() == 1
    at.button(key="generate.confirm").click().run()
    assert app_runtime.log.count_tasks() == 2


def test_custom_song_with_persona_and_explained_failure(app_runtime):
    log = app_runtime.log
    persona_task = log.create_task("persona", "sync", {"name": "Anna"}, title="Anna")
    log.mark_submitted(persona_task, None, next_poll_at=None)
    log.apply_poll(persona_task, parse_poll("sync", {"personaId": "p-anna", "name": "Anna",
                                                     "description": "warm"}), next_poll_at=None)
    at = page()
    at.toggle(key="generate.customMode").set_value(True).run()
    persona = at.selectbox(key="generate.personaId")
    assert "p-anna" in persona.options[1] or "Anna" in persona.options[1]
    persona.set_value("p-anna")
    at.text_input(key="generate.style").input("soul")
    at.text_input(key="generate.title").input("Warm")
    at.text_area(key="generate.prompt").input("[Verse] hello").run()
    at.button(key="generate.submit").click().run()
    task = log.list_tasks(op="generate")[0]
    body = json.loads(task["request_json"])
    assert body["personaId"] == "p-anna" and body["customMode"] is True
    # the simulator does not know this persona: the page explains the rejection
    assert task["state"] == "failed"
    assert any("Not accepted" in e and "persona" in e.lower() for e in errors(at))


def test_lyrics_and_style_boost(app_runtime):
    at = pick(page(), "lyrics")
    at.text_area(key="lyrics.prompt").input("a song about the sea").run()
    assert any(c.value == "5/200 words" for c in at.caption)
    at.button(key="lyrics.submit").click().run()
    task = app_runtime.log.list_tasks(op="lyrics")[0]
    assert json.loads(task["request_json"])["prompt"] == "a song about the sea"
    pick(at, "style_boost")
    at.text_input(key="style_boost.content").input("Pop, Mysterious").run()
    at.button(key="style_boost.submit").click().run()
    task = app_runtime.log.list_tasks(op="style_boost")[0]
    assert task["state"] == "succeeded"
    boosted = json.loads(task["result_json"])["result"]
    assert any(i.value == boosted for i in at.info)
    at.button(key="style_boost.use_result").click().run()
    assert at.session_state["generate.style"] == boosted
    assert at.segmented_control(key="generate_page.op").value == "generate"
    assert at.text_input(key="generate.style").value == boosted


def test_cover_art_needs_a_finished_task(app_runtime):
    at = pick(page(), "cover_art")
    assert any("No finished music tasks" in i.value for i in at.info)
    song = finished_song(app_runtime)
    at.run()
    assert at.selectbox(key="cover_art.source_task").value == song["provider_task_id"]
    at.button(key="cover_art.submit").click().run()
    task = app_runtime.log.list_tasks(op="cover_art")[0]
    assert json.loads(task["request_json"])["taskId"] == song["provider_task_id"]
    assert task["state"] in ("pending", "processing", "succeeded")
    at.run()  # one cover per task: the picker now says so
    assert any("already has cover art" in w.value for w in at.warning)
    assert any("cover art already made" in o for o in at.selectbox(key="cover_art.source_task")
               .options)


def test_models_and_operations_in_words(app_runtime):
    """Pickers show labels, never field values or internal names (the body still says V4_5)."""
    at = page()
    options = at.selectbox(key="generate.model").options
    assert options[:4] == ["V4", "V4.5", "V4.5+", "V4.5-all"] and "V6 wild" in options
    assert "V5" in options and "v5" not in options     # as the request and the cards say it
    assert at.selectbox(key="generate.model").value == "V5" and sent_body(at)["model"] == "V5"
    at.selectbox(key="generate.model").set_value("V4_5PLUS").run()
    assert sent_body(at)["model"] == "V4_5PLUS"


def test_the_submitted_song_plays_under_the_form(app_runtime):
    """After *Generate song* the task is followed where it was sent: the notice used to stay
    "accepted (pending)" and no player ever appeared on the page."""
    at = page()
    at.text_area(key="generate.prompt").input("a calm piano song about rain").run()
    at.button(key="generate.submit").click().run()
    [task] = app_runtime.log.list_tasks()
    assert any("accepted" in s.value for s in at.success)
    assert not at.get("audio")  # nothing to play yet (AppTest runs no tracker loop)
    assert "Queued at the provider" in " ".join(m.value for m in at.markdown)  # its stage
    drive_to_success(app_runtime, task["id"], "song")
    at.run()
    assert not at.exception, at.exception
    assert any(f"Task {task['id'][:8]} finished (succeeded)" in s.value for s in at.success)
    players = [a.proto.url for a in at.get("audio")]
    assert len(players) == 2 and all(players), players  # both takes, no other click
    assert not any("pending" in s.value for s in at.success)


def test_a_task_that_fails_after_acceptance_says_so(app_runtime):
    at = page()
    at.text_area(key="generate.prompt").input("a song that will fail").run()
    at.button(key="generate.submit").click().run()
    [task] = app_runtime.log.list_tasks()
    app_runtime.log.mark_failed(task["id"], 501, "generation failed")
    at.run()
    assert any(f"Task {task['id'][:8]} failed (code 501)" in e for e in errors(at))
    assert not any("Not accepted" in e for e in errors(at))


def test_one_render_looks_the_operation_up_once(app_runtime, monkeypatch):
    """The form gets the `Operation` itself: the page resolves the picked name at most once per
    run, not again in every field, counter, check and preview (custom mode, with a submit: 47
    lookups of "generate" on main before, none now)."""
    from lib import ops

    at = page()
    at.toggle(key="generate.customMode").set_value(True).run()
    real, looked_up = ops.get, []
    monkeypatch.setattr(ops, "get", lambda name: looked_up.append(name) or real(name))
    at.button(key="generate.submit").click().run()
    assert not at.exception, at.exception
    assert any(e.startswith("Nothing was sent") for e in errors(at))
    assert looked_up.count("generate") <= 1, looked_up
