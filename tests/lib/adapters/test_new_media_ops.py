"""The two routes added in issue 16, part 6, through their adapters over an httpx.MockTransport
fake gateway: the async wan text-to-image task (contract-media 2.3; unpublished on AnyInt, 6.2:
a pass-through the user switches on, off by default) and Kling V3 Omni video (1.2, 1.5)."""

from __future__ import annotations

import copy
import json

import httpx
import pytest
from tenacity import wait_none

from lib import families, ops
from lib.log.sqlite import SqliteLog
from lib.provider.adapters.dashscope import DashScopeAdapter
from lib.provider.adapters.kling import KlingAdapter
from lib.provider.errors import NotConfigured
from lib.provider.hub import Providers
from lib.tracking.tracker import Tracker
from lib.views import board
from tests.lib import contract_examples as ex
from tests.lib.adapters.test_dashscope import GATEWAY, KEY, Gateway, settings

T2I = "/dashscope/v1/services/aigc/text2image/image-synthesis"
SWITCH = {"SONGBENCH_MEDIA_WAN_T2I_ASYNC": "1"}
WAN = {"model": "wan2.2-t2i-flash", "prompt": "a record-store poster, retro risograph style",
       "negative_prompt": "blur", "size": "1024*1024", "n": 2, "seed": 42}
OMNI = {"model_name": "kling-v3-omni", "prompt": "a choir of neon signs", "duration": 8,
        "aspect_ratio": "9:16", "sound": "on"}


def dashscope(gw: Gateway, **values: str) -> DashScopeAdapter:
    return DashScopeAdapter(settings(**values), transport=httpx.MockTransport(gw),
                            sleep=lambda s: None, wait=wait_none())


# ---- wan text to image (async) ----------------------------------------------------------------
def test_wan_image_is_off_unless_switched_on_and_then_an_async_task():
    gw = Gateway()
    gw.create = (200, ex.DASHSCOPE_IMAGE_CREATE)
    body = ops.build_body("wan_image", WAN, None)
    with dashscope(gw) as client, pytest.raises(NotConfigured,
                                                match="SONGBENCH_MEDIA_WAN_T2I_ASYNC=1"):
        client.submit("wan_image", body)
    assert gw.requests == []  # nothing sent while it is off
    with dashscope(gw, **SWITCH) as client:
        result = client.submit("wan_image", body)
        poll = client.poll_url("dashscope_image", result.task_id, "wan_image")
    (request,) = gw.requests
    assert str(request.url) == GATEWAY + T2I
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.headers["x-dashscope-async"] == "enable"
    assert json.loads(request.content) == {
        "model": "wan2.2-t2i-flash",
        "input": {"prompt": WAN["prompt"], "negative_prompt": "blur"},
        "parameters": {"size": "1024*1024", "n": 2, "seed": 42}}
    assert poll == "/dashscope/v1/tasks/9e2b6ef6-285d-4efa-8651-4dbda7d571fa"


def test_the_async_header_is_a_setting_on_by_default():
    """contract-media 6.1: whether AnyInt wants X-DashScope-Async is open; it is sent unless
    SONGBENCH_MEDIA_ASYNC_HEADER is off (never on the sync image route)."""
    for values, sent in (({}, True), ({"SONGBENCH_MEDIA_ASYNC_HEADER": "0"}, False),
                         ({"SONGBENCH_MEDIA_ASYNC_HEADER": "1"}, True)):
        gw = Gateway()
        with dashscope(gw, **values) as client:
            client.submit("video_t2v", {"model": "wan2.6-t2v", "prompt": "rain"})
            assert ("x-dashscope-async" in gw.requests[0].headers) is sent, values
            assert "X-DashScope-Async" not in client.create_headers(ops.get("qwen_image"))


def test_wan_image_sends_one_image_unless_asked_and_checks_sizes_per_model():
    wire = ops.get("wan_image").wire(ops.build_body("wan_image", {"prompt": "x"}, None))
    assert wire["parameters"] == {"n": 1}  # the service would make 4, each billed
    assert ops.validate("wan_image", WAN) == []
    (error,) = ops.validate("wan_image", {**WAN, "model": "wan2.5-t2i-preview",
                                          "size": "512*512"})
    assert (error.field, error.message) == (
        "size", "Size 512*512 is not offered by wan2.5-t2i-preview: it takes 768*768 to "
                "1440*1440 pixels (ratio 1:4 to 4:1)")
    assert ops.validate("wan_image", {**WAN, "size": "512*512"}) == []  # wan2.2 takes it
    (error,) = ops.validate("wan_image", {**WAN, "prompt": "x" * 501})
    assert error.field == "prompt"
    assert ops.validate("wan_image", {**WAN, "model": "wan2.5-t2i-preview",
                                      "prompt": "x" * 2000}) == []


