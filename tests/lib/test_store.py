"""lib.log.store: migrations, WAL, the task lifecycle writes, filters, pagination, ratings, events."""

import copy
import json
import threading

import pytest
from sqlite_utils import Database

from lib.contract.states import State
from lib.families import parse_poll
from lib.log.migrations import MIGRATIONS
from lib.log.store import Store
from tests.lib import contract_examples as ex


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "log.db")


def poll(family, envelope):
    return parse_poll(family, copy.deepcopy(envelope["data"]))


def new_task(store, *, op="generate", now=100.0, **kw):
    return store.create_task(op, kw.pop("family", "music"), {"prompt": kw.get("prompt")},
                             now=now, **kw)


def test_migrations_are_recorded_and_idempotent(tmp_path):
    path = tmp_path / "log.db"
    Store(path)
    Store(path)  # a second open applies nothing and does not fail
    db = Database(path)
    assert [m.name for m in MIGRATIONS.applied(db)] == ["m001_initial", "m002_board_indexes"]
    assert MIGRATIONS.pending(db) == []
    assert {"tasks", "tracks", "assets", "events", "tasks_fts", "tracks_fts"} <= set(
        db.table_names())


def test_wal_and_busy_timeout(store):
    with store.db() as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 5000


def test_board_indexes_exist(store):
    with store.db() as db:
        indexed = {tuple(i.columns) for i in db["tasks"].indexes}
    for column in ("provider_task_id", "state", "created_at", "op", "model", "next_poll_at"):
        assert (column,) in indexed


def test_create_task_is_pending_and_keeps_the_body(store):
    body = {"prompt": "night city", "model": "V5", "callBackUrl": "https://cb"}
    task_id = store.create_task("generate", "music", body, model="V5", title="T",
                                prompt="night city", dialect="sunoapi", base_url="http://x",
                                now=10.0)
    row = store.get_task(task_id)
    assert len(task_id) == 32 and row["state"] == "pending" and row["provider_task_id"] is None
    assert json.loads(row["request_json"]) == body
    assert (row["created_at"], row["updated_at"], row["poll_count"]) == (10.0, 10.0, 0)


def test_submitted_then_due_then_found_by_provider_id(store):
    task_id = new_task(store)
    assert store.due_tasks(1e9) == []  # no provider id yet
    store.mark_submitted(task_id, "prov-1", next_poll_at=102.0, now=100.0)
    assert store.due_tasks(101.0) == []
    assert [t["id"] for t in store.due_tasks(102.0)] == [task_id]
    assert store.find_by_provider_id("prov-1")["id"] == task_id
    assert store.find_by_provider_id("nope") is None


def test_apply_poll_stores_tracks_assets_and_finishes(store):
    task_id = new_task(store)
    store.mark_submitted(task_id, "p", next_poll_at=0, now=100.0)
    assert store.apply_poll(task_id, poll("music", ex.MUSIC_RECORD_INFO_FIRST_SUCCESS),
                            next_poll_at=105.0, now=101.0) == (State.PENDING, State.PROCESSING)
    row = store.get_task(task_id)
    assert (row["stage"], row["raw_status"], row["next_poll_at"], row["poll_count"]) == (
        "first", "FIRST_SUCCESS", 105.0, 1)
    done = store.apply_poll(task_id, poll("music", ex.MUSIC_RECORD_INFO_OPENAPI),
                            next_poll_at=110.0, now=102.0)
    assert done == (State.PROCESSING, State.SUCCEEDED)
    row = store.get_task(task_id)
    assert (row["finished_at"], row["next_poll_at"], row["stage"]) == (102.0, None, "complete")
    tracks = store.tracks_for(task_id)
    assert [t["id"] for t in tracks] == ["8551****662c", "bd15****1873"]
    assert tracks[0]["audio_url"] == "https://example.cn/****.mp3"
    kinds = {(a["track_id"], a["kind"]) for a in store.assets_for(task_id)}
    assert ("8551****662c", "mp3") in kinds and ("bd15****1873", "image") in kinds
    assert store.due_tasks(1e9) == []


def test_out_of_order_answers_never_go_backwards(store):
    task_id = new_task(store)
    store.mark_submitted(task_id, "p", next_poll_at=0, now=100.0)
    store.apply_poll(task_id, poll("music", ex.MUSIC_RECORD_INFO_FIRST_SUCCESS),
                     next_poll_at=1, now=101.0)
    old = store.apply_poll(task_id, poll("music", ex.MUSIC_RECORD_INFO_TEXT_SUCCESS),
                           next_poll_at=1, now=102.0)
    assert old == (State.PROCESSING, State.PROCESSING)
    row = store.get_task(task_id)
    assert (row["stage"], row["raw_status"]) == ("first", "FIRST_SUCCESS")
    store.apply_poll(task_id, poll("music", ex.MUSIC_RECORD_INFO), next_poll_at=1, now=103.0)
    after = store.apply_poll(task_id, poll("music", ex.MUSIC_RECORD_INFO_PENDING),
                             next_poll_at=1, now=104.0)
    assert after == (State.SUCCEEDED, State.SUCCEEDED)
    row = store.get_task(task_id)
    assert (row["state"], row["raw_status"], row["finished_at"]) == ("succeeded", "SUCCESS", 103.0)


