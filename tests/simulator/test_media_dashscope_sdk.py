"""The official `dashscope` SDK, given only the simulator's base URL (`<sim>/dashscope/v1` in
`dashscope.base_http_api_url`, which the SDK joins with `services/aigc/...` and `tasks/{id}`),
works unchanged against the simulator, and what it gets back is real media: PNGs of the asked
size, MP4s of the asked resolution and duration, with sound when an `audio_url` is given.

The SDK keeps its settings in process-wide globals: the fixture sets and restores them."""

from __future__ import annotations

import base64
import math

import dashscope
import httpx
import numpy as np
import pytest
from dashscope import ImageSynthesis, MultiModalConversation, VideoSynthesis

from simulator.config import SimConfig
from simulator.server import run_in_thread
from tests.conftest import FAST
from tests.simulator.mediaprobe import fetch, png_size, video_info
from tests.simulator.simclient import wav_bytes


@pytest.fixture(scope="module")
def sim():
    running = run_in_thread(SimConfig(**FAST))
    yield running
    running.stop()


@pytest.fixture
def sdk(sim):
    """Point the SDK at the simulator; put its globals back afterwards."""
    saved = dashscope.base_http_api_url, dashscope.api_key
    dashscope.base_http_api_url, dashscope.api_key = f"{sim.base_url}/dashscope/v1", "sk-sim"
    try:
        yield sim
    finally:
        dashscope.base_http_api_url, dashscope.api_key = saved


def _tone_url(sim, seconds: float) -> str:
    """A WAV tone uploaded through the simulator's file API (its download URL)."""
    t = np.arange(int(44100 * seconds)) / 44100
    data = wav_bytes(0.3 * np.sin(2 * math.pi * 330 * t))
    env = httpx.post(f"{sim.base_url}/api/file-base64-upload", headers={"Authorization": "Bearer sk"}, timeout=30,
                     json={"base64Data": base64.b64encode(data).decode(), "uploadPath": "tests/media",
                           "fileName": "bed.wav"}).json()
    return env["data"]["downloadUrl"]


def test_image_synthesis_call_gives_pngs_of_the_size(sdk):
    rsp = ImageSynthesis.call(model="wan2.2-t2i-flash", prompt="A record-store poster, retro risograph style",
                              n=2, size="768*512", seed=42)
    assert rsp.status_code == 200, rsp
    assert rsp.output.task_status == "SUCCEEDED" and len(rsp.output.results) == 2 and rsp.usage.image_count == 2
    assert rsp.output.task_metrics == {"TOTAL": 2, "SUCCEEDED": 2, "FAILED": 0}
    first, second = (fetch(r.url) for r in rsp.output.results)
    assert png_size(first) == png_size(second) == (768, 512) and first != second
    assert "Expires=" in rsp.output.results[0].url and rsp.output.results[0].actual_prompt


def test_qwen_image_through_multimodal_conversation(sdk):
    rsp = MultiModalConversation.call(model="qwen-image-plus", size="1664*928", watermark=True, messages=[
        {"role": "user", "content": [{"text": "Album cover: neon city at night, synthwave"}]}])
    assert rsp.status_code == 200, rsp
    image = rsp.output.choices[0].message.content[0]["image"]
    assert png_size(fetch(image)) == (1664, 928)
    assert (rsp.usage.width, rsp.usage.height, rsp.usage.image_count) == (1664, 928, 1)


def test_video_synthesis_call_gives_an_mp4_of_the_size_and_duration(sdk):
    rsp = VideoSynthesis.call(model="wan2.2-t2v-plus", prompt="Slow push-in on a vinyl record", size="832*480")
    assert rsp.status_code == 200, rsp
    assert rsp.output.task_status == "SUCCEEDED"
    info = video_info(fetch(rsp.output.video_url))
    assert info["codec"] == "h264" and info["size"] == (832, 480) and info["audio"] is None  # wan2.2: silent
    assert abs(info["seconds"] - 5) < 0.2 and rsp.usage.video_duration == 5 and rsp.usage.video_ratio == "832*480"


def test_async_call_fetch_wait_with_audio_url(sdk):
    audio = _tone_url(sdk, 4.0)
    task = VideoSynthesis.async_call(model="wan2.6-t2v", prompt="Neon flickers over a rainy street",
                                     audio_url=audio, size="1280*720", duration=6)
    assert task.status_code == 200 and task.output.task_status == "PENDING", task
    seen = VideoSynthesis.fetch(task)
    assert seen.status_code == 200 and seen.output.task_status in ("PENDING", "RUNNING", "SUCCEEDED")
    done = VideoSynthesis.wait(task)
    assert done.output.task_status == "SUCCEEDED", done
    info = video_info(fetch(done.output.video_url))
    assert info["size"] == (1280, 720) and abs(info["seconds"] - 6) < 0.2 and info["audio"] == "aac"


def test_image_to_video_from_a_generated_image_keeps_its_shape(sdk):
    cover = MultiModalConversation.call(model="qwen-image", size="928*1664", messages=[
        {"role": "user", "content": [{"text": "A poster that comes alive"}]}])
    image_url = cover.output.choices[0].message.content[0]["image"]
    rsp = VideoSynthesis.call(model="wan2.5-i2v-preview", img_url=image_url, prompt="The poster comes alive",
                              resolution="480P", duration=5)
    assert rsp.output.task_status == "SUCCEEDED", rsp
    info = video_info(fetch(rsp.output.video_url))
    assert info["size"] == (480, 832) and info["audio"] == "aac"  # 9:16 at 480P; wan2.5 makes sound


def test_first_and_last_frame_model_through_its_sdk_route(sdk):
    first = MultiModalConversation.call(model="qwen-image", messages=[{"role": "user", "content": [{"text": "dawn"}]}])
    url = first.output.choices[0].message.content[0]["image"]
    rsp = VideoSynthesis.call(model="wanx2.1-kf2v-plus", first_frame_url=url, last_frame_url=url, prompt="dawn to dusk")
    assert rsp.output.task_status == "SUCCEEDED", rsp
    assert video_info(fetch(rsp.output.video_url))["size"] == (960, 960)  # 1:1 at 720P


def test_unknown_ids_read_unknown_and_errors_come_back_as_responses(sdk):
    rsp = VideoSynthesis.fetch("no-such-task")
    assert rsp.status_code == 200 and rsp.output.task_status == "UNKNOWN"
    assert VideoSynthesis.wait("no-such-task").output.task_status == "UNKNOWN"
    bad = VideoSynthesis.async_call(model="wan2.6-t2v", prompt="x", size="640*480")
    assert bad.status_code == 400 and bad.code == "InvalidParameter" and "size" in bad.message
    wrong = ImageSynthesis.async_call(model="wan2.2-t2i-flash", prompt="x", api_key="")
    assert wrong.status_code == 401 and wrong.code == "InvalidApiKey"


def test_cancel_while_pending(sdk):
    httpx.post(f"{sdk.base_url}/_sim/config", json={"speed": 1}, timeout=5).raise_for_status()
    try:
        task = ImageSynthesis.async_call(model="wan2.2-t2i-flash", prompt="a slow one", n=1)
        assert ImageSynthesis.cancel(task).status_code == 200
        assert ImageSynthesis.fetch(task).output.task_status == "CANCELED"
        assert ImageSynthesis.wait(task).output.task_status == "CANCELED"
        again = ImageSynthesis.cancel(task)
        assert again.status_code == 400 and again.code == "UnsupportedOperation"
    finally:
        httpx.post(f"{sdk.base_url}/_sim/config", json={"speed": FAST["speed"]}, timeout=5).raise_for_status()
