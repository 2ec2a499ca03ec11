"""The Kling operations (text2video, image2video, images/generations; contract-media 1.5)
through the Kling adapter, over an httpx.MockTransport fake gateway: the flat native body with
``model`` equal to ``model_name``, the id in the create route's own GET, the four statuses,
a success without a file polled again, refusals in the shared words, a create whose answer
proves nothing left unknown and never resent, and the per-model rules before sending."""

from __future__ import annotations

import copy
import json

import httpx
import pytest
from tenacity import wait_none

from lib import families, ops
from lib.log.sqlite import SqliteLog
from lib.provider import errors
from lib.provider.adapters.kling import KlingAdapter
from lib.provider.hub import Providers
from lib.tracking.tracker import Tracker
from lib.views import board
from tests.lib import contract_examples as ex
from tests.lib.adapters.test_dashscope import GATEWAY, KEY, Gateway, settings

T2V = {"model_name": "kling-v3", "prompt": "a drummer in the rain", "mode": "std",
       "duration": 5, "aspect_ratio": "16:9", "generate_audio": True}
I2V = {"model_name": "kling-v3", "image": "https://cdn.test/poster.png", "mode": "pro",
       "duration": 8}
IMAGE = {"model_name": "kling-v2-1", "prompt": "a vinyl sleeve", "n": 2, "aspect_ratio": "1:1",
         "resolution": "1k"}
RUNNING = {"code": 0, "message": "SUCCEED", "request_id": "k-9",
           "data": {"task_id": "kt-1", "task_status": "processing"}}


def kling_gateway(log=None) -> Gateway:
    gw = Gateway(log)
    gw.create = (200, ex.KLING_CREATE)
    return gw


def adapter(gw: Gateway, **kw) -> KlingAdapter:
    return KlingAdapter(settings(), transport=httpx.MockTransport(gw), sleep=lambda s: None,
                        wait=wait_none(), **kw)


@pytest.mark.parametrize("op,body,route", [
    ("kling_t2v", T2V, "/transtreams/kling/v1/videos/text2video"),
    ("kling_i2v", I2V, "/transtreams/kling/v1/videos/image2video"),
    ("kling_image", IMAGE, "/transtreams/kling/v1/images/generations"),
])
def test_the_flat_body_with_model_equal_to_model_name(op, body, route):
    gw = kling_gateway()
    with adapter(gw) as client:
        result = client.submit(op, ops.build_body(op, body, None))
        url = client.poll_url(families.get(ops.get(op).family).name, "kt 1", op)
    (request,) = gw.requests
    assert str(request.url) == GATEWAY + route
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert "x-dashscope-async" not in request.headers
    wire = json.loads(request.content)
    assert wire == {**body, "model": body["model_name"]}
    assert result.task_id == "kt-1"
    assert url == f"{route}/kt%201"  # the create route's own GET, the id in the path


@pytest.mark.parametrize("raw,state", [("submitted", "pending"), ("processing", "processing"),
                                       ("succeed", "succeeded"), ("failed", "failed")])
@pytest.mark.parametrize("family,example", [("kling_video", ex.KLING_DONE),
                                            ("kling_image", ex.KLING_IMAGE_DONE)])
def test_the_statuses(family, example, raw, state):
    record = copy.deepcopy(example["data"])
    record["task_status"] = raw
    assert families.parse_poll(family, record).state.value == state


def test_results_become_assets_and_a_success_without_a_file_is_polled_again():
    video = families.parse_poll("kling_video", copy.deepcopy(ex.KLING_DONE["data"]))
    assert [(a.kind, a.url) for a in video.assets] == [("video",
                                                        "https://kling.example/v1.mp4")]
    assert video.result == {"videos": 1, "duration": 5.0}
    images = families.parse_poll("kling_image", copy.deepcopy(ex.KLING_IMAGE_DONE["data"]))
    assert [a.kind for a in images.assets] == ["image:1", "image:2"]
    assert families.asset_label("image:2") == "Image 2"
    empty = copy.deepcopy(ex.KLING_DONE["data"])
    empty["task_result"] = {"videos": []}
    assert families.parse_poll("kling_video", empty).state.value == "processing"


