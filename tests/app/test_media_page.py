"""The Media page under AppTest: a DashScope video is checked at its fields, sent through the
DashScope adapter to the embedded simulator and followed to an archived MP4, like a song."""

from __future__ import annotations

import json
import time

from streamlit.testing.v1 import AppTest

from lib.media.audio import probe
from pages.components import sources
from tests.helpers import drive_to_success, finished_song

PAGE = "../../pages/media.py"


def open_page() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=30).run()
    assert not at.exception, at.exception
    return at


def test_a_music_driven_video_from_the_media_page(app_runtime):
    at = open_page()
    assert at.session_state["media_page.op"] == "video_t2v"
    assert at.radio(key="video_t2v.source_mode").value == sources.NONE  # the audio is optional
    assert "video_t2v.audio_url" not in [t.key for t in at.text_input]  # a picker, not a field
    assert not any("not offered" in i.value for i in at.info)
    preview = at.code[0].value
    assert '"input"' in preview and '"parameters"' in preview  # the wire body, nested
    cost = [m.value for m in at.markdown if m.value.startswith("Cost:")]
    assert cost and "billed by the provider (dashscope)" in cost[0], cost
    assert "no balance route" in cost[0] and "credits (estimate)" not in cost[0], cost
    at.button(key="video_t2v.submit").click().run()
    assert any(e.value.startswith("Prompt is required") for e in at.error), \
        [e.value for e in at.error]
    assert app_runtime.log.count_tasks() == 0  # nothing sent while a field is wrong

    song = finished_song(app_runtime)
    track = app_runtime.log.tracks_for(song["id"])[0]
    at.text_area(key="video_t2v.prompt").input("neon city at night, following the beat")
    at.radio(key="video_t2v.source_mode").set_value(sources.TRACK).run()
    assert at.selectbox(key="video_t2v.source_track").value == track["id"]
    assert f'"audio_url": "{track["audio_url"]}"' in at.code[0].value  # under "input"
    at.button(key="video_t2v.submit").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    video = app_runtime.log.list_tasks(op="video_t2v")[0]
    assert video["provider"] == "dashscope" and video["provider_task_id"]
    assert json.loads(video["request_json"])["audio_url"] == track["audio_url"]
    done = drive_to_success(app_runtime, video["id"], "video", timeout=90)
    assert done["family"] == "dashscope_video"
    deadline = time.time() + 60
    while time.time() < deadline and not [a for a in app_runtime.log.assets_for(video["id"])
                                          if a["status"] == "done"]:
        app_runtime.archiver.archive_task(video["id"])
        time.sleep(0.2)
    (asset,) = app_runtime.log.assets_for(video["id"])
    assert asset["kind"] == "video" and asset["status"] == "done", asset
    with open(asset["local_path"], "rb") as file:
        assert file.read(8)[4:8] == b"ftyp"  # an MP4, archived


def test_a_track_longer_than_30_s_is_refused_with_its_length(app_runtime):
    app_runtime.simulator.sim.config.track_seconds = 42.0
    song = finished_song(app_runtime)
    track = app_runtime.log.tracks_for(song["id"])[0]
    assert track["duration"] > 30, track["duration"]
    at = open_page()
    at.text_area(key="video_t2v.prompt").input("a slow pan over the sea")
    at.radio(key="video_t2v.source_mode").set_value(sources.TRACK).run()
    at.button(key="video_t2v.submit").click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    want = (f"Audio track is {round(track['duration'], 1):g} s long; DashScope takes 3-30 s of "
            "audio")
    assert any(e.startswith(want) for e in errors), errors
    assert app_runtime.log.count_tasks(op="video_t2v") == 0  # refused before it is sent


def test_a_text_only_video_needs_no_audio(app_runtime):
    at = open_page()
    at.text_area(key="video_t2v.prompt").input("a paper boat on a river").run()
    assert '"audio_url"' not in at.code[0].value
    at.button(key="video_t2v.submit").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    (video,) = app_runtime.log.list_tasks(op="video_t2v")
    assert "audio_url" not in json.loads(video["request_json"])


