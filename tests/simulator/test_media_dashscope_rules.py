"""The DashScope routes over plain HTTP: the per-model request rules (contract-media 2.3-2.5),
the error shapes and codes (2.8), the task status machine (2.6), cancel, expiry after 24 h on
the simulator clock (2.7) and the faults."""

from __future__ import annotations

import base64
import math
import time
from typing import Any

import httpx
import numpy as np
import pytest

from simulator.config import SimConfig
from simulator.server import run_in_thread
from tests.conftest import FAST
from tests.simulator.mediaprobe import fetch, png_size
from tests.simulator.simclient import wav_bytes

BASE = "/dashscope/v1/services/aigc"
VIDEO, T2I, QWEN = f"{BASE}/video-generation/video-synthesis", f"{BASE}/text2image/image-synthesis", \
    f"{BASE}/multimodal-generation/generation"
ASYNC = {"X-DashScope-Async": "enable"}
TERMINAL = {"SUCCEEDED", "FAILED", "CANCELED", "UNKNOWN"}


@pytest.fixture(scope="module")
def http():
    running = run_in_thread(SimConfig(**FAST))
    with httpx.Client(base_url=running.base_url, headers={"Authorization": "Bearer sk"}, timeout=60) as client:
        yield client
    running.stop()


def video(model: str, inp: dict[str, Any] | None = None, **params: Any) -> dict[str, Any]:
    return {"model": model, "input": {"prompt": "a vinyl record spinning", **(inp or {})}, "parameters": params}


def qwen(text: str = "neon city", **params: Any) -> dict[str, Any]:
    return {"model": "qwen-image-plus", "input": {"messages": [{"role": "user", "content": [{"text": text}]}]},
            "parameters": params}


def refused(resp: httpx.Response, status: int, code: str) -> str:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"code", "message", "request_id"} and body["code"] == code, body
    return body["message"]


def wait(client: httpx.Client, task_id: str, timeout: float = 30) -> tuple[list[str], dict[str, Any]]:
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = client.get(f"/dashscope/v1/tasks/{task_id}").json()
        status = body["output"]["task_status"]
        if not seen or seen[-1] != status:
            seen.append(status)
        if status in TERMINAL:
            return seen, body
        time.sleep(0.01)
    raise AssertionError(f"task {task_id} stuck at {seen}")


I2V_IMG = {"img_url": "https://example.invalid/poster.png"}


@pytest.mark.parametrize("body, text", [
    (video("wan2.6-t2v", size="832*480"), "parameters.size must be one of"),  # 480P is not a wan2.6 tier
    (video("wan2.6-t2v", resolution="720P"), "takes parameters.size"),
    (video("wan2.6-i2v-flash", I2V_IMG, size="1280*720"), "takes parameters.resolution"),
    (video("wan2.6-i2v-flash", I2V_IMG, resolution="480P"), "resolution must be one of 720P, 1080P"),
    (video("wan2.6-i2v", resolution="720P"), "input.img_url is required"),
    (video("wan2.6-t2v", duration=16), "duration must be one of"),
    (video("wan2.6-t2v", duration=1), "duration must be one of"),
    (video("wan2.5-t2v-preview", duration=7), "duration must be one of 5, 10"),
    (video("wan2.2-t2v-plus", duration=10), "duration must be one of 5"),
    (video("wan2.2-t2v-plus", {"audio_url": "https://example.invalid/a.mp3"}), "makes silent video"),
    (video("wan2.5-t2v-preview", shot_type="multi"), "shot_type multi"),
    (video("wan2.6-t2v", shot_type="multi", prompt_extend=False), "shot_type multi"),
    (video("wan2.6-t2v", {"prompt": "x" * 1501}), "limit 1500"),
    (video("wan2.2-t2v-plus", {"prompt": "x" * 801}), "limit 800"),
    (video("wan2.6-t2v", {"negative_prompt": "x" * 501}), "limit 500"),
    (video("wan2.6-t2v", {"prompt": ""}), "input.prompt is required"),
    (video("wan2.6-t2v", seed=-1), "seed"),
    (video("wanx2.1-kf2v-plus", resolution="720P"), "first_frame_url is required"),
    (video("wan2.6-t2v", {"img_url": "https://example.invalid/x.png"}), "take no image"),
    (video("wan2.7-i2v", {"media": [{"type": "poster", "url": "https://example.invalid/x.png"}]}), "input.media[0]"),
])
def test_video_rules(http, body, text):
    assert text in refused(http.post(VIDEO, json=body, headers=ASYNC), 400, "InvalidParameter")


