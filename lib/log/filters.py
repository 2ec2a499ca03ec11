"""What the board and the Library filter the log on (backend-neutral; SQL in `lib.log.sqlite`).

All filters are optional and combined with AND:

* ``text`` - full-text search (prefix match per word) over task title/prompt and track
  title/tags/lyrics; for tasks, an exact local or provider task id also matches;
* ``op``, ``model``, ``state`` - a value or a list of values;
* ``created_from`` / ``created_to`` - epoch seconds, ``from`` inclusive, ``to`` exclusive;
* ``min_rating`` - tasks with at least one track rated this high / tracks rated this high;
* ``task_id`` (tracks only) - one task's tracks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

#: one value, several values (any of them), or None for "any"
Values = str | Sequence[str] | None


@dataclass(frozen=True, kw_only=True)
class TaskFilters:
    """Which tasks to list or count (`TaskLog.page_tasks`)."""

    text: str | None = None
    op: Values = None
    model: Values = None
    state: Values = None
    created_from: float | None = None
    created_to: float | None = None
    min_rating: int | None = None


@dataclass(frozen=True, kw_only=True)
class TrackFilters(TaskFilters):
    """Which tracks to list or count (`TaskLog.library_tracks`): task filters plus one task."""

    task_id: str | None = None
