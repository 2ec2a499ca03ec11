"""The DashScope adapter and the text-to-video operation, over an httpx.MockTransport fake
gateway (contract-media 1.4, 2.5-2.8): the wire body and headers, the id in the poll path, all
seven statuses, both error shapes on the shared vocabulary, and the create-safety rules."""

from __future__ import annotations

import copy
import json

import httpx
import pytest
from tenacity import wait_none

from lib import families, ops
from lib.log.sqlite import SqliteLog
from lib.provider import errors
from lib.provider.adapters.dashscope import DashScopeAdapter
from lib.provider.hub import Providers
from lib.settings import Settings, load_settings
from lib.tracking.tracker import Tracker
from lib.views import board
from tests.lib import contract_examples as ex

GATEWAY = "https://gateway.media.test"
KEY = "sk-media-SECRET"
CREATE = "/dashscope/v1/services/aigc/video-generation/video-synthesis"
BODY = {"model": "wan2.6-t2v", "prompt": "a vinyl record spinning", "size": "1280*720",
        "duration": 5, "prompt_extend": True, "audio_url": "https://cdn.test/song.mp3"}


def settings(**values: str) -> Settings:
    env = {"SONGBENCH_MEDIA_BASE_URL": GATEWAY, "SONGBENCH_MEDIA_API_KEY": KEY, **values}
    return load_settings(env=env, secrets={})


class Gateway:
    """Scripted answers: ``create`` (status, body; a list: one per POST) and ``polls`` popped
    per GET."""

    def __init__(self, log=None) -> None:
        self.log = log
        self.requests: list[httpx.Request] = []
        self.rows_at_post: list[dict] = []
        self.create: object = (200, ex.DASHSCOPE_CREATE)
        self.polls: list[object] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.method == "POST" and self.log is not None:
            self.rows_at_post.append(dict(self.log.list_tasks(limit=1)[0]))
        if request.method == "POST":
            answer = self.create.pop(0) if isinstance(self.create, list) else self.create
        else:
            answer = self.polls.pop(0)
        if isinstance(answer, Exception):
            raise answer
        status, body = answer if isinstance(answer, tuple) else (200, answer)
        if isinstance(body, (bytes, str)):
            return httpx.Response(status, content=body)
        return httpx.Response(status, json=body)


def adapter(gateway: Gateway, **kw) -> DashScopeAdapter:
    return DashScopeAdapter(settings(), transport=httpx.MockTransport(gateway),
                            sleep=lambda s: None, wait=wait_none(), **kw)


# ---- settings --------------------------------------------------------------------------------
def test_its_own_settings_and_the_simulator_without_a_key():
    c = DashScopeAdapter.connect(settings())
    assert (c.base_url, c.api_key, c.dialect, c.simulated) == (GATEWAY, KEY, "anyint", False)
    bare = load_settings(env={}, secrets={})
    c = DashScopeAdapter.connect(bare)
    assert c.simulated and c.base_url == "https://gateway.api.anyint.ai"
    c = DashScopeAdapter.connect(bare.with_simulator("http://127.0.0.1:7000"))
    assert c.simulated and c.base_url == "http://127.0.0.1:7000"
    # music keeps its own key; the media key is another setting
    both = load_settings(env={"SONGBENCH_API_KEY": "music-key",
                              "SONGBENCH_MEDIA_API_KEY": KEY}, secrets={})
    assert DashScopeAdapter.connect(both).api_key == KEY and both.api_key == "music-key"
    with pytest.raises(ValueError, match="SONGBENCH_MEDIA_BASE_URL"):
        DashScopeAdapter.connect(settings(SONGBENCH_MEDIA_BASE_URL="gateway.example"))


# ---- creates ---------------------------------------------------------------------------------
def test_a_create_is_the_dashscope_body_with_the_async_header():
    gw = Gateway()
    with adapter(gw) as client:
        result = client.submit("video_t2v", ops.build_body("video_t2v", BODY, None))
    (request,) = gw.requests
    assert str(request.url) == GATEWAY + CREATE
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.headers["x-dashscope-async"] == "enable"
    assert json.loads(request.content) == {
        "model": "wan2.6-t2v",
        "input": {"prompt": "a vinyl record spinning", "audio_url": "https://cdn.test/song.mp3"},
        "parameters": {"size": "1280*720", "duration": 5, "prompt_extend": True}}
    assert result.task_id == "966cebcd-dedc-4962-af88-xxxxxx"


