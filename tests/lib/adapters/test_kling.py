"""The Kling adapter's own rules (contract-media 1.5): its envelope (code 0 is success), the
create route's GET with the id in the path, and its codes on the shared vocabulary."""

from __future__ import annotations

import httpx
import pytest

from lib.contract.family import Family
from lib.contract.fields import Field
from lib.contract.operation import Operation, Ui
from lib.provider import errors
from lib.provider.adapters.kling import KlingAdapter
from lib.settings import load_settings
from tests.lib import contract_examples as ex

SETTINGS = load_settings(env={"SONGBENCH_MEDIA_BASE_URL": "https://gw.test",
                              "SONGBENCH_MEDIA_API_KEY": "k"}, secrets={})
T2V = Operation("kling_t2v", "Kling text to video", "kling_task",
                {"anyint": "/transtreams/kling/v1/videos/text2video"},
                (Field("prompt", "text", "Prompt", "What it shows.", required=True),),
                Ui("media", "Kling", "Make video"), provider="kling")


class KlingTask(Family):
    name = "kling_task"
    provider = "kling"
    poll = {"anyint": "{create}/{task_id}"}


def test_the_id_goes_in_the_create_routes_own_get():
    with KlingAdapter(SETTINGS) as client:
        url, params = client.poll_request(KlingTask(), "kt 1", T2V)
    assert url == "https://gw.test/transtreams/kling/v1/videos/text2video/kt%201"
    assert params is None


def test_the_envelope_and_the_task_id():
    with KlingAdapter(SETTINGS) as client:
        answer = client.read(httpx.Response(200, json=ex.KLING_CREATE), "kling_t2v")
        assert client.task_id_of(answer) == "kt-1"
        assert client.record_of(KlingTask(), client.read(
            httpx.Response(200, json=ex.KLING_DONE), "query"))["task_status"] == "succeed"


@pytest.mark.parametrize("status,body,kind", [
    (200, {"code": 1302, "message": "API request too fast"}, errors.RateLimited),
    (429, {"code": 1303, "message": "concurrency exceeded"}, errors.RateLimited),
    (400, {"code": 1102, "message": "resource pack depleted"}, errors.InsufficientCredits),
    (401, {"code": 1002, "message": "authorization invalid"}, errors.AuthError),
    (400, {"code": 1301, "message": "content security policy"}, errors.ContentRejected),
    (429, {"error": {"message": "slow down", "type": "rate_limit_error"}}, errors.RateLimited),
])
def test_its_codes_map_onto_the_shared_vocabulary(status, body, kind):
    with KlingAdapter(SETTINGS) as client, pytest.raises(kind) as raised:
        client.read(httpx.Response(status, json=body), "kling_t2v")
    assert raised.value.provider == "kling"


def test_a_server_error_on_create_proves_nothing():
    with KlingAdapter(SETTINGS) as client, pytest.raises(Exception) as raised:
        client.ambiguous(httpx.Response(200, json={"code": 5000, "message": "internal"}))
    assert type(raised.value).__name__ == "_SentButLost"


def _kling_tracker(tmp_path, answer, callback_base=None):
    """A tracker whose Kling polls are answered by ``answer(request)``; a kling_t2v task linked
    to provider task ``kt-gone``."""
    from tenacity import wait_none

    from lib.log.sqlite import SqliteLog
    from lib.provider.hub import Providers
    from lib.tracking.tracker import Tracker

    log = SqliteLog(tmp_path / "log.db")
    providers = Providers(SETTINGS, transport=httpx.MockTransport(answer), sleep=lambda s: None,
                          wait=wait_none())
    clock = [1000.0]
    tracker = Tracker(log, providers, clock=lambda: clock[0], callback_base=callback_base)
    conn = providers.current("kling").connection
    task_id = log.create_task("kling_t2v", "kling_video", {"model_name": "kling-v3",
                                                             "prompt": "x"},
                              provider="kling", base_url=conn.base_url, dialect=conn.dialect,
                              now=clock[0])
    tracker.link(task_id, "kt-gone")
    return log, tracker, clock, task_id


def _poll_often(tracker, clock, times=5):
    for _ in range(times):
        clock[0] += 100
        tracker.run_once()


def test_a_kling_task_id_it_no_longer_knows_fails_after_three_polls(tmp_path):
    """Kling answers an unknown task HTTP 404 with its code 1203: the task expired or the id is
    wrong, so it fails like a music task the provider forgot (it used to be read as a wrong
    route and polled forever)."""
    log, tracker, clock, task_id = _kling_tracker(tmp_path, lambda r: httpx.Response(
        404, json={"code": 1203, "message": "Task not found: kt-gone", "request_id": "r"}))
    _poll_often(tracker, clock)
    task = log.get_task(task_id)
    assert task["state"] == "failed" and task["poll_count"] == 3
    assert "no longer knows this task" in task["error_message"]


def test_a_missing_kling_route_is_still_a_configuration_problem(tmp_path):
    log, tracker, clock, task_id = _kling_tracker(tmp_path, lambda r: httpx.Response(
        404, text="<html>no such route</html>"))
    _poll_often(tracker, clock)
    assert log.get_task(task_id)["state"] == "pending"  # kept, polled again: not the task's fault


def test_1203_on_a_poll_is_an_unknown_task_in_words():
    with KlingAdapter(SETTINGS) as client, pytest.raises(errors.TaskNotFound) as raised:
        client.read(httpx.Response(404, json={"code": 1203, "message": "no such id"}),
                    "query:kling_video")
    assert raised.value.explain() == ("Not found: the provider does not know this task "
                                      "(provider says: no such id).")
    with pytest.raises(errors.NotFound) as create:  # on a create: an unknown model, not a task
        KlingAdapter(SETTINGS).read(httpx.Response(404, json={"code": 1203, "message": "m"}),
                                    "kling_t2v")
    assert not isinstance(create.value, errors.TaskNotFound)


def test_with_callbacks_on_a_kling_task_is_still_polled_on_the_back_off_schedule(tmp_path):
    """Kling tasks carry no callback URL, so no callback ever says when to look: with a public
    URL set they used to be polled only every 30 s (the callbacks' safety net)."""
    running = {"code": 0, "message": "SUCCEED", "request_id": "r",
               "data": {"task_id": "kt-gone", "task_status": "processing"}}
    log, tracker, clock, task_id = _kling_tracker(
        tmp_path, lambda r: httpx.Response(200, json=running),
        callback_base="https://me.example/api/callbacks/s3cret")
    tracker.run_once()
    task = log.get_task(task_id)
    assert task["poll_count"] == 1
    assert task["next_poll_at"] - clock[0] == tracker.first_delay  # the task moved on: soon
    clock[0] += 5
    tracker.run_once()
    assert log.get_task(task_id)["next_poll_at"] - clock[0] < tracker.max_delay
