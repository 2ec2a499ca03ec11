"""The task log as a file (`lib.views.task_export`, `GET /api/export/tasks.*`, `python -m lib
tasks export`): every family, the board's filters, a recipe step's run named."""

from __future__ import annotations

import csv
import io
import json

from starlette.applications import Starlette
from starlette.datastructures import QueryParams
from starlette.testclient import TestClient

from lib.app import http_routes
from lib.cli import main
from lib.contract.family import PollResult
from lib.contract.states import Stage, State
from lib.log import TaskFilters
from lib.views import task_export
from tests.bench.seed import seed_states
from tests.lib.routes_support import route_runtime


def _text_task(log, brief: str, task_id: str | None = None) -> str:
    task_id = log.create_task("text_chat", "text", {"model": "m", "messages": [
        {"role": "user", "content": brief}]}, provider="text", model="m", prompt=brief,
        task_id=task_id)
    log.mark_submitted(task_id, None, next_poll_at=None)
    log.apply_poll(task_id, PollResult("stop", State.SUCCEEDED, Stage.COMPLETE.value,
                                       result={"answer": "Sunny lemon pop", "usage": {
                                           "total_tokens": 9}}), next_poll_at=None)
    return task_id


def test_rows_hold_every_family_the_result_and_the_recipe_step(tmp_path, monkeypatch):
    rt = route_runtime(tmp_path, monkeypatch)
    ids = seed_states(rt.log, rt.assets_dir)
    run = rt.log.create_recipe_run(recipe="lyrics_first", brief="b", params={},
                                   steps=["lyrics", "song"])
    text = _text_task(rt.log, "a lemonade brand", rt.log.claim_recipe_step(run, "lyrics"))
    rows = {r["id"]: r for r in task_export.export_rows(rt.log)}
    assert set(ids.values()) | {text} <= set(rows)
    row = rows[text]
    assert (row["provider"], row["family"], row["state"]) == ("text", "text", "succeeded")
    assert row["result"]["answer"] == "Sunny lemon pop" and row["request"]["model"] == "m"
    assert (row["recipe_run_id"], row["recipe_step"]) == (run, "lyrics")
    failed = rows[ids["failed"]]
    assert failed["error"] and failed["state"] == "failed"
    ok = rows[ids["succeeded"]]
    assert [t["id"] for t in ok["tracks"]] == ["trk-ok-1", "trk-ok-2"] and ok["files"]
    # the board's filters: state, operation and the full-text search
    assert [r["id"] for r in task_export.export_rows(
        rt.log, TaskFilters(op=["text_chat"]))] == [text]
    assert [r["id"] for r in task_export.export_rows(
        rt.log, TaskFilters(text="lemonade"))] == [text]
    assert {r["state"] for r in task_export.export_rows(
        rt.log, TaskFilters(state=["failed"]))} == {"failed"}


def test_the_route_and_the_command_give_the_same_tasks(tmp_path, monkeypatch, capsys):
    rt = route_runtime(tmp_path, monkeypatch)
    seed_states(rt.log, rt.assets_dir)
    text = _text_task(rt.log, "a lemonade brand")
    client = TestClient(Starlette(routes=http_routes.routes()))
    answer = client.get("/api/export/tasks.csv", params={"op": "text_chat,generate",
                                                         "q": "lemonade"})
    assert answer.status_code == 200 and "attachment" in answer.headers["content-disposition"]
    (row,) = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert row["id"] == text and json.loads(row["result"])["answer"] == "Sunny lemon pop"
    everything = client.get("/api/export/tasks.json").json()
    assert len(everything) == rt.log.count_tasks()
    assert client.get("/api/export/tasks.xml").status_code == 404
    assert task_export.filters_from(QueryParams("state=failed,unknown&op=wav&q=%20x ")) == \
        TaskFilters(text="x", state=["failed", "unknown"], op=["wav"])

    monkeypatch.setenv("SONGBENCH_DB", str(tmp_path / "s.db"))
    assert main(["tasks", "export", "--format", "json", "--op", "text_chat"]) == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == [text]
    assert main(["tasks", "export", "--op", "nope"]) == 2