def test_stale_answers_do_not_blank_track_urls(store):
    task_id = new_task(store)
    store.mark_submitted(task_id, "p", next_poll_at=0, now=100.0)
    complete = copy.deepcopy(ex.MUSIC_RECORD_INFO_FIRST_SUCCESS["data"])
    complete["response"]["sunoData"][0]["audioUrl"] = "https://x/a.mp3"
    store.apply_poll(task_id, parse_poll("music", complete), next_poll_at=1, now=101.0)
    store.apply_poll(task_id, poll("music", ex.MUSIC_RECORD_INFO_TEXT_SUCCESS), next_poll_at=1,
                     now=102.0)
    assert store.tracks_for(task_id)[0]["audio_url"] == "https://x/a.mp3"


def test_failure_from_poll_keeps_code_and_message(store):
    task_id = new_task(store)
    store.mark_submitted(task_id, "p", next_poll_at=0, now=100.0)
    store.apply_poll(task_id, poll("music", ex.MUSIC_RECORD_INFO_SENSITIVE), next_poll_at=1,
                     now=101.0)
    row = store.get_task(task_id)
    assert (row["state"], row["stage"], row["error_code"]) == ("failed", "error", 400)
    assert "artist name" in row["error_message"]


def test_result_json_for_lyrics(store):
    task_id = new_task(store, op="lyrics", family="lyrics")
    store.mark_submitted(task_id, "p", next_poll_at=0, now=100.0)
    store.apply_poll(task_id, poll("lyrics", ex.LYRICS_RECORD_INFO), next_poll_at=1, now=101.0)
    result = json.loads(store.get_task(task_id)["result_json"])
    assert result["variants"][0]["title"] == "钢铁侠"


def test_unknown_failed_due_and_resume(store):
    unknown = new_task(store)
    store.mark_unknown(unknown, "timed out", now=101.0)
    failed = new_task(store)
    store.mark_failed(failed, 413, "too long", now=101.0)
    live = new_task(store)
    store.mark_submitted(live, "p-live", next_poll_at=500.0, now=101.0)
    assert store.get_task(unknown)["state"] == "unknown"
    assert store.get_task(failed)["finished_at"] == 101.0
    assert not store.mark_due(unknown, now=102.0)  # no provider id: nothing to poll
    assert not store.mark_due(failed, now=102.0)  # terminal
    assert store.resume(now=103.0) == 1
    assert [t["id"] for t in store.due_tasks(103.0)] == [live]
    store.link_provider_id(unknown, "p-found", now=104.0)
    assert {t["id"] for t in store.due_tasks(104.0)} == {live, unknown}


def test_record_poll_error_backs_off_without_changing_state(store):
    task_id = new_task(store)
    store.mark_submitted(task_id, "p", next_poll_at=0, now=100.0)
    store.record_poll_error(task_id, next_poll_at=130.0, now=101.0)
    row = store.get_task(task_id)
    assert (row["state"], row["poll_count"], row["next_poll_at"]) == ("pending", 1, 130.0)


def _seed_library(store):
    ids = []
    for i in range(25):
        op = "generate" if i % 2 == 0 else "lyrics"
        model = "V5" if i % 3 == 0 else "V4_5"
        ids.append(store.create_task(op, "music", {}, model=model, title=f"song {i}",
                                     prompt="calm piano" if i < 5 else "loud rock",
                                     now=1000.0 + i))
    return ids


def test_list_tasks_paginates_newest_first_in_sql(store):
    ids = _seed_library(store)
    assert store.count_tasks() == 25
    page1 = store.list_tasks(limit=10, offset=0)
    page3 = store.list_tasks(limit=10, offset=20)
    assert [t["id"] for t in page1] == ids[::-1][:10]
    assert [t["id"] for t in page3] == ids[::-1][20:]