@pytest.mark.parametrize("path, body, text", [
    (T2I, {"model": "wan2.2-t2i-flash", "input": {"prompt": "x" * 501}}, "limit 500"),
    (T2I, {"model": "wan2.5-t2i-preview", "input": {"prompt": "x"}, "parameters": {"size": "512*512"}}, "768*768"),
    (T2I, {"model": "wan2.2-t2i-plus", "input": {"prompt": "x"}, "parameters": {"size": "2000*1000"}}, "512 to 1440"),
    (T2I, {"model": "wan2.2-t2i-plus", "input": {"prompt": "x"}, "parameters": {"n": 5}}, "between 1 and 4"),
    (T2I, {"model": "wan2.2-t2i-plus", "input": {"prompt": "x"}, "parameters": {"style": "<sketch>"}}, "wanx-v1"),
    (T2I, {"model": "wanx-v1", "input": {"prompt": "x"}, "parameters": {"style": "<cubism>"}}, "style must be"),
    (QWEN, qwen(size="1024*1024"), "parameters.size must be one of"),
    (QWEN, qwen(n=2), "n must be one of 1"),
    (QWEN, qwen(""), "Content length must be greater than 0"),
    (QWEN, qwen("x" * 801), "limit 800"),
    (QWEN, {"model": "qwen-image", "input": {"messages": [{"role": "system", "content": [{"text": "x"}]}]}},
     "Role must be user"),
    (QWEN, {"model": "qwen-image", "input": {"messages": []}}, "one user message"),
    (QWEN, {"model": "qwen-image", "input": {"messages": [{"role": "user", "content": [
        {"image": "https://example.invalid/a.png"}, {"text": "edit"}]}]}}, "text only"),
    (QWEN, {"model": "wan2.6-t2i", "input": {"messages": [{"role": "user", "content": [{"text": "x"}]}]},
            "parameters": {"size": "512*512"}}, "768*768"),
])
def test_image_rules(http, path, body, text):
    assert text in refused(http.post(path, json=body, headers=ASYNC), 400, "InvalidParameter")


def test_route_level_errors(http, make_simulator):
    assert "X" not in refused(http.post(VIDEO, json=video("wan2.6-t2v")), 403, "AccessDenied")
    refused(http.post(VIDEO, json={"input": {"prompt": "x"}}, headers=ASYNC), 400, "BadRequest.EmptyModel")
    refused(http.post(VIDEO, json={"model": "wan2.6-t2v"}, headers=ASYNC), 400, "BadRequest.EmptyInput")
    assert "Model not exist" in refused(http.post(VIDEO, json=video("qwen-image-plus"), headers=ASYNC), 400,
                                        "InvalidParameter")
    refused(http.post(QWEN, json=video("wan2.6-t2v")), 400, "InvalidParameter")  # a video model on the image route
    refused(http.post(VIDEO, content=b"{", headers=ASYNC), 400, "InvalidParameter")
    assert refused(httpx.post(f"{http.base_url}{QWEN}", json=qwen()), 401, "InvalidApiKey") == "Invalid API-key provided."
    assert refused(http.post(QWEN, json=qwen("a forbidden word")), 400, "DataInspectionFailed")
    keyed = make_simulator(api_key="sk-right")
    refused(httpx.post(f"{keyed.base_url}{QWEN}", json=qwen(), headers={"Authorization": "Bearer sk-wrong"}), 401,
            "InvalidApiKey")


