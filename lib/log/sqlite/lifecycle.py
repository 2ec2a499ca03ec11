"""`SqliteLog`'s task lifecycle: the writes the tracker makes, and the reads it polls by."""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

from sqlite_utils import Database

from lib.contract.states import Stage, State, merge, merge_stage, stage_rank
from lib.log.rows import (
    AssetStatus, CallbackDelivery, CallbackRecorded, CellRef, CellStatus, TaskRow,
)
from lib.log.shared import capped_json, to_json
from lib.log.sqlite.connection import Connections
from lib.provider.redaction import redact_headers

if TYPE_CHECKING:
    from lib.contract.family import PollResult

TERMINAL = (State.SUCCEEDED.value, State.FAILED.value)
TRACK_FIELDS = ("title", "tags", "lyrics", "model_name", "duration", "audio_url",
                "stream_audio_url", "image_url", "create_time")


def _update_task(db: Database, task_id: str, now: float, **fields: Any) -> None:
    db.table("tasks").update(task_id, {**fields, "updated_at": now})


class Lifecycle:
    """Tasks from ``pending`` to ``succeeded``/``failed``/``unknown`` (mixed into `SqliteLog`)."""

    _db: Connections

    def create_task(self, op: str, family: str, request: dict, *, dialect: str | None = None,
                    base_url: str | None = None, provider: str = "music",
                    model: str | None = None,
                    title: str | None = None, prompt: str | None = None,
                    parent_task_id: str | None = None, source_audio_id: str | None = None,
                    now: float | None = None, task_id: str | None = None,
                    cell: CellRef | None = None) -> str:
        """Log a new task (state ``pending``) and return its local id (32 hex chars). With
        ``cell`` the task is that experiment cell's, and the cell is marked sent in the same
        write."""
        now = time.time() if now is None else now
        task_id = task_id or uuid.uuid4().hex
        row = {
            "id": task_id, "op": op, "family": family, "provider": provider,
            "dialect": dialect, "base_url": base_url, "model": model, "title": title,
            "prompt": prompt,
            "request_json": to_json(request), "parent_task_id": parent_task_id,
            "source_audio_id": source_audio_id, "state": State.PENDING.value,
            "created_at": now, "updated_at": now, "poll_count": 0,
        }
        if cell is not None:
            row.update(experiment_id=cell.experiment_id, variant=cell.variant,
                       repeat_no=cell.repeat_no)

        def insert(db: Database) -> None:
            db.table("tasks").insert(row)
            if cell is not None:
                db.execute("UPDATE experiment_cells SET status = ?, task_id = ?, sent_at = ? "
                           "WHERE id = ?", [CellStatus.SENT.value, task_id, now, cell.cell_id])

        self._db.execute_write_fn(insert)
        return task_id

    def get_task(self, task_id: str) -> TaskRow | None:
        """One task row, or None."""
        return cast("TaskRow | None", self._db.query_one("SELECT * FROM tasks WHERE id = ?",
                                                         [task_id]))

    def find_by_provider_id(self, provider_task_id: str) -> TaskRow | None:
        """The (latest) task with this provider ``taskId``, or None."""
        return cast("TaskRow | None", self._db.query_one(
            "SELECT * FROM tasks WHERE provider_task_id = ? ORDER BY created_at DESC LIMIT 1",
            [provider_task_id]))

    def mark_submitted(self, task_id: str, provider_task_id: str | None, *,
                       next_poll_at: float | None, now: float | None = None) -> None:
        """The provider accepted the create: store its task id and schedule the first poll."""
        at = time.time() if now is None else now
        self._db.execute_write_fn(lambda db: _update_task(
            db, task_id, at, provider_task_id=provider_task_id, submitted_at=at, stage="queued",
            next_poll_at=next_poll_at))

    def mark_unknown(self, task_id: str, message: str, *, now: float | None = None) -> bool:
        """The create was sent but its outcome is unknown: not polled, never resubmitted.
        A task a callback already linked to its provider task keeps going (returns False)."""
        at = time.time() if now is None else now
        return self._db.execute_write_fn(lambda db: db.execute(
            "UPDATE tasks SET state = ?, submitted_at = ?, error_message = ?, next_poll_at = NULL,"
            " updated_at = ? WHERE id = ? AND provider_task_id IS NULL",
            [State.UNKNOWN.value, at, message, at, task_id]).rowcount == 1)

    def mark_failed(self, task_id: str, code: int | str | None, message: str, *,
                    now: float | None = None) -> None:
        """A terminal failure (e.g. the create was rejected); unlike polls this is unconditional."""
        at = time.time() if now is None else now
        self._db.execute_write_fn(lambda db: _update_task(
            db, task_id, at, state=State.FAILED.value, stage="error", error_code=code,
            error_message=message, finished_at=at, next_poll_at=None))

    def link_provider_id(self, task_id: str, provider_task_id: str, *,
                         now: float | None = None) -> None:
        """Attach a provider task id learned later (e.g. to an ``unknown`` task) and poll it now."""
        at = time.time() if now is None else now
        self._db.execute_write_fn(lambda db: _update_task(
            db, task_id, at, provider_task_id=provider_task_id, next_poll_at=at))

    def expire_unsent(self, *, older_than: float, message: str,
                      now: float | None = None) -> list[str]:
        """Pending tasks with no provider id, created before ``older_than``, become unknown."""
        at = time.time() if now is None else now

        def expire(db: Database) -> list[str]:
            ids = [r[0] for r in db.execute(
                "SELECT id FROM tasks WHERE state = ? AND provider_task_id IS NULL "
                "AND created_at < ?", [State.PENDING.value, older_than]).fetchall()]
            for task_id in ids:
                _update_task(db, task_id, at, state=State.UNKNOWN.value, error_message=message,
                             next_poll_at=None)
            return ids

        return self._db.execute_write_fn(expire)

    def record_callback(self, provider_task_id: str, *, local_id: str | None,
                        headers: dict | None, body: Any, note: str,
                        now: float | None = None, make_due: bool = True,
                        reached: Sequence[str] = ()) -> tuple[str | None, bool, bool]:
        """Find or link the task, log the delivery and make the task due, in one write."""
        (recorded,) = self.record_callbacks(
            [CallbackDelivery(provider_task_id, local_id, headers, body, note,
                              make_due=make_due, reached=tuple(reached))], now=now)
        return recorded.task_id, recorded.due, recorded.linked

    def record_callbacks(self, deliveries: Sequence[CallbackDelivery], *,
                         now: float | None = None,
                         reread_gap: float = 0.0) -> list[CallbackRecorded]:
        """Every delivery of a batch: find or link its task, log it, make the task due as
        `record_callback` says (not sooner than ``reread_gap`` after its last poll); one write
        for the whole batch."""
        at = time.time() if now is None else now

        def record(db: Database) -> list[CallbackRecorded]:
            out = []
            for d in deliveries:
                row = db.execute("SELECT id FROM tasks WHERE provider_task_id = ? "
                                 "ORDER BY created_at DESC LIMIT 1",
                                 [d.provider_task_id]).fetchone()
                task_id, linked = (row[0] if row else None), False
                if task_id is None and d.local_id:
                    linked = db.execute(
                        "UPDATE tasks SET provider_task_id = ?, next_poll_at = ?, updated_at = ? "
                        "WHERE id = ? AND provider_task_id IS NULL",
                        [d.provider_task_id, at, at, d.local_id]).rowcount == 1
                    task_id = d.local_id if linked else None
                body = capped_json(d.body)
                due, now_ = ((True, True) if linked else
                             _reread(db, task_id, d.reached, body, at, reread_gap)
                             if task_id is not None and d.make_due else (False, False))
                note = d.note + (" (linked)" if linked else "") + (
                    f" (delivered {d.copies} times)" if d.copies > 1 else "")
                events = [(task_id, at, "callback", note, to_json(redact_headers(d.headers)),
                           body)]
                if linked:
                    events.append((task_id, at, "state", f"linked to provider task "
                                   f"{d.provider_task_id} by its callback",
                                   None, to_json({"provider_task_id": d.provider_task_id})))
                db.conn.executemany("INSERT INTO events (task_id, at, kind, note, headers_json, "
                                    "body_json) VALUES (?, ?, ?, ?, ?, ?)", events)
                out.append(CallbackRecorded(task_id, due, linked, due_now=now_))
            return out

        return self._db.execute_write_fn(record)

    def mark_due(self, task_id: str, *, now: float | None = None) -> bool:
        """Make a pollable (non-terminal, has a provider id) task due now; False otherwise."""
        at = time.time() if now is None else now
        return self._db.execute_write_fn(lambda db: db.execute(
            "UPDATE tasks SET next_poll_at = ?, updated_at = ? WHERE id = ? "
            "AND provider_task_id IS NOT NULL AND state NOT IN (?, ?)",
            [at, at, task_id, *TERMINAL]).rowcount == 1)

    def resume(self, *, now: float | None = None) -> int:
        """After a restart: every non-terminal task with a provider id becomes due now."""
        at = time.time() if now is None else now
        return self._db.execute_write_fn(lambda db: db.execute(
            "UPDATE tasks SET next_poll_at = ? WHERE provider_task_id IS NOT NULL "
            "AND state NOT IN (?, ?)", [at, *TERMINAL]).rowcount)

    def due_tasks(self, now: float, limit: int = 20) -> list[TaskRow]:
        """Tasks whose next poll is due, earliest first (terminal/unlinked ones never are)."""
        return cast("list[TaskRow]", self._db.query(
            "SELECT * FROM tasks WHERE next_poll_at IS NOT NULL AND next_poll_at <= ? "
            "AND provider_task_id IS NOT NULL AND state NOT IN (?, ?) "
            "ORDER BY next_poll_at LIMIT ?", [now, *TERMINAL, limit]))

    def record_poll_error(self, task_id: str, *, next_poll_at: float,
                          now: float | None = None) -> None:
        """A poll attempt failed (transport/5xx): count it and back off; the state is unchanged.

        A callback that made the task due while the poll ran keeps it due (see `apply_poll`)."""
        at = time.time() if now is None else now
        self._db.execute_write_fn(lambda db: db.execute(
            "UPDATE tasks SET poll_count = poll_count + 1, last_polled_at = ?, "
            "next_poll_at = CASE WHEN next_poll_at > ? AND next_poll_at < ? THEN next_poll_at "
            "ELSE ? END, updated_at = ? WHERE id = ? AND state NOT IN (?, ?)",
            [at, at, next_poll_at, next_poll_at, at, task_id, *TERMINAL]))

    def record_poll_miss(self, task_id: str, *, next_poll_at: float,
                         now: float | None = None) -> int:
        """The provider answered "task not found": back off like an error and count the miss."""
        at = time.time() if now is None else now

        def miss(db: Database) -> int:
            db.execute("UPDATE tasks SET poll_misses = poll_misses + 1 WHERE id = ?", [task_id])
            row = db.execute("SELECT poll_misses FROM tasks WHERE id = ?", [task_id]).fetchone()
            return int(row[0]) if row else 0

        self.record_poll_error(task_id, next_poll_at=next_poll_at, now=at)
        return self._db.execute_write_fn(miss)

    def apply_poll(self, task_id: str, poll: PollResult, *, next_poll_at: float | None,
                   now: float | None = None,
                   claimed_at: Mapping[str, float] | None = None) -> tuple[State, State]:
        """Apply one poll (or synchronous) answer; returns ``(old_state, new_state)``.

        Never backwards: the state goes through `lib.contract.states.merge`, the stage through
        `merge_stage`, the raw status only changes with a non-regressing stage, and track
        fields are only filled, never blanked. A terminal task keeps everything. Reaching a
        terminal state sets ``finished_at`` and clears ``next_poll_at``. ``now`` is when the
        poll was sent: a callback that made the task due after that (while the poll ran) keeps
        it due, so a hint that overtakes a slow poll is never lost. ``claimed_at`` dates the
        text and first-audio stages by the callbacks that claimed them. Recovered links
        (`PollResult.recovered`) replace the audio URL of the tracks they name.
        """
        at = time.time() if now is None else now

        def apply(db: Database) -> tuple[State, State]:
            row = db.table("tasks").get(task_id)
            old = State(row["state"])
            if old.terminal:
                return old, old
            new = merge(old, poll.state)
            stage = merge_stage(row["stage"], poll.stage)
            due = next_poll_at
            hinted = row["next_poll_at"]
            if due is not None and hinted is not None and at < hinted < due:
                due = hinted  # a callback arrived while this poll ran
            fields: dict[str, Any] = {
                "state": new.value, "stage": stage, "last_polled_at": at,
                "poll_count": row["poll_count"] + 1, "poll_misses": 0,
                "next_poll_at": None if new.terminal else due,
            }
            if stage == poll.stage:
                fields["raw_status"] = None if poll.raw_status is None else str(poll.raw_status)
            if poll.error_code is not None or poll.error_message:
                fields.update(error_code=poll.error_code, error_message=poll.error_message)
            if poll.result is not None:
                fields["result_json"] = to_json(poll.result)
            if new.terminal:
                fields["finished_at"] = at
            reached = 0 if stage == Stage.ERROR.value else stage_rank(stage)
            claims = claimed_at or {}
            if row.get("text_at") is None and reached >= stage_rank(Stage.TEXT):
                fields["text_at"] = _reached_at(row, Stage.TEXT, at, claims)
            if row.get("first_audio_at") is None and reached >= stage_rank(Stage.FIRST):
                fields["first_audio_at"] = _reached_at(row, Stage.FIRST, at, claims)
            _update_task(db, task_id, at, **fields)
            _upsert_tracks(db, task_id, poll)
            _add_assets(db, task_id, poll, at)
            for track_id, url in poll.recovered.items():
                db.execute("UPDATE tracks SET audio_url = ? WHERE id = ?", [url, track_id])
            return old, new

        return self._db.execute_write_fn(apply)


