"""`SqliteLog`'s experiments: the experiment rows, their queue of cells, the shared rate slots.

The queue's rules (see `lib.experiments.queue`):

* a cell is claimed in one write (``queued`` -> ``sending``, its task id chosen then), only
  while its experiment is ``running``, oldest queued first;
* the task row is written with the cell (`Lifecycle.create_task(cell=...)`), which marks the
  cell ``sent`` in the same write, before the create request goes out: from then on the
  reliability rules of tasks apply, and the cell is never sent again;
* a cell left ``sending`` by a process that died between the claim and the task row was never
  sent: `recover_cells` puts it back in the queue (after a grace period, so a live sender in
  another process keeps its claim).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from typing import Any, cast

from sqlite_utils import Database

from lib.log.rows import (
    CellRow, CellStatus, ClaimedCell, ExperimentRow, ExperimentStatus, TaskRow,
)
from lib.log.shared import to_json
from lib.log.sqlite.connection import Connections

#: A claim older than this whose task row was never written belonged to a sender that died.
CLAIM_GRACE_S = 60.0
#: Rate slots are kept this long (the limit's window is far shorter; the rest is for figures).
SLOT_KEEP_S = 3600.0

_Q = CellStatus.QUEUED.value
_SENDING = CellStatus.SENDING.value
_RUNNING = ExperimentStatus.RUNNING.value


class Experiments:
    """Experiments, their queue and the rate slots (mixed into `SqliteLog`)."""

    _db: Connections

    # -- experiments -------------------------------------------------------------------------
    def create_experiment(self, *, name: str, op: str, base: dict[str, Any],
                          axes: Any, repeats: int,
                          cells: Sequence[tuple[str, int, dict[str, Any]]],
                          notes: str | None = None, parent_id: str | None = None,
                          status: str = _RUNNING, now: float | None = None) -> str:
        now = time.time() if now is None else now
        experiment_id = uuid.uuid4().hex

        def write(db: Database) -> None:
            db.table("experiments").insert({
                "id": experiment_id, "name": name, "notes": notes, "op": op,
                "base_json": to_json(base), "axes_json": to_json(axes), "repeats": repeats,
                "status": status, "parent_id": parent_id, "created_at": now,
                "updated_at": now})
            _insert_cells(db, experiment_id, cells, now, first_seq=0)

        self._db.execute_write_fn(write)
        return experiment_id

    def get_experiment(self, experiment_id: str) -> ExperimentRow | None:
        return cast("ExperimentRow | None", self._db.query_one(
            "SELECT * FROM experiments WHERE id = ?", [experiment_id]))

    def find_experiments(self, prefix: str, limit: int = 5) -> list[ExperimentRow]:
        like = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        return cast("list[ExperimentRow]", self._db.query(
            "SELECT * FROM experiments WHERE id LIKE ? ESCAPE '\\' ORDER BY created_at DESC "
            "LIMIT ?", [like, limit]))

    def list_experiments(self, limit: int = 100) -> list[ExperimentRow]:
        return cast("list[ExperimentRow]", self._db.query(
            "SELECT * FROM experiments ORDER BY created_at DESC LIMIT ?", [limit]))

    def set_experiment_status(self, experiment_id: str, status: str, *,
                              now: float | None = None) -> bool:
        """Pause, resume or cancel (cancelling drops the queued cells; sent ones go on).
        False when the experiment is missing or already cancelled or done."""
        now = time.time() if now is None else now
        ExperimentStatus(status)

        def write(db: Database) -> bool:
            changed = db.execute(
                "UPDATE experiments SET status = ?, updated_at = ? WHERE id = ? "
                "AND status NOT IN (?, ?)",
                [status, now, experiment_id, ExperimentStatus.CANCELLED.value,
                 ExperimentStatus.DONE.value]).rowcount == 1
            if changed and status == ExperimentStatus.CANCELLED.value:
                db.execute("UPDATE experiment_cells SET status = ? WHERE experiment_id = ? "
                           "AND status = ?", [CellStatus.CANCELLED.value, experiment_id, _Q])
            return changed

        return self._db.execute_write_fn(write)

    def add_cells(self, experiment_id: str, cells: Sequence[tuple[str, int, dict[str, Any]]],
                  *, now: float | None = None) -> int:
        """Queue more cells (a re-run) and set the experiment running again; returns how many."""
        now = time.time() if now is None else now

        def write(db: Database) -> int:
            row = db.execute("SELECT COALESCE(MAX(seq), -1) + 1 FROM experiment_cells "
                             "WHERE experiment_id = ?", [experiment_id]).fetchone()
            _insert_cells(db, experiment_id, cells, now, first_seq=int(row[0]))
            db.execute("UPDATE experiments SET status = ?, updated_at = ? WHERE id = ?",
                       [_RUNNING, now, experiment_id])
            return len(cells)

        return self._db.execute_write_fn(write)

    def experiment_cells(self, experiment_id: str) -> list[CellRow]:
        return cast("list[CellRow]", self._db.query(
            "SELECT * FROM experiment_cells WHERE experiment_id = ? ORDER BY seq",
            [experiment_id]))

    def experiment_tasks(self, experiment_id: str) -> list[TaskRow]:
        return cast("list[TaskRow]", self._db.query(
            "SELECT * FROM tasks WHERE experiment_id = ? ORDER BY created_at", [experiment_id]))

    # -- the queue -------------------------------------------------------------------------------
    def claim_cell(self, *, now: float | None = None) -> ClaimedCell | None:
        now = time.time() if now is None else now

        def write(db: Database) -> ClaimedCell | None:
            row = db.execute(
                "SELECT c.id, e.op FROM experiment_cells c JOIN experiments e "
                "ON e.id = c.experiment_id WHERE c.status = ? AND e.status = ? "
                "ORDER BY c.queued_at, c.experiment_id, c.seq LIMIT 1", [_Q, _RUNNING]).fetchone()
            if row is None:
                return None
            task_id = uuid.uuid4().hex
            db.execute("UPDATE experiment_cells SET status = ?, task_id = ?, claimed_at = ? "
                       "WHERE id = ?", [_SENDING, task_id, now, row[0]])
            cell = db.execute("SELECT * FROM experiment_cells WHERE id = ?", [row[0]])
            columns = [d[0] for d in cell.description]
            return cast("ClaimedCell", {**dict(zip(columns, cell.fetchone(), strict=True)),
                                        "op": row[1]})

        return self._db.execute_write_fn(write)

    def release_cell(self, cell_id: int) -> bool:
        """Give a claimed cell back to the queue (its task row was never written)."""
        return self._db.execute_write_fn(lambda db: db.execute(
            "UPDATE experiment_cells SET status = ?, task_id = NULL, claimed_at = NULL "
            "WHERE id = ? AND status = ? AND NOT EXISTS "
            "(SELECT 1 FROM tasks WHERE tasks.id = experiment_cells.task_id)",
            [_Q, cell_id, _SENDING]).rowcount == 1)

    def recover_cells(self, *, now: float | None = None, grace: float = CLAIM_GRACE_S) -> int:
        """After a crash: a ``sending`` cell whose task row exists was sent (mark it so); one
        whose task row does not exist and whose claim is older than ``grace`` was not sent
        (queue it again). Returns how many cells changed."""
        now = time.time() if now is None else now

        def write(db: Database) -> int:
            sent = db.execute(
                "UPDATE experiment_cells SET status = ?, sent_at = COALESCE(sent_at, ?) "
                "WHERE status = ? AND task_id IN (SELECT id FROM tasks)",
                [CellStatus.SENT.value, now, _SENDING]).rowcount
            lost = db.execute(
                "UPDATE experiment_cells SET status = ?, task_id = NULL, claimed_at = NULL "
                "WHERE status = ? AND claimed_at < ? AND NOT EXISTS "
                "(SELECT 1 FROM tasks WHERE tasks.id = experiment_cells.task_id)",
                [_Q, _SENDING, now - grace]).rowcount
            return sent + lost

        return self._db.execute_write_fn(write)

    def settle_experiments(self, *, now: float | None = None) -> list[str]:
        """Running experiments with nothing left to send become ``done``; returns their ids."""
        now = time.time() if now is None else now

        def write(db: Database) -> list[str]:
            ids = [r[0] for r in db.execute(
                "SELECT id FROM experiments e WHERE status = ? AND NOT EXISTS (SELECT 1 FROM "
                "experiment_cells c WHERE c.experiment_id = e.id AND c.status IN (?, ?))",
                [_RUNNING, _Q, _SENDING]).fetchall()]
            for experiment_id in ids:
                db.execute("UPDATE experiments SET status = ?, updated_at = ? WHERE id = ?",
                           [ExperimentStatus.DONE.value, now, experiment_id])
            return ids

        return self._db.execute_write_fn(write)

    def queued_count(self) -> int:
        row = self._db.query_one(
            "SELECT COUNT(*) AS n FROM experiment_cells c JOIN experiments e "
            "ON e.id = c.experiment_id WHERE c.status IN (?, ?) AND e.status = ?",
            [_Q, _SENDING, _RUNNING])
        return int(row["n"]) if row else 0

    # -- the shared rate limit ---------------------------------------------------------------
    def take_rate_slot(self, max_calls: int, period: float, *,
                       now: float | None = None) -> float:
        """Take one of ``max_calls`` create slots per rolling ``period`` s shared by every user
        of this log: 0 when taken, else how long to wait before trying again."""
        now = time.time() if now is None else now

        def write(db: Database) -> float:
            db.execute("DELETE FROM rate_slots WHERE at < ?", [now - SLOT_KEEP_S])
            rows = db.execute("SELECT at FROM rate_slots WHERE at > ? ORDER BY at DESC LIMIT ?",
                              [now - period, max_calls]).fetchall()
            if len(rows) < max_calls:
                db.execute("INSERT INTO rate_slots (at) VALUES (?)", [now])
                return 0.0
            return max(rows[-1][0] + period - now, 1e-3)

        return self._db.execute_write_fn(write)


def _insert_cells(db: Database, experiment_id: str,
                  cells: Sequence[tuple[str, int, dict[str, Any]]], now: float,
                  first_seq: int) -> None:
    db.table("experiment_cells").insert_all(
        ({"experiment_id": experiment_id, "seq": first_seq + i, "variant": variant,
          "repeat_no": repeat_no, "body_json": to_json(body), "status": _Q, "queued_at": now}
         for i, (variant, repeat_no, body) in enumerate(cells)), batch_size=500)