def test_a_long_track_is_sent_as_a_30_s_clip_from_a_start_second(app_runtime):
    app_runtime.simulator.sim.config.track_seconds = 42.0
    song = finished_song(app_runtime)
    archive(app_runtime, song["id"])
    track = app_runtime.log.tracks_for(song["id"])[0]
    at = open_page()
    at.text_area(key="video_t2v.prompt").input("waves in slow motion")
    at.radio(key="video_t2v.source_mode").set_value(sources.TRACK).run()
    at.checkbox(key="video_t2v.clip").check().run()
    at.number_input(key="video_t2v.clip_start").set_value(10.0).run()
    assert '"audio_url"' not in at.code[0].value  # nothing is uploaded before the attestation
    at.checkbox(key="video_t2v.attest").check().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any(c.value.startswith("Clip 10-40 s") for c in at.caption), \
        [c.value for c in at.caption]
    at.button(key="video_t2v.submit").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    (video,) = app_runtime.log.list_tasks(op="video_t2v")
    sent = json.loads(video["request_json"])["audio_url"]
    assert sent != track["audio_url"]  # the clip's upload, not the whole track
    clip = at.session_state["video_t2v.clip_uploaded"][1]
    assert clip.url == sent and clip.attested
    assert abs(probe(clip.local_path).duration - 30) < 0.1  # 30 s of the track, from 10 s
    assert app_runtime.log.uploads_named(clip.file_name)[0]["attested"]


def archive(rt, task_id: str) -> None:
    deadline = time.time() + 60
    while time.time() < deadline and not all(
            t["local_audio_path"] for t in rt.log.tracks_for(task_id)):
        rt.archiver.archive_task(task_id)
        time.sleep(0.2)


def test_a_qwen_image_from_the_media_page(app_runtime):
    """The sync image route from its form: the preview shows the one user message and no async
    header, a wrong n is refused at its field with nothing sent, then the image is answered,
    archived at once as a PNG and shown under the form."""
    at = open_page()
    at.session_state["media_page.op"] = "qwen_image"
    at.run()
    assert not at.exception, at.exception
    assert [s.value for s in at.subheader][0] == "Image (Qwen-Image)"
    preview = at.code[0].value
    assert '"messages"' in preview and "X-DashScope-Async" not in preview, preview
    at.text_area(key="qwen_image.prompt").input("album cover: neon city at night")
    at.number_input(key="qwen_image.n").set_value(2).run()
    at.button(key="qwen_image.submit").click().run()
    assert any(e.value.startswith("Number of images must be 1") for e in at.error), \
        [e.value for e in at.error]
    assert app_runtime.log.count_tasks() == 0  # nothing sent while a field is wrong

    at.number_input(key="qwen_image.n").set_value(1).run()
    at.button(key="qwen_image.submit").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    (task,) = app_runtime.log.list_tasks(op="qwen_image")
    assert (task["state"], task["provider"], task["family"]) == (
        "succeeded", "dashscope", "dashscope_sync_image")
    (asset,) = app_runtime.log.assets_for(task["id"])
    assert asset["kind"] == "image:1" and asset["status"] == "done", asset
    with open(asset["local_path"], "rb") as file:
        assert file.read(8) == b"\x89PNG\r\n\x1a\n"  # archived at once, a real PNG
    at.run()
    assert not at.exception, at.exception
    assert at.get("image"), "the image shows under the form"
    links = " ".join(m.value for m in at.markdown)
    assert "[Image 1](<" in links and f"/api/assets/{task['id']}/image-1.png" in links, links
    assert any(i.value.startswith("1 image, 1328×1328") for i in at.info), \
        [i.value for i in at.info]


