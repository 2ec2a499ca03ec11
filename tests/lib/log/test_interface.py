"""The boundary of `lib.log`: one interface (`TaskLog`), all SQL in `lib/log/sqlite/`."""

import inspect
import re
from pathlib import Path

from lib.log import AssetStatus, EventKind, TaskLog, open_log
from lib.log.sqlite import SqliteLog

ROOT = Path(__file__).resolve().parents[3]
BACKEND = ROOT / "lib" / "log" / "sqlite"
#: SQL, SQLite drivers and SQLite-only constructs that must stay inside the backend
FORBIDDEN = re.compile(r"sqlite3|sqlite_utils|SELECT |INSERT |UPDATE |DELETE FROM|PRAGMA|"
                       r"BEGIN IMMEDIATE|INDEXED BY|raw_connection|bulk_insert|\.db\(\)")


def test_no_sql_outside_the_sqlite_backend():
    sources = [p for d in ("lib", "pages") for p in (ROOT / d).rglob("*.py")
               if BACKEND not in p.parents]
    assert len(sources) > 30  # the scan really looked at the app
    hits = [f"{p.relative_to(ROOT)}:{n}: {line.strip()}"
            for p in sources for n, line in enumerate(p.read_text().splitlines(), start=1)
            if FORBIDDEN.search(line)]
    assert hits == []


#: every public method of the former ``Store``: all of them are part of the interface
FORMER_STORE = ["create_task", "get_task", "find_by_provider_id", "mark_submitted", "mark_unknown", "mark_failed", "link_provider_id", "mark_due", "resume", "due_tasks", "record_poll_error", "apply_poll", "list_tasks", "count_tasks", "list_tracks", "count_tracks", "tracks_for", "get_track", "set_rating", "set_notes", "assets_for", "assets_due", "update_asset", "set_track_local", "task_scope", "log_event", "log_client_event", "events_for"]


def _members(cls) -> dict:
    return {name: value for name, value in vars(cls).items()
            if not name.startswith("_") and (callable(value) or isinstance(value, property))}


def test_sqlite_log_implements_every_task_log_method_with_the_same_signature():
    wanted = _members(TaskLog)
    assert set(FORMER_STORE) < set(wanted)
    for name, member in wanted.items():
        impl = inspect.getattr_static(SqliteLog, name, None)
        assert impl is not None, f"SqliteLog lacks {name}"
        if isinstance(member, property):
            assert isinstance(impl, property), name
            continue
        want = [(p.name, p.kind, p.default) for p in inspect.signature(member).parameters.values()]
        got = [(p.name, p.kind, p.default) for p in inspect.signature(impl).parameters.values()]
        assert got == want, name


def test_open_log_gives_a_sqlite_log(tmp_path):
    log = open_log(tmp_path / "x.db")
    assert isinstance(log, SqliteLog) and log.location == str(tmp_path / "x.db")


def test_enum_values_are_the_stored_strings(log):
    assert [s.value for s in AssetStatus] == ["pending", "done", "error", "failed"]
    assert [k.value for k in EventKind] == ["request", "response", "error", "poll", "callback",
                                            "state", "asset"]
    task_id = log.create_task("generate", "music", {})
    log.log_event(task_id, EventKind.POLL, note="SUCCESS")
    assert log.events_for(task_id)[0]["kind"] == "poll"
    with log.raw_connection() as db:
        assert db.execute("SELECT typeof(kind), kind FROM events").fetchone() == ("text", "poll")
