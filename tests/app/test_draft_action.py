""""Draft with the text helper" under AppTest, against the embedded simulator's text route: a
brief becomes a drafted song on the Generate page (custom mode switched on, title, style and
lyrics in the form's own widgets, nothing sent), a video prompt on the Media page; a draft that
does not fit is shown with its problems and filled only with what fits (or "use anyway"); a text
server error is shown in plain words. The Text page's model is the server's list."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.pages import rerun, texts


@pytest.fixture
def quick_text(app_runtime):
    """The simulator's text route answers at once (the tests read the end of the stream)."""
    config = app_runtime.simulator.sim.config
    config.text_first_token_ms, config.text_chunk_ms = 5.0, 0.0
    return app_runtime


def open_page(name: str) -> AppTest:
    at = AppTest.from_file(f"../../pages/{name}.py", default_timeout=30)
    return rerun(at)


def draft(at: AppTest, op: str, brief: str) -> AppTest:
    at.text_input(key=f"{op}.draft_brief").input(brief)
    at.button(key=f"{op}.draft").click()
    return rerun(at)


def text_tasks(rt) -> list[dict]:
    return rt.log.list_tasks(op="text_chat")


def test_a_drafted_song_fills_the_generate_form(quick_text):
    rt = quick_text
    at = open_page("generate")
    models = at.selectbox(key="text_helper.model")
    assert models.options and models.value == models.options[0]  # the server's list
    assert not at.session_state["generate.customMode"] if "generate.customMode" in \
        at.session_state else True
    at = draft(at, "generate", "a sea shanty about debugging")
    assert not at.error, [e.value for e in at.error]
    assert at.toggle(key="generate.customMode").value is True  # a song is custom mode
    title = at.text_input(key="generate.title").value
    style = at.text_input(key="generate.style").value
    lyrics = at.text_area(key="generate.prompt").value
    assert title and style and "[Verse" in lyrics and "[Chorus" in lyrics, (title, style, lyrics)
    (task,) = text_tasks(rt)  # the draft is a logged text call ...
    answer = json.loads(json.loads(task["result_json"])["answer"])
    assert (answer["title"], answer["style"], answer["lyrics"]) == (title, style, lyrics)
    assert task["prompt"] == "a sea shanty about debugging"
    assert rt.log.count_tasks(op="generate") == 0  # ... and nothing is sent to the provider
    shown = " ".join(c.value for c in at.code)
    assert '"lyrics"' in shown  # the answer as it streamed stays in the panel
    assert any("Put into the form: Title, Style, Prompt / lyrics" in s.value
               for s in at.success), [s.value for s in at.success]
    # the user edits the drafted values, then sends them
    at.text_input(key="generate.title").input("Stack Trace Shanty")
    at.button(key="generate.submit").click()
    rerun(at)
    (song,) = rt.log.list_tasks(op="generate")
    sent = json.loads(song["request_json"])
    assert sent["title"] == "Stack Trace Shanty" and sent["prompt"] == lyrics
    assert sent["customMode"] is True and sent["style"] == style


def test_a_draft_that_does_not_fit_is_shown_and_held(quick_text, monkeypatch):
    from simulator import texts as sim_texts

    long_style = ", ".join(["lush orchestral pop"] * 14)  # 292 characters
    monkeypatch.setattr(sim_texts, "style_tags", lambda _brief: long_style)  # the answer's
    at = open_page("generate")
    at.toggle(key="generate.customMode").set_value(True).run()
    at.selectbox(key="generate.model").set_value("V4").run()  # style: at most 200 characters
    at.text_input(key="generate.style").input("my own style").run()
    at = draft(at, "generate", "an epic about the harbour")
    warning = " ".join(w.value for w in at.warning)
    assert "does not fit" in warning, warning
    assert "**Style**" in warning and "V4 allows at most 200" in warning, warning
    drafted_style = json.loads(json.loads(
        text_tasks(quick_text)[0]["result_json"])["answer"])["style"]
    assert drafted_style == long_style
    # what fits is put in; the style that does not is held (the user's own stays)
    assert at.text_input(key="generate.style").value == "my own style"
    assert "[Verse" in at.text_area(key="generate.prompt").value
    assert drafted_style in " ".join(c.value for c in at.code)  # shown whole, not cut
    at.button(key="generate.draft_anyway").click()
    rerun(at)
    assert at.text_input(key="generate.style").value == drafted_style
    at.button(key="generate.submit").click()
    rerun(at)
    assert any(e.value.startswith("Style is") for e in at.error), [e.value for e in at.error]
    assert quick_text.log.count_tasks(op="generate") == 0  # the form still refuses it


def test_a_text_server_error_is_shown_in_plain_words(quick_text):
    at = open_page("generate")
    quick_text.simulator.sim.faults.merge({"rate_429_text": 1.0})
    at = draft(at, "generate", "a waltz for a robot")
    errors = " ".join(e.value for e in at.error)
    assert errors.startswith("The text helper could not draft:"), errors
    assert "rate limit" in errors.lower() or "too many" in errors.lower(), errors
    assert "Traceback" not in errors and not at.exception
    assert at.toggle(key="generate.customMode").value is False  # nothing filled or switched
    assert not at.text_area(key="generate.prompt").value
    (task,) = text_tasks(quick_text)
    assert task["state"] == "failed"  # the row was written before the request


def test_a_video_prompt_fills_the_media_form(quick_text):
    at = open_page("media")
    assert at.session_state["media_page.op"] == "video_t2v"
    at = draft(at, "video_t2v", "a paper boat on a rainy street")
    assert not at.error, [e.value for e in at.error]
    prompt = at.text_area(key="video_t2v.prompt").value
    (task,) = text_tasks(quick_text)
    assert prompt and prompt == json.loads(task["result_json"])["answer"].strip()
    assert "video" in json.loads(task["request_json"])["messages"][0]["content"]
    assert f'"prompt": {json.dumps(prompt)}' in at.code[-1].value  # the request preview
    assert quick_text.log.count_tasks(op="video_t2v") == 0


def test_the_text_page_model_is_the_servers_list(quick_text):
    at = open_page("text")
    model = at.selectbox(key="text_chat.model")
    ids = quick_text.tracker.providers.current("text").models()
    assert model.options == ids and model.value == ids[0]
    model.set_value("gpt-5").run()
    at.button(key="text_chat.model.refresh").click()
    rerun(at)
    assert at.selectbox(key="text_chat.model").value == "gpt-5"
    assert "Text (chat)" in [s.value for s in at.subheader] and "Could not" not in texts(at)
