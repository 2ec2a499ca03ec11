"""The board's view models (`lib.views.board`, `lib.views.board_live`, `lib.views.board_detail`),
without Streamlit."""

from __future__ import annotations

import pytest

from lib.log.sqlite import SqliteLog, plans
from lib.views import board, board_live
from lib.views.board_detail import task_detail
from tests.bench.seed import seed_states


@pytest.fixture
def log(tmp_path):
    return SqliteLog(tmp_path / "songbench.db")


@pytest.fixture
def states(log, tmp_path):
    return seed_states(log, tmp_path / "assets", now=1_000_000.0)


def test_elapsed_text():
    assert board.elapsed_text(7.9) == "7 s"
    assert board.elapsed_text(125) == "2 min 05 s"
    assert board.elapsed_text(3 * 3600 + 61) == "3 h 01 min"
    assert board.elapsed_text(2 * 86400 + 4 * 3600) == "2 d 4 h"
    assert board.elapsed_text(-3) == "0 s"


def test_stage_labels():
    assert board.stage_label("pending", None, None) == "Sending to the provider"
    assert board.stage_label("pending", "queued", "p1") == "Queued at the provider"
    assert board.stage_label("processing", "first", "p1") == "First track ready (streaming)"
    assert board.stage_label("failed", None, None) == "Rejected"
    assert board.stage_label("unknown", None, None) == "No answer to the create request"


def test_explain_failure_in_words():
    row = {"state": "failed", "raw_status": "SENSITIVE_WORD_ERROR", "error_code": 400,
           "error_message": "Lyrics contain an artist name"}
    failure = board.explain_failure(row)
    assert failure.code == 400
    assert "sensitive words or an artist name" in failure.text
    assert "“Lyrics contain an artist name”" in failure.text
    refunded = board.explain_failure({**row, "raw_status": "GENERATE_AUDIO_FAILED",
                                      "error_code": 531, "error_message": None})
    assert "could not generate the audio" in refunded.text
    assert "credits were refunded" in refunded.text
    rejected = board.explain_failure({"state": "failed", "raw_status": None, "error_code": 429,
                                      "error_message": "Out of credits: top up"})
    assert rejected.text == "Out of credits: top up"
    assert board.explain_failure({**row, "state": "succeeded"}) is None
    unknown = board.explain_failure({"state": "unknown", "error_code": None,
                                     "error_message": None})
    assert "not resubmitted" in unknown.text


def test_board_page_shows_every_state(log, states, tmp_path):
    page = board.board_page(log, limit=10, assets_dir=(tmp_path / "assets").resolve(),
                            now=1_000_000.0)
    assert page.total == 6
    assert page.running == 2
    by_id = {v.id: v for v in page.tasks}
    assert [v.state for v in page.tasks][:2] == ["pending", "processing"]  # newest first
    processing = by_id[states["processing"]]
    assert processing.stage_label == "First track ready (streaming)"
    assert processing.tracks[0].audio.url == "http://127.0.0.1:9/stream/trk-proc-1"
    assert processing.tracks[1].audio is None
    ok = by_id[states["succeeded"]]
    first = ok.tracks[0]
    assert first.audio.rel_path == f"{ok.id}/trk-ok-1-mp3.mp3"
    assert first.image.rel_path == f"{ok.id}/trk-ok-1-image.jpeg"
    assert [d.label for d in first.downloads] == ["MP3"]
    assert ok.tracks[1].audio.rel_path is None  # not archived yet: provider URL
    assert ok.tracks[1].audio.url.endswith("trk-ok-2.mp3")
    assert ok.elapsed == "3 s"
    failed = by_id[states["failed"]]
    assert failed.failure.code == 400 and "artist name" in failed.failure.text
    wav = by_id[states["wav"]]
    assert [(f.kind, f.url) for f in wav.files] == [("wav", "http://127.0.0.1:9/w/trk-ok-1.wav")]


def test_board_page_filters_and_pages(log, states):
    assert [v.id for v in board.board_page(log, state=["failed"]).tasks] == [states["failed"]]
    page = board.board_page(log, op=["generate"], limit=2, offset=2)
    assert page.total == 5 and len(page.tasks) == 2


def test_derived_files_join_the_source_track(log, states):
    """Files made from a track (WAV here) show on the source card; the schema indexes track_id."""
    with log.raw_connection() as db:
        db.execute("UPDATE assets SET status = 'done', local_path = '/x/w.wav' WHERE kind = 'wav'")
        assert plans.index_on(db, "assets", "track_id")
    plans._INDEX_CACHE.clear()
    ok = next(v for v in board.board_page(log).tasks if v.id == states["succeeded"])
    assert [d.kind for d in ok.tracks[0].downloads] == ["mp3", "wav"]


