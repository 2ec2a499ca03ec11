"""Callbacks through the route's inbox and the `Tracker`'s batches: one re-read rule
(`lib.tracking.tracker.rereads`: first, complete and error re-read, text and a duplicate of what
a poll already read do not), extended so that copies of a delivery share its re-read (within a
batch, and while that re-read is still to come); a text stage no re-read saw is dated by its
callback. The route answers a hint for a known task at once and records it off the request
path, in batches, by one worker."""

from __future__ import annotations

import copy
import threading
import time

import httpx
import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient
from tenacity import wait_none

from lib.app import http_routes
from lib.log.sqlite import SqliteLog
from lib.provider.client import SunoClient
from lib.settings import Settings
from lib.tracking import inbox
from lib.tracking.callbacks import parse_callback
from lib.tracking.hints import Incoming
from lib.tracking.tracker import Tracker
from tests.lib import contract_examples as ex
from tests.lib.routes_support import route_runtime
from tests.lib.test_tracker import BODY, Clock, FakeProvider

BASE = "https://songbench.example/api/callbacks/s3cret"


@pytest.fixture
def env(tmp_path):
    log = SqliteLog(tmp_path / "log.db")
    provider = FakeProvider(log)
    settings = Settings(base_url="http://provider.test", api_key="sk-test-key",
                        dialect="sunoapi", db_path=str(tmp_path / "log.db"))
    client = SunoClient(settings, transport=httpx.MockTransport(provider),
                        on_event=log.log_client_event, sleep=lambda s: None, wait=wait_none())
    clock = Clock()
    tracker = Tracker(log, client, clock=clock, callback_base=BASE)
    return log, provider, tracker, clock


def callback(example: dict, provider_id: str = "prov-1") -> dict:
    payload = copy.deepcopy(example)
    payload["data"]["task_id"] = provider_id
    return payload


def polls(provider) -> int:
    return len([g for g in provider.gets if g.url.path.endswith("/record-info")])


class During(list):
    """Poll answers that run ``hook`` while the poll is in flight (before it is applied)."""

    def __init__(self, answers, hook):
        super().__init__(answers)
        self.hook = hook

    def pop(self, index=-1):
        self.hook()
        return super().pop(index)


def test_text_causes_no_reread_and_is_dated_by_its_callback(env):
    log, provider, tracker, clock = env
    task_id = tracker.submit("generate", {**BODY, "callBackUrl": BASE})
    clock.t = 1000.5
    assert tracker.on_callback(callback(ex.CALLBACK_MUSIC_TEXT), local_id=task_id)["due"] is False
    assert tracker.run_once() == 0  # the text stage waits for a poll that is due anyway
    clock.t = 1001.0
    assert tracker.on_callback(callback(ex.CALLBACK_MUSIC_FIRST), local_id=task_id)["due"]
    provider.answers = [ex.MUSIC_RECORD_INFO_FIRST_SUCCESS]
    assert tracker.run_once() == 1
    task = log.get_task(task_id)
    # the poll agreed on the text stage: it is dated by its callback, not by the poll
    assert (task["stage"], task["text_at"], task["first_audio_at"]) == ("first", 1000.5, 1001.0)


def test_a_claim_never_dates_a_stage_before_the_submit(env):
    log, provider, tracker, clock = env
    task_id = tracker.submit("generate", {**BODY, "callBackUrl": BASE})
    tracker.hints.claimed(task_id, parse_callback(callback(ex.CALLBACK_MUSIC_TEXT)), 900.0)
    clock.t = 1030.0
    provider.answers = [ex.MUSIC_RECORD_INFO_TEXT_SUCCESS]
    assert tracker.run_once() == 1
    assert log.get_task(task_id)["text_at"] == 1000.0


def test_identical_deliveries_of_one_batch_are_recorded_once_and_share_one_reread(env):
    log, provider, tracker, clock = env
    task_id = tracker.submit("generate", {**BODY, "callBackUrl": BASE})
    clock.t = 1001.0
    first = Incoming(callback(ex.CALLBACK_MUSIC_FIRST), {"x": "1"}, task_id)
    complete = Incoming(callback(ex.CALLBACK_MUSIC_COMPLETE), None, task_id)
    answers = tracker.take_callbacks([first, complete, first, Incoming(["junk"]), first])
    assert [a["accepted"] for a in answers] == [True, True, True, False, True]
    assert answers[0] is answers[2] is answers[4]
    notes = [e["note"] for e in log.events_for(task_id) if e["kind"] == "callback"]
    assert notes == ["first code=200 task=prov-1 (delivered 3 times)",
                     "complete code=200 task=prov-1"]
    provider.answers = [ex.MUSIC_RECORD_INFO_FIRST_SUCCESS]
    assert tracker.run_once() == 1 and tracker.run_once() == 0


