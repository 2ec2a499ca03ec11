"""The log's blind sessions, trials, review decisions and uploads (migration m008_review)."""

from __future__ import annotations

import pytest

from lib.log.sqlite import SqliteLog
from tests.lib.review.support import finished_experiment


@pytest.fixture
def log(tmp_path):
    return SqliteLog(tmp_path / "log.db")


def _session(log):
    return log.create_ab_session(name="S", x_label="warm", y_label="bright",
                                 pairs=[("x1", "y1", -10.0, -16.0), ("x2", "y2", None, -12.0)],
                                 pairing="matched", seed=9, source={"kind": "tracks"}, now=5.0)


def _plan(pair_ids):
    def plan(number):
        return [{"pair_id": pid, "position": i, "x_is_a": (i + number) % 2,
                 "a_track_id": f"a{pid}", "b_track_id": f"b{pid}", "a_gain_db": -1.0,
                 "b_gain_db": 0.0} for i, pid in enumerate(pair_ids)]
    return plan


def test_a_session_keeps_its_pairs_in_order_with_a_random_token(log):
    sid = _session(log)
    session = log.get_ab_session(sid)
    assert (session["name"], session["x_label"], session["seed"]) == ("S", "warm", 9)
    assert len(session["token"]) >= 20 and session["token"] != sid
    assert [(p["seq"], p["x_track_id"], p["x_lufs"], p["y_lufs"]) for p in log.ab_pairs(sid)] \
        == [(0, "x1", -10.0, -16.0), (1, "x2", None, -12.0)]
    assert [s["id"] for s in log.list_ab_sessions()] == [sid]
    assert log.get_ab_session("nope") is None


def test_reviewers_join_once_with_numbers_in_order(log):
    sid = _session(log)
    ids = [p["id"] for p in log.ab_pairs(sid)]
    calls = []

    def plan(number):
        calls.append(number)
        return _plan(ids)(number)

    assert log.join_ab_session(sid, "ana", plan, now=6.0) == 0
    assert log.join_ab_session(sid, "ben", plan, now=7.0) == 1
    assert log.join_ab_session(sid, "ana", plan, now=8.0) == 0  # joins again: same trials
    assert calls == [0, 1]
    ana = log.ab_trials(sid, "ana")
    assert [t["position"] for t in ana] == [0, 1] and [t["x_is_a"] for t in ana] == [0, 1]
    assert len({t["token"] for t in log.ab_trials(sid)}) == 4  # every trial its own token
    assert [t["reviewer"] for t in log.ab_trials(sid)] == ["ana", "ana", "ben", "ben"]


def test_an_answer_is_written_once_with_the_real_take_preferred(log):
    sid = _session(log)
    log.join_ab_session(sid, "ana", _plan([p["id"] for p in log.ab_pairs(sid)]))
    first, second = log.ab_trials(sid, "ana")
    assert log.answer_ab_trial(first["id"], "b", reason="warmer vocal", now=9.0)
    assert not log.answer_ab_trial(first["id"], "a", now=10.0)  # the first answer stays
    assert log.answer_ab_trial(second["id"], "none", now=11.0)
    first, second = log.ab_trials(sid, "ana")
    assert (first["choice"], first["preferred_track_id"], first["reason"],
            first["answered_at"]) == ("b", first["b_track_id"], "warmer vocal", 9.0)
    assert (second["choice"], second["preferred_track_id"]) == ("none", None)
    with pytest.raises(ValueError):
        log.answer_ab_trial(second["id"], "c")


def test_the_blind_route_resolves_tokens_to_the_archived_file_only(log, tmp_path):
    exp = finished_experiment(log, tmp_path / "assets", repeats=1)
    warm, bright = (log.tracks_for(t["id"])[0] for t in log.experiment_tasks(exp))
    sid = log.create_ab_session(name="S", x_label="warm", y_label="bright",
                                pairs=[(warm["id"], bright["id"], None, None)],
                                pairing="matched", seed=1)
    pid = log.ab_pairs(sid)[0]["id"]
    log.join_ab_session(sid, "ana", lambda n: [{
        "pair_id": pid, "position": 0, "x_is_a": 0, "a_track_id": bright["id"],
        "b_track_id": warm["id"], "a_gain_db": 0.0, "b_gain_db": -6.0}])
    token = log.get_ab_session(sid)["token"]
    trial = log.ab_trials(sid)[0]["token"]
    assert log.blind_audio_path(token, trial, "a") == bright["local_audio_path"]
    assert log.blind_audio_path(token, trial, "b") == warm["local_audio_path"]
    assert log.blind_audio_path(token, trial, "c") is None
    assert log.blind_audio_path("wrong", trial, "a") is None
    assert log.blind_audio_path(token, "wrong", "a") is None


def test_review_history_is_kept_and_the_latest_decision_wins(log):
    log.add_review("t1", "approve", reviewer="ana", reason="clean", now=1.0)
    log.add_review("t1", "flag", reviewer="ben", reason="clipping at 0:40?", now=2.0)
    log.add_review("t1", "note", reviewer="ana", reason="checked: fine", now=3.0)
    log.add_review("t2", "reject", reviewer="ana", reason="off key", now=1.0)
    log.add_review("t3", "note", reviewer="ana", reason="just a note", now=1.0)
    assert [r["action"] for r in log.review_history("t1")] == ["note", "flag", "approve"]
    latest = log.latest_reviews(["t1", "t2", "t3", "t4"])
    assert {k: v["action"] for k, v in latest.items()} == {"t1": "flag", "t2": "reject"}
    assert latest["t1"]["reviewer"] == "ben"
    with pytest.raises(ValueError):
        log.add_review("t1", "love")


def test_approved_tracks_are_those_whose_latest_decision_is_approve(log, tmp_path):
    exp = finished_experiment(log, tmp_path / "assets", repeats=1)
    a, b, c, d = (t["id"] for task in log.experiment_tasks(exp) for t in log.tracks_for(task["id"]))
    log.add_review(a, "approve", reviewer="ana", now=1.0)
    log.add_review(b, "approve", reviewer="ana", now=2.0)
    log.add_review(b, "reject", reviewer="ben", reason="noise", now=3.0)  # no longer approved
    log.add_review(c, "reject", reviewer="ben", reason="noise", now=1.0)
    log.add_review(c, "approve", reviewer="ana", now=4.0)  # approved after all
    log.add_review(c, "note", reviewer="ana", reason="for the demo", now=5.0)  # notes keep it
    assert [t["id"] for t in log.approved_tracks()] == [c, a]
    assert d not in [t["id"] for t in log.approved_tracks()]


def test_latest_reviews_handles_more_ids_than_one_statement_binds(log):
    for i in range(1200):
        log.add_review(f"t{i}", "approve", reviewer="ana", now=float(i))
    assert len(log.latest_reviews([f"t{i}" for i in range(1200)])) == 1200


def test_uploads_keep_their_attestation(log):
    log.record_upload(file_name="abc-take.wav", name="take.wav", size=10, url="https://u/1",
                      via="upload host", local_path="/tmp/x", attested=True,
                      statement="The team may use this audio", now=3.0)
    [row] = log.uploads_named("abc-take.wav")
    assert (row["attested"], row["statement"], row["attested_at"]) == (
        1, "The team may use this audio", 3.0)
