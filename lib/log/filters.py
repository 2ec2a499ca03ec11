"""SQL ``WHERE`` builders for the board and library filters (used by `lib.log.store`).

Filters (all optional, combined with AND):

* ``text`` - full-text search (prefix match per word) over task title/prompt and track
  title/tags/lyrics; an exact local or provider task id also matches;
* ``op``, ``model``, ``state`` - a value or a list of values;
* ``created_from`` / ``created_to`` - epoch seconds, ``from`` inclusive, ``to`` exclusive;
* ``min_rating`` - tasks with at least one track rated this high / tracks rated this high;
* ``task_id`` (tracks only) - one task's tracks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any


def fts_query(text: str) -> str | None:
    """A safe FTS5 query: every word quoted and prefix-matched, or None when there are none."""
    words = re.findall(r"\w+", text or "")
    return " ".join(f'"{w}"*' for w in words) or None


def _in(column: str, value: str | Iterable[str] | None, clauses: list, params: list) -> None:
    if value is None:
        return
    values = [value] if isinstance(value, str) else list(value)
    if values:
        clauses.append(f"{column} IN ({', '.join('?' * len(values))})")
        params.extend(str(v) for v in values)


def _common(clauses: list, params: list, op, model, state, created_from, created_to) -> None:
    _in("tasks.op", op, clauses, params)
    _in("tasks.model", model, clauses, params)
    _in("tasks.state", state, clauses, params)
    if created_from is not None:
        clauses.append("tasks.created_at >= ?")
        params.append(created_from)
    if created_to is not None:
        clauses.append("tasks.created_at < ?")
        params.append(created_to)


def task_where(*, text: str | None = None, op: Any = None, model: Any = None, state: Any = None,
               created_from: float | None = None, created_to: float | None = None,
               min_rating: int | None = None) -> tuple[str, list]:
    """``(where_sql, params)`` over ``tasks`` for `Store.list_tasks` / `count_tasks`."""
    clauses: list[str] = []
    params: list[Any] = []
    _common(clauses, params, op, model, state, created_from, created_to)
    if text and text.strip():
        query = fts_query(text)
        match = ["tasks.id = ?", "tasks.provider_task_id = ?"]
        params.extend([text.strip(), text.strip()])
        if query:
            match += ["tasks.rowid IN (SELECT rowid FROM tasks_fts WHERE tasks_fts MATCH ?)",
                      "tasks.id IN (SELECT task_id FROM tracks WHERE rowid IN "
                      "(SELECT rowid FROM tracks_fts WHERE tracks_fts MATCH ?))"]
            params.extend([query, query])
        clauses.append(f"({' OR '.join(match)})")
    if min_rating is not None:
        clauses.append("EXISTS (SELECT 1 FROM tracks WHERE tracks.task_id = tasks.id "
                       "AND tracks.rating >= ?)")
        params.append(min_rating)
    return " AND ".join(clauses) or "1", params


def track_where(*, text: str | None = None, op: Any = None, model: Any = None,
                state: Any = None, created_from: float | None = None,
                created_to: float | None = None, min_rating: int | None = None,
                task_id: str | None = None) -> tuple[str, list]:
    """``(where_sql, params)`` over ``tracks JOIN tasks`` for `Store.list_tracks`."""
    clauses: list[str] = []
    params: list[Any] = []
    _common(clauses, params, op, model, state, created_from, created_to)
    if task_id is not None:
        clauses.append("tracks.task_id = ?")
        params.append(task_id)
    query = fts_query(text or "")
    if query:
        clauses.append("(tracks.rowid IN (SELECT rowid FROM tracks_fts WHERE tracks_fts MATCH ?)"
                       " OR tasks.rowid IN (SELECT rowid FROM tasks_fts WHERE tasks_fts MATCH ?))")
        params.extend([query, query])
    if min_rating is not None:
        clauses.append("tracks.rating >= ?")
        params.append(min_rating)
    return " AND ".join(clauses) or "1", params
