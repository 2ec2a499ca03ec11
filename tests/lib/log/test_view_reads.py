"""What the board and the Library read through the log instead of SQL of their own."""

import pytest

from lib.log import AssetStatus
from tests.bench.seed import seed_states


@pytest.fixture
def states(log, tmp_path):
    return seed_states(log, tmp_path / "assets", now=1_000_000.0)


def test_board_rows_bring_tracks_files_and_source_titles(log, states):
    ok, wav = log.get_task(states["succeeded"]), log.get_task(states["wav"])
    tracks, assets, titles = log.board_rows([ok, wav])
    assert [(t["task_id"], t["id"]) for t in tracks] == [(ok["id"], "trk-ok-1"),
                                                          (ok["id"], "trk-ok-2")]
    assert {(a["task_id"], a["track_id"], a["kind"]) for a in assets} == {
        (ok["id"], "trk-ok-1", "mp3"), (ok["id"], "trk-ok-1", "image"),
        (ok["id"], "trk-ok-2", "mp3"), (ok["id"], "trk-ok-2", "image"),
        (wav["id"], "trk-ok-1", "wav")}
    assert titles == {"trk-ok-1": "Golden Echo"}
    assert log.board_rows([]) == ([], [], {})


def test_board_rows_add_archived_files_made_from_the_tracks(log, states):
    ok = log.get_task(states["succeeded"])
    (wav_asset,) = log.assets_for(states["wav"])
    assert "wav" not in {a["kind"] for a in log.board_rows([ok], derived=True).assets}
    log.update_asset(wav_asset["id"], status=AssetStatus.DONE, local_path="/x/w.wav")
    assert log.assets_for(states["wav"])[0]["status"] == "done"
    for derived in (True, None):  # None: the schema indexes assets.track_id
        assert "wav" in {a["kind"] for a in log.board_rows([ok], derived=derived).assets}
    assert "wav" not in {a["kind"] for a in log.board_rows([ok], derived=False).assets}


def test_watch_list_and_finished_among(log, states):
    watched = ["pending", "processing", "unknown"]
    assert log.watch_list(watched) == {states[s]: s for s in watched}
    assert log.watch_list(watched, limit=1) == {states["pending"]: "pending"}  # newest
    finished = log.finished_among(list(states.values()))
    assert [t["id"] for t in finished] == [states["succeeded"], states["failed"], states["wav"]]
    assert log.finished_among([]) == []


def test_counts_models_and_lookups(log, states):
    assert log.count_all_tracks() == 4
    assert log.running_count() == 2
    assert log.distinct_models() == ["V4_5"]
    assert [t["id"] for t in log.get_tasks([states["failed"], "nope"])] == [states["failed"]]
    assert log.get_tasks([]) == []


def test_selection_rows_have_task_facts_and_archived_files(log, states):
    rows, files = log.selection_rows(["trk-ok-1", "missing"])
    (row,) = rows
    assert (row["id"], row["provider_task_id"], row["task_op"], row["task_model"],
            row["task_state"]) == ("trk-ok-1", "prov-ok", "generate", "V4_5", "succeeded")
    assert sorted(f["kind"] for f in files) == ["image", "mp3"]
    (wav_asset,) = log.assets_for(states["wav"])
    log.update_asset(wav_asset["id"], status="done", local_path="/x/w.wav")
    _, files = log.selection_rows(["trk-ok-1"])
    assert [f["kind"] for f in files][-1] == "wav" and files[-1]["local_path"] == "/x/w.wav"
    assert log.selection_rows([]) == ([], [])