def test_pending_running_succeeded_then_expired_after_24_hours(make_simulator):
    sim = make_simulator(speed=25)  # image: queued 0.2 s, done after 1.6 s
    client = httpx.Client(base_url=sim.base_url, headers={"Authorization": "Bearer sk"}, timeout=30)
    created = client.post(T2I, headers=ASYNC, json={"model": "wan2.2-t2i-flash", "input": {"prompt": "poster"},
                                                   "parameters": {"n": 1, "size": "640*640"}}).json()
    assert created["output"]["task_status"] == "PENDING" and created["request_id"]
    task_id = created["output"]["task_id"]
    seen, done = wait(client, task_id)
    assert seen == ["PENDING", "RUNNING", "SUCCEEDED"]
    out = done["output"]
    assert out["submit_time"] <= out["scheduled_time"] <= out["end_time"] and done["usage"] == {"image_count": 1}
    url = out["results"][0]["url"]
    assert png_size(fetch(url)) == (640, 640)
    client.post("/_sim/clock", json={"advance_seconds": 23 * 3600})
    assert client.get(f"/dashscope/v1/tasks/{task_id}").json()["output"]["task_status"] == "SUCCEEDED"
    client.post("/_sim/clock", json={"advance_seconds": 3600 + 60})
    gone = client.get(f"/dashscope/v1/tasks/{task_id}")
    assert gone.status_code == 200 and gone.json()["output"] == {"task_id": task_id, "task_status": "UNKNOWN"}
    assert httpx.get(url).status_code == 404


def test_one_task_can_age_alone(http):
    task_id = http.post(T2I, headers=ASYNC, json={"model": "wanx-v1", "input": {"prompt": "old"},
                                                 "parameters": {"n": 1, "style": "<sketch>"}}).json()["output"]["task_id"]
    other = http.post(T2I, headers=ASYNC, json={"model": "wanx-v1", "input": {"prompt": "new"},
                                               "parameters": {"n": 1}}).json()["output"]["task_id"]
    assert wait(http, task_id)[0][-1] == "SUCCEEDED" and wait(http, other)[0][-1] == "SUCCEEDED"
    http.post("/_sim/clock", json={"advance_seconds": 86400, "task_id": task_id})
    assert wait(http, task_id)[0] == ["UNKNOWN"] and wait(http, other)[0] == ["SUCCEEDED"]


def test_cancel_only_while_pending(make_simulator):
    sim = make_simulator(speed=1)
    client = httpx.Client(base_url=sim.base_url, headers={"Authorization": "Bearer sk"}, timeout=30)
    body = {"model": "wan2.2-t2i-flash", "input": {"prompt": "poster"}, "parameters": {"n": 1}}
    task_id = client.post(T2I, headers=ASYNC, json=body).json()["output"]["task_id"]
    assert client.post(f"/dashscope/v1/tasks/{task_id}/cancel").json().keys() == {"request_id"}
    out = client.get(f"/dashscope/v1/tasks/{task_id}").json()["output"]
    assert out["task_status"] == "CANCELED" and "code" not in out and out["end_time"]
    message = refused(client.post(f"/dashscope/v1/tasks/{task_id}/cancel"), 400, "UnsupportedOperation")
    assert "PENDING" in message
    refused(client.post("/dashscope/v1/tasks/nope/cancel"), 400, "UnsupportedOperation")
    client.post("/_sim/config", json={"speed": 400})
    done = client.post(T2I, headers=ASYNC, json=body).json()["output"]["task_id"]
    assert wait(client, done)[0][-1] == "SUCCEEDED"
    refused(client.post(f"/dashscope/v1/tasks/{done}/cancel"), 400, "UnsupportedOperation")


