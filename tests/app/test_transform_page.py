"""The Transform page under AppTest: one-click links, sources, uploads, duration-aware checks."""

from __future__ import annotations

import json

import httpx
import pytest
from streamlit.testing.v1 import AppTest

from lib.views import submission as sub
from tests.helpers import finished_song, wav_bytes

PAGE = "../../pages/transform.py"


@pytest.fixture
def song(app_runtime):
    task = finished_song(app_runtime, "V4_5")
    return task, app_runtime.log.tracks_for(task["id"])


def open_page(**params: str) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=30)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    return at


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def last_request(rt, op: str) -> dict:
    return json.loads(rt.log.list_tasks(op=op)[0]["request_json"])


def test_renders_without_sources(app_runtime):
    at = open_page()
    assert at.selectbox(key="transform_page.op").value == "extend"
    assert any("No finished tracks yet" in i.value for i in at.info)
    at.button(key="extend.submit").click().run()
    assert any(e.startswith("Track (audio) ID is required") for e in errors(at))
    assert app_runtime.log.count_tasks() == 0


def test_one_click_link_preselects_and_extend_submits(app_runtime, song):
    task, tracks = song
    at = open_page(**sub.transform_link("extend", tracks[1]))
    assert at.selectbox(key="transform_page.op").value == "extend"
    assert at.selectbox(key="extend.source_track").value == tracks[1]["id"]
    assert at.selectbox(key="extend.model").value == "V4_5"  # must match the source
    assert json.loads(at.code[0].value)["audioId"] == tracks[1]["id"]
    at.button(key="extend.submit").click().run()
    assert not errors(at), errors(at)
    body = last_request(app_runtime, "extend")
    assert body == {"defaultParamFlag": False, "audioId": tracks[1]["id"], "model": "V4_5",
                    "callBackUrl": app_runtime.callback_url}
    assert app_runtime.log.list_tasks(op="extend")[0]["provider_task_id"]
    assert any("accepted" in s.value for s in at.success)


def test_extend_with_custom_parameters_checks_the_duration(app_runtime, song):
    _, tracks = song
    at = open_page(op="extend", track=tracks[0]["id"])
    at.toggle(key="extend.defaultParamFlag").set_value(True).run()
    assert 0 < at.number_input(key="extend.continueAt").value < tracks[0]["duration"]
    at.number_input(key="extend.continueAt").set_value(tracks[0]["duration"] + 1)
    at.text_input(key="extend.style").input("rock")
    at.text_area(key="extend.prompt").input("[Outro] bye").run()
    assert at.text_input(key="extend.title").value == tracks[0]["title"]  # prefilled
    at.button(key="extend.submit").click().run()
    assert any(e.startswith("Continue at") and "must be before the end" in e for e in errors(at))
    assert app_runtime.log.count_tasks(op="extend") == 0
    at.selectbox(key="extend.model").set_value("V5").run()
    at.button(key="extend.submit").click().run()
    assert any(e.startswith("Model must be V4_5: the source track was made with it")
               for e in errors(at))
    at.selectbox(key="extend.model").set_value("V4_5")
    at.number_input(key="extend.continueAt").set_value(1.5).run()
    at.button(key="extend.submit").click().run()
    assert not errors(at), errors(at)
    body = last_request(app_runtime, "extend")
    assert body["continueAt"] == 1.5 and body["defaultParamFlag"] is True


@pytest.mark.parametrize("op", ["wav", "vocal_removal", "split_stem", "mp4", "timestamped_lyrics"])
def test_track_transforms_fill_task_and_audio_ids(app_runtime, song, op):
    task, tracks = song
    at = open_page(**sub.transform_link(op, tracks[0]))
    assert at.selectbox(key="transform_page.op").value == op
    at.button(key=f"{op}.submit").click().run()
    body = last_request(app_runtime, op)
    assert body["taskId"] == task["provider_task_id"] and body["audioId"] == tracks[0]["id"]
    row = app_runtime.log.list_tasks(op=op)[0]
    assert row["state"] in ("pending", "processing", "succeeded"), row


def test_replace_section_and_persona_explain_a_too_short_track(app_runtime, song):
    _, tracks = song  # 3 s tracks: too short for a 6 s section or a 10 s persona segment
    at = open_page(op="replace_section", track=tracks[0]["id"])
    at.text_area(key="replace_section.prompt").input("new words").run()
    at.button(key="replace_section.submit").click().run()
    assert any("The track is 3.00 s long" in e for e in errors(at))
    at.selectbox(key="transform_page.op").set_value("persona").run()
    assert at.query_params.get("op") in (None, [])  # the link no longer describes the page
    at.text_input(key="persona.name").input("Anna")
    at.text_area(key="persona.description").input("warm").run()
    at.button(key="persona.submit").click().run()
    assert any(e.startswith("The track is 3.00 s long; a persona needs a 10 s")
               for e in errors(at))
    assert app_runtime.log.count_tasks() == 1  # only the song