def test_list_tasks_filters(store):
    ids = _seed_library(store)
    assert store.count_tasks(op="generate") == 13
    assert store.count_tasks(op=["generate", "lyrics"]) == 25
    assert store.count_tasks(model="V5") == 9
    assert store.count_tasks(op="generate", model="V5") == 5
    assert store.count_tasks(state="pending") == 25 and store.count_tasks(state="failed") == 0
    assert store.count_tasks(created_from=1010.0, created_to=1015.0) == 5
    assert store.count_tasks(text="piano") == 5
    assert store.count_tasks(text="pia") == 5  # prefix match
    assert store.count_tasks(text='calm "piano') == 5  # quotes cannot break the FTS query
    assert store.count_tasks(text=ids[3]) == 1  # exact local id
    assert [t["id"] for t in store.list_tasks(text="song 7")] == [ids[7]]


def test_text_search_reaches_track_lyrics_and_min_rating(store):
    task_id = new_task(store)
    other = new_task(store)
    for t in (task_id, other):
        store.mark_submitted(t, f"p-{t}", next_poll_at=0, now=100.0)
    store.apply_poll(task_id, poll("music", ex.MUSIC_RECORD_INFO_OPENAPI), next_poll_at=1,
                     now=101.0)
    assert [t["id"] for t in store.list_tasks(text="electrifying")] == [task_id]
    assert store.count_tasks(min_rating=4) == 0
    store.set_rating("8551****662c", 5)
    assert [t["id"] for t in store.list_tasks(min_rating=4)] == [task_id]
    assert store.count_tracks(min_rating=5) == 1
    tracks = store.list_tracks(text="electrifying")
    assert tracks[0]["task_op"] == "generate" and tracks[0]["task_state"] == "succeeded"


def test_rating_and_notes(store):
    task_id = new_task(store)
    store.mark_submitted(task_id, "p", next_poll_at=0, now=100.0)
    store.apply_poll(task_id, poll("music", ex.MUSIC_RECORD_INFO), next_poll_at=1, now=101.0)
    store.set_rating("8551****662c", 4)
    store.set_notes("8551****662c", "great hook")
    track = store.get_track("8551****662c")
    assert (track["rating"], track["notes"]) == (4, "great hook")
    store.set_rating("8551****662c", None)
    assert store.get_track("8551****662c")["rating"] is None
    for bad in (0, 6, 3.5, "5"):
        with pytest.raises(ValueError):
            store.set_rating("8551****662c", bad)


def test_events_are_redacted_and_attributed(store):
    task_id = new_task(store)
    store.log_event(task_id, "request", method="POST", url="http://x/api",
                    headers={"Authorization": "Bearer sk-secret", "X-Trace": "1"},
                    body={"prompt": "p"}, at=5.0)
    with store.task_scope(task_id):
        store.log_client_event({"kind": "response", "method": "POST", "url": "http://x/api",
                                "status_code": 200, "headers": {"cookie": "c"},
                                "body": {"code": 200}, "op": "generate", "elapsed_ms": 12})
    store.log_client_event({"kind": "request", "method": "GET", "url": "http://x/credit"})
    events = store.events_for(task_id)
    assert [e["kind"] for e in events] == ["request", "response"]
    assert "sk-secret" not in events[0]["headers_json"]
    assert json.loads(events[0]["headers_json"]) == {"Authorization": "***", "X-Trace": "1"}
    assert json.loads(events[1]["headers_json"]) == {"cookie": "***"}
    assert (events[1]["status_code"], events[1]["elapsed_ms"]) == (200, 12)
    with store.db() as db:
        assert db["events"].count_where("task_id IS NULL") == 1


def test_concurrent_writers_do_not_lock(store):
    """The UI, the tracker and the callback route write from different threads at once."""
    task_id = new_task(store)
    store.mark_submitted(task_id, "p", next_poll_at=0, now=1.0)
    errors = []

    def writer(n):
        try:
            for i in range(25):
                new_task(store, prompt=f"w{n}-{i}")
                store.log_event(task_id, "poll", body={"n": n, "i": i})
                store.record_poll_error(task_id, next_poll_at=1.0, now=1.0)
                store.mark_due(task_id, now=2.0)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(store.events_for(task_id)) == 150
    assert store.get_task(task_id)["poll_count"] == 150
    assert store.count_tasks() == 151


def test_callback_secret_never_reaches_the_log(tmp_path):
    """The callback URL's secret path segment is masked in request_json and event bodies."""
    from lib.log.store import Store

    store = Store(tmp_path / "s.db")
    body = {"prompt": "x", "callBackUrl": "http://127.0.0.1:8501/api/callbacks/s3cr3t-Token_1"}
    task_id = store.create_task("generate", "music", body)
    store.log_event(task_id, "request", body=body)
    with store.db() as db:
        dump = "\n".join(str(row) for t in ("tasks", "events") for row in db[t].rows)
    assert "s3cr3t-Token_1" not in dump
    assert "/api/callbacks/***" in dump