def test_tasks_that_fail_later(http, make_simulator):
    late = http.post(VIDEO, headers=ASYNC, json=video("wan2.7-i2v", {"img_url": "https://example.invalid/p.png"},
                                                      resolution="720P"))
    assert late.status_code == 200  # accepted: the missing input.media shows when the task runs
    seen, body = wait(http, late.json()["output"]["task_id"])
    assert seen[-1] == "FAILED" and body["output"]["code"] == "InvalidParameter"
    assert body["output"]["message"] == "Field required: input.media" and "usage" not in body
    unreachable = http.post(VIDEO, headers=ASYNC, json=video("wan2.6-t2v", {"audio_url": "http://127.0.0.1:9/a.mp3"},
                                                             size="1280*720"))
    body = wait(http, unreachable.json()["output"]["task_id"])[1]
    assert body["output"]["code"] == "BadRequest.InputDownloadFailed" and "input.audio_url" in body["output"]["message"]
    flaky = make_simulator()
    client = httpx.Client(base_url=flaky.base_url, headers={"Authorization": "Bearer sk"}, timeout=30)
    client.post("/_sim/faults", json={"fail_rate": 1.0})
    task_id = client.post(T2I, headers=ASYNC, json={"model": "wan2.2-t2i-flash", "input": {"prompt": "x"}}).json()["output"]["task_id"]
    out = wait(client, task_id)[1]["output"]
    assert out["task_status"] == "FAILED" and out["code"] == "InternalError.Algo"
    assert out["task_metrics"]["FAILED"] == 4  # n defaults to 4


def test_audio_shorter_than_three_seconds_fails_the_task(http):
    t = np.arange(44100 * 2) / 44100
    data = base64.b64encode(wav_bytes(0.2 * np.sin(2 * math.pi * 440 * t))).decode()
    body = video("wan2.6-t2v", {"audio_url": f"data:audio/wav;base64,{data}"}, size="1280*720", duration=3)
    out = wait(http, http.post(VIDEO, headers=ASYNC, json=body).json()["output"]["task_id"])[1]["output"]
    assert out["task_status"] == "FAILED" and out["code"] == "InvalidParameter" and "3 to 30 s" in out["message"]


def test_limit_and_upstream_faults_and_the_gateway_shape(make_simulator):
    sim = make_simulator()
    client = httpx.Client(base_url=sim.base_url, headers={"Authorization": "Bearer sk"}, timeout=30)
    client.post("/_sim/faults", json={"rate_429_media": 1.0})
    refused(client.post(QWEN, json=qwen()), 429, "Throttling.RateQuota")
    client.post("/_sim/faults", json={"rate_429_media": 0.0, "rate_503_media": 1.0})
    refused(client.post(VIDEO, json=video("wan2.6-t2v"), headers=ASYNC), 503, "ServiceUnavailable")
    client.post("/_sim/faults", json={"rate_503_media": 0.0, "rate_500_poll": 1.0})
    refused(client.get("/dashscope/v1/tasks/x"), 500, "InternalError")
    client.post("/_sim/faults", json={"rate_500_poll": 0.0, "gateway_errors": True, "rate_429_media": 1.0})
    limited = client.post(QWEN, json=qwen())
    assert limited.status_code == 429 and limited.json()["error"]["type"] == "rate_limit_error"
    unauth = httpx.post(f"{sim.base_url}{QWEN}", json=qwen())
    assert unauth.status_code == 401 and unauth.json()["error"]["code"] == "invalid_api_key"


def test_sync_qwen_image_is_deterministic_for_a_seed(http):
    one = http.post(QWEN, json=qwen("a lighthouse", seed=7, size="1472*1104")).json()
    two = http.post(QWEN, json=qwen("a lighthouse", seed=7, size="1472*1104")).json()
    other = http.post(QWEN, json=qwen("a lighthouse", seed=8, size="1472*1104")).json()
    urls = [b["output"]["choices"][0]["message"]["content"][0]["image"] for b in (one, two, other)]
    assert len(set(urls)) == 3
    pngs = [fetch(u) for u in urls]
    assert pngs[0] == pngs[1] != pngs[2] and png_size(pngs[0]) == (1472, 1104)
    assert one["output"]["task_metric"] == {"TOTAL": 1, "SUCCEEDED": 1, "FAILED": 0}
