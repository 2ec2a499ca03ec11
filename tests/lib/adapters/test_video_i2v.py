"""DashScope image to video (contract-media 2.5) through the DashScope adapter, over an
httpx.MockTransport fake gateway: ``resolution`` and ``img_url`` on the wire (never ``size``),
the async header, the id in the poll path of the shared ``dashscope_video`` family, errors in
the shared words, and the per-model rules checked before sending."""

from __future__ import annotations

import json

import httpx
import pytest
from tenacity import wait_none

from lib import ops
from lib.log.sqlite import SqliteLog
from lib.provider import errors
from lib.provider.hub import Providers
from lib.tracking.tracker import Tracker
from tests.lib import contract_examples as ex
from tests.lib.adapters.test_dashscope import GATEWAY, Gateway, adapter, settings

CREATE = "/dashscope/v1/services/aigc/video-generation/video-synthesis"
BODY = {"model": "wan2.6-i2v-flash", "img_url": "https://cdn.test/poster.png",
        "prompt": "The poster comes alive, neon flickers", "resolution": "720P", "duration": 10,
        "prompt_extend": True}


def test_the_wire_body_takes_resolution_and_img_url():
    gw = Gateway()
    with adapter(gw) as client:
        result = client.submit("video_i2v", ops.build_body("video_i2v", BODY, None))
    (request,) = gw.requests
    assert str(request.url) == GATEWAY + CREATE
    assert request.headers["x-dashscope-async"] == "enable"
    wire = json.loads(request.content)
    assert wire == {"model": "wan2.6-i2v-flash",
                    "input": {"img_url": "https://cdn.test/poster.png",
                              "prompt": "The poster comes alive, neon flickers"},
                    "parameters": {"resolution": "720P", "duration": 10,
                                   "prompt_extend": True}}
    assert "size" not in wire["parameters"]
    assert result.task_id == ex.DASHSCOPE_CREATE["output"]["task_id"]


@pytest.mark.parametrize("status,body,kind", [
    (400, {"code": "BadRequest.InputDownloadFailed", "message": "download failed"},
     errors.SourceUnreachable),
    (429, {"code": "Throttling", "message": "slow"}, errors.RateLimited),
    (401, ex.DASHSCOPE_401, errors.AuthError),
])
def test_refusals_map_onto_the_shared_vocabulary(status, body, kind):
    gw = Gateway()
    gw.create = (status, body)
    with adapter(gw, attempts=1) as client, pytest.raises(kind):
        client.submit("video_i2v", BODY)


def test_the_per_model_rules_are_checked_before_sending():
    assert ops.validate("video_i2v", BODY) == []
    assert ops.validate("video_i2v", {**BODY, "resolution": "480P"}) == [ops.FieldError(
        "resolution", "Resolution 480P is not offered by wan2.6-i2v-flash: it makes 720P or "
                      "1080P video")]
    assert ops.validate("video_i2v", {**BODY, "model": "wan2.5-i2v-preview",
                                      "duration": 7}) == [ops.FieldError(
                                          "duration", "Duration must be 5 or 10 s with "
                                                      "wan2.5-i2v-preview")]
    assert [e.message for e in ops.validate("video_i2v", {
        **BODY, "model": "wanx2.1-i2v-turbo", "duration": 5, "resolution": "720P",
        "audio_url": "https://cdn.test/a.mp3"})] == [
            "Audio track needs wan2.5 or wan2.6 (this model makes silent video)"]
    assert ops.validate("video_i2v", {**BODY, "model": "wanx2.1-i2v-turbo", "duration": 6,
                                      "resolution": "720P"})[0].message == (
        "Duration must be 3-5 s with wanx2.1-i2v-turbo")
    missing = {k: v for k, v in BODY.items() if k != "img_url"}
    assert [e.field for e in ops.validate("video_i2v", missing)] == ["img_url"]


def test_a_task_is_polled_on_the_dashscope_task_route(tmp_path):
    log = SqliteLog(tmp_path / "log.db")
    gw = Gateway(log)
    providers = Providers(settings(), transport=httpx.MockTransport(gw),
                          on_event=log.log_client_event, sleep=lambda s: None, wait=wait_none())
    tracker = Tracker(log, providers, clock=lambda: 1000.0)
    gw.polls = [ex.DASHSCOPE_RUNNING, ex.DASHSCOPE_VIDEO_SUCCEEDED]
    task_id = tracker.submit("video_i2v", BODY)
    assert gw.rows_at_post[0]["id"] == task_id
    tracker.run_once(now=2000.0)
    tracker.run_once(now=3000.0)
    row = log.get_task(task_id)
    assert (row["state"], row["family"]) == ("succeeded", "dashscope_video")
    assert gw.requests[-1].url.path == f"/dashscope/v1/tasks/{row['provider_task_id']}"
    assert [a["kind"] for a in log.assets_for(task_id)] == ["video"]
