"""`SqliteLog`'s listings: filtered, paged lists and counts, and what the board and the
Library read (a page's tracks and files, the watch list, a selection)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlite_utils import Database

from lib.contract.states import State
from lib.log.filters import TaskFilters, TrackFilters, Values, id_prefix, id_token
from lib.log.rows import (
    AssetRow, AssetStatus, BoardRows, LibraryTrackRow, SelectionRows, SelectionTrackRow, TaskRow,
    TrackFileRow, TrackRow,
)
from lib.log.sqlite import plans
from lib.log.sqlite.connection import Connections
from lib.log.sqlite.filters import prefix_range, task_where, track_where

RUNNING = (State.PENDING.value, State.PROCESSING.value)
FINISHED = (State.SUCCEEDED.value, State.FAILED.value)


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" * len(values))


class Reads:
    """Lists, counts and view reads (mixed into `SqliteLog`)."""

    _db: Connections

    # -- filtered lists and counts -----------------------------------------------------------
    def list_tasks(self, *, limit: int = 50, offset: int = 0, text: str | None = None,
                   op: Values = None, model: Values = None, state: Values = None,
                   created_from: float | None = None, created_to: float | None = None,
                   min_rating: int | None = None) -> list[TaskRow]:
        """Tasks newest first, filtered and paginated in SQL."""
        where, params = task_where(TaskFilters(
            text=text, op=op, model=model, state=state, created_from=created_from,
            created_to=created_to, min_rating=min_rating))
        return cast("list[TaskRow]", self._db.query(
            f"SELECT * FROM tasks WHERE {where} ORDER BY created_at DESC, id LIMIT ? OFFSET ?",
            [*params, limit, offset]))

    def count_tasks(self, *, text: str | None = None, op: Values = None, model: Values = None,
                    state: Values = None, created_from: float | None = None,
                    created_to: float | None = None, min_rating: int | None = None) -> int:
        """How many tasks `list_tasks` would page through with the same filters."""
        where, params = task_where(TaskFilters(
            text=text, op=op, model=model, state=state, created_from=created_from,
            created_to=created_to, min_rating=min_rating))
        return self._count(f"SELECT COUNT(*) FROM tasks WHERE {where}", params)

    def list_tracks(self, *, limit: int = 50, offset: int = 0, text: str | None = None,
                    op: Values = None, model: Values = None, state: Values = None,
                    created_from: float | None = None, created_to: float | None = None,
                    min_rating: int | None = None,
                    task_id: str | None = None, qa: Values = None) -> list[LibraryTrackRow]:
        """Tracks (newest task first) with ``task_op``, ``task_model``, ``task_state``,
        ``task_created_at``."""
        where, params = track_where(TrackFilters(
            text=text, op=op, model=model, state=state, created_from=created_from,
            created_to=created_to, min_rating=min_rating, task_id=task_id, qa=qa))
        return cast("list[LibraryTrackRow]", self._db.query(
            f"SELECT {plans.TRACK_COLUMNS} FROM tracks JOIN tasks ON tasks.id = tracks.task_id "
            f"WHERE {where} ORDER BY tasks.created_at DESC, tracks.idx LIMIT ? OFFSET ?",
            [*params, limit, offset]))

    def count_tracks(self, *, text: str | None = None, op: Values = None, model: Values = None,
                     state: Values = None, created_from: float | None = None,
                     created_to: float | None = None, min_rating: int | None = None,
                     task_id: str | None = None, qa: Values = None) -> int:
        """How many tracks `list_tracks` would page through."""
        return self._count_tracks(TrackFilters(
            text=text, op=op, model=model, state=state, created_from=created_from,
            created_to=created_to, min_rating=min_rating, task_id=task_id, qa=qa))

    def _count_tracks(self, filters: TrackFilters) -> int:
        where, params = track_where(filters)
        return self._count("SELECT COUNT(*) FROM tracks JOIN tasks ON tasks.id = "
                           f"tracks.task_id WHERE {where}", params)

    def _count(self, sql: str, params: Any = ()) -> int:
        return self._db.execute_fn(lambda db: db.execute(sql, params).fetchone()[0])

    def tracks_for(self, task_id: str) -> list[TrackRow]:
        """A task's tracks in provider order."""
        return cast("list[TrackRow]", self._db.query(
            "SELECT * FROM tracks WHERE task_id = ? ORDER BY idx", [task_id]))

    def get_track(self, track_id: str) -> TrackRow | None:
        """One track row, or None."""
        return cast("TrackRow | None", self._db.query_one("SELECT * FROM tracks WHERE id = ?",
                                                          [track_id]))

    def resolve_task(self, ref: str, limit: int = 10) -> list[TaskRow]:
        """Local id, else provider task id, else a local id prefix (a primary-key range)."""
        token = id_token(ref)
        if token is None:
            return []
        exact = self._db.query("SELECT * FROM tasks WHERE id = ?", [token])
        if not exact:
            exact = self._db.query("SELECT * FROM tasks WHERE provider_task_id = ? "
                                   "ORDER BY created_at DESC LIMIT ?", [token, limit])
        prefix = id_prefix(token)
        if not exact and prefix:
            exact = self._db.query("SELECT * FROM tasks WHERE id >= ? AND id < ? "
                                   "ORDER BY created_at DESC LIMIT ?",
                                   [*prefix_range(prefix), limit])
        return cast("list[TaskRow]", exact)

    # -- paging at any depth (`lib.log.sqlite.plans`) ------------------------------------------
    def page_tasks(self, filters: TaskFilters, *, limit: int, offset: int,
                   matches: int | None = None) -> list[TaskRow]:
        """`list_tasks` with the plan picked from the match count (no ANALYZE needed)."""
        return cast("list[TaskRow]", self._db.execute_fn(lambda db: plans.page_tasks(
            db, filters, limit=limit, offset=offset, matches=matches)))

    def library_tracks(self, filters: TrackFilters, *, limit: int, offset: int,
                       matches: int | None = None) -> list[LibraryTrackRow]:
        """Tracks newest task first, then task id and provider order, planned like
        `page_tasks`."""
        found = self._count_tracks(filters) if matches is None else matches
        return cast("list[LibraryTrackRow]", self._db.execute_fn(lambda db: plans.page_tracks(
            db, filters, limit=limit, offset=offset, matches=found)))

    def count_all_tracks(self) -> int:
        """How many tracks the log holds (every track has a task, so no join)."""
        return self._count("SELECT COUNT(*) FROM tracks")

    def running_count(self) -> int:
        """How many tasks are ``pending`` or ``processing``."""
        return self._count(f"SELECT COUNT(*) FROM tasks WHERE state IN ({_marks(RUNNING)})",
                           RUNNING)

    def distinct_models(self) -> list[str]:
        """Models seen in the log (index scan)."""
        return self._db.execute_fn(lambda db: [r[0] for r in db.execute(
            "SELECT DISTINCT model FROM tasks WHERE model IS NOT NULL ORDER BY model")])

    # -- the board ---------------------------------------------------------------------------
    def get_tasks(self, task_ids: Sequence[str]) -> list[TaskRow]:
        """The tasks with these ids that exist (primary-key lookups)."""
        if not task_ids:
            return []
        return cast("list[TaskRow]", self._db.query(
            f"SELECT * FROM tasks WHERE id IN ({_marks(task_ids)})", list(task_ids)))

    def board_rows(self, tasks: Sequence[TaskRow], *, derived: bool | None = None) -> BoardRows:
        """A page's tracks and files, and source track titles: two to four queries.

        ``derived=None`` fetches files made from these tracks by other tasks only when
        ``assets.track_id`` is indexed (else it would scan every asset).
        """
        if not tasks:
            return BoardRows([], [], {})
        return self._db.execute_fn(lambda db: _board_rows(db, tasks, derived))

    def watch_list(self, states: Sequence[str], limit: int = 500) -> dict[str, str]:
        """``{task_id: state}`` of the newest ``limit`` tasks in one of ``states``."""
        return self._db.execute_fn(lambda db: dict(db.execute(
            f"SELECT id, state FROM tasks WHERE state IN ({_marks(states)}) "
            "ORDER BY created_at DESC LIMIT ?", [*states, limit]).fetchall()))

    def finished_among(self, task_ids: Sequence[str]) -> list[TaskRow]:
        """Those of these tasks that are ``succeeded`` or ``failed``, in finishing order."""
        if not task_ids:
            return []
        # "+state": look the ids up by primary key, never through the state index
        return cast("list[TaskRow]", self._db.query(
            f"SELECT * FROM tasks WHERE id IN ({_marks(task_ids)}) "
            f"AND +state IN ({_marks(FINISHED)}) ORDER BY finished_at",
            [*task_ids, *FINISHED]))

    # -- the Library's selection ---------------------------------------------------------------
    def selection_rows(self, track_ids: Sequence[str]) -> SelectionRows:
        """Selected tracks with their task's facts, and the archived files made from them."""
        if not track_ids:
            return SelectionRows([], [])
        return self._db.execute_fn(lambda db: _selection_rows(db, list(track_ids)))


