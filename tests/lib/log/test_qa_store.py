"""QA scorecards and settings in the log: saved per track, read one, many, or as flags."""


def _save(log, track_id, worst="warn", **kw):
    log.save_scorecard(track_id, {"checks": {"loudness": {"flag": worst}}, "x": float("1.5")},
                       worst=worst, flags={"loudness": worst, "tempo": "skip"},
                       summary=f"1 {worst}, 1 skip", thresholds_version="abcd1234",
                       computed_at=kw.pop("computed_at", 100.0), **kw)


def test_a_scorecard_is_saved_and_replaced(log):
    assert log.scorecard("trk1") is None
    _save(log, "trk1", "warn", task_id="t1", source="/a/trk1-mp3.mp3")
    row = log.scorecard("trk1")
    assert (row["worst"], row["task_id"], row["source"], row["thresholds_version"]) == (
        "warn", "t1", "/a/trk1-mp3.mp3", "abcd1234")
    _save(log, "trk1", "fail", computed_at=200.0)
    row = log.scorecard("trk1")
    assert (row["worst"], row["computed_at"]) == ("fail", 200.0)
    with log.raw_connection() as db:
        assert db.execute("SELECT COUNT(*) FROM qa").fetchone()[0] == 1


def test_scorecards_and_flags_for_many_tracks(log):
    for i in range(600):   # more ids than one IN (...) batch
        _save(log, f"trk{i}", ("ok", "warn", "fail")[i % 3])
    wanted = [f"trk{i}" for i in range(0, 600, 7)] + ["nope", "trk0"]
    rows = log.scorecards(wanted)
    assert set(rows) == {f"trk{i}" for i in range(0, 600, 7)}
    flags = log.flags_for(wanted)
    assert flags["trk7"] == {"worst": "warn", "flags": {"loudness": "warn", "tempo": "skip"},
                             "summary": "1 warn, 1 skip", "computed_at": 100.0}
    assert "nope" not in flags and log.flags_for([]) == {}


def test_settings_hold_json_values(log):
    assert log.get_setting("qa.thresholds") is None
    log.set_setting("qa.thresholds", {"true_peak_ok": -2.0})
    assert log.get_setting("qa.thresholds") == {"true_peak_ok": -2.0}
    log.set_setting("qa.thresholds", {"true_peak_ok": -3.0}, now=5.0)
    assert log.get_setting("qa.thresholds") == {"true_peak_ok": -3.0}
    log.set_setting("qa.thresholds", None)
    assert log.get_setting("qa.thresholds") is None


def test_thresholds_are_loaded_and_saved_through_the_log(log):
    from lib.qa import Thresholds
    from lib.qa import thresholds as qa_thresholds

    assert qa_thresholds.load(log) == Thresholds()
    qa_thresholds.save(log, Thresholds(true_peak_ok=-2.0))
    assert qa_thresholds.load(log).true_peak_ok == -2.0


def test_latest_from_track_finds_the_newest_succeeded_task(log):
    from lib.contract.family import PollResult
    from lib.contract.states import State

    older = log.create_task("timestamped_lyrics", "sync", {}, source_audio_id="trk1", now=1.0)
    newer = log.create_task("timestamped_lyrics", "sync", {}, source_audio_id="trk1", now=2.0)
    failed = log.create_task("timestamped_lyrics", "sync", {}, source_audio_id="trk1", now=3.0)
    for task_id, state in ((older, State.SUCCEEDED), (newer, State.SUCCEEDED),
                           (failed, State.FAILED)):
        log.apply_poll(task_id, PollResult(None, state, None, result={"alignedWords": []}),
                       next_poll_at=None)
    assert log.latest_from_track("trk1", "timestamped_lyrics")["id"] == newer
    assert log.latest_from_track("trk2", "timestamped_lyrics") is None
    assert log.latest_from_track("trk1", "wav") is None