def test_a_copy_arriving_while_its_reread_runs_shares_it(env):
    log, provider, tracker, clock = env
    task_id = tracker.submit("generate", {**BODY, "callBackUrl": BASE})
    clock.t = 1001.0
    assert tracker.on_callback(callback(ex.CALLBACK_MUSIC_FIRST), local_id=task_id)["due"]
    copies = []

    def copy_arrives():
        clock.t = 1001.2  # while the re-read's GET is in flight
        copies.append(tracker.on_callback(callback(ex.CALLBACK_MUSIC_FIRST), local_id=task_id))

    provider.answers = During([ex.MUSIC_RECORD_INFO_FIRST_SUCCESS], copy_arrives)
    assert tracker.run_once() == 1
    assert copies == [{"accepted": True, "due": True, "linked": False}]  # due: that re-read
    clock.t = 1002.0
    assert tracker.run_once() == 0, "the copy made the task due a second time"
    assert log.get_task(task_id)["next_poll_at"] == pytest.approx(1001.0 + tracker.max_delay)
    assert polls(provider) == 1


def test_a_copy_after_a_reread_that_found_the_provider_behind_rereads_again(env):
    """Main's rule still decides once the re-read was made: the poll did not read the stage
    the callback announced (the provider's query route lagged), so a copy asks again."""
    log, provider, tracker, clock = env
    task_id = tracker.submit("generate", {**BODY, "callBackUrl": BASE})
    clock.t = 1001.0
    tracker.on_callback(callback(ex.CALLBACK_MUSIC_FIRST), local_id=task_id)
    provider.answers = [ex.MUSIC_RECORD_INFO_TEXT_SUCCESS]
    assert tracker.run_once() == 1
    clock.t = 1002.0
    again = tracker.on_callback(callback(ex.CALLBACK_MUSIC_FIRST), local_id=task_id)
    assert again["due"] and log.get_task(task_id)["next_poll_at"] == 1002.0
    provider.answers = [ex.MUSIC_RECORD_INFO_FIRST_SUCCESS]
    assert tracker.run_once() == 1
    clock.t = 1003.0
    late = tracker.on_callback(callback(ex.CALLBACK_MUSIC_FIRST), local_id=task_id)
    assert late["due"] is False and tracker.run_once() == 0  # the poll read it: a duplicate


def test_a_reread_waits_the_gap_after_the_last_poll_and_what_comes_meanwhile_shares_it(env):
    log, provider, tracker, clock = env
    task_id = tracker.submit("generate", {**BODY, "callBackUrl": BASE})
    clock.t = 1030.0
    assert tracker.run_once() == 1  # the scheduled safety-net poll: still pending
    clock.t = 1030.2
    assert tracker.on_callback(callback(ex.CALLBACK_MUSIC_FIRST), local_id=task_id)["due"]
    assert log.get_task(task_id)["next_poll_at"] == pytest.approx(1031.0)  # 1 s after the poll
    clock.t = 1030.5
    assert tracker.on_callback(callback(ex.CALLBACK_MUSIC_COMPLETE), local_id=task_id)["due"]
    assert log.get_task(task_id)["next_poll_at"] == pytest.approx(1031.0)
    assert tracker.run_once(now=1030.9) == 0
    provider.answers = [ex.MUSIC_RECORD_INFO_FIRST_SUCCESS]
    assert tracker.run_once(now=1031.0) == 1 and polls(provider) == 2


def test_the_loop_is_woken_only_by_a_delivery_that_makes_a_task_due_at_once(env):
    log, provider, tracker, clock = env
    woken = []
    tracker.on_due = lambda: woken.append(clock.t)
    task_id = tracker.submit("generate", {**BODY, "callBackUrl": BASE})
    clock.t = 1001.0
    tracker.on_callback(callback(ex.CALLBACK_MUSIC_TEXT), local_id=task_id)  # asks nothing
    assert woken == []
    tracker.on_callback(callback(ex.CALLBACK_MUSIC_FIRST), local_id=task_id)
    assert woken == [1001.0]
    tracker.on_callback(callback(ex.CALLBACK_MUSIC_FIRST), local_id=task_id)  # shares it
    assert woken == [1001.0]
    provider.answers = [ex.MUSIC_RECORD_INFO_FIRST_SUCCESS]
    assert tracker.run_once() == 1
    clock.t = 1001.4  # within the re-read gap: due at 1002.0, the loop's tick will see it
    assert tracker.on_callback(callback(ex.CALLBACK_MUSIC_COMPLETE), local_id=task_id)["due"]
    assert woken == [1001.0] and log.get_task(task_id)["next_poll_at"] == pytest.approx(1002.0)


def test_the_inbox_records_what_waits_in_one_batch(env):
    log, _, tracker, _ = env
    task_id = tracker.submit("generate", {**BODY, "callBackUrl": BASE})
    real, sizes, release = tracker.take_callbacks, [], threading.Event()

    def slow(batch):
        sizes.append(len(batch))
        release.wait(5)
        return real(batch)

    tracker.take_callbacks = slow  # type: ignore[method-assign]
    box = inbox.CallbackInbox(tracker)
    try:
        kinds = [ex.CALLBACK_MUSIC_TEXT, ex.CALLBACK_MUSIC_FIRST, ex.CALLBACK_MUSIC_COMPLETE]
        answers = [box.put(callback(kinds[0]), {}, task_id)]
        while not sizes:
            threading.Event().wait(0.01)
        answers += [box.put(callback(k), {}, task_id) for k in kinds * 2]
        release.set()
        assert box.wait_idle()
    finally:
        box.stop()
    assert sizes == [1, 6]  # the worker took everything that waited at once
    assert all(a == inbox.QUEUED for a in answers)  # the task's provider id is known
    notes = [e["note"] for e in log.events_for(task_id) if e["kind"] == "callback"]
    assert len(notes) == 4 and notes[-1].endswith("(delivered 2 times)")