def _board_rows(db: Database, tasks: Sequence[TaskRow], derived: bool | None) -> BoardRows:
    ids = [t["id"] for t in tasks]
    tracks = list(db.query(f"SELECT * FROM tracks WHERE task_id IN ({_marks(ids)}) "
                           "ORDER BY task_id, idx", ids))
    track_ids = [t["id"] for t in tracks]
    assets = list(db.query(f"SELECT * FROM assets WHERE task_id IN ({_marks(ids)}) ORDER BY id",
                           ids))
    if derived is None:
        derived = plans.index_on(db, "assets", "track_id") is not None
    if track_ids and derived:
        seen = {a["id"] for a in assets}
        assets += [a for a in db.query(
            f"SELECT * FROM assets WHERE track_id IN ({_marks(track_ids)}) AND +status = ? "
            "ORDER BY id", [*track_ids, AssetStatus.DONE.value]) if a["id"] not in seen]
    sources = [t["source_audio_id"] for t in tasks if t["source_audio_id"]]
    titles = dict(db.execute(f"SELECT id, title FROM tracks WHERE id IN ({_marks(sources)})",
                             sources).fetchall()) if sources else {}
    return BoardRows(cast("list[TrackRow]", tracks), cast("list[AssetRow]", assets), titles)


def _selection_rows(db: Database, track_ids: list[str]) -> SelectionRows:
    marks = _marks(track_ids)
    rows = list(db.query(
        f"SELECT {plans.TRACK_COLUMNS}, tasks.provider_task_id AS provider_task_id FROM tracks "
        f"JOIN tasks ON tasks.id = tracks.task_id WHERE tracks.id IN ({marks})", track_ids))
    files: list[dict[str, Any]] = []
    if plans.index_on(db, "assets", "track_id"):  # WAV, stems, MP4 made by other tasks
        files = list(db.query(f"SELECT track_id, kind, local_path FROM assets WHERE track_id "
                              f"IN ({marks}) AND +status = ? ORDER BY id",
                              [*track_ids, AssetStatus.DONE.value]))
    return SelectionRows(cast("list[SelectionTrackRow]", rows),
                         cast("list[TrackFileRow]", files))