def test_toasts_announce_finished_and_failed(log, states):
    toasts, watched = board_live.finished_toasts(log, None)
    assert toasts == [] and set(watched) == {states["pending"], states["processing"],
                                             states["unknown"]}
    log.mark_failed(states["pending"], 430, "Too many requests: wait and retry")
    log.mark_failed(states["processing"], None, "x")
    with log.raw_connection() as db:
        db.execute("UPDATE tasks SET state = 'succeeded' WHERE id = ?", [states["processing"]])
    toasts, watched = board_live.finished_toasts(log, watched)
    texts = sorted(t.text for t in toasts)
    assert texts[0].startswith("Failed: Quiet Harbor (code 430). Too many requests")
    assert texts[1] == "Finished: Neon River"
    assert set(watched) == {states["unknown"]}
    assert board_live.finished_toasts(log, watched)[0] == []


def test_detail_has_request_events_and_timeline(log, states, tmp_path):
    detail = task_detail(log, states["succeeded"], assets_dir=(tmp_path / "assets").resolve())
    assert detail.request["title"] == "Golden Echo"
    assert {e["kind"] for e in detail.events} >= {"poll", "callback", "state"}
    assert detail.events[0]["body"] == {"kind": "poll"}
    whats = [m["what"] for m in detail.timeline]
    assert whats[0] == "Logged (before sending)"
    assert "Provider status SUCCESS" in whats and "Callback complete code=200" in whats
    assert whats[-1] == "Finished (succeeded)"
    assert [m["offset_s"] for m in detail.timeline] == sorted(m["offset_s"] for m in detail.timeline)
    assert task_detail(log, "nope") is None


def test_result_summary():
    assert board.result_summary("lyrics", {"variants": [{"title": "A"}, {"title": None}]}) == \
        "2 lyrics variants: A, untitled"
    assert board.result_summary("persona", {"personaId": "p1", "name": "Ana"}) == "Persona Ana (p1)"
    assert board.result_summary("persona", None) is None


def test_stable_slots_never_move_a_row():
    first = board_live.stable_slots(None, ["c", "b", "a"], accept_new=True)
    assert first == ["a", "b", "c"]                               # oldest first, shown reversed
    tick = board_live.stable_slots(first, ["e", "d", "c"], accept_new=True)
    assert tick == ["a", "b", "c", "d", "e"]                      # appended; a, b stay put
    assert board_live.stable_slots(tick, ["f", "e"], accept_new=False) == tick  # page > 1


def test_each_failure_says_what_happened_to_the_credits():
    from lib.views.charges import charge_note

    refused = {"state": "failed", "provider_task_id": None, "error_code": 429}
    assert "none charged" in charge_note(refused)
    refunded = {"state": "failed", "provider_task_id": "p", "error_code": 531}
    assert "refunded" in charge_note(refunded)
    kept = {"state": "failed", "provider_task_id": "p", "error_code": 400,
            "raw_status": "SENSITIVE_WORD_ERROR"}
    assert "kept by the provider" in charge_note(kept)
    assert "may have made" in charge_note({"state": "unknown"})
    assert charge_note({"state": "succeeded"}) is None
    failure = board.explain_failure({**kept, "family": "music", "error_message": "x"})
    assert failure.credits == charge_note(kept)


def test_cards_say_what_was_asked(log, tmp_path):
    from tests.bench.seed import seed_small_experiment

    made = seed_small_experiment(log, now=1_000_000.0)
    untitled = log.create_task("generate", "music", {}, prompt="just a prompt\nand more",
                               model="V6_WILD", now=1_000_100.0)
    views = board.views_for(log, [*made["tasks"], untitled], tmp_path)
    exp = views[made["tasks"][1]]
    assert exp.name == "Night Train 2.1" and exp.model_text == "V4.5+"
    assert exp.asked == "“a fast rock song about trains” · variant: rock-fast · repeat 2"
    plain = views[untitled]
    assert plain.name == "just a prompt" and plain.model_text == "V6 wild"
    assert plain.asked is None  # the prompt already names the task: not said twice


def test_page_views_carry_each_take_s_latest_review_in_one_read(log, states, monkeypatch):
    from lib.review.decisions import decide

    decide(log, "trk-ok-1", "approve", reviewer="Ana")
    decide(log, "trk-ok-1", "flag", reviewer="Ben", reason="hiss in the intro")
    decide(log, "trk-ok-2", "note", reviewer="Ana", reason="nice bridge")  # a note: no badge
    calls = []
    original = log.latest_reviews
    monkeypatch.setattr(log, "latest_reviews",
                        lambda ids: calls.append(list(ids)) or original(ids))
    page = board.board_page(log)
    tracks = {t.id: t for v in page.tasks for t in v.tracks}
    assert (tracks["trk-ok-1"].review_action, tracks["trk-ok-1"].review) == \
        ("flag", "⚑ flagged: hiss in the intro")
    assert tracks["trk-ok-2"].review_action is None and tracks["trk-ok-2"].review == ""
    assert len(calls) == 1 and set(calls[0]) == set(tracks)