def test_the_worker_lets_a_burst_gather_into_one_write(env, monkeypatch):
    log, _, tracker, _ = env
    task_id = tracker.submit("generate", {**BODY, "callBackUrl": BASE})
    real, sizes = tracker.take_callbacks, []
    monkeypatch.setattr(tracker, "take_callbacks", lambda batch: sizes.append(len(batch))
                        or real(batch))
    monkeypatch.setattr(inbox, "GATHER_S", 0.5)  # a margin for a busy machine
    box = inbox.CallbackInbox(tracker)
    try:
        box.put(callback(ex.CALLBACK_MUSIC_TEXT), {}, task_id)
        time.sleep(0.1)  # a worker that did not wait would have written this one alone
        for kind in (ex.CALLBACK_MUSIC_FIRST, ex.CALLBACK_MUSIC_COMPLETE):
            box.put(callback(kind), {}, task_id)
        assert box.wait_idle()
    finally:
        box.stop()
    assert sizes == [3]


def test_the_route_answers_a_known_tasks_hint_at_once_and_records_it_after(tmp_path,
                                                                           monkeypatch):
    rt = route_runtime(tmp_path, monkeypatch)
    task_id = rt.log.create_task("generate", "music", {"prompt": "x"})
    rt.log.mark_submitted(task_id, "prov-5", next_poll_at=None)
    client = TestClient(Starlette(routes=http_routes.routes()))
    url = f"/api/callbacks/{rt.callback_secret}/{task_id}"
    payload = callback(ex.CALLBACK_MUSIC_FIRST, "prov-5")
    # not known in this process yet: recorded before the answer
    assert client.post(url, json=payload).json() == {"ok": True, "accepted": True,
                                                     "due": True, "linked": False}
    answer = client.post(url, json=payload).json()
    assert answer == {"ok": True, "accepted": True, "queued": True}
    assert rt.callbacks.wait_idle()
    assert len([e for e in rt.log.events_for(task_id) if e["kind"] == "callback"]) == 2
    rt.stop_background()


def test_a_full_inbox_is_503_so_the_provider_delivers_again(tmp_path, monkeypatch):
    rt = route_runtime(tmp_path, monkeypatch)
    monkeypatch.setattr(inbox, "MAX_PENDING", 0)
    client = TestClient(Starlette(routes=http_routes.routes()), raise_server_exceptions=False)
    answer = client.post(f"/api/callbacks/{rt.callback_secret}",
                         json=callback(ex.CALLBACK_MUSIC_FIRST, "prov-9"))
    assert answer.status_code == 503 and "InboxFull" in answer.json()["error"]
    with rt.log.raw_connection() as db:
        assert db.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 0


def test_a_hint_answered_at_once_is_recorded_even_when_the_first_write_fails(tmp_path,
                                                                             monkeypatch):
    rt = route_runtime(tmp_path, monkeypatch)
    task_id = rt.log.create_task("generate", "music", {"prompt": "x"})
    rt.log.mark_submitted(task_id, "prov-6", next_poll_at=None)
    rt.tracker.hints.link(task_id, "prov-6")
    real, calls, pauses = rt.tracker.take_callbacks, [], []

    def flaky(batch):
        calls.append(len(batch))
        if len(calls) == 1:
            raise RuntimeError("database is locked")
        return real(batch)

    monkeypatch.setattr(rt.tracker, "take_callbacks", flaky)
    monkeypatch.setattr(inbox, "_pause", pauses.append)
    assert rt.callbacks.put(callback(ex.CALLBACK_MUSIC_FIRST, "prov-6"), {}, task_id) == {
        "accepted": True, "queued": True}
    assert rt.callbacks.wait_idle()
    assert calls == [1, 1] and pauses == [0.5]  # once more, after 0.5 s
    assert rt.log.get_task(task_id)["next_poll_at"] is not None
    rt.stop_background()


def test_a_batch_is_retried_once_only_and_its_waiting_deliveries_hear_the_failure(
        tmp_path, monkeypatch):
    rt = route_runtime(tmp_path, monkeypatch)
    calls = []

    def broken(batch):
        calls.append(len(batch))
        raise RuntimeError("database is locked")

    monkeypatch.setattr(rt.tracker, "take_callbacks", broken)
    monkeypatch.setattr(inbox, "_pause", lambda s: None)
    pending = rt.callbacks.put(callback(ex.CALLBACK_MUSIC_FIRST, "prov-7"), {}, "nobody-yet")
    with pytest.raises(RuntimeError, match="locked"):
        pending.result(5)  # the route answers 503: the provider delivers again
    assert calls == [1, 1]
    rt.stop_background()