def _qwen_image(rt, finished: float, url: str) -> str:
    """A finished Qwen-Image task in the log (as the sync route records it)."""
    from lib.contract.family import Asset, PollResult
    from lib.contract.states import State

    tid = rt.log.create_task("qwen_image", "dashscope_sync_image", {"prompt": "a red kite"},
                             provider="dashscope", prompt="a red kite", now=finished - 5)
    rt.log.mark_submitted(tid, f"ds-{tid[:8]}", next_poll_at=None, now=finished - 4)
    rt.log.apply_poll(tid, PollResult("SUCCEEDED", State.SUCCEEDED, "complete", [],
                                      [Asset("image:1", url)]), next_poll_at=None, now=finished)
    return tid


def _open_i2v() -> AppTest:
    at = open_page()
    at.session_state["media_page.op"] = "video_i2v"
    at.run()
    assert not at.exception, at.exception
    return at


def test_an_archived_image_fills_img_url_for_image_to_video(app_runtime):
    url = "https://dashscope.example/result/kite.png"
    tid = _qwen_image(app_runtime, time.time() - 3600, url)
    at = _open_i2v()
    assert at.radio(key="video_i2v.source_mode").value == sources.IMAGE
    assert "video_i2v.img_url" not in [t.key for t in at.text_input]  # a picker, not a field
    assert at.selectbox(key="video_i2v.source_image").value == f"{tid}:image:1"
    assert f'"img_url": "{url}"' in at.code[0].value  # the provider's URL, under "input"
    at.button(key="video_i2v.submit").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    (video,) = app_runtime.log.list_tasks(op="video_i2v")
    assert json.loads(video["request_json"])["img_url"] == url


def test_an_expired_image_is_refused_and_a_typed_url_still_works(app_runtime):
    _qwen_image(app_runtime, time.time() - 25 * 3600, "https://dashscope.example/old.png")
    at = _open_i2v()
    errors = [e.value for e in at.error]
    assert any("provider link expired (24 h after its task finished)" in e for e in errors), \
        errors
    assert "old.png" not in at.code[0].value  # an expired link is never sent
    at.button(key="video_i2v.submit").click().run()
    assert any("provider link expired" in e.value for e in at.error)
    assert app_runtime.log.count_tasks(op="video_i2v") == 0

    at.radio(key="video_i2v.source_mode").set_value(sources.URL).run()
    at.text_input(key="video_i2v.url").input("https://example.com/frame.png").run()
    assert '"img_url": "https://example.com/frame.png"' in at.code[0].value
    at.button(key="video_i2v.submit").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    (video,) = app_runtime.log.list_tasks(op="video_i2v")
    assert json.loads(video["request_json"])["img_url"] == "https://example.com/frame.png"


def test_a_qwen_image_made_on_the_page_animates_with_kling_with_its_thumbnail(app_runtime):
    """Made through the runtime (sync, archived at once): Kling's ``image`` gets its provider
    URL, and the picker shows the archived copy."""
    at = open_page()
    at.session_state["media_page.op"] = "qwen_image"
    at.run()
    at.text_area(key="qwen_image.prompt").input("a lighthouse in fog")
    at.button(key="qwen_image.submit").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    (task,) = app_runtime.log.list_tasks(op="qwen_image")
    (asset,) = app_runtime.log.assets_for(task["id"])
    assert asset["status"] == "done" and asset["local_path"]

    at.session_state["media_page.op"] = "kling_i2v"
    at.run()
    assert not at.exception, at.exception
    assert at.selectbox(key="kling_i2v.source_image").value == f"{task['id']}:image:1"
    assert at.get("image"), "a thumbnail of the archived image"
    assert f'"image": "{asset["url"]}"' in at.code[0].value
    at.text_area(key="kling_i2v.prompt").input("the beam sweeps slowly")
    at.button(key="kling_i2v.submit").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    (video,) = app_runtime.log.list_tasks(op="kling_i2v")
    assert json.loads(video["request_json"])["image"] == asset["url"]