def test_upload_cover_from_a_finished_track(app_runtime, song):
    _, tracks = song
    at = open_page(op="upload_cover", track=tracks[0]["id"])
    assert at.radio(key="upload_cover.source_mode").value == "Finished track"
    at.text_area(key="upload_cover.prompt").input("as a string quartet").run()
    at.button(key="upload_cover.submit").click().run()
    assert not errors(at), errors(at)
    assert last_request(app_runtime, "upload_cover")["uploadUrl"] == tracks[0]["audio_url"]


def test_upload_a_file_then_add_vocals(app_runtime):
    at = open_page(op="add_vocals")
    assert at.radio(key="add_vocals.source_mode").value == "Upload a file"
    data = wav_bytes(1.5)
    # nothing is uploaded or used before the attestation is ticked
    at.file_uploader(key="add_vocals.file").set_value(("my take.wav", data, "audio/wav")).run()
    assert any("The team may use this audio" in i.value for i in at.info)
    assert not app_runtime.uploads_dir.exists() or not any(app_runtime.uploads_dir.iterdir())
    assert json.loads(at.code[0].value).get("uploadUrl") is None
    at.checkbox(key="add_vocals.attest").check().run()  # ticked: the chosen file goes up
    assert not errors(at), errors(at)
    assert json.loads(at.code[0].value).get("uploadUrl")
    kept = set(app_runtime.uploads_dir.iterdir())
    # Streamlit refuses other extensions itself; we check the content
    at.file_uploader(key="add_vocals.file").set_value(("fake.mp3", b"<html>hi</html>",
                                                       "audio/mpeg")).run()
    assert any("does not look like audio" in e for e in errors(at))
    assert set(app_runtime.uploads_dir.iterdir()) == kept  # nothing stored for the refused file
    at.file_uploader(key="add_vocals.file").set_value(("my take.wav", data, "audio/wav")).run()
    assert not errors(at), errors(at)
    url = json.loads(at.code[0].value)["uploadUrl"]
    assert httpx.get(url).content == data
    stored = next(p for p in app_runtime.uploads_dir.iterdir() if p.read_bytes() == data)
    kept_rows = app_runtime.log.uploads_named(stored.name)  # the attestation is kept with each
    assert kept_rows and all(r["attested"] == 1 for r in kept_rows)
    upload = kept_rows[0]
    assert upload["attested"] == 1 and upload["statement"] == "The team may use this audio"
    assert upload["name"] == "my take.wav" and upload["url"] == url
    at.text_area(key="add_vocals.prompt").input("[Verse] hello there")
    at.text_input(key="add_vocals.title").input("Hello")
    at.text_input(key="add_vocals.negativeTags").input("metal")
    at.text_input(key="add_vocals.style").input("folk").run()
    at.button(key="add_vocals.submit").click().run()
    assert not errors(at), errors(at)
    body = last_request(app_runtime, "add_vocals")
    assert body["uploadUrl"] == url and body["model"] == "V4_5PLUS"


def test_the_source_pickers_get_the_operation_too(app_runtime, song, monkeypatch):
    """Extend's track picker, its ids-by-hand inputs, fields, checks, preview and submit use the
    `Operation` the page looked up (main looked "extend" up 28 times in one first render)."""
    from lib import ops

    real, looked_up = ops.get, []
    monkeypatch.setattr(ops, "get", lambda name: looked_up.append(name) or real(name))
    at = open_page()
    assert at.selectbox(key="extend.source_track").value in {t["id"] for t in song[1]}
    at.radio(key="extend.source_mode").set_value("IDs by hand").run()
    at.button(key="extend.submit").click().run()
    assert not at.exception, at.exception
    assert any(e.startswith("Track (audio) ID is required") for e in errors(at))
    assert looked_up.count("extend") <= 1, looked_up


def test_submit_without_an_upload_says_what_the_upload_needs(app_runtime):
    """With "Upload a file" chosen and a refused file, the source said "Source audio URL is
    required", a field the user never sees; it now says what the upload needs, once."""
    at = open_page(op="upload_cover")
    at.checkbox(key="upload_cover.attest").check()
    at.file_uploader(key="upload_cover.file").set_value(("notes.wav", b"not audio at all" * 9,
                                                         "audio/wav")).run()
    at.button(key="upload_cover.submit").click().run()
    shown = errors(at)
    assert any("does not look like audio" in e for e in shown), shown
    assert any(e.startswith("Audio file: no audio is uploaded yet") for e in shown), shown
    assert not any("URL is required" in e for e in shown), shown
    assert sum("no audio is uploaded yet" in e for e in shown) == 1
    assert app_runtime.log.count_tasks() == 0
    at.radio(key="upload_cover.source_mode").set_value("Public URL").run()
    at.button(key="upload_cover.submit").click().run()
    assert any("URL is required" in e for e in errors(at)), errors(at)  # that field is on screen
