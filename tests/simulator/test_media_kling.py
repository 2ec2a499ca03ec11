"""The Kling routes (contract-media 1.2, 1.5): Kling's envelope and statuses, real MP4s and PNGs
of the asked shape and length, the request rules and Kling's error codes, the faults."""

from __future__ import annotations

import base64
import time
from typing import Any

import httpx
import pytest

from simulator import art
from simulator.config import SimConfig
from simulator.server import run_in_thread
from tests.conftest import FAST
from tests.simulator.mediaprobe import fetch, png_size, video_info

K = "/transtreams/kling/v1"
T2V, I2V, OMNI = f"{K}/videos/text2video", f"{K}/videos/image2video", f"{K}/videos/omni-video"
IMG, OMNI_IMG = f"{K}/images/generations", f"{K}/images/omni-image"


@pytest.fixture(scope="module")
def http():
    running = run_in_thread(SimConfig(**FAST))
    with httpx.Client(base_url=running.base_url, headers={"Authorization": "Bearer sk"}, timeout=60) as client:
        yield client
    running.stop()


def create(client: httpx.Client, path: str, body: dict[str, Any]) -> dict[str, Any]:
    resp = client.post(path, json=body)
    assert resp.status_code == 200, resp.text
    env = resp.json()
    assert env["code"] == 0 and env["message"] == "SUCCEED" and env["request_id"], env
    return env["data"]


def finish(client: httpx.Client, path: str, task_id: str, timeout: float = 30) -> tuple[list[str], dict[str, Any]]:
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        env = client.get(f"{path}/{task_id}").json()
        assert env["code"] == 0, env
        status = env["data"]["task_status"]
        if not seen or seen[-1] != status:
            seen.append(status)
        if status in ("succeed", "failed"):
            return seen, env["data"]
        time.sleep(0.01)
    raise AssertionError(f"{task_id} stuck at {seen}")


def kling_error(resp: httpx.Response, status: int, code: int) -> str:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert body["code"] == code and body["request_id"], body
    return body["message"]


def test_text2video_std_and_pro_with_and_without_sound(http):
    data = create(http, T2V, {"model_name": "kling-v3", "model": "kling-v3", "prompt": "A neon city in the rain",
                              "mode": "std", "duration": "5", "aspect_ratio": "16:9", "external_task_id": "mine-1"})
    assert data["task_status"] == "submitted" and data["task_info"] == {"external_task_id": "mine-1"}
    assert "task_result" not in data and data["created_at"] == data["updated_at"]
    seen, done = finish(http, T2V, data["task_id"])
    assert seen[-1] == "succeed" and set(seen) <= {"submitted", "processing", "succeed"}
    video = done["task_result"]["videos"][0]
    assert video["duration"] == "5" and done["updated_at"] >= done["created_at"]
    info = video_info(fetch(video["url"]))
    assert info["size"] == (1280, 720) and abs(info["seconds"] - 5) < 0.2 and info["audio"] is None
    pro = create(http, T2V, {"model_name": "kling-v3", "prompt": "A dancer", "mode": "pro", "duration": 3,
                             "aspect_ratio": "9:16", "generate_audio": True})
    info = video_info(fetch(finish(http, T2V, pro["task_id"])[1]["task_result"]["videos"][0]["url"]))
    assert info["size"] == (1080, 1920) and abs(info["seconds"] - 3) < 0.2 and info["audio"] == "aac"


def test_image2video_from_base64_keeps_the_image_shape(http):
    image = base64.b64encode(art.encode(art.artwork("kling", 900, 900, "square"))).decode()
    data = create(http, I2V, {"model_name": "kling-v3", "image": image, "duration": 5})
    done = finish(http, I2V, data["task_id"])[1]
    assert video_info(fetch(done["task_result"]["videos"][0]["url"]))["size"] == (720, 720)


def test_omni_video_with_sound_on(http):
    data = create(http, OMNI, {"model_name": "kling-v3-omni", "prompt": "A drummer on a rooftop", "duration": 4,
                               "sound": "on", "aspect_ratio": "1:1"})
    info = video_info(fetch(finish(http, OMNI, data["task_id"])[1]["task_result"]["videos"][0]["url"]))
    assert info["size"] == (720, 720) and abs(info["seconds"] - 4) < 0.2 and info["audio"] == "aac"


def test_image_routes_make_n_pngs_of_the_ratio_and_resolution(http):
    data = create(http, IMG, {"model_name": "kling-v2-1", "prompt": "An album cover, risograph", "n": 2,
                              "aspect_ratio": "1:1", "resolution": "1k"})
    images = finish(http, IMG, data["task_id"])[1]["task_result"]["images"]
    assert [i["index"] for i in images] == [0, 1]
    pngs = [fetch(i["url"]) for i in images]
    assert [png_size(p) for p in pngs] == [(1024, 1024)] * 2 and pngs[0] != pngs[1]
    cover_url = images[0]["url"]
    omni = create(http, OMNI_IMG, {"model_name": "kling-v3-omni", "prompt": "The same cover, at night",
                                   "image_list": [{"image_url": cover_url}], "aspect_ratio": "16:9"})
    image = finish(http, OMNI_IMG, omni["task_id"])[1]["task_result"]["images"][0]
    assert png_size(fetch(image["url"])) == (1360, 768)


