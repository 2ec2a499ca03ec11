"""The data dir's building blocks: the SQLite state file (`state_db`), the JSON codec of the
engine's dataclasses (`state_codec`) and the dirty-tracking tables (`tables`)."""

from __future__ import annotations

import logging
import shutil
import sqlite3
from pathlib import Path

import pytest

from simulator import synth
from simulator.jobs import Job, JobError, Track
from simulator.state_codec import decode, dumps, encode, loads
from simulator.state_db import StateDB
from simulator.tables import Table, drain


def _rows(n: int, start: int = 0) -> list[tuple[str, str, str]]:
    return [("job", f"t{i:04d}", f'{{"i": {i}, "pad": "{"x" * 300}"}}') for i in range(start, start + n)]


def test_writes_are_transactions_and_survive_reopening(tmp_path):
    db = StateDB(tmp_path / "state.sqlite3")
    db.write(_rows(3))
    db.write([("job", "t0001", '{"i": 99}'), ("job", "t0002", None), ("meta", "credits", "7")])
    with pytest.raises(sqlite3.Error):  # a failing change rolls the whole write back
        db.write([("job", "t0000", '{"i": -1}'), ("job", None, "{}")])
    db.close()
    again = StateDB(tmp_path / "state.sqlite3")
    assert {(k, i): d for k, i, d in again.rows()} == {
        ("job", "t0000"): _rows(1)[0][2], ("job", "t0001"): '{"i": 99}', ("meta", "credits"): "7"}
    again.close()


def test_a_write_torn_by_a_kill_leaves_the_previous_transaction(tmp_path):
    live = tmp_path / "live"
    live.mkdir()
    db = StateDB(live / "state.sqlite3")
    db.write(_rows(5))
    db.write(_rows(5, start=100))  # the last transaction, torn below
    crashed = tmp_path / "crashed"  # the files as a kill -9 leaves them: state + WAL, not checkpointed
    crashed.mkdir()
    for name in ("state.sqlite3", "state.sqlite3-wal"):
        shutil.copy(live / name, crashed / name)
    db.close()
    wal = crashed / "state.sqlite3-wal"
    assert wal.stat().st_size > 4096
    with open(wal, "r+b") as f:  # the kill hit in the middle of the last frame
        f.truncate(wal.stat().st_size - 1000)
    restored = StateDB(crashed / "state.sqlite3")
    assert [i for _, i, _ in restored.rows()] == [f"t{i:04d}" for i in range(5)]
    restored.write(_rows(1, start=7))  # and it keeps working
    assert len(restored.rows()) == 6
    restored.close()


def test_a_damaged_file_is_moved_aside_and_what_can_be_read_is_kept(tmp_path, caplog):
    path = tmp_path / "state.sqlite3"
    db = StateDB(path)
    db.write(_rows(300))
    db.close()
    with open(path, "r+b") as f:  # garbage over one page of rows in the middle of the file
        f.seek(15 * 4096 + 200)
        f.write(bytes(range(256)) * 8)
    with caplog.at_level(logging.WARNING, logger="simulator.persist"):
        salvaged = StateDB(path)
    rows = salvaged.rows()
    assert "is damaged" in caplog.text and "records salvaged" in caplog.text
    assert list(tmp_path.glob("state.sqlite3.corrupt-*"))
    original = dict((i, d) for _, i, d in _rows(300))
    intact = [i for _, i, d in rows if original.get(i) == d]
    assert 250 <= len(intact) < 300
    salvaged.write(_rows(1, start=500))
    salvaged.close()
    assert ("job", "t0500", _rows(1, start=500)[0][2]) in StateDB(path).rows()


def test_a_file_that_is_not_a_database_gives_a_fresh_state(tmp_path, caplog):
    path = tmp_path / "state.sqlite3"
    path.write_bytes(b"this is not SQLite" * 100)
    with caplog.at_level(logging.WARNING, logger="simulator.persist"):
        db = StateDB(path)
    assert "is damaged" in caplog.text and db.rows() == []
    db.write(_rows(1))
    assert len(db.rows()) == 1
    assert (tmp_path.glob("state.sqlite3.corrupt-*").__next__()).read_bytes().startswith(b"this is not SQLite")
    db.close()


def test_codec_round_trips_jobs_with_tracks_specs_and_errors():
    spec = synth.spec_from_request("synthwave", None, "la la", "T", False, 5.0, 1)
    job = Job(task_id="abc", op="generate", family="music", body={"title": "x", "__dc__": "not a tag", "n": [1, 2]},
              key="k", created=1.5, base_url="http://h", callback_url=None, stages=("text", "complete"),
              due=(2.0, 3.0), tracks=[Track(id="t1", spec=spec, duration=5.0)],
              error=JobError("GENERATE_AUDIO_FAILED", 500, "boom", refund=False), parent={"audioId": "p"})
    back = loads(dumps(job))
    assert back == job
    assert isinstance(back.stages, tuple) and isinstance(back.tracks[0].spec, synth.SongSpec)
    assert back.tracks[0].spec.instruments == spec.instruments
    assert decode(encode({("wav", "a1"): "task"})) == {("wav", "a1"): "task"}


def test_codec_tolerates_changed_classes_and_refuses_foreign_ones():
    saved = encode(Track(id="t1", title="x"))
    saved["field_removed_since"] = 1
    del saved["tags"]  # a field added since: its default comes back
    assert decode(saved) == Track(id="t1", title="x")
    with pytest.raises(ValueError):
        decode({"__dc__": "subprocess:Popen", "args": ["true"]})
    with pytest.raises(TypeError):
        encode({"fn": lambda: 1})


def test_tables_collect_changed_keys():
    table = Table("t")
    table["a"] = 1
    table.update(b=2)
    table.setdefault("c", 3)
    table.load("d", 4)  # restored: not a change
    assert drain(table.dirty) == {"a", "b", "c"} and table.dirty == set()
    del table["a"]
    table.pop("b")
    assert drain(table.dirty) == {"a", "b"} and dict(table) == {"c": 3, "d": 4}


def test_data_dir_lock_refuses_a_second_simulator(tmp_path):
    from simulator.config import SimConfig
    from simulator.server import build

    first = build(SimConfig(data_dir=tmp_path, speed=400))
    try:
        with pytest.raises(RuntimeError, match="in use"):
            build(SimConfig(data_dir=tmp_path, speed=400))
    finally:
        first.close()
    build(SimConfig(data_dir=tmp_path, speed=400)).close()  # free again once closed
    assert Path(tmp_path, "state.sqlite3").exists()
