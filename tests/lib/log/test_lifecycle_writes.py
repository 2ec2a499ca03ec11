"""The task lifecycle the tracker writes: create, submit, poll answers, unknown/failed, resume."""

import copy
import json

from lib.contract.states import State
from lib.families import parse_poll
from tests.lib import contract_examples as ex
from tests.lib.log.support import new_task, poll


def test_create_task_is_pending_and_keeps_the_body(log):
    body = {"prompt": "night city", "model": "V5", "callBackUrl": "https://cb"}
    task_id = log.create_task("generate", "music", body, model="V5", title="T",
                              prompt="night city", dialect="sunoapi", base_url="http://x",
                              now=10.0)
    row = log.get_task(task_id)
    assert len(task_id) == 32 and row["state"] == "pending" and row["provider_task_id"] is None
    assert json.loads(row["request_json"]) == body
    assert (row["created_at"], row["updated_at"], row["poll_count"]) == (10.0, 10.0, 0)


def test_submitted_then_due_then_found_by_provider_id(log):
    task_id = new_task(log)
    assert log.due_tasks(1e9) == []  # no provider id yet
    log.mark_submitted(task_id, "prov-1", next_poll_at=102.0, now=100.0)
    assert log.due_tasks(101.0) == []
    assert [t["id"] for t in log.due_tasks(102.0)] == [task_id]
    assert log.find_by_provider_id("prov-1")["id"] == task_id
    assert log.find_by_provider_id("nope") is None


def test_apply_poll_stores_tracks_assets_and_finishes(log):
    task_id = new_task(log)
    log.mark_submitted(task_id, "p", next_poll_at=0, now=100.0)
    assert log.apply_poll(task_id, poll("music", ex.MUSIC_RECORD_INFO_FIRST_SUCCESS),
                          next_poll_at=105.0, now=101.0) == (State.PENDING, State.PROCESSING)
    row = log.get_task(task_id)
    assert (row["stage"], row["raw_status"], row["next_poll_at"], row["poll_count"]) == (
        "first", "FIRST_SUCCESS", 105.0, 1)
    done = log.apply_poll(task_id, poll("music", ex.MUSIC_RECORD_INFO_OPENAPI),
                          next_poll_at=110.0, now=102.0)
    assert done == (State.PROCESSING, State.SUCCEEDED)
    row = log.get_task(task_id)
    assert (row["finished_at"], row["next_poll_at"], row["stage"]) == (102.0, None, "complete")
    tracks = log.tracks_for(task_id)
    assert [t["id"] for t in tracks] == ["8551****662c", "bd15****1873"]
    assert tracks[0]["audio_url"] == "https://example.cn/****.mp3"
    kinds = {(a["track_id"], a["kind"]) for a in log.assets_for(task_id)}
    assert ("8551****662c", "mp3") in kinds and ("bd15****1873", "image") in kinds
    assert log.due_tasks(1e9) == []


def test_out_of_order_answers_never_go_backwards(log):
    task_id = new_task(log)
    log.mark_submitted(task_id, "p", next_poll_at=0, now=100.0)
    log.apply_poll(task_id, poll("music", ex.MUSIC_RECORD_INFO_FIRST_SUCCESS),
                   next_poll_at=1, now=101.0)
    old = log.apply_poll(task_id, poll("music", ex.MUSIC_RECORD_INFO_TEXT_SUCCESS),
                         next_poll_at=1, now=102.0)
    assert old == (State.PROCESSING, State.PROCESSING)
    row = log.get_task(task_id)
    assert (row["stage"], row["raw_status"]) == ("first", "FIRST_SUCCESS")
    log.apply_poll(task_id, poll("music", ex.MUSIC_RECORD_INFO), next_poll_at=1, now=103.0)
    after = log.apply_poll(task_id, poll("music", ex.MUSIC_RECORD_INFO_PENDING),
                           next_poll_at=1, now=104.0)
    assert after == (State.SUCCEEDED, State.SUCCEEDED)
    row = log.get_task(task_id)
    assert (row["state"], row["raw_status"], row["finished_at"]) == ("succeeded", "SUCCESS", 103.0)


def test_stale_answers_do_not_blank_track_urls(log):
    task_id = new_task(log)
    log.mark_submitted(task_id, "p", next_poll_at=0, now=100.0)
    complete = copy.deepcopy(ex.MUSIC_RECORD_INFO_FIRST_SUCCESS["data"])
    complete["response"]["sunoData"][0]["audioUrl"] = "https://x/a.mp3"
    log.apply_poll(task_id, parse_poll("music", complete), next_poll_at=1, now=101.0)
    log.apply_poll(task_id, poll("music", ex.MUSIC_RECORD_INFO_TEXT_SUCCESS), next_poll_at=1,
                   now=102.0)
    assert log.tracks_for(task_id)[0]["audio_url"] == "https://x/a.mp3"