def test_the_image_task_family_reads_results_and_partial_failures():
    done = families.parse_poll("dashscope_image", copy.deepcopy(ex.DASHSCOPE_IMAGE_SUCCEEDED))
    assert done.state.value == "succeeded"
    assert [a.kind for a in done.assets] == ["image:1", "image:2", "image:3", "image:4"]
    assert done.result["image_count"] == 4
    assert ops.get("wan_image").summarize(done.result) == (
        "4 images · prompt as the provider ran it: a record-store poster, retro risograph style")
    partial = copy.deepcopy(ex.DASHSCOPE_IMAGE_SUCCEEDED)
    partial["output"]["results"][1:] = [{"code": "DataInspectionFailed", "message": "no"}]
    partial["usage"]["image_count"] = 1
    read = families.parse_poll("dashscope_image", partial)
    assert [a.kind for a in read.assets] == ["image:1"] and read.result["failed_images"] == 1
    empty = copy.deepcopy(ex.DASHSCOPE_IMAGE_SUCCEEDED)
    empty["output"]["results"] = []
    assert families.parse_poll("dashscope_image", empty).state.value == "processing"
    for raw, state in (("PENDING", "pending"), ("RUNNING", "processing"), ("UNKNOWN", "failed"),
                       ("CANCELED", "failed")):
        record = copy.deepcopy(ex.DASHSCOPE_RUNNING)
        record["output"]["task_status"] = raw
        assert families.parse_poll("dashscope_image", record).state.value == state, raw
    failed = families.parse_poll("dashscope_image", copy.deepcopy(ex.DASHSCOPE_FAILED))
    assert (failed.state.value, failed.error_code) == ("failed", "InvalidParameter")


def test_a_wan_image_through_the_tracker_to_its_pictures(tmp_path):
    log = SqliteLog(tmp_path / "log.db")
    gw = Gateway(log)
    gw.create = (200, ex.DASHSCOPE_IMAGE_CREATE)
    gw.polls = [ex.DASHSCOPE_RUNNING, ex.DASHSCOPE_IMAGE_SUCCEEDED]
    providers = Providers(settings(**SWITCH), transport=httpx.MockTransport(gw),
                          sleep=lambda s: None, wait=wait_none())
    tracker = Tracker(log, providers, clock=lambda: 1000.0)
    task_id = tracker.submit("wan_image", ops.build_body("wan_image", WAN, None))
    assert gw.rows_at_post[0]["id"] == task_id  # the row before the request
    tracker.run_once(now=2000.0)
    tracker.run_once(now=3000.0)
    row = log.get_task(task_id)
    assert (row["state"], row["provider"], row["family"]) == (
        "succeeded", "dashscope", "dashscope_image")
    assert [a["kind"] for a in log.assets_for(task_id)] == ["image:1", "image:2", "image:3",
                                                            "image:4"]
    view = board.task_view(row, [], log.assets_for(task_id), None, now=3000.0)
    assert view.op_label == "Image (wan, async pass-through)"


# ---- Kling Omni video ---------------------------------------------------------------------
def test_omni_video_is_the_flat_kling_body_polled_on_its_own_route(tmp_path):
    gw = Gateway()
    gw.create = (200, ex.KLING_CREATE)
    with KlingAdapter(settings(), transport=httpx.MockTransport(gw), sleep=lambda s: None,
                      wait=wait_none()) as client:
        result = client.submit("kling_omni", ops.build_body("kling_omni", OMNI, None))
        poll = client.poll_url("kling_video", "kt 1", "kling_omni")
    (request,) = gw.requests
    assert str(request.url) == GATEWAY + "/transtreams/kling/v1/videos/omni-video"
    assert "x-dashscope-async" not in request.headers
    assert json.loads(request.content) == {**OMNI, "model": "kling-v3-omni"}
    assert result.task_id == "kt-1" and poll == "/transtreams/kling/v1/videos/omni-video/kt%201"
    assert ops.validate("kling_omni", OMNI) == []
    assert [e.field for e in ops.validate("kling_omni", {**OMNI, "duration": 16})] == [
        "duration"]
    assert [e.field for e in ops.validate("kling_omni", {**OMNI, "sound": "loud"})] == ["sound"]
    assert [e.field for e in ops.validate("kling_omni", {**OMNI, "prompt": ""})] == ["prompt"]


@pytest.mark.parametrize("op", ["wan_image", "kling_omni"])
def test_each_new_route_is_one_operation_module(op):
    """An operation module and, for the image task, its family: nothing else names them."""
    assert ops.get(op).ui.page == "media"
    assert ops.get(op).family in families.FAMILIES
