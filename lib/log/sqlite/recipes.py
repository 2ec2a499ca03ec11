"""`SqliteLog`'s route-recipe runs and their steps (migration m011_recipes).

* a run and all its steps are written in one write (`create_recipe_run`);
* a step is claimed by setting its task id where none is set (`claim_recipe_step`: one
  conditional write, so two runners on the same log never both send a step); the task row is
  written by the tracker afterwards, so a claim without a task row is a step never sent
  (`release_recipe_step`, and `recover_recipe_steps` after a crash, past the grace);
* a retry keeps the attempt's task id in ``tried_json`` and clears the step for a new claim:
  only a step whose task failed (or never had one) is retried, so nothing that succeeded is
  ever sent again.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Sequence
from typing import Any, cast

from sqlite_utils import Database

from lib.log.rows import RecipeRunRow, RecipeStepRow
from lib.log.shared import to_json
from lib.log.sqlite.connection import Connections

CLAIM_GRACE_S = 120.0


class Recipes:
    """Recipe runs (mixed into `SqliteLog`)."""

    _db: Connections

    def create_recipe_run(self, *, recipe: str, brief: str | None, params: dict[str, Any],
                          steps: Sequence[str], now: float | None = None) -> str:
        now = time.time() if now is None else now
        run_id = uuid.uuid4().hex

        def write(db: Database) -> None:
            db.table("recipe_runs").insert({
                "id": run_id, "recipe": recipe, "brief": brief, "params_json": to_json(params),
                "status": "running", "created_at": now, "updated_at": now})
            db.table("recipe_steps").insert_all(
                [{"run_id": run_id, "step": name, "seq": i, "attempt": 1, "tried_json": "[]",
                  "updated_at": now} for i, name in enumerate(steps)])

        self._db.execute_write_fn(write)
        return run_id

    def get_recipe_run(self, run_id: str) -> RecipeRunRow | None:
        return cast("RecipeRunRow | None", self._db.query_one(
            "SELECT * FROM recipe_runs WHERE id = ?", [run_id]))

    def find_recipe_runs(self, prefix: str, limit: int = 5) -> list[RecipeRunRow]:
        like = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        return cast("list[RecipeRunRow]", self._db.query(
            "SELECT * FROM recipe_runs WHERE id LIKE ? ESCAPE '\\' ORDER BY created_at DESC "
            "LIMIT ?", [like, limit]))

    def list_recipe_runs(self, *, status: str | None = None,
                         limit: int = 50) -> list[RecipeRunRow]:
        if status is None:
            return cast("list[RecipeRunRow]", self._db.query(
                "SELECT * FROM recipe_runs ORDER BY created_at DESC LIMIT ?", [limit]))
        return cast("list[RecipeRunRow]", self._db.query(
            "SELECT * FROM recipe_runs WHERE status = ? ORDER BY created_at DESC LIMIT ?",
            [status, limit]))

    def recipe_steps(self, run_id: str) -> list[RecipeStepRow]:
        return cast("list[RecipeStepRow]", self._db.query(
            "SELECT * FROM recipe_steps WHERE run_id = ? ORDER BY seq", [run_id]))

    def recipe_step_of_task(self, task_id: str) -> RecipeStepRow | None:
        return cast("RecipeStepRow | None", self._db.query_one(
            "SELECT * FROM recipe_steps WHERE task_id = ? OR EXISTS (SELECT 1 FROM "
            "json_each(recipe_steps.tried_json) WHERE value = ?) LIMIT 1", [task_id, task_id]))

    def recipe_links(self, task_ids: Sequence[str]) -> dict[str, tuple[str, str, str]]:
        if not task_ids:
            return {}
        marks = ", ".join("?" * len(task_ids))
        rows = self._db.query(
            "SELECT s.task_id AS task_id, s.run_id, s.step, r.recipe FROM recipe_steps s JOIN "
            f"recipe_runs r ON r.id = s.run_id WHERE s.task_id IN ({marks}) UNION ALL "
            "SELECT j.value AS task_id, s.run_id, s.step, r.recipe FROM recipe_steps s, "
            "json_each(s.tried_json) j JOIN recipe_runs r ON r.id = s.run_id WHERE j.value IN "
            f"({marks})", [*task_ids, *task_ids])
        return {r["task_id"]: (r["run_id"], r["step"], r["recipe"]) for r in rows}

    def set_recipe_run_status(self, run_id: str, status: str, *, error: str | None = None,
                              now: float | None = None) -> bool:
        now = time.time() if now is None else now
        finished = now if status in ("succeeded", "failed", "cancelled") else None
        return self._db.execute_write_fn(lambda db: db.execute(
            "UPDATE recipe_runs SET status = ?, error = ?, updated_at = ?, finished_at = ? "
            "WHERE id = ? AND (status IS NOT ? OR error IS NOT ?)",
            [status, error, now, finished, run_id, status, error]).rowcount == 1)

    def claim_recipe_step(self, run_id: str, step: str, *,
                          now: float | None = None) -> str | None:
        now = time.time() if now is None else now
        task_id = uuid.uuid4().hex
        claimed = self._db.execute_write_fn(lambda db: db.execute(
            "UPDATE recipe_steps SET task_id = ?, claimed_at = ?, updated_at = ? "
            "WHERE run_id = ? AND step = ? AND task_id IS NULL AND error IS NULL",
            [task_id, now, now, run_id, step]).rowcount == 1)
        return task_id if claimed else None

    def release_recipe_step(self, run_id: str, step: str, task_id: str) -> bool:
        return self._db.execute_write_fn(lambda db: db.execute(
            "UPDATE recipe_steps SET task_id = NULL, claimed_at = NULL WHERE run_id = ? AND "
            "step = ? AND task_id = ? AND NOT EXISTS (SELECT 1 FROM tasks WHERE tasks.id = ?)",
            [run_id, step, task_id, task_id]).rowcount == 1)

    def recover_recipe_steps(self, *, now: float | None = None,
                             grace: float = CLAIM_GRACE_S) -> int:
        now = time.time() if now is None else now
        return self._db.execute_write_fn(lambda db: db.execute(
            "UPDATE recipe_steps SET task_id = NULL, claimed_at = NULL WHERE task_id IS NOT "
            "NULL AND claimed_at < ? AND NOT EXISTS (SELECT 1 FROM tasks WHERE tasks.id = "
            "recipe_steps.task_id)", [now - grace]).rowcount)

    def update_recipe_step(self, run_id: str, step: str, *, error: str | None = None,
                           outputs: dict[str, Any] | None = None,
                           choice: Any = None, now: float | None = None) -> bool:
        """Record a step's problem (``error``), its outputs or the user's choice (each only
        when given; ``error=""`` clears it)."""
        now = time.time() if now is None else now
        sets: list[str] = ["updated_at = ?"]
        values: list[Any] = [now]
        if error is not None:
            sets.append("error = ?")
            values.append(error or None)
        if outputs is not None:
            sets.append("outputs_json = ?")
            values.append(to_json(outputs))
        if choice is not None:
            sets.append("choice_json = ?")
            values.append(to_json(choice))
        return self._db.execute_write_fn(lambda db: db.execute(
            f"UPDATE recipe_steps SET {', '.join(sets)} WHERE run_id = ? AND step = ?",
            [*values, run_id, step]).rowcount == 1)

    def retry_recipe_step(self, run_id: str, step: str, *, now: float | None = None) -> bool:
        """A new attempt of a step whose task failed, is unknown or never was (an error):
        the old task id goes to ``tried_json``. False for a step that succeeded, is running
        or waits (nothing is sent twice)."""
        now = time.time() if now is None else now

        def write(db: Database) -> bool:
            row = db.execute(
                "SELECT s.task_id, s.error, s.tried_json, t.state FROM recipe_steps s LEFT "
                "JOIN tasks t ON t.id = s.task_id WHERE s.run_id = ? AND s.step = ?",
                [run_id, step]).fetchone()
            if row is None:
                return False
            task_id, error, tried, state = row
            if not (error or state in ("failed", "unknown", "cancelled")):
                return False
            tried_ids = json.loads(tried or "[]") + ([task_id] if task_id else [])
            db.execute(
                "UPDATE recipe_steps SET task_id = NULL, claimed_at = NULL, error = NULL, "
                "outputs_json = NULL, attempt = attempt + 1, tried_json = ?, updated_at = ? "
                "WHERE run_id = ? AND step = ?", [json.dumps(tried_ids), now, run_id, step])
            db.execute("UPDATE recipe_runs SET status = 'running', error = NULL, "
                       "finished_at = NULL, updated_at = ? WHERE id = ?", [now, run_id])
            return True

        return self._db.execute_write_fn(write)