def _sunoapi_runtime(tmp_path, monkeypatch):
    """A runtime configured for api.sunoapi.org (a music key, the sunoapi dialect) and nothing
    of its own for media or text."""
    from lib.app import runtime
    from tests.app.conftest import PROVIDER_ENV

    for name in (*PROVIDER_ENV, "SONGBENCH_MEDIA_BASE_URL", "SONGBENCH_MEDIA_API_KEY",
                 "SONGBENCH_TEXT_BASE_URL", "SONGBENCH_TEXT_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SONGBENCH_API_KEY", "sk-music-only")
    monkeypatch.setenv("SONGBENCH_API_BASE_URL", "https://api.sunoapi.org")
    monkeypatch.setenv("SONGBENCH_DB", str(tmp_path / "songbench.db"))
    monkeypatch.setenv("SONGBENCH_ASSETS_DIR", str(tmp_path / "assets"))
    runtime.reset_runtime()
    return runtime


def test_with_a_sunoapi_provider_the_media_page_says_so_and_draws_no_form(tmp_path,
                                                                          monkeypatch):
    """sunoapi.org offers music only: the page says so plainly (naming the settings that would
    change it), draws no form, no picker and no submit button; the text page likewise."""
    runtime = _sunoapi_runtime(tmp_path, monkeypatch)
    try:
        rt = runtime.get_runtime()
        at = open_page()
        infos = [i.value for i in at.info]
        assert any(i.startswith("The configured provider (api.sunoapi.org, the sunoapi "
                                "dialect) offers music only: it has no media (DashScope, "
                                "Kling) routes") and "SONGBENCH_MEDIA_BASE_URL" in i
                   for i in infos), infos
        assert not at.button and not at.text_area and not at.code  # no form, no preview
        assert "media_page.op" not in at.session_state
        text = AppTest.from_file("../../pages/text.py", default_timeout=30).run()
        assert not text.exception, text.exception
        assert any("no text (OpenAI-compatible chat) routes" in i.value for i in text.info)
        assert not text.button and not text.selectbox  # not even the model list is asked
        song = AppTest.from_file("../../pages/generate.py", default_timeout=30).run()
        assert not song.exception, song.exception
        assert song.button(key="generate.submit")  # music is offered
        assert "generate.draft" not in [b.key for b in song.button]  # the helper is not
        assert any("no text (OpenAI-compatible chat) routes" in i.value for i in song.info)
        assert rt.log.count_tasks() == 0
    finally:
        runtime.reset_runtime()


def test_the_audio_upload_takes_what_dashscope_takes(app_runtime):
    """The media form's audio picker: wav or mp3 only, at most 15 MB (the operation's source
    declares it), and an upload outside 3-30 s is refused in words before it is sent."""
    from tests.helpers import wav_bytes

    at = open_page()
    at.radio(key="video_t2v.source_mode").set_value(sources.UPLOAD).run()
    uploader = at.get("file_uploader")[0]
    assert list(uploader.proto.type) == [".mp3", ".wav"]
    assert uploader.proto.max_upload_size_mb == 15 and "3-30 s" in uploader.help
    at.checkbox(key="video_t2v.attest").check().run()
    at.get("file_uploader")[0].upload("long.wav", wav_bytes(40.0, 4000), "audio/wav").run()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert ("long.wav: the audio is 40 s long; DashScope takes 3-30 s (wav or mp3, at most "
            "15 MB).") in errors, errors
    assert not app_runtime.log.uploads_named("long.wav")
    assert '"audio_url"' not in at.code[0].value
    at.get("file_uploader")[0].upload("take.wav", wav_bytes(5.0, 4000), "audio/wav").run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert '"audio_url"' in at.code[0].value  # the 5 s upload is the audio track