def test_failure_from_poll_keeps_code_and_message(log):
    task_id = new_task(log)
    log.mark_submitted(task_id, "p", next_poll_at=0, now=100.0)
    log.apply_poll(task_id, poll("music", ex.MUSIC_RECORD_INFO_SENSITIVE), next_poll_at=1,
                   now=101.0)
    row = log.get_task(task_id)
    assert (row["state"], row["stage"], row["error_code"]) == ("failed", "error", 400)
    assert "artist name" in row["error_message"]


def test_result_json_for_lyrics(log):
    task_id = new_task(log, op="lyrics", family="lyrics")
    log.mark_submitted(task_id, "p", next_poll_at=0, now=100.0)
    log.apply_poll(task_id, poll("lyrics", ex.LYRICS_RECORD_INFO), next_poll_at=1, now=101.0)
    result = json.loads(log.get_task(task_id)["result_json"])
    assert result["variants"][0]["title"] == "钢铁侠"


def test_unknown_failed_due_and_resume(log):
    unknown = new_task(log)
    log.mark_unknown(unknown, "timed out", now=101.0)
    failed = new_task(log)
    log.mark_failed(failed, 413, "too long", now=101.0)
    live = new_task(log)
    log.mark_submitted(live, "p-live", next_poll_at=500.0, now=101.0)
    assert log.get_task(unknown)["state"] == "unknown"
    assert log.get_task(failed)["finished_at"] == 101.0
    assert not log.mark_due(unknown, now=102.0)  # no provider id: nothing to poll
    assert not log.mark_due(failed, now=102.0)  # terminal
    assert log.resume(now=103.0) == 1
    assert [t["id"] for t in log.due_tasks(103.0)] == [live]
    log.link_provider_id(unknown, "p-found", now=104.0)
    assert {t["id"] for t in log.due_tasks(104.0)} == {live, unknown}


def test_record_poll_error_backs_off_without_changing_state(log):
    task_id = new_task(log)
    log.mark_submitted(task_id, "p", next_poll_at=0, now=100.0)
    log.record_poll_error(task_id, next_poll_at=130.0, now=101.0)
    row = log.get_task(task_id)
    assert (row["state"], row["poll_count"], row["next_poll_at"]) == ("pending", 1, 130.0)


def test_a_callback_during_a_poll_keeps_the_task_due(log):
    """The poll was sent at 101; a callback made the task due at 102 while it ran; the poll's
    answer (back-off to 3701) must not push the hint away."""
    task_id = new_task(log)
    log.mark_submitted(task_id, "p", next_poll_at=100.0, now=100.0)
    assert log.mark_due(task_id, now=102.0)
    log.apply_poll(task_id, poll("music", ex.MUSIC_RECORD_INFO_FIRST_SUCCESS),
                   next_poll_at=3701.0, now=101.0)
    assert log.get_task(task_id)["next_poll_at"] == 102.0
    log.mark_due(task_id, now=3702.5)
    log.record_poll_error(task_id, next_poll_at=9000.0, now=3702.0)
    assert log.get_task(task_id)["next_poll_at"] == 3702.5
    # without a hint the back-off applies
    log.apply_poll(task_id, poll("music", ex.MUSIC_RECORD_INFO_FIRST_SUCCESS),
                   next_poll_at=9999.0, now=3703.0)
    assert log.get_task(task_id)["next_poll_at"] == 9999.0


def test_recovered_links_replace_the_tracks_audio_url(log):
    song = new_task(log)
    log.mark_submitted(song, "p", next_poll_at=0, now=100.0)
    log.apply_poll(song, poll("music", ex.MUSIC_RECORD_INFO), next_poll_at=None,
                   now=101.0)
    track_ids = [t["id"] for t in log.tracks_for(song)]
    other = new_task(log, now=150.0)
    log.mark_submitted(other, "p2", next_poll_at=0, now=150.0)
    log.apply_poll(other, poll("music", ex.MUSIC_RECORD_INFO_FIRST_SUCCESS), next_poll_at=None,
                   now=151.0)
    track_ids += [t["id"] for t in log.tracks_for(other)][:1]
    before = log.get_track(track_ids[1])["audio_url"]
    rescue = new_task(log, op="recovery", family="recovery")
    log.mark_submitted(rescue, "r", next_poll_at=0, now=200.0)
    answer = {"code": 200, "msg": "success", "task_id": "r", "data": [
        {"id": track_ids[0], "audio_url": "https://fresh/1.m4a", "title": "A",
         "status": "success", "error": ""},
        {"id": track_ids[1], "status": "failed", "error": "clip_error"}]}
    old, new = log.apply_poll(rescue, parse_poll("recovery", answer), next_poll_at=None,
                              now=201.0)
    assert new is State.SUCCEEDED
    assert log.get_track(track_ids[0])["audio_url"] == "https://fresh/1.m4a"
    assert log.get_track(track_ids[1])["audio_url"] == before  # not recovered: unchanged
    assets = log.assets_for(rescue)
    assert [(a["kind"], a["track_id"], a["url"]) for a in assets] == [
        ("mp3", track_ids[0], "https://fresh/1.m4a")]
