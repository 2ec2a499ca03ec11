"""Filters of `list_tasks` / `count_tasks` / `list_tracks`: values, dates, full text, rating."""

from tests.lib import contract_examples as ex
from tests.lib.log.support import new_task, poll, seed_library


def test_list_tasks_filters(log):
    ids = seed_library(log)
    assert log.count_tasks(op="generate") == 13
    assert log.count_tasks(op=["generate", "lyrics"]) == 25
    assert log.count_tasks(model="V5") == 9
    assert log.count_tasks(op="generate", model="V5") == 5
    assert log.count_tasks(state="pending") == 25 and log.count_tasks(state="failed") == 0
    assert log.count_tasks(created_from=1010.0, created_to=1015.0) == 5
    assert log.count_tasks(text="piano") == 5
    assert log.count_tasks(text="pia") == 5  # prefix match
    assert log.count_tasks(text='calm "piano') == 5  # quotes cannot break the FTS query
    assert log.count_tasks(text=ids[3]) == 1  # exact local id
    assert [t["id"] for t in log.list_tasks(text="song 7")] == [ids[7]]


def test_text_search_reaches_track_lyrics_and_min_rating(log):
    task_id = new_task(log)
    other = new_task(log)
    for t in (task_id, other):
        log.mark_submitted(t, f"p-{t}", next_poll_at=0, now=100.0)
    log.apply_poll(task_id, poll("music", ex.MUSIC_RECORD_INFO_OPENAPI), next_poll_at=1,
                   now=101.0)
    assert [t["id"] for t in log.list_tasks(text="electrifying")] == [task_id]
    assert log.count_tasks(min_rating=4) == 0
    log.set_rating("8551****662c", 5)
    assert [t["id"] for t in log.list_tasks(min_rating=4)] == [task_id]
    assert log.count_tracks(min_rating=5) == 1
    tracks = log.list_tracks(text="electrifying")
    assert tracks[0]["task_op"] == "generate" and tracks[0]["task_state"] == "succeeded"
