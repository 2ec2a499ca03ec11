"""The callback route never answers 500: oversized bodies get 413 before being read whole,
anything but a finite, shallow JSON object gets 400, a wrong secret 404; accepted deliveries
(with or without our task id in the path) reach the tracker."""

from __future__ import annotations

import json

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from lib.app import callback_body, http_routes, runtime
from lib.settings import Settings


@pytest.fixture
def app(tmp_path, monkeypatch):
    settings = Settings(base_url="http://127.0.0.1:9", api_key="k", db_path=str(tmp_path / "s.db"),
                        assets_dir=str(tmp_path / "assets"), public_url="https://me.example")
    rt = runtime.Runtime(settings)
    monkeypatch.setattr(runtime, "get_runtime", lambda **kw: rt)
    client = TestClient(Starlette(routes=http_routes.routes()), raise_server_exceptions=False)
    return rt, client


def url(rt, task=None):
    return f"/api/callbacks/{rt.callback_secret}" + (f"/{task}" if task else "")


@pytest.mark.parametrize("raw,status,words", [
    (b"[" * 100_000 + b"]" * 100_000, 400, "nested deeper"),
    (json.dumps({"data": {"a": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}})
     .encode(), 400, "nested deeper"),
    (b'{"code": 1e400}', 400, "out of range"),
    (b'{"code": NaN}', 400, "not JSON"),
    (b"[1, 2]", 400, "JSON object"),
    (b"\xff\xfe", 400, "not valid JSON"),
    (b"not json", 400, "not valid JSON"),
])
def test_bad_bodies_get_400(app, raw, status, words):
    rt, client = app
    answer = client.post(url(rt), content=raw, headers={"content-type": "application/json"})
    assert answer.status_code == status and words in answer.json()["error"], answer.text


def test_oversized_bodies_get_413_by_header_or_by_stream(app):
    rt, client = app
    big = b'{"pad": "' + b"x" * (callback_body.MAX_BODY_BYTES + 10) + b'"}'
    assert client.post(url(rt), content=big).status_code == 413

    def chunks():  # no Content-Length: refused while streaming
        for _ in range(40):
            yield b"x" * 50_000

    assert client.post(url(rt), content=chunks()).status_code == 413


def test_wrong_secret_is_404_and_nothing_is_logged(app):
    rt, client = app
    assert client.post("/api/callbacks/nope", json={"task_id": "t"}).status_code == 404
    assert rt.log.list_tasks() == []


def test_a_handler_failure_is_503_not_500(app, monkeypatch):
    rt, client = app
    monkeypatch.setattr(rt.tracker, "take_callbacks", lambda *a: 1 / 0)
    answer = client.post(url(rt), json={"code": 200, "data": {"task_id": "t", "data": []}})
    assert answer.status_code == 503 and "ZeroDivisionError" in answer.json()["error"]


def test_deliveries_reach_the_tracker_with_our_task_id(app):
    rt, client = app
    task_id = rt.log.create_task("generate", "music", {"prompt": "x"})
    payload = {"code": 200, "msg": "ok", "data": {"callbackType": "complete",
                                                   "task_id": "prov-7", "data": []}}
    answer = client.post(url(rt, task_id), json=payload)
    assert answer.status_code == 200 and answer.json()["linked"] is True
    assert rt.log.get_task(task_id)["provider_task_id"] == "prov-7"
    old_style = client.post(url(rt), json=payload)
    assert old_style.status_code == 200 and old_style.json()["accepted"] is True


def test_big_but_allowed_bodies_are_stored_capped(app):
    rt, client = app
    task_id = rt.log.create_task("generate", "music", {"prompt": "x"})
    rt.log.mark_submitted(task_id, "prov-8", next_poll_at=None)
    payload = {"code": 200, "data": {"callbackType": "complete", "task_id": "prov-8",
                                     "data": [{"id": "a", "prompt": "la " * 200_000}]}}
    assert client.post(url(rt), json=payload).status_code == 200
    event = [e for e in rt.log.events_for(task_id) if e["kind"] == "callback"][0]
    stored = json.loads(event["body_json"])
    assert stored["truncated"] is True and stored["chars"] > 600_000
    assert len(event["body_json"]) < 10_000
