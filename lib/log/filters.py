"""What the board and the Library filter the log on (backend-neutral; SQL in `lib.log.sqlite`).

All filters are optional and combined with AND:

* ``text`` - full-text search (prefix match per word) over task title/prompt and track
  title/tags/lyrics; a task id also matches (tasks and their tracks): the local id, a prefix
  of it of at least `MIN_ID_PREFIX` hex characters (the UI shows 8), or the provider task id;
* ``op``, ``model``, ``state`` - a value or a list of values;
* ``created_from`` / ``created_to`` - epoch seconds, ``from`` inclusive, ``to`` exclusive;
* ``min_rating`` - tasks with at least one track rated this high / tracks rated this high;
* ``task_id`` (tracks only) - one task's tracks;
* ``qa`` (tracks only) - tracks whose QA scorecard's worst flag is one of these.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

#: one value, several values (any of them), or None for "any"
Values = str | Sequence[str] | None
#: The shortest prefix of a local task id that finds its task (messages show 8 characters).
MIN_ID_PREFIX = 6
_ID_PREFIX = re.compile(rf"[0-9a-f]{{{MIN_ID_PREFIX},32}}")


def id_token(text: str | None) -> str | None:
    """``text`` as one id (trimmed, no inner spaces), or None: what may be a task id."""
    ref = (text or "").strip()
    return ref if ref and not any(c.isspace() for c in ref) else None


def id_prefix(text: str | None) -> str | None:
    """``text`` as a prefix of a local task id (6 to 32 hex characters, lowercased), or None."""
    ref = (id_token(text) or "").lower()
    return ref if _ID_PREFIX.fullmatch(ref) else None


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
    #: QA worst flags (``"warn"``, ``"fail"``...): tracks whose scorecard is one of them
    qa: Values = None
