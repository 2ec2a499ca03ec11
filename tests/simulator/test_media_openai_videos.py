"""Kling through the OpenAI-style `/openai/v1/videos` routes (contract-media 1.2, 1.5): the
official `openai` SDK creates, retrieves and downloads a video with only its base URL set (it
sends a multipart form), and JSON bodies with AnyInt's Kling fields work too."""

from __future__ import annotations

import time
import warnings

import httpx
import openai
import pytest

from simulator import art
from simulator.config import SimConfig
from simulator.server import run_in_thread
from tests.conftest import FAST
from tests.simulator.mediaprobe import png_size, video_info


@pytest.fixture(scope="module")
def sim():
    running = run_in_thread(SimConfig(**FAST))
    yield running
    running.stop()


@pytest.fixture
def client(sim) -> openai.OpenAI:
    warnings.filterwarnings("ignore", category=DeprecationWarning)  # the SDK marks its video API deprecated
    return openai.OpenAI(base_url=f"{sim.base_url}/openai/v1", api_key="sk-sim", max_retries=0)


def _done(client: openai.OpenAI, video_id: str, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        video = client.videos.retrieve(video_id)
        if video.status in ("completed", "failed"):
            return video
        assert video.status in ("queued", "in_progress") and 0 <= video.progress < 100
        time.sleep(0.02)
    raise AssertionError(f"{video_id} never finished")


def test_the_sdk_creates_retrieves_and_downloads(client):
    video = client.videos.create(model="kling-3.0", prompt="A vinyl record spinning under warm light",
                                 seconds="8", size="1280x720")
    assert video.object == "video" and video.status == "queued" and video.id.startswith("video_")
    assert video.model == "kling-3.0" and video.seconds == "8" and video.size == "1280x720"
    done = _done(client, video.id)
    assert done.status == "completed" and done.progress == 100 and done.completed_at >= done.created_at
    assert done.expires_at > done.completed_at
    info = video_info(client.videos.download_content(video.id).content)
    assert info["size"] == (1280, 720) and abs(info["seconds"] - 8) < 0.2
    assert png_size(client.videos.download_content(video.id, variant="thumbnail").content) == (1280, 720)


def test_an_uploaded_input_reference_is_the_first_frame(client):
    frame = art.encode(art.artwork("first", 720, 1280, "tall"))
    video = client.videos.create(model="kling-v3-omni", prompt="The poster comes alive", seconds="4",
                                 input_reference=("poster.png", frame, "image/png"))
    done = _done(client, video.id)
    assert done.status == "completed" and done.size == "720x1280"
    assert video_info(client.videos.download_content(video.id).content)["size"] == (720, 1280)


def test_json_bodies_with_anyint_fields_and_the_errors(sim):
    http = httpx.Client(base_url=f"{sim.base_url}/openai/v1", headers={"Authorization": "Bearer sk"}, timeout=30)
    created = http.post("/videos", json={"model": "kling-3.0", "prompt": "A drummer", "duration": 3,
                                         "aspect_ratio": "1:1", "mode": "pro", "generate_audio": True}).json()
    assert created["size"] == "1080x1080" and created["seconds"] == "3"
    assert http.get(f"/videos/{created['id']}/content").status_code in (200, 400)  # 400 until completed
    deadline = time.monotonic() + 30
    while http.get(f"/videos/{created['id']}").json()["status"] != "completed":
        assert time.monotonic() < deadline
        time.sleep(0.02)
    info = video_info(http.get(f"/videos/{created['id']}/content").content)
    assert info["size"] == (1080, 1080) and info["audio"] == "aac"
    bad = http.post("/videos", json={"model": "sora-2", "prompt": "x"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "model_not_found"
    assert http.post("/videos", json={"model": "kling-3.0"}).status_code == 400
    assert http.post("/videos", json={"model": "kling-3.0", "prompt": "x", "duration": 30}).status_code == 400
    missing = http.get("/videos/video_nope")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "video_not_found"
    assert httpx.get(f"{sim.base_url}/openai/v1/videos/{created['id']}").status_code == 401
    wrong_variant = http.get(f"/videos/{created['id']}/content", params={"variant": "spritesheet"})
    assert wrong_variant.status_code == 400
