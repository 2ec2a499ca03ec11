"""The sync Qwen-Image operation (contract-media 1.3, 2.4) through the DashScope adapter, over an
httpx.MockTransport fake gateway: the wire body (the prompt as the user message's text block, no
async header), the row written first, the answer's images as assets archived at once, both
``task_metric`` spellings, errors in the shared words, a timeout left unknown, never resent."""

from __future__ import annotations

import copy
import json

import httpx
import pytest
from tenacity import wait_none

from lib import families, ops
from lib.log.sqlite import SqliteLog
from lib.provider import errors
from lib.provider.hub import Providers
from lib.tracking.assets import AssetArchiver
from lib.tracking.tracker import Tracker
from tests.lib import contract_examples as ex
from tests.lib.adapters.test_dashscope import GATEWAY, KEY, Gateway, adapter, settings

CREATE = "/dashscope/v1/services/aigc/multimodal-generation/generation"
BODY = {"model": "qwen-image-plus", "prompt": "Album cover: neon city at night, synthwave",
        "negative_prompt": "blurry, low quality", "size": "1328*1328", "n": 1, "seed": 42,
        "prompt_extend": True, "watermark": False}
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def test_the_wire_body_is_one_user_message_and_no_async_header():
    gw = Gateway()
    gw.create = (200, ex.QWEN_IMAGE_OK)
    with adapter(gw) as client:
        result = client.submit("qwen_image", ops.build_body("qwen_image", BODY, None))
    (request,) = gw.requests
    assert str(request.url) == GATEWAY + CREATE
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert "x-dashscope-async" not in request.headers
    assert json.loads(request.content) == {
        "model": "qwen-image-plus",
        "input": {"messages": [{"role": "user", "content": [
            {"text": "Album cover: neon city at night, synthwave"}]}]},
        "parameters": {"negative_prompt": "blurry, low quality", "size": "1328*1328", "n": 1,
                       "seed": 42, "prompt_extend": True, "watermark": False}}
    assert result.task_id is None and result.data == ex.QWEN_IMAGE_OK


def test_the_answer_is_parsed_by_its_own_family():
    poll = families.parse_poll("dashscope_sync_image", copy.deepcopy(ex.QWEN_IMAGE_OK))
    assert poll.state.value == "succeeded"
    assert [a.kind for a in poll.assets] == ["image:1"]
    assert poll.result["width"] == 1664 and poll.result["image_count"] == 1
    assert families.asset_label("image:1") == "Image 1"
    # the task routes' spelling (task_metrics) is read too
    other = copy.deepcopy(ex.QWEN_IMAGE_OK)
    other["output"]["task_metrics"] = other["output"].pop("task_metric")
    assert families.parse_poll("dashscope_sync_image", other).result["task_metric"]["TOTAL"] == 1
    assert ops.get("qwen_image").summarize(poll.result) == "1 image, 1664×928"


def test_an_answer_without_an_image_is_a_failure_not_a_success():
    empty = copy.deepcopy(ex.QWEN_IMAGE_OK)
    empty["output"]["choices"][0]["message"]["content"] = []
    empty["output"]["task_metric"] = {"FAILED": 1, "SUCCEEDED": 0, "TOTAL": 1}
    poll = families.parse_poll("dashscope_sync_image", empty)
    assert poll.state.value == "failed" and not poll.assets
    assert "without an image" in families.get("dashscope_sync_image").failure_text(
        poll.raw_status)


@pytest.mark.parametrize("status,body,kind", [
    (400, ex.DASHSCOPE_400, errors.InvalidRequest),
    (401, ex.DASHSCOPE_401, errors.AuthError),
    (429, {"code": "Throttling.RateQuota", "message": "rate"}, errors.RateLimited),
    (400, {"code": "DataInspectionFailed", "message": "bad words"}, errors.ContentRejected),
    (429, ex.GATEWAY_ERROR_429, errors.RateLimited),
])
def test_refusals_map_onto_the_shared_vocabulary(status, body, kind):
    gw = Gateway()
    gw.create = (status, body)
    with adapter(gw, attempts=1) as client, pytest.raises(kind) as raised:
        client.submit("qwen_image", BODY)
    assert raised.value.provider == "dashscope" and KEY not in raised.value.explain()


def test_the_per_model_rules_are_checked_before_sending():
    assert ops.validate("qwen_image", {**BODY, "n": 2}) == [ops.FieldError(
        "n", "Number of images must be 1 with qwen-image-plus (wan2.6-t2i makes up to 4)")]
    assert ops.validate("qwen_image", {**BODY, "model": "wan2.6-t2i", "n": 3}) == []
    assert [e.field for e in ops.validate("qwen_image", {**BODY, "prompt": "x" * 801})] == [
        "prompt"]
    assert [e.field for e in ops.validate("qwen_image", {**BODY, "size": "1024*1024"})] == [
        "size"]
    assert ops.validate("qwen_image", BODY) == []


# ---- through the tracker ------------------------------------------------------------------------
class Files(Gateway):
    """The gateway, and the image host the answer's URLs point at."""

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == "dashscope-result.oss-cn-shanghai.aliyuncs.com":
            return httpx.Response(200, content=PNG, headers={"content-type": "image/png"})
        return super().__call__(request)


@pytest.fixture
def env(tmp_path):
    log = SqliteLog(tmp_path / "log.db")
    gw = Files(log)
    transport = httpx.MockTransport(gw)
    providers = Providers(settings(), transport=transport, on_event=log.log_client_event,
                          sleep=lambda s: None, wait=wait_none())
    archiver = AssetArchiver(log, tmp_path / "assets", httpx.Client(transport=transport),
                             waveforms=False)
    return log, gw, Tracker(log, providers, archiver, clock=lambda: 1000.0)


def test_the_row_is_written_first_and_the_images_archived_at_once(env):
    log, gw, tracker = env
    gw.create = (200, ex.QWEN_IMAGE_OK)
    task_id = tracker.submit("qwen_image", BODY)
    assert gw.rows_at_post[0]["id"] == task_id and gw.rows_at_post[0]["state"] == "pending"
    row = log.get_task(task_id)
    assert (row["state"], row["provider"], row["family"]) == ("succeeded", "dashscope",
                                                              "dashscope_sync_image")
    assert row["next_poll_at"] is None  # nothing to poll
    (asset,) = log.assets_for(task_id)
    assert asset["kind"] == "image:1" and asset["status"] == "done"  # no tracker loop ran
    with open(asset["local_path"], "rb") as file:
        assert file.read(8) == PNG[:8]
    assert [r.method for r in gw.requests] == ["POST"]  # the gateway: one create, no poll
    assert tracker.run_once(now=2000.0) == 0


def test_a_timeout_after_sending_is_unknown_and_never_resent(env):
    log, gw, tracker = env
    gw.create = httpx.ReadTimeout("read timed out")
    task_id = tracker.submit("qwen_image", BODY)
    row = log.get_task(task_id)
    assert row["state"] == "unknown" and len(gw.requests) == 1
    assert tracker.run_once(now=2000.0) == 0 and len(gw.requests) == 1


def test_a_refusal_fails_at_once_with_nothing_archived(env):
    log, gw, tracker = env
    gw.create = (400, {"code": "DataInspectionFailed", "message": "inappropriate"})
    task_id = tracker.submit("qwen_image", BODY)
    row = log.get_task(task_id)
    assert row["state"] == "failed" and row["error_code"] == "DataInspectionFailed"
    assert row["error_message"].startswith("Rejected for content")
    assert log.assets_for(task_id) == []
