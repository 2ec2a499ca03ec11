"""`SqliteLog`: the task log in one SQLite file (WAL, busy timeout 5 s) over sqlite-utils.

Every method opens a short-lived connection (one unit of work), so one `SqliteLog` may be
shared by the UI threads and the tracker thread. Every write runs in a ``BEGIN IMMEDIATE``
transaction (`lib.log.sqlite.connection`), so concurrent writers wait instead of failing with
"database is locked". Timestamps are epoch seconds (float, UTC); ``now`` arguments default to
``time.time()``. Rows come back as plain dicts (`lib.log.rows`); JSON columns stay JSON text,
with our callback secret masked; logged headers are redacted. Schema:
`lib.log.sqlite.migrations`.

Events from `lib.provider.client.SunoClient(on_event=log.log_client_event)` are attributed to
the task whose work is running in the same thread, declared with ``with log.task_scope(id):``.

Hooks for benchmarks and tests only (not part of `lib.log.TaskLog`): `raw_connection` (a
sqlite-utils `Database` for assertions in SQL) and `bulk_insert` (seeding big logs fast).
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator, Mapping, Sequence
from enum import Enum
from pathlib import Path
from typing import Any, cast

from sqlite_utils import Database

from lib.log.rows import AssetRow, AssetStatus, EventRow
from lib.log.shared import capped_json, client_event_fields, current_task, task_scope, to_json
from lib.log.sqlite.connection import Connections
from lib.log.sqlite.experiments import Experiments
from lib.log.sqlite.lifecycle import Lifecycle
from lib.log.sqlite.playlists import Playlists
from lib.log.sqlite.qa import Qa
from lib.log.sqlite.reads import Reads
from lib.log.sqlite.recipes import Recipes
from lib.log.sqlite.review import Review
from lib.provider.redaction import redact_headers

FTS_TABLES = ("tasks", "tracks")  # tables with a full-text index kept current by triggers


class SqliteLog(Lifecycle, Reads, Experiments, Qa, Review, Playlists, Recipes):
    """The task log in a SQLite file. ``path`` must be a file (connections are per unit of
    work); it is created and migrated on open."""

    def __init__(self, path: str | Path) -> None:
        self._db = Connections(path)
        self.path = self._db.path
        #: Writes, lock retries and the slowest write of this process (for the soak).
        self.write_stats = self._db.write_stats

    @property
    def location(self) -> str:
        """The database file's path."""
        return str(self.path)

    # -- the user's ratings and notes ----------------------------------------------------------
    def set_rating(self, track_id: str, rating: int | None) -> None:
        """Rate a track 1-5 (None clears)."""
        if rating is not None and (not isinstance(rating, int) or not 1 <= rating <= 5):
            raise ValueError("rating must be an integer from 1 to 5, or None")
        self._db.execute_write_fn(
            lambda db: db.table("tracks").update(track_id, {"rating": rating}))

    def set_notes(self, track_id: str, notes: str | None) -> None:
        """Replace a track's free-text notes."""
        self._db.execute_write_fn(
            lambda db: db.table("tracks").update(track_id, {"notes": notes}))

    # -- result files ------------------------------------------------------------------------
    def assets_for(self, task_id: str) -> list[AssetRow]:
        """A task's assets (every status)."""
        return cast("list[AssetRow]", self._db.query(
            "SELECT * FROM assets WHERE task_id = ? ORDER BY id", [task_id]))

    def assets_due(self, now: float, limit: int = 20) -> list[AssetRow]:
        """Assets of succeeded tasks still to download (new, or failed and due for a retry)."""
        return cast("list[AssetRow]", self._db.query(
            "SELECT assets.* FROM assets JOIN tasks ON tasks.id = assets.task_id "
            "WHERE tasks.state = 'succeeded' AND (assets.status = ? OR "
            "(assets.status = ? AND IFNULL(assets.next_try_at, 0) <= ?)) "
            "ORDER BY assets.id LIMIT ?",
            [AssetStatus.PENDING.value, AssetStatus.ERROR.value, now, limit]))

    def update_asset(self, asset_id: int, **fields: Any) -> None:
        """Set asset columns (``status``, ``local_path``, ``bytes``, ``error``...)."""
        values = {k: v.value if isinstance(v, Enum) else v for k, v in fields.items()}
        self._db.execute_write_fn(lambda db: db.table("assets").update(asset_id, values))

    def save_local_asset(self, task_id: str, track_id: str | None, kind: str,
                         local_path: str | None, *, status: AssetStatus = AssetStatus.DONE,
                         content_type: str | None = None, size: int | None = None,
                         error: str | None = None, now: float | None = None) -> None:
        """Record a file we made ourselves (no provider URL), replacing any of that kind."""
        now = time.time() if now is None else now
        self._db.execute_write_fn(lambda db: db.execute(
            "INSERT OR REPLACE INTO assets (task_id, track_id, kind, url, local_path, "
            "content_type, bytes, status, error, attempts, created_at, downloaded_at) "
            "VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?, 1, ?, ?)",
            [task_id, track_id, kind, local_path, content_type, size, AssetStatus(status).value,
             error, now, now if local_path else None]))

    def assets_lacking(self, kind: str, lacking: str, limit: int = 5,
                       after_id: int = 0) -> list[AssetRow]:
        """Archived track assets of ``kind`` (id above ``after_id``) whose track has no
        ``lacking`` asset yet, in id order."""
        return cast("list[AssetRow]", self._db.query(
            "SELECT a.* FROM assets a WHERE a.id > ? AND a.kind = ? AND a.status = ? AND "
            "a.track_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM assets b WHERE "
            "b.track_id = a.track_id AND b.kind = ?) ORDER BY a.id LIMIT ?",
            [after_id, kind, AssetStatus.DONE.value, lacking, limit]))

    def set_track_local(self, track_id: str, *, audio: str | None = None,
                        image: str | None = None) -> None:
        """Record where a track's archived audio and/or image live."""
        fields = {k: v for k, v in (("local_audio_path", audio), ("local_image_path", image)) if v}
        if fields:
            self._db.execute_write_fn(lambda db: db.execute(
                f"UPDATE tracks SET {', '.join(f'{k} = ?' for k in fields)} WHERE id = ?",
                [*fields.values(), track_id]))

    # -- events ------------------------------------------------------------------------------
    def task_scope(self, task_id: str | None) -> contextlib.AbstractContextManager[None]:
        """Attribute `log_client_event` calls made inside the block (same thread) to a task."""
        return task_scope(task_id)

    def record_check(self, run_id: str, check_key: str, title: str, status: str, detail: str,
                     evidence: Any, cost: int, provider: str, started_at: float,
                     finished_at: float) -> int:
        """Keep one launch-checklist result."""
        row = {"run_id": run_id, "check_key": check_key, "title": title, "status": status,
               "detail": detail, "evidence_json": to_json(evidence), "cost": cost,
               "provider": provider, "started_at": started_at, "finished_at": finished_at}
        return self._db.execute_write_fn(
            lambda db: cast(int, db.table("checks").insert(row).last_pk))

    def check_results(self, limit: int = 200) -> list[dict[str, Any]]:
        """Launch-checklist results, newest first, with ``evidence`` parsed."""
        rows = self._db.query("SELECT * FROM checks ORDER BY started_at DESC, id DESC LIMIT ?",
                              [limit])
        for row in rows:
            row["evidence"] = json.loads(row.pop("evidence_json") or "null")
        return rows

    def log_event(self, task_id: str | None, kind: str, *, method: str | None = None,
                  url: str | None = None, status_code: int | None = None,
                  headers: dict | None = None, body: Any = None, note: str | None = None,
                  elapsed_ms: float | None = None, at: float | None = None) -> int:
        """Append one event (headers are redacted here); returns its id."""
        row = {"task_id": task_id, "at": time.time() if at is None else at,
               "kind": getattr(kind, "value", kind),  # an EventKind or its value
               "method": method, "url": url, "status_code": status_code,
               "elapsed_ms": elapsed_ms, "note": note,
               "headers_json": to_json(redact_headers(headers)), "body_json": capped_json(body)}
        return self._db.execute_write_fn(
            lambda db: cast(int, db.table("events").insert(row).last_pk))

    def log_client_event(self, event: dict) -> int:
        """`SunoClient` ``on_event`` hook: log a request/response/error for the current task."""
        return self.log_event(current_task(), **client_event_fields(event))

    def events_for(self, task_id: str, limit: int | None = None) -> list[EventRow]:
        """A task's events, oldest first."""
        return cast("list[EventRow]", self._db.query(
            "SELECT * FROM events WHERE task_id = ? ORDER BY at, id LIMIT ?",
            [task_id, -1 if limit is None else limit]))

    def orphan_callbacks(self, limit: int = 20) -> list[EventRow]:
        """Callbacks kept without a task, newest first."""
        return cast("list[EventRow]", self._db.query(
            "SELECT * FROM events WHERE task_id IS NULL AND kind = 'callback' "
            "ORDER BY at DESC, id DESC LIMIT ?", [limit]))

    # -- hooks for benchmarks and tests only -------------------------------------------------
    @contextlib.contextmanager
    def raw_connection(self) -> Iterator[Database]:
        """BENCHMARKS AND TESTS ONLY: a sqlite-utils `Database` on a fresh connection (same
        pragmas as the log's own), closed afterwards. Writes through it bypass the log's
        single write path; application code must use the `TaskLog` methods."""
        with self._db.raw() as db:
            yield db

    def bulk_insert(self, rows: Mapping[str, Sequence[Mapping[str, Any]]]) -> dict[str, int]:
        """BENCHMARKS AND TESTS ONLY: append ``{table: rows}`` in one transaction, fast.

        Rows are written as given (no redaction, no masking, no checks): one ``executemany``
        per table, with the full-text triggers dropped meanwhile and the full-text indexes
        rebuilt once at the end (the triggers cost more than the inserts). Returns the row
        count per table.
        """
        with self._db.raw() as db:
            db.execute("PRAGMA synchronous=OFF")
            db.execute("PRAGMA cache_size=-400000")  # random-key index inserts need a big cache
            db.conn.execute("BEGIN")
            tables = ", ".join(f"'{t}'" for t in FTS_TABLES)
            triggers = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                                  f"AND tbl_name IN ({tables})").fetchall()
            for name, _ in triggers:
                db.conn.execute(f"DROP TRIGGER [{name}]")
            for table, table_rows in rows.items():
                if table_rows:
                    cols = list(dict.fromkeys(k for r in table_rows[:50] for k in r))
                    db.conn.executemany(
                        f"INSERT INTO [{table}] ({', '.join(cols)}) "
                        f"VALUES ({', '.join('?' * len(cols))})",
                        ([r.get(c) for c in cols] for r in table_rows))
            for fts in (f"{t}_fts" for t in FTS_TABLES):
                db.conn.execute(f"INSERT INTO [{fts}]([{fts}]) VALUES ('rebuild')")
            for _, sql in triggers:
                db.conn.execute(sql)
            db.conn.commit()
        return {table: len(table_rows) for table, table_rows in rows.items()}
