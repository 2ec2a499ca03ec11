"""The raw event log: redacted headers, task attribution, the callback secret never stored."""

import json

from lib.log.sqlite import SqliteLog
from tests.lib.log.support import new_task


def test_events_are_redacted_and_attributed(log):
    task_id = new_task(log)
    log.log_event(task_id, "request", method="POST", url="http://x/api",
                  headers={"Authorization": "Bearer sk-secret", "X-Trace": "1"},
                  body={"prompt": "p"}, at=5.0)
    with log.task_scope(task_id):
        log.log_client_event({"kind": "response", "method": "POST", "url": "http://x/api",
                              "status_code": 200, "headers": {"cookie": "c"},
                              "body": {"code": 200}, "op": "generate", "elapsed_ms": 12})
    log.log_client_event({"kind": "request", "method": "GET", "url": "http://x/credit"})
    events = log.events_for(task_id)
    assert [e["kind"] for e in events] == ["request", "response"]
    assert "sk-secret" not in events[0]["headers_json"]
    assert json.loads(events[0]["headers_json"]) == {"Authorization": "Bearer ***", "X-Trace": "1"}
    assert json.loads(events[1]["headers_json"]) == {"cookie": "***"}
    assert (events[1]["status_code"], events[1]["elapsed_ms"]) == (200, 12)
    with log.raw_connection() as db:
        assert db["events"].count_where("task_id IS NULL") == 1


def test_callback_secret_never_reaches_the_log(tmp_path):
    """The callback URL's secret path segment is masked in request_json and event bodies."""
    log = SqliteLog(tmp_path / "s.db")
    body = {"prompt": "x", "callBackUrl": "http://127.0.0.1:8501/api/callbacks/s3cr3t-Token_1"}
    task_id = log.create_task("generate", "music", body)
    log.log_event(task_id, "request", body=body)
    with log.raw_connection() as db:
        dump = "\n".join(str(row) for t in ("tasks", "events") for row in db[t].rows)
    assert "s3cr3t-Token_1" not in dump
    assert "/api/callbacks/***" in dump
