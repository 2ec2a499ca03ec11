"""`SqliteLog`'s QA scorecards (``qa``, one row per track), the QA of task images and videos
(``media_qa``, one row per asset) and settings (``settings``)."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import Any, cast

from lib.log.rows import MediaQaRow, QaFlags, QaRow, TaskRow
from lib.log.sqlite.connection import Connections

#: ids per ``IN (...)`` query (SQLite's default limit is far above; this keeps plans cheap)
_BATCH = 500


class Qa:
    """Scorecards and settings (mixed into `SqliteLog`)."""

    _db: Connections

    def save_scorecard(self, track_id: str, scorecard: dict[str, Any], *, worst: str,
                       flags: dict[str, str], summary: str, thresholds_version: str,
                       computed_at: float, task_id: str | None = None,
                       source: str | None = None) -> None:
        row = {"track_id": track_id, "task_id": task_id, "source": source, "worst": worst,
               "flags_json": json.dumps(flags), "summary": summary,
               "scorecard_json": json.dumps(scorecard, allow_nan=False, default=str),
               "computed_at": computed_at, "thresholds_version": thresholds_version}
        self._db.execute_write_fn(lambda db: db.table("qa").upsert(row, pk="track_id"))

    def scorecard(self, track_id: str) -> QaRow | None:
        return cast("QaRow | None", self._db.query_one(
            "SELECT * FROM qa WHERE track_id = ?", [track_id]))

    def _rows(self, columns: str, track_ids: Sequence[str]) -> list[dict[str, Any]]:
        ids = list(dict.fromkeys(track_ids))
        rows: list[dict[str, Any]] = []
        for start in range(0, len(ids), _BATCH):
            part = ids[start:start + _BATCH]
            rows += self._db.query(f"SELECT {columns} FROM qa WHERE track_id IN "
                                   f"({', '.join('?' * len(part))})", part)
        return rows

    def scorecards(self, track_ids: Sequence[str]) -> dict[str, QaRow]:
        return {r["track_id"]: cast(QaRow, r) for r in self._rows("*", track_ids)}

    def qa_track_ids(self) -> list[str]:
        return [r["track_id"] for r in self._db.query("SELECT track_id FROM qa ORDER BY track_id")]

    def flags_for(self, track_ids: Sequence[str]) -> dict[str, QaFlags]:
        rows = self._rows("track_id, worst, flags_json, summary, computed_at", track_ids)
        return {r["track_id"]: {"worst": r["worst"], "flags": json.loads(r["flags_json"] or "{}"),
                                "summary": r["summary"], "computed_at": r["computed_at"]}
                for r in rows}

    def save_media_qa(self, asset_id: int, task_id: str, kind: str, *, worst: str,
                      summary: str, measures: dict[str, Any], source: str | None,
                      computed_at: float) -> None:
        row = {"asset_id": asset_id, "task_id": task_id, "kind": kind, "source": source,
               "worst": worst, "summary": summary,
               "measures_json": json.dumps(measures, allow_nan=False, default=str),
               "computed_at": computed_at}
        self._db.execute_write_fn(lambda db: db.table("media_qa").upsert(row, pk="asset_id"))

    def media_qa_for(self, task_id: str) -> list[MediaQaRow]:
        return cast("list[MediaQaRow]", self._db.query(
            "SELECT * FROM media_qa WHERE task_id = ? ORDER BY asset_id", [task_id]))

    def latest_from_track(self, track_id: str, op: str) -> TaskRow | None:
        return cast("TaskRow | None", self._db.query_one(
            "SELECT * FROM tasks WHERE source_audio_id = ? AND op = ? AND state = 'succeeded' "
            "ORDER BY created_at DESC LIMIT 1", [track_id, op]))

    def get_setting(self, key: str) -> Any:
        row = self._db.query_one("SELECT value_json FROM settings WHERE key = ?", [key])
        return None if row is None else json.loads(row["value_json"])

    def set_setting(self, key: str, value: Any, *, now: float | None = None) -> None:
        now = time.time() if now is None else now
        if value is None:
            self._db.execute_write_fn(
                lambda db: db.execute("DELETE FROM settings WHERE key = ?", [key]))
            return
        row = {"key": key, "value_json": json.dumps(value), "updated_at": now}
        self._db.execute_write_fn(lambda db: db.table("settings").upsert(row, pk="key"))
