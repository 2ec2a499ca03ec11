"""The DashScope adapter against the simulator's DashScope routes (not a fake of our own): a
music-driven text-to-video task is logged, sent with ``X-DashScope-Async``, polled on its task
route until its MP4 is there, and archived; a refusal of the simulator's rules reads in the
shared vocabulary. The two sides are written independently (lib/ops + lib/families vs
simulator/media_ops + simulator/media_families)."""

from __future__ import annotations

import time

import httpx

from lib.log.sqlite import SqliteLog
from lib.provider.hub import Providers
from lib.settings import load_settings
from lib.tracking.assets import AssetArchiver
from lib.tracking.tracker import Tracker


def run(tmp_path, simulator):
    settings = load_settings(env={"SONGBENCH_API_KEY": "k", "SONGBENCH_API_BASE_URL":
                                  simulator.base_url, "SONGBENCH_MEDIA_API_KEY": "media-k",
                                  "SONGBENCH_MEDIA_BASE_URL": simulator.base_url}, secrets={})
    log = SqliteLog(tmp_path / "log.db")
    providers = Providers(settings, on_event=log.log_client_event)
    archiver = AssetArchiver(log, tmp_path / "assets")
    return log, Tracker(log, providers, archiver, first_delay=0.1, max_delay=0.5)