#: The longest wait a repeated callback's re-read gets after the task's last poll, and how
#: many answered repeats it takes to get there from the tracker's 1 s gap.
REREAD_GAP_MAX_S = 30.0
REREAD_DOUBLINGS = 5


def _reread(db: Database, task_id: str, reached: Sequence[str], body: str | None,
            at: float, gap: float) -> tuple[bool, bool]:
    """Make a pollable task due for a callback that asks for a re-read: whether it is due,
    and whether this delivery made it due at once (at ``at``).

    Not when the task's stage is one of ``reached`` (a poll already read what it announces).
    Due at ``at``, or ``gap`` seconds after the task's last poll if that is later (what
    arrives meanwhile shares that re-read); the gap doubles for each identical delivery a poll
    already answered without reaching what it announces (a provider whose poll route lags its
    callbacks, or forged or repeated callbacks, never turns into a poll per delivery), up to
    `REREAD_GAP_MAX_S`. A copy of an identical delivery whose re-read no
    poll has made yet (no poll sent since it, the task due by then) shares that re-read:
    the due time stays as it was, so a copy arriving while that poll runs does not make the
    task due again (`apply_poll` keeps a due time later than the poll's start)."""
    row = db.execute("SELECT COALESCE(stage, ''), last_polled_at, next_poll_at FROM tasks "
                     "WHERE id = ? AND provider_task_id IS NOT NULL AND state NOT IN (?, ?)",
                     [task_id, *TERMINAL]).fetchone()
    if row is None or row[0] in reached:
        return False, False
    polled, next_poll = row[1], row[2]
    if polled is not None and gap > 0:
        # identical deliveries a poll has already answered while the stage stayed behind what
        # they announce: each of those re-reads found nothing new, so this one waits longer
        (behind,) = db.execute(
            "SELECT COUNT(*) FROM (SELECT 1 FROM events WHERE task_id = ? AND "
            "kind = 'callback' AND body_json IS ? AND at <= ? LIMIT ?)",
            [task_id, body, polled, REREAD_DOUBLINGS]).fetchone()
        gap = min(gap * 2 ** behind, REREAD_GAP_MAX_S)
    due = max(at, (polled or 0.0) + gap)
    if next_poll is not None and next_poll <= due and db.execute(
            "SELECT 1 FROM events WHERE task_id = ? AND at > ? AND kind = 'callback' "
            "AND body_json IS ? LIMIT 1", [task_id, -1.0 if polled is None else polled,
                                           body]).fetchone():
        return True, False  # shares the re-read an earlier copy (since the last poll) asked for
    db.execute("UPDATE tasks SET next_poll_at = ?, updated_at = ? WHERE id = ?",
               [due, at, task_id])
    return True, due <= at