@pytest.mark.parametrize("path, body, code, text", [
    (T2V, {"prompt": "x"}, 1201, "model_name is required"),
    (T2V, {"model_name": "kling-v3"}, 1201, "prompt is required"),
    (T2V, {"model_name": "kling-v3", "model": "kling-v3-omni", "prompt": "x"}, 1201, "same model"),
    (T2V, {"model_name": "kling-v9", "prompt": "x"}, 1203, "model_name must be one of"),
    (T2V, {"model_name": "kling-v3", "prompt": "x", "duration": 20}, 1201, "duration"),
    (T2V, {"model_name": "kling-v2-master", "prompt": "x", "duration": 3}, 1201, "one of 5, 10"),
    (T2V, {"model_name": "kling-v3", "prompt": "x", "mode": "ultra"}, 1201, "mode"),
    (T2V, {"model_name": "kling-v3", "prompt": "x", "aspect_ratio": "4:3"}, 1201, "aspect_ratio"),
    (T2V, {"model_name": "kling-v3", "prompt": "x" * 2501}, 1201, "limit 2500"),
    (T2V, {"model_name": "kling-v3", "prompt": "x", "cfg_scale": 2}, 1201, "cfg_scale"),
    (I2V, {"model_name": "kling-v3", "prompt": "x"}, 1201, "image is required"),
    (I2V, {"model_name": "kling-v3", "image": "not an image!"}, 1201, "base64"),
    (OMNI, {"model_name": "kling-v3", "prompt": "x"}, 1203, "kling-v3-omni"),
    (OMNI, {"model_name": "kling-v3-omni", "prompt": "x", "image_list": [{"url": 1}]}, 1201, "image_list[0]"),
    (IMG, {"model_name": "kling-v2-1", "prompt": "x", "n": 10}, 1201, "between 1 and 9"),
    (IMG, {"model_name": "kling-v2-1", "prompt": "x", "resolution": "8k"}, 1201, "resolution"),
    (OMNI_IMG, {"model_name": "kling-v2-1", "prompt": "x"}, 1203, "kling-v3-omni"),
])
def test_rules_answer_kling_codes(http, path, body, code, text):
    assert text in kling_error(http.post(path, json=body), 404 if code == 1203 else 400, code)


def test_queries_auth_and_content_policy(http):
    data = create(http, T2V, {"model_name": "kling-v3", "prompt": "A short one", "duration": 3})
    kling_error(http.get(f"{I2V}/{data['task_id']}"), 404, 1203)  # a task is found on its own route only
    kling_error(http.get(f"{T2V}/nope"), 404, 1203)
    kling_error(httpx.get(f"{http.base_url}{T2V}/{data['task_id']}"), 401, 1000)
    kling_error(httpx.post(f"{http.base_url}{T2V}", json={}), 401, 1000)
    kling_error(http.post(T2V, content=b"[", headers={"content-type": "application/json"}), 400, 1201)
    kling_error(http.post(T2V, json={"model_name": "kling-v3", "prompt": "something forbidden"}), 400, 1301)


def test_faults(make_simulator):
    sim = make_simulator()
    client = httpx.Client(base_url=sim.base_url, headers={"Authorization": "Bearer sk"}, timeout=30)
    body = {"model_name": "kling-v3", "prompt": "x", "duration": 3}
    client.post("/_sim/faults", json={"rate_429_media": 1.0})
    kling_error(client.post(T2V, json=body), 429, 1302)
    client.post("/_sim/faults", json={"rate_429_media": 0.0, "rate_503_media": 1.0})
    kling_error(client.post(T2V, json=body), 503, 5001)
    client.post("/_sim/faults", json={"rate_503_media": 0.0, "rate_500_poll": 1.0})
    kling_error(client.get(f"{T2V}/x"), 500, 5000)
    client.post("/_sim/faults", json={"rate_500_poll": 0.0, "gateway_errors": True})
    unauth = httpx.post(f"{sim.base_url}{T2V}", json=body)
    assert unauth.status_code == 401 and unauth.json()["error"]["type"] == "authentication_error"
    client.post("/_sim/faults", json={"gateway_errors": False, "fail_rate": 1.0})
    seen, data = finish(client, T2V, create(client, T2V, body)["task_id"])
    assert seen[-1] == "failed" and "fail_rate" in data["task_status_msg"] and "task_result" not in data


def test_kling_urls_outlive_dashscope_ones(make_simulator):
    sim = make_simulator()
    client = httpx.Client(base_url=sim.base_url, headers={"Authorization": "Bearer sk"}, timeout=30)
    task = create(client, IMG, {"model_name": "kling-v2-1", "prompt": "a kept cover"})
    url = finish(client, IMG, task["task_id"])[1]["task_result"]["images"][0]["url"]
    client.post("/_sim/clock", json={"advance_seconds": 2 * 86400})
    assert httpx.get(url).status_code == 200
    assert finish(client, IMG, task["task_id"])[0] == ["succeed"]
    client.post("/_sim/clock", json={"advance_seconds": 29 * 86400})
    assert httpx.get(url).status_code == 404
