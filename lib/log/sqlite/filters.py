"""SQL ``WHERE`` builders for `lib.log.filters.TaskFilters` / `TrackFilters`, incl. FTS5.

Text search goes through the ``tasks_fts`` / ``tracks_fts`` FTS5 tables (prefix match per
word, every word quoted so user input cannot break the query); a task id also finds a task and
its tracks: the exact local or provider task id, or a prefix of the local id (a range on the
primary key, `lib.log.filters.id_prefix`).
"""

from __future__ import annotations

import re
from typing import Any

from lib.log.filters import TaskFilters, TrackFilters, Values, id_prefix, id_token


def fts_query(text: str) -> str | None:
    """A safe FTS5 query: every word quoted and prefix-matched, or None when there are none."""
    words = re.findall(r"\w+", text or "")
    return " ".join(f'"{w}"*' for w in words) or None


def prefix_range(prefix: str) -> tuple[str, str]:
    """``(low, high)``: the strings that start with ``prefix`` are ``>= low`` and ``< high``."""
    return prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)


def id_matches(text: str | None) -> tuple[list[str], list[Any]]:
    """``(alternatives, params)`` matching the task ``text`` names by id: exact local or
    provider id, or a local id prefix (none when ``text`` cannot be an id)."""
    ref = id_token(text)
    if ref is None:
        return [], []
    match = ["tasks.id = ?", "tasks.provider_task_id = ?"]
    params: list[Any] = [ref, ref]
    prefix = id_prefix(ref)
    if prefix:
        match.append("(tasks.id >= ? AND tasks.id < ?)")
        params.extend(prefix_range(prefix))
    return match, params


def _in(column: str, value: Values, clauses: list, params: list) -> None:
    if value is None:
        return
    values = [value] if isinstance(value, str) else list(value)
    if values:
        clauses.append(f"{column} IN ({', '.join('?' * len(values))})")
        params.extend(str(v) for v in values)


def _common(f: TaskFilters, clauses: list, params: list) -> None:
    _in("tasks.op", f.op, clauses, params)
    _in("tasks.model", f.model, clauses, params)
    _in("tasks.state", f.state, clauses, params)
    if f.created_from is not None:
        clauses.append("tasks.created_at >= ?")
        params.append(f.created_from)
    if f.created_to is not None:
        clauses.append("tasks.created_at < ?")
        params.append(f.created_to)


def _text(text: str | None, clauses: list[str], params: list[Any],
          full_text: list[str]) -> None:
    """The search box: any id the user may have copied, or words in the full-text indexes
    (``full_text``: clauses with one ``MATCH ?`` each)."""
    if not (text and text.strip()):
        return
    query = fts_query(text)
    match, id_params = id_matches(text)
    params.extend(id_params)
    if query:
        match += full_text
        params.extend([query] * len(full_text))
    clauses.append(f"({' OR '.join(match or ['0'])})")


def task_where(f: TaskFilters) -> tuple[str, list]:
    """``(where_sql, params)`` over ``tasks``."""
    clauses: list[str] = []
    params: list[Any] = []
    _common(f, clauses, params)
    _text(f.text, clauses, params,
          ["tasks.rowid IN (SELECT rowid FROM tasks_fts WHERE tasks_fts MATCH ?)",
           "tasks.id IN (SELECT task_id FROM tracks WHERE rowid IN "
           "(SELECT rowid FROM tracks_fts WHERE tracks_fts MATCH ?))"])
    if f.min_rating is not None:
        clauses.append("EXISTS (SELECT 1 FROM tracks WHERE tracks.task_id = tasks.id "
                       "AND tracks.rating >= ?)")
        params.append(f.min_rating)
    return " AND ".join(clauses) or "1", params


def track_where(f: TrackFilters) -> tuple[str, list]:
    """``(where_sql, params)`` over ``tracks JOIN tasks``."""
    clauses: list[str] = []
    params: list[Any] = []
    _common(f, clauses, params)
    if f.task_id is not None:
        clauses.append("tracks.task_id = ?")
        params.append(f.task_id)
    _text(f.text, clauses, params,
          ["tracks.rowid IN (SELECT rowid FROM tracks_fts WHERE tracks_fts MATCH ?)",
           "tasks.rowid IN (SELECT rowid FROM tasks_fts WHERE tasks_fts MATCH ?)"])
    if f.qa:
        worst = [f.qa] if isinstance(f.qa, str) else list(f.qa)
        clauses.append(f"tracks.id IN (SELECT track_id FROM qa WHERE worst IN "
                       f"({', '.join('?' * len(worst))}))")
        params.extend(worst)
    if f.min_rating is not None:
        clauses.append("tracks.rating >= ?")
        params.append(f.min_rating)
    return " AND ".join(clauses) or "1", params