@pytest.mark.parametrize("status,body,kind,phrase", [
    (401, ex.DASHSCOPE_401, errors.AuthError, "SONGBENCH_MEDIA_API_KEY"),
    (400, ex.DASHSCOPE_400, errors.InvalidRequest, "Invalid request"),
    (429, {"code": "Throttling.RateQuota", "message": "Requests rate limit exceeded"},
     errors.RateLimited, "Too many requests"),
    (429, ex.GATEWAY_ERROR_429, errors.RateLimited, "Too many requests"),
    (400, {"code": "DataInspectionFailed", "message": "Input data may contain inappropriate "
           "content."}, errors.ContentRejected, "Rejected for content"),
    (400, {"code": "Arrearage", "message": "Access denied, please make sure your account is in "
           "good standing."}, errors.InsufficientCredits, "Out of credits"),
    (400, {"code": "BadRequest.InputDownloadFailed", "message": "download failed"},
     errors.SourceUnreachable, "could not download the source"),
    (403, {"error": {"message": "no access", "type": "permission_error", "code": None}},
     errors.AuthError, "Authentication failed"),
])
def test_refusals_map_onto_the_shared_vocabulary(status, body, kind, phrase):
    """429 is a rate limit here (the music provider's 429 is "out of credits")."""
    gw = Gateway()
    gw.create = (status, body)
    with adapter(gw, attempts=1) as client, pytest.raises(kind) as raised:
        client.submit("video_t2v", BODY)
    err = raised.value
    assert type(err) is kind and err.provider == "dashscope" and err.http_status == status
    assert phrase in err.explain() and "dashscope" in str(err)
    assert KEY not in str(err) + err.explain()


def test_a_rate_limited_create_is_retried_and_nothing_else_is():
    gw = Gateway()
    gw.create = [(429, {"code": "Throttling", "message": "slow down"}), (200, ex.DASHSCOPE_CREATE)]
    with adapter(gw, attempts=3) as client:
        assert client.submit("video_t2v", BODY).task_id
    assert len(gw.requests) == 2


@pytest.mark.parametrize("answer,what", [
    ((500, {"code": "InternalError", "message": "oops", "request_id": "r"}), "HTTP 500"),
    ((504, "<html>Gateway Time-out</html>"), "gateway"),
    ((200, "<html>maintenance</html>"), "not the provider's JSON"),
    ((200, {"output": {"task_status": "PENDING"}, "request_id": "r"}), "names no task id"),
    ((408, {"code": "RequestTimeOut", "message": "timeout"}), "HTTP 408"),
    (httpx.ReadTimeout("read timed out"), None),
])
def test_a_create_whose_answer_proves_nothing_is_unknown_and_never_resent(answer, what):
    gw = Gateway()
    gw.create = answer
    with adapter(gw, attempts=3) as client, pytest.raises(errors.UnknownOutcome) as raised:
        client.submit("video_t2v", BODY)
    assert len(gw.requests) == 1  # never resent
    assert raised.value.provider == "dashscope"
    if what:
        assert what in raised.value.explain()


def test_a_connection_never_made_is_retried_then_a_transport_error():
    gw = Gateway()
    gw.create = httpx.ConnectError("refused")
    with adapter(gw, attempts=2) as client, pytest.raises(errors.TransportError):
        client.submit("video_t2v", BODY)
    assert len(gw.requests) == 2


# ---- polls ------------------------------------------------------------------------------------
def test_the_id_goes_in_the_poll_path():
    gw = Gateway()
    gw.polls = [ex.DASHSCOPE_RUNNING]
    with adapter(gw) as client:
        record = client.query("dashscope_video", "966c/bd 1")
        assert client.poll_url("dashscope_video", "t-1") == "/dashscope/v1/tasks/t-1"
    assert gw.requests[0].url.raw_path == b"/dashscope/v1/tasks/966c%2Fbd%201"
    assert gw.requests[0].headers.get("x-dashscope-async") is None
    assert record["output"]["task_status"] == "RUNNING"


@pytest.mark.parametrize("status,state", [
    ("PENDING", "pending"), ("SUSPENDED", "pending"), ("RUNNING", "processing"),
    ("SUCCEEDED", "succeeded"), ("FAILED", "failed"), ("CANCELED", "failed"),
    ("UNKNOWN", "failed"),
])
def test_all_seven_statuses(status, state):
    record = copy.deepcopy(ex.DASHSCOPE_VIDEO_SUCCEEDED)
    record["output"]["task_status"] = status
    poll = families.parse_poll("dashscope_video", record)
    assert poll.state.value == state
    if state == "failed":
        assert families.get("dashscope_video").failure_text(status)


def test_succeeded_without_a_video_url_is_not_success():
    record = copy.deepcopy(ex.DASHSCOPE_VIDEO_SUCCEEDED)
    del record["output"]["video_url"]
    assert families.parse_poll("dashscope_video", record).state.value == "processing"
    done = families.parse_poll("dashscope_video", ex.DASHSCOPE_VIDEO_SUCCEEDED)
    assert [(a.kind, a.url) for a in done.assets] == [
        ("video", ex.DASHSCOPE_VIDEO_SUCCEEDED["output"]["video_url"])]
    assert families.asset_label("video") == "Video (MP4)"


