"""lib.experiments.results: the grid, stage latencies, credits, summaries and exports."""

from __future__ import annotations

import copy
import csv
import io
import json

from lib import families
from lib.experiments import grid, results, service
from lib.log import CellRef
from lib.log.sqlite import SqliteLog
from tests.lib import contract_examples as ex

BASE = {"customMode": False, "instrumental": False, "model": "V5", "prompt": "a calm piano"}


def record(status, tracks=(), code=None, message=None):
    data = copy.deepcopy(ex.MUSIC_RECORD_INFO_DATA)
    data["status"] = status
    data["errorCode"], data["errorMessage"] = code, message
    template = data["response"]["sunoData"][0]
    data["response"]["sunoData"] = [
        {**template, "id": tid, "title": f"Song {tid}", "audioUrl": f"https://cdn.test/{tid}.mp3"}
        for tid in tracks] or None
    return families.parse_poll("music", data)


def make(tmp_path):
    log = SqliteLog(tmp_path / "log.db")
    axis, _ = grid.parse_axis("generate", "model", "V5\nV4_5")
    setup = service.Setup(name="Models", op="generate", base=BASE, axes=[axis], repeats=2)
    exp = service.create(log, setup, grid.plan("generate", BASE, grid.expand([axis]), 2),
                         now=100.0)
    # send three of the four cells by hand, at known times
    sent = []
    for n in range(3):
        cell = log.claim_cell(now=100.0)
        task_id = log.create_task("generate", "music", BASE, task_id=cell["task_id"],
                                  cell=CellRef(cell["id"], exp, cell["variant"],
                                               cell["repeat_no"]), now=100.0)
        log.mark_submitted(task_id, f"prov-{n}", next_poll_at=None, now=110.0)
        sent.append(task_id)
    ok1, ok2, bad = sent
    log.apply_poll(ok1, record("TEXT_SUCCESS"), next_poll_at=1, now=120.0)
    log.apply_poll(ok1, record("FIRST_SUCCESS"), next_poll_at=1, now=140.0)
    log.apply_poll(ok1, record("SUCCESS", ["t1a", "t1b"]), next_poll_at=None, now=170.0)
    log.apply_poll(ok2, record("SUCCESS", ["t2a", "t2b"]), next_poll_at=None, now=150.0)
    log.apply_poll(bad, record("GENERATE_AUDIO_FAILED", code=531, message="refunded"),
                   next_poll_at=None, now=130.0)
    log.set_rating("t1a", 5)
    log.set_rating("t1b", 2)
    log.set_rating("t2a", 4)
    log.set_notes("t2a", "nice hook")
    return log, exp, sent


def test_the_grid_has_variants_as_columns_and_repeats_as_rows(tmp_path):
    log, exp, (ok1, ok2, bad) = make(tmp_path)
    res = results.results(log, exp)
    assert res.variants == ["V5", "V4_5"] and res.repeats == [1, 2]
    assert [c.state for c in res.column("V5")] == ["succeeded", "succeeded"]
    assert [c.state for c in res.column("V4_5")] == ["failed", "queued"]
    first = res.cells[("V5", 1)]
    assert first.latencies == {"text": 10.0, "first": 30.0, "complete": 60.0}
    # a task that jumped straight to SUCCESS reached every stage at once
    assert res.cells[("V5", 2)].latencies == {"text": 40.0, "first": 40.0, "complete": 40.0}
    assert res.cells[("V4_5", 1)].latencies["complete"] is None
    assert [t.title for t in first.view.tracks] == ["Song t1a", "Song t1b"]
    assert res.progress("V4_5") == {"queued": 1, "running": 0, "succeeded": 0, "failed": 1,
                                    "unknown": 0, "cancelled": 0}
    assert not res.done


def test_credits_and_summaries(tmp_path):
    log, exp, _ = make(tmp_path)
    res = results.results(log, exp)
    assert res.cells[("V5", 1)].credits == 12
    assert res.cells[("V4_5", 1)].credits == 0  # code 531: refunded
    by_variant = results.variant_summary(res).set_index("variant")
    v5 = by_variant.loc["V5"]
    assert (v5["calls"], v5["succeeded"], v5["success rate"]) == (2, 2, 1.0)
    assert v5["median s to first audio"] == 35.0 and v5["median s to complete"] == 50.0
    assert (v5["credits"], v5["usable takes"], v5["credits per usable take"]) == (24, 2, 12.0)
    v45 = by_variant.loc["V4_5"]
    assert v45["success rate"] == 0.0 and v45["usable takes"] == 0
    assert v45["credits per usable take"] is None or v45["credits per usable take"] != \
        v45["credits per usable take"]  # None/NaN: no usable take
    by_model = results.model_summary(res).set_index("model")
    assert list(by_model.index) == ["V4_5", "V5"] and by_model.loc["V5", "calls"] == 2


def test_exports_carry_every_request_field_state_times_ratings_notes_credits(tmp_path):
    log, exp, (ok1, ok2, bad) = make(tmp_path)
    res = results.results(log, exp, assets_dir=tmp_path / "assets")
    rows = list(csv.DictReader(io.StringIO(results.export_csv(res).decode())))
    assert len(rows) == 2 + 2 + 1 + 1  # two tracks each, the failed task, the queued cell
    t2a = next(r for r in rows if r["track_id"] == "t2a")
    assert t2a["variant"] == "V5" and t2a["repeat"] == "2" and t2a["state"] == "succeeded"
    assert t2a["request.prompt"] == "a calm piano" and t2a["request.model"] == "V5"
    assert t2a["rating"] == "4" and t2a["notes"] == "nice hook" and t2a["credits"] == "12"
    assert t2a["s_to_complete"] == "40.0" and t2a["task_id"] == ok2
    assert t2a["audio_url"] == "https://cdn.test/t2a.mp3"
    failed = next(r for r in rows if r["task_id"] == bad)
    assert failed["state"] == "failed" and failed["error"] == "refunded"
    queued = next(r for r in rows if r["queue_status"] == "queued")
    assert queued["task_id"] == "" and queued["variant"] == "V4_5"
    doc = json.loads(results.export_json(res))
    assert doc["experiment"]["name"] == "Models" and len(doc["rows"]) == 6
