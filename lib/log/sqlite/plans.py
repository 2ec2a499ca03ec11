"""Paging without reading the whole log: pick the cheaper SQLite plan from the match count.

SQLite has no statistics here (no ANALYZE), so with a filter on ``op`` or ``state`` it always
seeks that column's index and then sorts every match by ``created_at`` - slow when the filter
matches most of the log. With the match count (which the page needs anyway for its pager) we
can choose: walk the ``created_at`` index newest first and stop after ``offset + limit`` hits
(cheap when matches are common), or seek the matches and sort them (cheap when they are rare).
"""

from __future__ import annotations

import time
from typing import Any

from sqlite_utils import Database

from lib.log.filters import TaskFilters, TrackFilters
from lib.log.sqlite.filters import task_where, track_where

_INDEX_CACHE: dict[tuple, tuple[float, str | None]] = {}
SORT_WEIGHT = 4  # a row sorted in a temp b-tree costs about this many rows scanned in order
TRACK_COLUMNS = ("tracks.*, tasks.op AS task_op, tasks.model AS task_model, tasks.state AS "
                 "task_state, tasks.created_at AS task_created_at, tasks.prompt AS task_prompt, "
                 "tasks.experiment_id AS task_experiment_id, tasks.variant AS task_variant, "
                 "tasks.repeat_no AS task_repeat_no")


def index_on(db: Database, table: str, column: str, ttl: float = 60.0) -> str | None:
    """Name of an index of ``table`` whose first column is ``column`` (cached ``ttl`` s)."""
    key = (db.conn.execute("PRAGMA database_list").fetchone()[2], table, column)
    hit = _INDEX_CACHE.get(key)
    if hit and time.monotonic() - hit[0] < ttl:
        return hit[1]
    found = None
    for row in db.conn.execute(f"PRAGMA index_list([{table}])").fetchall():
        first = db.conn.execute(f"PRAGMA index_info([{row[1]}])").fetchone()
        if first and first[2] == column:
            found = row[1]
            break
    _INDEX_CACHE[key] = (time.monotonic(), found)
    return found


def scan_in_order(total: int, matches: int, limit: int, offset: int) -> bool:
    """Walk the ``created_at`` index and filter (True), or find the matches and sort (False)?

    Walking reads about ``(offset + limit) * total / matches`` rows and stops early; finding the
    matches through their own indexes costs about ``matches`` rows plus a sort.
    """
    if matches <= 0:
        return False
    return (offset + limit) * total / matches <= matches * SORT_WEIGHT


def order_hint(db: Database, total: int, matches: int, limit: int, offset: int) -> str:
    """``INDEXED BY <tasks.created_at index>`` when walking in order is the cheaper plan."""
    name = index_on(db, "tasks", "created_at")
    if name and scan_in_order(total, matches, limit, offset):
        return f"INDEXED BY [{name}]"
    return ""


def page_tasks(db: Database, filters: TaskFilters, *, limit: int, offset: int,
               matches: int | None = None) -> list[dict[str, Any]]:
    """Tasks newest first with the plan picked from the match count (no ANALYZE needed)."""
    where, params = task_where(filters)
    total = db.execute("SELECT COUNT(*) FROM tasks").fetchone()[0]
    if matches is None:
        matches = db.execute(f"SELECT COUNT(*) FROM tasks WHERE {where}", params).fetchone()[0]
    hint = order_hint(db, total, matches, limit, offset)
    return list(db.query(f"SELECT * FROM tasks {hint} WHERE {where} "
                         "ORDER BY created_at DESC, id LIMIT ? OFFSET ?",
                         [*params, limit, offset]))


def page_tracks(db: Database, filters: TrackFilters, *, limit: int, offset: int,
                matches: int) -> list[dict[str, Any]]:
    """Tracks (newest task first, then task id and provider order) with their task's facts.

    Common matches: walk tasks newest first through the ``created_at`` index and stop after the
    page; rare matches: let SQLite seek them and sort (`scan_in_order`).
    """
    where, params = track_where(filters)
    total = db.execute("SELECT COUNT(*) FROM tracks").fetchone()[0]
    index = index_on(db, "tasks", "created_at")
    if index and scan_in_order(total, matches, limit, offset):
        source = f"tasks INDEXED BY [{index}] CROSS JOIN tracks ON tracks.task_id = tasks.id"
    else:
        source = "tracks JOIN tasks ON tasks.id = tracks.task_id"
    return list(db.query(
        f"SELECT {TRACK_COLUMNS} FROM {source} WHERE {where} ORDER BY tasks.created_at "
        "DESC, tasks.id, tracks.idx LIMIT ? OFFSET ?", [*params, limit, offset]))
