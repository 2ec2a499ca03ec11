"""The simulator against the provider's OpenAPI (sunoapi-music.openapi.yaml) with schemathesis.

Property-based: every operation, 15 derandomized examples each, checks `not_a_server_error` and
`response_schema_conformance`. Random task ids never hit real tasks, so a second test runs real
tasks of every family and validates their create and record-info answers against the same schema.
The spec is read from `../shared/contract/` beside the repo (override with SONGBENCH_SHARED_DIR).
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from simulator.config import SimConfig
from simulator.server import run_in_thread
from tests.simulator.simclient import CB, SimClient, song_body

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("SONGBENCH_SHARED_DIR") or REPO.parent / "shared")
schema = schemathesis.openapi.from_path(SHARED / "contract" / "sunoapi-music.openapi.yaml")
_keys = itertools.count()


@pytest.fixture(scope="module")
def contract_sim():
    running = run_in_thread(SimConfig(speed=400, track_seconds=1, credits=10**7, workers=1))
    yield running
    running.stop()


@schema.parametrize()
@settings(max_examples=15, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
def test_operations_conform(case, contract_sim):
    headers = {"Authorization": f"Bearer schemathesis-{next(_keys)}"}  # a fresh key: no 430 from our limiter
    case.call_and_validate(base_url=contract_sim.base_url, headers=headers,
                           checks=[not_a_server_error, response_schema_conformance])


def _validate(path: str, method: str, response: httpx.Response) -> None:
    schema[path][method].validate_response(response)


def test_real_tasks_conform(make_simulator):
    client = SimClient(make_simulator(speed=400, track_seconds=2).base_url)
    create = client.http.post("/api/v1/generate", json=song_body())
    _validate("/api/v1/generate", "POST", create)
    task = create.json()["data"]["taskId"]
    pending = client.http.get("/api/v1/generate/record-info", params={"taskId": task})
    _validate("/api/v1/generate/record-info", "GET", pending)
    client.statuses("music", task)
    done = client.http.get("/api/v1/generate/record-info", params={"taskId": task})
    _validate("/api/v1/generate/record-info", "GET", done)
    audio = done.json()["data"]["response"]["sunoData"][0]["id"]
    sub = {"taskId": task, "audioId": audio, "callBackUrl": CB}
    jobs = [("/api/v1/wav/generate", sub, "/api/v1/wav/record-info", "wav"),
            ("/api/v1/vocal-removal/generate", {**sub, "type": "split_stem"}, "/api/v1/vocal-removal/record-info",
             "stems"),
            ("/api/v1/mp4/generate", sub, "/api/v1/mp4/record-info", "mp4"),
            ("/api/v1/suno/cover/generate", {"taskId": task, "callBackUrl": CB}, "/api/v1/suno/cover/record-info",
             "cover"),
            ("/api/v1/lyrics", {"prompt": "sea", "callBackUrl": CB}, "/api/v1/lyrics/record-info", "lyrics")]
    for path, body, poll, family in jobs:
        resp = client.http.post(path, json=body)
        _validate(path, "POST", resp)
        task_id = resp.json()["data"]["taskId"]
        client.statuses(family, task_id)
        _validate(poll, "GET", client.http.get(poll, params={"taskId": task_id}))
    failed = client.create("generate", song_body(prompt="forbidden words"))
    client.statuses("music", failed)
    _validate("/api/v1/generate/record-info", "GET",
              client.http.get("/api/v1/generate/record-info", params={"taskId": failed}))
    for path, body in (("/api/v1/generate/get-timestamped-lyrics", {"taskId": task, "audioId": audio}),
                       ("/api/v1/style/generate", {"content": "pop"}),
                       ("/api/v1/generate/generate-persona", {"taskId": task, "audioId": audio, "name": "n",
                                                              "description": "d"})):
        resp = client.http.post(path, json=body)
        assert resp.json()["code"] == 200, resp.text
        _validate(path, "POST", resp)
    _validate("/api/v1/generate/credit", "GET", client.http.get("/api/v1/generate/credit"))
