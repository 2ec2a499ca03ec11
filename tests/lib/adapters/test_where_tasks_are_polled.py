"""Every task row names its provider, base URL and dialect, and is polled there: a task
created before a settings change still finishes against the provider it was created on
(`lib.provider.hub.Providers.for_task`), and a key never goes to another site."""

from __future__ import annotations

import httpx
import pytest
from tenacity import wait_none

from lib.log.sqlite import SqliteLog
from lib.provider.hub import Providers
from lib.settings import Settings
from lib.tracking.tracker import Tracker
from tests.lib import contract_examples as ex

BODY = {"customMode": False, "instrumental": True, "model": "V5", "prompt": "rain",
        "callBackUrl": "https://cb.example/hook"}


class Hosts:
    """A fake internet: each host answers creates with a task id and polls with success;
    every request is kept with its host, path and Authorization header."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str, str, str | None]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host + (f":{request.url.port}" if request.url.port else "")
        self.seen.append((request.method, host, request.url.path,
                          request.headers.get("authorization")))
        if request.method == "POST":
            return httpx.Response(200, json={"code": 200, "msg": "success",
                                             "data": {"taskId": f"t-{request.url.host}"}})
        return httpx.Response(200, json=ex.MUSIC_RECORD_INFO)


def tracker_for(log, hosts: Hosts, **settings) -> Tracker:
    providers = Providers(Settings(**settings), transport=httpx.MockTransport(hosts),
                          on_event=log.log_client_event, sleep=lambda s: None,
                          wait=wait_none())
    return Tracker(log, providers, clock=lambda: 1000.0)


@pytest.fixture
def log(tmp_path):
    return SqliteLog(tmp_path / "log.db")


def test_a_task_finishes_where_it_was_created_after_the_settings_change(log):
    hosts = Hosts()
    before = tracker_for(log, hosts, base_url="https://api.provider-a.test", api_key="key-a",
                         dialect="sunoapi")
    task_id = before.submit("generate", BODY)
    row = log.get_task(task_id)
    assert (row["provider"], row["base_url"], row["dialect"]) == (
        "music", "https://api.provider-a.test", "sunoapi")

    # settings change: another host of the same site and the other dialect
    after = tracker_for(log, hosts, base_url="https://gateway.provider-a.test",
                        api_key="key-a", dialect="anyint")
    assert after.run_once(now=2000.0) == 1
    method, host, path, auth = hosts.seen[-1]
    assert (method, host, path) == ("GET", "api.provider-a.test",
                                     "/api/v1/generate/record-info")
    assert auth == "Bearer key-a"
    assert log.get_task(task_id)["state"] == "succeeded"
    # a new task goes to the new settings
    new = after.submit("generate", BODY)
    assert log.get_task(new)["base_url"] == "https://gateway.provider-a.test"
    assert hosts.seen[-1][1:3] == ("gateway.provider-a.test", "/suno/generate")


def test_the_key_of_another_site_is_never_sent_to_the_old_host(log):
    hosts = Hosts()
    before = tracker_for(log, hosts, base_url="https://api.sunoapi.test", api_key="old-key")
    task_id = before.submit("generate", BODY)
    after = tracker_for(log, hosts, base_url="https://gateway.anyint.test",
                        api_key="new-SECRET", dialect="anyint")
    sent = len(hosts.seen)
    after.run_once(now=2000.0)
    assert len(hosts.seen) == sent  # nothing was sent to api.sunoapi.test
    events = [e for e in log.events_for(task_id) if e["kind"] == "error"]
    assert "not sent to another site" in events[-1]["note"]
    assert "new-SECRET" not in str(log.events_for(task_id))
    assert log.get_task(task_id)["state"] == "pending"  # kept, polled again later


def test_a_task_of_an_earlier_embedded_simulator_is_polled_on_the_one_running_now(log):
    """The embedded simulator may come back on another port: its tasks follow it."""
    hosts = Hosts()
    before = tracker_for(log, hosts, base_url="http://127.0.0.1:40001", use_simulator=True)
    task_id = before.submit("generate", BODY)
    after = tracker_for(log, hosts, base_url="http://127.0.0.1:40002", use_simulator=True)
    after.run_once(now=2000.0)
    assert hosts.seen[-1][:2] == ("GET", "127.0.0.1:40002")
    assert log.get_task(task_id)["state"] == "succeeded"


def test_adapters_are_cached_per_connection(log):
    providers = Providers(Settings(base_url="https://a.example.test", api_key="k"))
    row = {"provider": "music", "base_url": "https://b.example.test", "dialect": "anyint"}
    first = providers.for_task(row)
    assert providers.for_task(dict(row)) is first
    assert providers.for_task({"provider": "music"}) is providers.current("music")
    assert first.connection.base_url == "https://b.example.test"
    assert first.limiter is providers.current("music").limiter  # one create limit
    assert providers.for_op("generate") is providers.current("music")
    providers.close()


def test_a_sync_answer_is_parsed_by_the_operations_own_family(log, monkeypatch):
    """`Tracker._finish_sync` used to parse every sync answer as family ``sync``."""
    from lib import families, ops
    from lib.contract.family import Family, PollResult
    from lib.contract.fields import Field
    from lib.contract.operation import Operation, Ui
    from lib.contract.states import State

    class Image(Family):
        name = "image_now"
        poll = {"sunoapi": None, "anyint": None}

        def parse(self, data):
            return PollResult("done", State.SUCCEEDED, "complete", result={"by": self.name,
                                                                           "data": data})

    op = Operation("image_now", "Image now", "image_now", {"sunoapi": "/api/v1/img",
                                                           "anyint": None},
                   (Field("prompt", "text", "Prompt", "Words.", required=True),),
                   Ui("generate", "Image", "Go"), sync=True)
    monkeypatch.setitem(families.FAMILIES, "image_now", Image())
    monkeypatch.setitem(ops.OPERATIONS, "image_now", op)

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"code": 200, "msg": "ok", "data": {"url": "u"}})

    providers = Providers(Settings(base_url="https://a.test", api_key="k"),
                          transport=httpx.MockTransport(answer))
    task_id = Tracker(log, providers, clock=lambda: 1.0).submit("image_now", {"prompt": "x"})
    row = log.get_task(task_id)
    assert row["state"] == "succeeded"
    assert '"by": "image_now"' in (row["result_json"] or "")
