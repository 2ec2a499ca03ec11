"""Finding a task by any id a user sees: `TaskLog.resolve_task` and the id part of text search."""

from tests.lib import contract_examples as ex
from tests.lib.log.support import new_task, poll


def _with_ids(log, *ids, now=100.0):
    """Tasks with chosen local ids (``create_task(task_id=...)``), oldest first."""
    return [log.create_task("generate", "music", {"prompt": f"song {i}"}, task_id=task_id,
                            prompt=f"song {i}", now=now + i) for i, task_id in enumerate(ids)]


def test_resolve_by_full_id_short_id_and_provider_id(log):
    task_id = new_task(log)
    other = new_task(log, now=101.0)
    log.mark_submitted(task_id, "5c79be8e-provider", next_poll_at=0, now=102.0)
    assert [t["id"] for t in log.resolve_task(task_id)] == [task_id]           # full local id
    assert [t["id"] for t in log.resolve_task(task_id[:8])] == [task_id]       # as messages say
    assert [t["id"] for t in log.resolve_task(f"  {task_id[:6].upper()} ")] == [task_id]
    assert [t["id"] for t in log.resolve_task("5c79be8e-provider")] == [task_id]
    assert log.resolve_task(other[:5]) == []            # shorter than 6: never a prefix
    assert log.resolve_task("5c79be8e") == []           # provider ids match whole only
    assert log.resolve_task("") == [] and log.resolve_task("two words") == []
    assert log.resolve_task("ffffffffffff") == []


def test_ambiguous_prefix_lists_the_matches_newest_first(log):
    ids = _with_ids(log, "abcdef01" + "0" * 24, "abcdef02" + "0" * 24, "abcdf000" + "0" * 24)
    assert [t["id"] for t in log.resolve_task("abcdef")] == [ids[1], ids[0]]
    assert [t["id"] for t in log.resolve_task("abcdef", limit=1)] == [ids[1]]
    assert [t["id"] for t in log.resolve_task("abcdef02")] == [ids[1]]
    assert [t["id"] for t in log.resolve_task("abcdf0")] == [ids[2]]
    # a local id wins over a provider id that happens to equal it, and over longer ids
    log.mark_submitted(ids[2], ids[0], next_poll_at=0, now=200.0)
    assert [t["id"] for t in log.resolve_task(ids[0])] == [ids[0]]


def test_resolve_uses_the_primary_key(log):
    with log.raw_connection() as db:
        plan = " ".join(str(r) for r in db.execute(
            "EXPLAIN QUERY PLAN SELECT * FROM tasks WHERE id >= ? AND id < ? "
            "ORDER BY created_at DESC LIMIT 10", ["abcdef", "abcdeg"]).fetchall())
    assert "sqlite_autoindex_tasks_1" in plan, plan


def test_text_search_finds_tasks_and_tracks_by_any_id(log):
    task_id = new_task(log)
    other = new_task(log, now=101.0)
    for t, provider in ((task_id, "prov-one"), (other, "prov-two")):
        log.mark_submitted(t, provider, next_poll_at=0, now=102.0)
    log.apply_poll(task_id, poll("music", ex.MUSIC_RECORD_INFO_OPENAPI), next_poll_at=1,
                   now=103.0)
    tracks = log.count_tracks(task_id=task_id)
    assert tracks >= 1
    for ref in (task_id, task_id[:8], task_id[:6].upper(), "prov-one"):
        assert [t["id"] for t in log.list_tasks(text=ref)] == [task_id], ref
        assert log.count_tasks(text=ref) == 1, ref
        found = log.list_tracks(text=ref)
        assert {t["task_id"] for t in found} == {task_id} and len(found) == tracks, ref
        assert log.count_tracks(text=ref) == tracks, ref
    assert log.count_tracks(text="prov-two") == 0         # the other task has no tracks
    assert log.count_tasks(text="prov-two") == 1
    assert log.count_tracks(text=task_id[:5]) == 0        # too short for an id prefix
    assert log.count_tracks(text="!!!") == 0 and log.count_tasks(text="!!!") == 0
