"""The task log: a SQLite file (WAL, busy timeout 5 s) over sqlite-utils; schema in `lib.log.migrations`.

Every method opens a short-lived connection (one unit of work), so one `Store` may be shared by
the UI threads and the tracker thread. Every write runs in a ``BEGIN IMMEDIATE`` transaction: a
deferred transaction that reads (sqlite-utils inspects the table) and then writes fails at once
with "database is locked" in WAL mode when another connection committed in between, whatever
the busy timeout. Timestamps are epoch seconds (float, UTC); ``now`` arguments default to
``time.time()``. Rows come back as plain dicts; JSON columns stay JSON text.

Events from `lib.provider.client.SunoClient(on_event=store.log_client_event)` are attributed to the task
whose work is running in the same thread, declared with ``with store.task_scope(task_id):``.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from lib.app.config import mask_callback_secret
from lib.contract.states import State, merge, merge_stage
from lib.log.filters import task_where, track_where
from lib.contract.family import PollResult
from lib.log.migrations import MIGRATIONS

TERMINAL = (State.SUCCEEDED.value, State.FAILED.value)
SECRET_HEADERS = {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key",
                  "api-key", "x-webhook-secret"}
_current_task: contextvars.ContextVar[str | None] = contextvars.ContextVar("task", default=None)
_migrate_lock = threading.Lock()


def redact_headers(headers: dict | None) -> dict | None:
    """A copy of ``headers`` with credentials replaced by ``***``."""
    if headers is None:
        return None
    return {k: ("***" if str(k).lower() in SECRET_HEADERS else v) for k, v in dict(headers).items()}


def _json(value: Any) -> str | None:
    """JSON text for a column; our callback secret never reaches the log."""
    if value is None:
        return None
    return mask_callback_secret(json.dumps(value, ensure_ascii=False, default=str))


class Store:
    """The task log. ``path`` must be a file (connections are per unit of work)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with _migrate_lock, self.db() as db:
            db.execute("PRAGMA journal_mode=WAL")
            MIGRATIONS.apply(db)

    # -- plumbing ----------------------------------------------------------------------------
    @contextlib.contextmanager
    def db(self) -> Iterator[Database]:
        """A fresh `Database` on its own connection, closed afterwards."""
        conn = sqlite3.connect(self.path, timeout=5.0, check_same_thread=False)
        try:
            conn.execute("PRAGMA busy_timeout=5000")
            conn.execute("PRAGMA synchronous=NORMAL")  # durable enough with WAL, far fewer fsyncs
            yield Database(conn)
        finally:
            conn.close()

    @contextlib.contextmanager
    def _write(self) -> Iterator[Database]:
        """A write transaction taken up front (``BEGIN IMMEDIATE``) so upgrades never deadlock."""
        with self.db() as db:
            db.conn.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.conn.rollback()
                raise
            db.conn.commit()

    def _one(self, sql: str, params: Any = ()) -> dict | None:
        with self.db() as db:
            return next(db.query(sql, params), None)

    def _all(self, sql: str, params: Any = ()) -> list[dict]:
        with self.db() as db:
            return list(db.query(sql, params))

    def _update_task(self, db: Database, task_id: str, now: float, **fields: Any) -> None:
        db["tasks"].update(task_id, {**fields, "updated_at": now})

    # -- tasks -------------------------------------------------------------------------------
    def create_task(self, op: str, family: str, request: dict, *, dialect: str | None = None,
                    base_url: str | None = None, model: str | None = None,
                    title: str | None = None, prompt: str | None = None,
                    parent_task_id: str | None = None, source_audio_id: str | None = None,
                    now: float | None = None) -> str:
        """Log a new task (state ``pending``) and return its local id (32 hex chars)."""
        now = time.time() if now is None else now
        task_id = uuid.uuid4().hex
        with self._write() as db:
            db["tasks"].insert({
                "id": task_id, "op": op, "family": family, "dialect": dialect,
                "base_url": base_url, "model": model, "title": title, "prompt": prompt,
                "request_json": _json(request), "parent_task_id": parent_task_id,
                "source_audio_id": source_audio_id, "state": State.PENDING.value,
                "created_at": now, "updated_at": now, "poll_count": 0,
            })
        return task_id

    def get_task(self, task_id: str) -> dict | None:
        """One task row, or None."""
        return self._one("SELECT * FROM tasks WHERE id = ?", [task_id])

    def find_by_provider_id(self, provider_task_id: str) -> dict | None:
        """The (latest) task with this provider ``taskId``, or None."""
        return self._one("SELECT * FROM tasks WHERE provider_task_id = ? "
                         "ORDER BY created_at DESC LIMIT 1", [provider_task_id])

    def mark_submitted(self, task_id: str, provider_task_id: str | None, *,
                       next_poll_at: float | None, now: float | None = None) -> None:
        """The provider accepted the create: store its task id and schedule the first poll."""
        now = time.time() if now is None else now
        with self._write() as db:
            self._update_task(db, task_id, now, provider_task_id=provider_task_id,
                              submitted_at=now, stage="queued", next_poll_at=next_poll_at)

    def mark_unknown(self, task_id: str, message: str, *, now: float | None = None) -> None:
        """The create was sent but its outcome is unknown: not polled, never resubmitted."""
        now = time.time() if now is None else now
        with self._write() as db:
            self._update_task(db, task_id, now, state=State.UNKNOWN.value, submitted_at=now,
                              error_message=message, next_poll_at=None)

    def mark_failed(self, task_id: str, code: int | None, message: str, *,
                    now: float | None = None) -> None:
        """A terminal failure (e.g. the create was rejected); unlike polls this is unconditional."""
        now = time.time() if now is None else now
        with self._write() as db:
            self._update_task(db, task_id, now, state=State.FAILED.value, stage="error",
                              error_code=code, error_message=message, finished_at=now,
                              next_poll_at=None)

    def link_provider_id(self, task_id: str, provider_task_id: str, *,
                         now: float | None = None) -> None:
        """Attach a provider task id learned later (e.g. to an ``unknown`` task) and poll it now."""
        now = time.time() if now is None else now
        with self._write() as db:
            self._update_task(db, task_id, now, provider_task_id=provider_task_id,
                              next_poll_at=now)

    def mark_due(self, task_id: str, *, now: float | None = None) -> bool:
        """Make a pollable (non-terminal, has a provider id) task due now; False otherwise."""
        now = time.time() if now is None else now
        with self._write() as db:
            cur = db.execute(
                "UPDATE tasks SET next_poll_at = ?, updated_at = ? WHERE id = ? "
                "AND provider_task_id IS NOT NULL AND state NOT IN (?, ?)",
                [now, now, task_id, *TERMINAL])
            return cur.rowcount == 1

    def resume(self, *, now: float | None = None) -> int:
        """After a restart: every non-terminal task with a provider id becomes due now."""
        now = time.time() if now is None else now
        with self._write() as db:
            return db.execute(
                "UPDATE tasks SET next_poll_at = ? WHERE provider_task_id IS NOT NULL "
                "AND state NOT IN (?, ?)", [now, *TERMINAL]).rowcount

    def due_tasks(self, now: float, limit: int = 20) -> list[dict]:
        """Tasks whose next poll is due, earliest first (terminal/unlinked ones never are)."""
        return self._all(
            "SELECT * FROM tasks WHERE next_poll_at IS NOT NULL AND next_poll_at <= ? "
            "AND provider_task_id IS NOT NULL AND state NOT IN (?, ?) "
            "ORDER BY next_poll_at LIMIT ?", [now, *TERMINAL, limit])

    def record_poll_error(self, task_id: str, *, next_poll_at: float,
                          now: float | None = None) -> None:
        """A poll attempt failed (transport/5xx): count it and back off; the state is unchanged."""
        now = time.time() if now is None else now
        with self._write() as db:
            db.execute("UPDATE tasks SET poll_count = poll_count + 1, last_polled_at = ?, "
                       "next_poll_at = ?, updated_at = ? WHERE id = ? AND state NOT IN (?, ?)",
                       [now, next_poll_at, now, task_id, *TERMINAL])

    def apply_poll(self, task_id: str, poll: PollResult, *, next_poll_at: float | None,
                   now: float | None = None) -> tuple[State, State]:
        """Apply one poll (or synchronous) answer; returns ``(old_state, new_state)``.

        Never backwards: the state goes through `lifecycle.merge`, the stage through
        `merge_stage`, the raw status only changes with a non-regressing stage, and track
        fields are only filled, never blanked. A terminal task keeps everything. Reaching a
        terminal state sets ``finished_at`` and clears ``next_poll_at``.
        """
        now = time.time() if now is None else now
        with self._write() as db:
            row = db["tasks"].get(task_id)
            old = State(row["state"])
            if old.terminal:
                return old, old
            new = merge(old, poll.state)
            stage = merge_stage(row["stage"], poll.stage)
            fields: dict[str, Any] = {
                "state": new.value, "stage": stage, "last_polled_at": now,
                "poll_count": row["poll_count"] + 1,
                "next_poll_at": None if new.terminal else next_poll_at,
            }
            if stage == poll.stage:
                fields["raw_status"] = None if poll.raw_status is None else str(poll.raw_status)
            if poll.error_code is not None or poll.error_message:
                fields.update(error_code=poll.error_code, error_message=poll.error_message)
            if poll.result is not None:
                fields["result_json"] = _json(poll.result)
            if new.terminal:
                fields["finished_at"] = now
            self._update_task(db, task_id, now, **fields)
            self._upsert_tracks(db, task_id, poll)
            self._add_assets(db, task_id, poll, now)
            return old, new

    def _upsert_tracks(self, db: Database, task_id: str, poll: PollResult) -> None:
        cols = ["title", "tags", "lyrics", "model_name", "duration", "audio_url",
                "stream_audio_url", "image_url", "create_time"]
        updates = ", ".join(f"{c} = COALESCE(excluded.{c}, tracks.{c})" for c in cols)
        for t in poll.tracks:
            db.execute(
                f"INSERT INTO tracks (id, task_id, idx, {', '.join(cols)}) "
                f"VALUES ({', '.join('?' * (len(cols) + 3))}) "
                f"ON CONFLICT(id) DO UPDATE SET {updates}",
                [t.id or f"{task_id}:{t.index}", task_id, t.index,
                 *(getattr(t, c) for c in cols)])

    def _add_assets(self, db: Database, task_id: str, poll: PollResult, now: float) -> None:
        for a in poll.assets:
            db.execute("INSERT OR IGNORE INTO assets (task_id, track_id, kind, url, status, "
                       "attempts, created_at) VALUES (?, ?, ?, ?, 'pending', 0, ?)",
                       [task_id, a.track_id, a.kind, a.url, now])
            # a newer URL replaces an undownloaded one (e.g. a re-signed link)
            db.execute("UPDATE assets SET url = ? WHERE task_id = ? AND IFNULL(track_id, '') = "
                       "IFNULL(?, '') AND kind = ? AND status != 'done'",
                       [a.url, task_id, a.track_id, a.kind])

    # -- listing -----------------------------------------------------------------------------
    def list_tasks(self, *, limit: int = 50, offset: int = 0, **filters: Any) -> list[dict]:
        """Tasks newest first, filtered and paginated in SQL; filters as in `lib.log.filters`."""
        where, params = task_where(**filters)
        return self._all(f"SELECT * FROM tasks WHERE {where} ORDER BY created_at DESC, id "
                         "LIMIT ? OFFSET ?", [*params, limit, offset])

    def count_tasks(self, **filters: Any) -> int:
        """How many tasks `list_tasks` would page through with the same filters."""
        where, params = task_where(**filters)
        return self._one(f"SELECT COUNT(*) AS n FROM tasks WHERE {where}", params)["n"]

    def list_tracks(self, *, limit: int = 50, offset: int = 0, **filters: Any) -> list[dict]:
        """Tracks (newest task first) with ``task_op``, ``task_model``, ``task_state``,
        ``task_created_at``; filters as in `lib.log.filters.track_where`."""
        where, params = track_where(**filters)
        return self._all(
            "SELECT tracks.*, tasks.op AS task_op, tasks.model AS task_model, tasks.state AS "
            "task_state, tasks.created_at AS task_created_at FROM tracks JOIN tasks ON "
            f"tasks.id = tracks.task_id WHERE {where} ORDER BY tasks.created_at DESC, "
            "tracks.idx LIMIT ? OFFSET ?", [*params, limit, offset])

    def count_tracks(self, **filters: Any) -> int:
        """How many tracks `list_tracks` would page through."""
        where, params = track_where(**filters)
        return self._one("SELECT COUNT(*) AS n FROM tracks JOIN tasks ON tasks.id = "
                         f"tracks.task_id WHERE {where}", params)["n"]

    def tracks_for(self, task_id: str) -> list[dict]:
        """A task's tracks in provider order."""
        return self._all("SELECT * FROM tracks WHERE task_id = ? ORDER BY idx", [task_id])

    def get_track(self, track_id: str) -> dict | None:
        """One track row, or None."""
        return self._one("SELECT * FROM tracks WHERE id = ?", [track_id])

    def set_rating(self, track_id: str, rating: int | None) -> None:
        """Rate a track 1-5 (None clears)."""
        if rating is not None and (not isinstance(rating, int) or not 1 <= rating <= 5):
            raise ValueError("rating must be an integer from 1 to 5, or None")
        with self._write() as db:
            db["tracks"].update(track_id, {"rating": rating})

    def set_notes(self, track_id: str, notes: str | None) -> None:
        """Replace a track's free-text notes."""
        with self._write() as db:
            db["tracks"].update(track_id, {"notes": notes})

    # -- assets ------------------------------------------------------------------------------
    def assets_for(self, task_id: str) -> list[dict]:
        """A task's assets (every status)."""
        return self._all("SELECT * FROM assets WHERE task_id = ? ORDER BY id", [task_id])

    def assets_due(self, now: float, limit: int = 20) -> list[dict]:
        """Assets of succeeded tasks still to download (new, or failed and due for a retry)."""
        return self._all(
            "SELECT assets.* FROM assets JOIN tasks ON tasks.id = assets.task_id "
            "WHERE tasks.state = 'succeeded' AND (assets.status = 'pending' OR "
            "(assets.status = 'error' AND IFNULL(assets.next_try_at, 0) <= ?)) "
            "ORDER BY assets.id LIMIT ?", [now, limit])

    def update_asset(self, asset_id: int, **fields: Any) -> None:
        """Set asset columns (``status``, ``local_path``, ``bytes``, ``error``...)."""
        with self._write() as db:
            db["assets"].update(asset_id, fields)

    def set_track_local(self, track_id: str, *, audio: str | None = None,
                        image: str | None = None) -> None:
        """Record where a track's archived audio and/or image live."""
        fields = {k: v for k, v in (("local_audio_path", audio), ("local_image_path", image)) if v}
        if fields:
            with self._write() as db:
                db.execute(f"UPDATE tracks SET {', '.join(f'{k} = ?' for k in fields)} "
                           "WHERE id = ?", [*fields.values(), track_id])

    # -- events ------------------------------------------------------------------------------
    @contextlib.contextmanager
    def task_scope(self, task_id: str | None) -> Iterator[None]:
        """Attribute `log_client_event` calls made inside the block (same thread) to a task."""
        token = _current_task.set(task_id)
        try:
            yield
        finally:
            _current_task.reset(token)

    def log_event(self, task_id: str | None, kind: str, *, method: str | None = None,
                  url: str | None = None, status_code: int | None = None,
                  headers: dict | None = None, body: Any = None, note: str | None = None,
                  elapsed_ms: float | None = None, at: float | None = None) -> int:
        """Append one event (headers are redacted here); returns its id."""
        with self._write() as db:
            return db["events"].insert({
                "task_id": task_id, "at": time.time() if at is None else at, "kind": kind,
                "method": method, "url": url, "status_code": status_code,
                "elapsed_ms": elapsed_ms, "note": note,
                "headers_json": _json(redact_headers(headers)), "body_json": _json(body),
            }).last_pk

    def log_client_event(self, event: dict) -> int:
        """`SunoClient` ``on_event`` hook: log a request/response/error for the current task."""
        return self.log_event(
            _current_task.get(), event.get("kind", "request"), method=event.get("method"),
            url=event.get("url"), status_code=event.get("status_code"),
            headers=event.get("headers"), body=event.get("body"),
            note=" ".join(str(event[k]) for k in ("op", "error") if event.get(k)) or None,
            elapsed_ms=event.get("elapsed_ms"))

    def events_for(self, task_id: str, limit: int | None = None) -> list[dict]:
        """A task's events, oldest first."""
        return self._all("SELECT * FROM events WHERE task_id = ? ORDER BY at, id LIMIT ?",
                         [task_id, -1 if limit is None else limit])