def _reached_at(row: Any, stage: Stage, at: float, claimed_at: Mapping[str, float]) -> float:
    """When ``stage`` was reached: the earliest callback claiming it (or a later stage), not
    before the task was sent, else the poll's time."""
    later = [s.value for s in (Stage.TEXT, Stage.FIRST, Stage.COMPLETE)
             if stage_rank(s.value) >= stage_rank(stage.value)]
    claims = [claimed_at[s] for s in later if s in claimed_at]
    if not claims:
        return at
    return min(at, max(min(claims), row.get("submitted_at") or row["created_at"]))


def _upsert_tracks(db: Database, task_id: str, poll: PollResult) -> None:
    """Insert new tracks; for known ones only fill fields (a stale answer never blanks a URL)."""
    updates = ", ".join(f"{c} = COALESCE(excluded.{c}, tracks.{c})" for c in TRACK_FIELDS)
    for t in poll.tracks:
        db.execute(
            f"INSERT INTO tracks (id, task_id, idx, {', '.join(TRACK_FIELDS)}) "
            f"VALUES ({', '.join('?' * (len(TRACK_FIELDS) + 3))}) "
            f"ON CONFLICT(id) DO UPDATE SET {updates}",
            [t.id or f"{task_id}:{t.index}", task_id, t.index,
             *(getattr(t, c) for c in TRACK_FIELDS)])


def _add_assets(db: Database, task_id: str, poll: PollResult, now: float) -> None:
    """Record result files once per (task, track, kind); a newer URL replaces an undownloaded
    one (e.g. a re-signed link)."""
    for a in poll.assets:
        db.execute("INSERT OR IGNORE INTO assets (task_id, track_id, kind, url, status, "
                   "attempts, created_at) VALUES (?, ?, ?, ?, ?, 0, ?)",
                   [task_id, a.track_id, a.kind, a.url, AssetStatus.PENDING.value, now])
        db.execute("UPDATE assets SET url = ? WHERE task_id = ? AND IFNULL(track_id, '') = "
                   "IFNULL(?, '') AND kind = ? AND status != ?",
                   [a.url, task_id, a.track_id, a.kind, AssetStatus.DONE.value])