# ---- through the tracker ------------------------------------------------------------------------
@pytest.fixture
def env(tmp_path):
    log = SqliteLog(tmp_path / "log.db")
    gw = Gateway(log)
    providers = Providers(settings(), transport=httpx.MockTransport(gw),
                          on_event=log.log_client_event, sleep=lambda s: None,
                          wait=wait_none())
    return log, gw, Tracker(log, providers, clock=lambda: 1000.0)


def test_a_video_task_is_logged_before_it_is_sent_and_followed_to_its_file(env):
    log, gw, tracker = env
    gw.polls = [ex.DASHSCOPE_RUNNING, ex.DASHSCOPE_VIDEO_SUCCEEDED]
    task_id = tracker.submit("video_t2v", BODY)
    assert gw.rows_at_post[0]["id"] == task_id and gw.rows_at_post[0]["state"] == "pending"
    row = log.get_task(task_id)
    assert (row["provider"], row["family"], row["base_url"], row["dialect"]) == (
        "dashscope", "dashscope_video", GATEWAY, "anyint")
    tracker.run_once(now=2000.0)
    assert log.get_task(task_id)["state"] == "processing"
    tracker.run_once(now=3000.0)
    assert log.get_task(task_id)["state"] == "succeeded"
    assert [a["kind"] for a in log.assets_for(task_id)] == ["video"]
    polls = [e for e in log.events_for(task_id) if e["kind"] == "poll"]
    assert polls[-1]["url"] == "/dashscope/v1/tasks/966cebcd-dedc-4962-af88-xxxxxx"
    assert KEY not in json.dumps([dict(e) for e in log.events_for(task_id)], default=str)


def test_an_expired_id_fails_with_words_and_is_not_polled_again(env):
    log, gw, tracker = env
    gw.polls = [ex.DASHSCOPE_UNKNOWN]
    task_id = tracker.submit("video_t2v", BODY)
    tracker.run_once(now=2000.0)
    row = log.get_task(task_id)
    assert row["state"] == "failed" and row["next_poll_at"] is None
    assert "expired" in board.explain_failure(row).text
    assert tracker.run_once(now=9000.0) == 0


def test_a_failed_task_reads_in_the_shared_words(env):
    """The board words DashScope's ``output.code`` with the vocabulary a music refusal of that
    kind gets."""
    log, gw, tracker = env
    failed = copy.deepcopy(ex.DASHSCOPE_FAILED)
    failed["output"].update(code="DataInspectionFailed", message="inappropriate content")
    gw.polls = [failed]
    task_id = tracker.submit("video_t2v", BODY)
    tracker.run_once(now=2000.0)
    text = board.explain_failure(log.get_task(task_id)).text
    music_words = errors.error_for(400, "contains an artist name").explain()
    assert text.startswith("The provider could not make it.")
    assert "Rejected for content" in text and music_words.startswith("Rejected for content")
    assert "inappropriate content" in text


def test_a_refused_create_fails_at_once_in_the_shared_words(env):
    log, gw, tracker = env
    gw.create = (429, {"code": "Throttling", "message": "Requests throttling triggered."})
    task_id = tracker.submit("video_t2v", BODY)
    row = log.get_task(task_id)
    assert row["state"] == "failed" and row["error_code"] == "Throttling"
    assert row["error_message"].startswith("Too many requests")
    assert errors.error_for(430).explain().startswith("Too many requests")


def test_the_video_rules_are_checked_before_sending():
    assert ops.validate("video_t2v", {**BODY, "model": "wan2.2-t2v-plus", "size": "832*480",
                                      "duration": 10}) == [
        ops.FieldError("duration", "Duration must be 5 s with wan2.2-t2v-plus"),
        ops.FieldError("audio_url", "Audio track needs wan2.5 or wan2.6 (this model makes "
                                    "silent video)")]
    assert ops.validate("video_t2v", {**BODY, "prompt": "x" * 1501})
    assert ops.validate("video_t2v", BODY) == []
    assert ops.get("video_t2v").callback_field is None  # DashScope has no callbacks


def test_a_finished_video_reads_in_words_not_as_a_dict():
    from lib.views.board import result_summary

    line = result_summary("video_t2v", {"actual_prompt": "neon city, slow push-in",
                                        "usage": {"video_count": 1, "video_duration": 5}})
    assert line == "5 s of video · prompt as the provider ran it: neon city, slow push-in"
    assert result_summary("video_t2v", {"usage": "odd"}) is None
    assert "{" not in (result_summary("video_t2v", {"usage": {"video_duration": 5}}) or "")