def wait_final(log, tracker, task_id, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        tracker.run_once()
        row = log.get_task(task_id)
        if row["state"] in ("succeeded", "failed") and not [
                a for a in log.assets_for(task_id) if a["status"] == "pending"]:
            return row
        time.sleep(0.2)
    raise AssertionError(f"task {task_id} did not finish: {log.get_task(task_id)}")


def test_a_music_driven_video_is_made_by_the_simulator_and_archived(tmp_path, simulator):
    log, tracker = run(tmp_path, simulator)
    song = tracker.submit("generate", {"customMode": False, "instrumental": True, "model": "V5",
                                       "prompt": "a short jingle",
                                       "callBackUrl": "https://callback.invalid/x"})
    song_row = wait_final(log, tracker, song)
    audio = log.tracks_for(song)[0]["audio_url"]
    assert song_row["state"] == "succeeded" and audio

    video = tracker.submit("video_t2v", {"model": "wan2.6-t2v", "prompt": "a vinyl record",
                                         "size": "1280*720", "duration": 3,
                                         "audio_url": audio})
    row = wait_final(log, tracker, video)
    assert (row["state"], row["provider"], row["family"]) == ("succeeded", "dashscope",
                                                              "dashscope_video")
    (asset,) = log.assets_for(video)
    assert asset["kind"] == "video" and asset["status"] == "done"
    with open(asset["local_path"], "rb") as file:
        data = file.read()
    assert data[4:8] == b"ftyp"  # an MP4
    sent = [e for e in log.events_for(video) if e["kind"] == "request"][0]
    assert "x-dashscope-async" in (sent["headers_json"] or "").lower()


def test_the_simulators_refusal_reads_in_the_shared_words(tmp_path, simulator):
    log, tracker = run(tmp_path, simulator)
    # wan2.6 takes sizes of its 720P and 1080P tiers only (a per-model rule the app's form does
    # not check yet, issue 16 step 3): the simulator refuses 832*480 before making a task
    task = tracker.submit("video_t2v", {"model": "wan2.6-t2v", "prompt": "x",
                                        "size": "832*480", "duration": 7})
    row = log.get_task(task)
    assert (row["state"], row["error_code"]) == ("failed", "InvalidParameter")
    assert row["error_message"].startswith("Invalid request: a field is missing or out of range")
    assert row["provider_task_id"] is None  # refused: nothing was made
    assert httpx.get(simulator.base_url + "/dashscope/v1/tasks/nope",
                     headers={"Authorization": "Bearer k"}).json()["output"]["task_status"] \
        == "UNKNOWN"


def test_the_text_adapter_talks_to_the_simulators_openai_routes(simulator):
    """The openai SDK (through our adapter) against the simulator's /openai/v1: models, one
    answer, a streamed one, and an unknown model in the shared words."""
    import pytest

    from lib.provider import errors
    from lib.provider.adapters.text import TextAdapter

    settings = load_settings(env={"SONGBENCH_TEXT_BASE_URL": simulator.base_url + "/openai/v1",
                                  "SONGBENCH_TEXT_API_KEY": "text-k"}, secrets={})
    with TextAdapter(settings) as client:
        models = client.models()
        assert models
        chat_models = [m for m in models if "embedding" not in m and "image" not in m
                       and "wan" not in m and "kling" not in m and "qwen-image" not in m]
        model = chat_models[0]
        messages = [{"role": "user", "content": "two lines about the sea"}]
        answer = client.chat(model, messages, max_tokens=40)
        assert answer.text and answer.usage and answer.usage["total_tokens"] > 0
        stream = client.stream(model, messages, max_tokens=40)
        assert "".join(stream) == stream.text and stream.text
        with pytest.raises(errors.NotFound) as raised:
            client.chat("no-such-model", messages)
        assert raised.value.provider == "text" and "SONGBENCH_TEXT_BASE_URL" in \
            raised.value.explain()


PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def png_size(path) -> tuple[int, int]:
    with open(path, "rb") as file:
        head = file.read(24)
    assert head[:8] == PNG_MAGIC, head[:8]  # a real PNG
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def test_a_qwen_image_is_answered_at_once_and_archived_as_a_png(tmp_path, simulator):
    """The sync route: no task, no poll; the image is archived before submit returns (its URL
    expires after 24 h)."""
    log, tracker = run(tmp_path, simulator)
    task = tracker.submit("qwen_image", {"model": "qwen-image-plus", "prompt": "neon city",
                                         "size": "1664*928", "n": 1, "seed": 7,
                                         "prompt_extend": True, "watermark": False})
    row = log.get_task(task)
    assert (row["state"], row["provider"], row["family"]) == ("succeeded", "dashscope",
                                                              "dashscope_sync_image")
    assert row["provider_task_id"] is None and row["next_poll_at"] is None
    (asset,) = log.assets_for(task)
    assert asset["kind"] == "image:1" and asset["status"] == "done", asset
    assert png_size(asset["local_path"]) == (1664, 928)
    sent = [e for e in log.events_for(task) if e["kind"] == "request"][0]
    assert "x-dashscope-async" not in (sent["headers_json"] or "").lower()


def test_an_image_becomes_a_dashscope_video(tmp_path, simulator):
    """Image to video: a Qwen image's (provider) URL as ``img_url``, ``resolution`` 720P, polled
    on the shared dashscope_video family until its MP4 is archived."""
    log, tracker = run(tmp_path, simulator)
    image = tracker.submit("qwen_image", {"model": "qwen-image-plus", "prompt": "a poster",
                                          "size": "1328*1328"})
    img_url = log.assets_for(image)[0]["url"]
    video = tracker.submit("video_i2v", {"model": "wan2.6-i2v-flash", "img_url": img_url,
                                         "prompt": "the poster comes alive",
                                         "resolution": "720P", "duration": 2})
    row = wait_final(log, tracker, video)
    assert (row["state"], row["family"]) == ("succeeded", "dashscope_video"), row
    (asset,) = log.assets_for(video)
    with open(asset["local_path"], "rb") as file:
        assert file.read(8)[4:8] == b"ftyp"


def test_kling_video_and_image_tasks_are_made_by_the_simulator_and_archived(tmp_path,
                                                                            simulator):
    log, tracker = run(tmp_path, simulator)
    video = tracker.submit("kling_t2v", {"model_name": "kling-v3", "prompt": "a drummer",
                                         "mode": "std", "duration": 3, "aspect_ratio": "16:9"})
    image = tracker.submit("kling_image", {"model_name": "kling-v2-1", "prompt": "a sleeve",
                                           "n": 2, "aspect_ratio": "1:1", "resolution": "1k"})
    row = wait_final(log, tracker, video)
    assert (row["state"], row["provider"], row["family"]) == ("succeeded", "kling",
                                                              "kling_video"), row
    (asset,) = log.assets_for(video)
    assert asset["kind"] == "video" and asset["local_path"].endswith(".mp4")
    with open(asset["local_path"], "rb") as file:
        assert file.read(8)[4:8] == b"ftyp"  # an MP4
    polls = [e for e in log.events_for(video) if e["kind"] == "poll"]
    assert polls[-1]["url"] == f"/transtreams/kling/v1/videos/text2video/{row['provider_task_id']}"
    row = wait_final(log, tracker, image)
    assert (row["state"], row["family"]) == ("succeeded", "kling_image"), row
    assets = log.assets_for(image)
    assert [a["kind"] for a in assets] == ["image:1", "image:2"]
    assert png_size(assets[0]["local_path"]) == (1024, 1024)


def test_kling_image_to_video_from_an_archived_image(tmp_path, simulator):
    log, tracker = run(tmp_path, simulator)
    image = tracker.submit("qwen_image", {"model": "qwen-image-plus", "prompt": "a poster",
                                          "size": "1664*928"})
    video = tracker.submit("kling_i2v", {"model_name": "kling-v3", "mode": "std",
                                         "duration": 3,
                                         "image": log.assets_for(image)[0]["url"]})
    row = wait_final(log, tracker, video)
    assert (row["state"], row["family"]) == ("succeeded", "kling_video"), row
    with open(log.assets_for(video)[0]["local_path"], "rb") as file:
        assert file.read(8)[4:8] == b"ftyp"


def test_kling_refusals_read_in_the_shared_words(tmp_path, simulator):
    log, tracker = run(tmp_path, simulator)
    # the simulator's own rule: image2video needs an image (the app's form checks it too)
    task = tracker.submit("kling_i2v", {"model_name": "kling-v3", "duration": 3})
    row = log.get_task(task)
    assert row["state"] == "failed" and row["provider_task_id"] is None
    assert row["error_message"].startswith("Invalid request"), row["error_message"]
