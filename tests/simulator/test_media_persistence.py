"""With a data dir (`--data-dir`) the media tasks survive a restart like the music tasks: finished
DashScope and Kling tasks answer as before with their files still served, sync Qwen-Image files
too, a task cut off while rendering is rendered again, cancelled tasks stay cancelled, and the
advanced clock still expires what it expired."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from simulator.config import SimConfig
from simulator.server import RunningSimulator, run_in_thread
from tests.conftest import FAST
from tests.simulator.mediaprobe import fetch, png_size, video_info

ASYNC = {"X-DashScope-Async": "enable"}
VIDEO = "/dashscope/v1/services/aigc/video-generation/video-synthesis"
T2I = "/dashscope/v1/services/aigc/text2image/image-synthesis"
QWEN = "/dashscope/v1/services/aigc/multimodal-generation/generation"
KLING = "/transtreams/kling/v1/images/generations"


class Runs:
    """One simulator at a time on one data dir."""

    def __init__(self, data_dir: Path) -> None:
        self.dir, self.current = data_dir, None

    def start(self, **fields: Any) -> httpx.Client:
        assert self.current is None
        self.current: RunningSimulator | None = run_in_thread(SimConfig(**{**FAST, "data_dir": self.dir, **fields}))
        return httpx.Client(base_url=self.current.base_url, headers={"Authorization": "Bearer sk"}, timeout=60)

    def restart(self, **fields: Any) -> httpx.Client:
        self.stop()
        return self.start(**fields)

    def stop(self) -> None:
        if self.current is not None:
            self.current.stop()
            self.current = None


@pytest.fixture
def runs(tmp_path):
    keeper = Runs(tmp_path / "data")
    yield keeper
    keeper.stop()


def ds_status(client: httpx.Client, task_id: str) -> dict[str, Any]:
    return client.get(f"/dashscope/v1/tasks/{task_id}").json()


def ds_wait(client: httpx.Client, task_id: str, timeout: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = ds_status(client, task_id)
        if body["output"]["task_status"] in ("SUCCEEDED", "FAILED", "CANCELED", "UNKNOWN"):
            return body
        time.sleep(0.02)
    raise AssertionError(f"{task_id} never finished: {body}")


def test_finished_tasks_and_their_files_survive_a_restart(runs):
    client = runs.start()
    video = client.post(VIDEO, headers=ASYNC, json={"model": "wan2.5-t2v-preview", "input": {"prompt": "kept"},
                                                    "parameters": {"size": "832*480"}}).json()["output"]["task_id"]
    sync = client.post(QWEN, json={"model": "qwen-image", "input": {"messages": [
        {"role": "user", "content": [{"text": "kept cover"}]}]}}).json()
    image_url = sync["output"]["choices"][0]["message"]["content"][0]["image"]
    kling = client.post(KLING, json={"model_name": "kling-v2-1", "prompt": "kept"}).json()["data"]["task_id"]
    before = ds_wait(client, video)
    deadline = time.monotonic() + 30
    while client.get(f"{KLING}/{kling}").json()["data"]["task_status"] != "succeed":
        assert time.monotonic() < deadline
        time.sleep(0.02)
    kling_before = client.get(f"{KLING}/{kling}").json()["data"]

    client = runs.restart()
    after = ds_status(client, video)
    assert after["output"] == before["output"] and after["usage"] == before["usage"]
    assert video_info(fetch(after["output"]["video_url"]))["size"] == (832, 480)
    assert png_size(fetch(image_url)) == (1328, 1328)
    kling_after = client.get(f"{KLING}/{kling}").json()["data"]
    assert kling_after == kling_before and png_size(fetch(kling_after["task_result"]["images"][0]["url"]))


def test_a_task_cut_off_while_rendering_is_rendered_again(runs):
    client = runs.start()
    task_id = client.post(VIDEO, headers=ASYNC, json={"model": "wan2.6-t2v", "input": {"prompt": "a long one"},
                                                      "parameters": {"size": "1920*1080", "duration": 12}}
                          ).json()["output"]["task_id"]
    assert ds_status(client, task_id)["output"]["task_status"] in ("PENDING", "RUNNING")
    client = runs.restart()
    assert runs.current.sim.restored >= 1 and runs.current.sim.resumed == 1
    done = ds_wait(client, task_id)
    assert done["output"]["task_status"] == "SUCCEEDED", done
    info = video_info(fetch(done["output"]["video_url"]))
    assert info["size"] == (1920, 1080) and abs(info["seconds"] - 12) < 0.2 and info["audio"] == "aac"


def test_cancelled_and_expired_stay_so(runs):
    client = runs.start(speed=1)
    cancelled = client.post(T2I, headers=ASYNC, json={"model": "wan2.2-t2i-flash", "input": {"prompt": "no"},
                                                      "parameters": {"n": 1}}).json()["output"]["task_id"]
    assert client.post(f"/dashscope/v1/tasks/{cancelled}/cancel").status_code == 200
    client = runs.restart()
    assert ds_status(client, cancelled)["output"]["task_status"] == "CANCELED"
    done = client.post(T2I, headers=ASYNC, json={"model": "wan2.2-t2i-flash", "input": {"prompt": "yes"},
                                                 "parameters": {"n": 1}}).json()["output"]["task_id"]
    url = ds_wait(client, done)["output"]["results"][0]["url"]
    client.post("/_sim/clock", json={"advance_seconds": 86400 + 60})
    client = runs.restart()
    assert ds_status(client, done)["output"]["task_status"] == "UNKNOWN"
    assert httpx.get(url).status_code == 404
