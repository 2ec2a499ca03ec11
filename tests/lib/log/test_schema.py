"""The log file: migrations recorded once, WAL and busy timeout, the indexes the pages need."""

from lib.log.sqlite import SqliteLog
from lib.log.sqlite.migrations import MIGRATIONS


def test_migrations_are_recorded_and_idempotent(tmp_path):
    path = tmp_path / "log.db"
    SqliteLog(path)
    log = SqliteLog(path)  # a second open applies nothing and does not fail
    with log.raw_connection() as db:
        assert [m.name for m in MIGRATIONS.applied(db)] == ["m001_initial",
                                                            "m002_board_indexes",
                                                            "m003_poll_misses",
                                                            "m004_fts_on_text_changes_only",
                                                            "m005_launch_checks",
                                                            "m006_experiments",
                                                            "m007_qa_scorecards",
                                                            "m008_review",
                                                            "m009_playlists",
                                                            "m010_task_provider",
                                                            "m011_recipes",
                                                            "m012_media_qa"]
        assert MIGRATIONS.pending(db) == []
        assert {"tasks", "tracks", "assets", "events", "tasks_fts", "tracks_fts"} <= set(
            db.table_names())


def test_wal_and_busy_timeout(log):
    with log.raw_connection() as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 10000


def test_board_indexes_exist(log):
    with log.raw_connection() as db:
        indexed = {tuple(i.columns) for i in db["tasks"].indexes}
    for column in ("provider_task_id", "state", "created_at", "op", "model", "next_poll_at"):
        assert (column,) in indexed


def test_an_old_log_gains_the_new_columns(tmp_path):
    """A log made before m003 opens, migrates and keeps its rows (migrations append only)."""
    path = tmp_path / "old.db"
    log = SqliteLog(path)
    task_id = log.create_task("generate", "music", {"prompt": "x"})
    with log.raw_connection() as db:
        db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm003_poll_misses'")
        db.execute("ALTER TABLE tasks DROP COLUMN poll_misses")
        db.conn.commit()
    reopened = SqliteLog(path)
    assert reopened.get_task(task_id)["poll_misses"] == 0


def test_every_task_names_its_provider_and_older_rows_are_music(tmp_path):
    """m010: a log made before it keeps its rows, each now of provider ``music``; new rows
    name theirs."""
    path = tmp_path / "old.db"
    log = SqliteLog(path)
    old = log.create_task("generate", "music", {"prompt": "x"}, base_url="http://a")
    with log.raw_connection() as db:
        db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm010_task_provider'")
        db.execute("ALTER TABLE tasks DROP COLUMN provider")
        db.conn.commit()
    reopened = SqliteLog(path)
    assert reopened.get_task(old)["provider"] == "music"
    new = reopened.create_task("video_t2v", "dashscope_video", {"prompt": "x"},
                               provider="dashscope", base_url="http://gw", dialect="anyint")
    row = reopened.get_task(new)
    assert (row["provider"], row["base_url"], row["dialect"]) == ("dashscope", "http://gw",
                                                                  "anyint")


def test_polls_do_not_rewrite_the_full_text_index(log):
    """Only a change of the indexed text touches the FTS rows (m004)."""
    task_id = log.create_task("generate", "music", {"prompt": "x"}, title="Night", prompt="rain")
    with log.raw_connection() as db:
        changes = db.conn.total_changes
        db.execute("UPDATE tasks SET next_poll_at = 5, poll_count = 3 WHERE id = ?", [task_id])
        assert db.conn.total_changes - changes == 1  # the row itself, no FTS delete/insert
        db.execute("UPDATE tasks SET title = 'Dawn' WHERE id = ?", [task_id])
        db.conn.commit()
    assert [t["id"] for t in log.list_tasks(text="dawn")] == [task_id]
    assert log.list_tasks(text="night") == []