@pytest.mark.parametrize("status,body,kind", [
    (200, {"code": 1301, "message": "content security policy"}, errors.ContentRejected),
    (429, {"code": 1302, "message": "too fast"}, errors.RateLimited),
    (400, {"code": 1102, "message": "resource pack depleted"}, errors.InsufficientCredits),
    (401, {"code": 1002, "message": "authorization invalid"}, errors.AuthError),
    (400, {"code": 1201, "message": "model_name invalid"}, errors.InvalidRequest),
])
def test_refusals_map_onto_the_shared_vocabulary(status, body, kind):
    gw = kling_gateway()
    gw.create = (status, body)
    with adapter(gw, attempts=1) as client, pytest.raises(kind) as raised:
        client.submit("kling_t2v", T2V)
    assert raised.value.provider == "kling" and KEY not in raised.value.explain()


@pytest.mark.parametrize("answer", [
    (200, {"code": 5000, "message": "internal"}), (502, "<html>bad gateway</html>"),
    (200, {"code": 0, "message": "SUCCEED", "data": {"task_status": "submitted"}}),
    httpx.ReadTimeout("timed out"),
])
def test_a_create_whose_answer_proves_nothing_is_unknown_and_never_resent(answer):
    gw = kling_gateway()
    gw.create = answer
    with adapter(gw, attempts=3) as client, pytest.raises(errors.UnknownOutcome):
        client.submit("kling_image", IMAGE)
    assert len(gw.requests) == 1


def test_the_per_model_rules_are_checked_before_sending():
    for op, body in (("kling_t2v", T2V), ("kling_i2v", I2V), ("kling_image", IMAGE)):
        assert ops.validate(op, body) == [], op
    assert ops.validate("kling_t2v", {**T2V, "model_name": "kling-v1-6", "duration": 7}) == [
        ops.FieldError("duration", "Duration must be 5 or 10 s with kling-v1-6 (kling-v3 "
                                   "takes 3-15 s)")]
    assert [e.field for e in ops.validate("kling_i2v", {**I2V, "image": None})] == ["image"]
    assert [e.field for e in ops.validate("kling_image", {**IMAGE, "n": 10})] == ["n"]
    assert [e.field for e in ops.validate("kling_t2v", {**T2V, "prompt": "x" * 2501})] == [
        "prompt"]


def test_a_kling_task_through_the_tracker(tmp_path):
    log = SqliteLog(tmp_path / "log.db")
    gw = kling_gateway(log)
    providers = Providers(settings(), transport=httpx.MockTransport(gw),
                          on_event=log.log_client_event, sleep=lambda s: None, wait=wait_none())
    tracker = Tracker(log, providers, clock=lambda: 1000.0)
    failed = {"code": 0, "message": "SUCCEED", "data": {
        "task_id": "kt-1", "task_status": "failed", "task_status_msg": "image too small"}}
    gw.polls = [RUNNING, ex.KLING_DONE, failed]
    task_id = tracker.submit("kling_i2v", I2V)
    assert gw.rows_at_post[0]["id"] == task_id and gw.rows_at_post[0]["state"] == "pending"
    row = log.get_task(task_id)
    assert (row["provider"], row["family"]) == ("kling", "kling_video")
    tracker.run_once(now=2000.0)
    assert log.get_task(task_id)["state"] == "processing"
    tracker.run_once(now=3000.0)
    assert log.get_task(task_id)["state"] == "succeeded"
    assert gw.requests[-1].url.path == "/transtreams/kling/v1/videos/image2video/kt-1"
    assert [a["kind"] for a in log.assets_for(task_id)] == ["video"]
    other = tracker.submit("kling_t2v", T2V)
    tracker.run_once(now=4000.0)
    failed_row = log.get_task(other)
    assert failed_row["state"] == "failed"
    assert "image too small" in board.explain_failure(failed_row).text