def test_the_async_wan_image_route_shows_only_when_switched_on(app_runtime, monkeypatch):
    """Off by default (AnyInt does not publish the route): the page does not offer it, even
    when asked for by name. Switched on, it is a task sent with the async header, followed to
    its archived pictures."""
    monkeypatch.delenv("SONGBENCH_MEDIA_WAN_T2I_ASYNC", raising=False)
    at = open_page()
    at.session_state["media_page.op"] = "wan_image"
    at.run()
    assert not at.exception, at.exception
    assert [s.value for s in at.subheader][0] == "Text to video"  # not the hidden one

    from lib.app import runtime

    monkeypatch.setenv("SONGBENCH_MEDIA_WAN_T2I_ASYNC", "1")
    runtime.reset_runtime()
    rt = runtime.get_runtime()
    at = open_page()
    at.session_state["media_page.op"] = "wan_image"
    at.run()
    assert not at.exception, at.exception
    assert [s.value for s in at.subheader][0] == "Image (wan, async pass-through)"
    assert any("SONGBENCH_MEDIA_WAN_T2I_ASYNC=1" in c.value for c in at.caption)
    said = " ".join(c.value for c in at.caption)
    assert "/text2image/image-synthesis" in said and "X-DashScope-Async: enable" in said, said
    assert '"n": 1' in at.code[0].value  # one image, not the service's four
    at.text_area(key="wan_image.prompt").input("a record-store poster, risograph")
    at.button(key="wan_image.submit").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    (task,) = rt.log.list_tasks(op="wan_image")
    assert (task["provider"], task["family"]) == ("dashscope", "dashscope_image")
    done = drive_to_success(rt, task["id"], "wan image", timeout=60)
    assert done["state"] == "succeeded"
    deadline = time.time() + 30
    while time.time() < deadline and not [a for a in rt.log.assets_for(task["id"])
                                          if a["status"] == "done"]:
        rt.archiver.archive_task(task["id"])
        time.sleep(0.2)
    (asset,) = rt.log.assets_for(task["id"])
    assert asset["kind"] == "image:1" and asset["status"] == "done", asset
    with open(asset["local_path"], "rb") as file:
        assert file.read(8) == b"\x89PNG\r\n\x1a\n"


def test_a_kling_omni_video_from_the_media_page(app_runtime):
    at = open_page()
    at.session_state["media_page.op"] = "kling_omni"
    at.run()
    assert not at.exception, at.exception
    assert "/transtreams/kling/v1/videos/omni-video" in " ".join(c.value for c in at.caption)
    at.text_area(key="kling_omni.prompt").input("a choir of neon signs")
    at.button(key="kling_omni.submit").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    (video,) = app_runtime.log.list_tasks(op="kling_omni")
    assert (video["provider"], video["family"]) == ("kling", "kling_video")
    sent = json.loads(video["request_json"])
    assert sent["model_name"] == "kling-v3-omni" and sent["sound"] == "off"
    done = drive_to_success(app_runtime, video["id"], "video", timeout=90)
    assert done["state"] == "succeeded"


def test_a_size_the_model_does_not_offer_is_refused_at_its_field(app_runtime):
    """wan2.6 has no 480P: the form names the model and what it offers, and sends nothing;
    the message reads as written (a ``*`` is not Markdown emphasis)."""
    at = open_page()
    at.text_area(key="video_t2v.prompt").input("a lighthouse at dusk")
    at.selectbox(key="video_t2v.size").set_value("832*480").run()
    at.button(key="video_t2v.submit").click().run()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert any(e.startswith("Size 832\\*480 (480P) is not offered by wan2.6-t2v: it makes "
                            "720P or 1080P video, sizes 1280\\*720") for e in errors), errors
    assert app_runtime.log.count_tasks() == 0
    at.selectbox(key="video_t2v.model").set_value("wan2.5-t2v-preview").run()
    at.button(key="video_t2v.submit").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    (video,) = app_runtime.log.list_tasks(op="video_t2v")
    assert json.loads(video["request_json"])["size"] == "832*480"
