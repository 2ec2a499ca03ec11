"""`SqliteLog`'s demo-mode playlists (migration m009_playlists).

* a playlist's ``slug`` is drawn here (8 random url-safe characters, never starting with ``-``
  or ``_``), so share links are short and not guessable from one another;
* a take is in a playlist at most once; adding appends after the last position, removing
  closes the gap, reordering rewrites every position in one write;
* what may be shown (approved, archived takes) is decided by `lib.demo`, not here.
"""

from __future__ import annotations

import secrets
import sqlite3
import string
import time
from collections.abc import Sequence
from typing import Any, cast

from sqlite_utils import Database

from lib.log.rows import PlaylistItemRow, PlaylistRow
from lib.log.sqlite.connection import Connections

_FIRST = string.ascii_letters + string.digits


def new_slug() -> str:
    """8 url-safe characters (about 47 random bits), starting with a letter or a digit."""
    return secrets.choice(_FIRST) + secrets.token_urlsafe(6)[:7]


class Playlists:
    """Demo-mode playlists and their takes (mixed into `SqliteLog`)."""

    _db: Connections

    def create_playlist(self, *, title: str, subtitle: str | None = None,
                        notes: str | None = None, track_ids: Sequence[str] = (),
                        now: float | None = None) -> PlaylistRow:
        now = time.time() if now is None else now
        ids = list(dict.fromkeys(track_ids))

        def write(db: Database) -> int:
            for _ in range(5):  # a slug collision is very unlikely; draw again
                try:
                    pid = cast(int, db.table("playlists").insert({
                        "slug": new_slug(), "title": title, "subtitle": subtitle,
                        "notes": notes, "created_at": now, "updated_at": now}).last_pk)
                    break
                except sqlite3.IntegrityError:
                    continue
            else:  # pragma: no cover - 5 collisions in a row
                raise RuntimeError("could not draw a free playlist link")
            db.table("playlist_items").insert_all(
                ({"playlist_id": pid, "track_id": tid, "position": i, "note": None}
                 for i, tid in enumerate(ids)), batch_size=500)
            return pid

        pid = self._db.execute_write_fn(write)
        row = self._db.query_one("SELECT * FROM playlists WHERE id = ?", [pid])
        return cast("PlaylistRow", row)

    def get_playlist(self, slug: str) -> PlaylistRow | None:
        return cast("PlaylistRow | None", self._db.query_one(
            "SELECT * FROM playlists WHERE slug = ?", [slug]))

    def list_playlists(self, limit: int = 200) -> list[PlaylistRow]:
        return cast("list[PlaylistRow]", self._db.query(
            "SELECT * FROM playlists ORDER BY updated_at DESC, id DESC LIMIT ?", [limit]))

    def update_playlist(self, playlist_id: int, *, now: float | None = None,
                        **fields: Any) -> None:
        unknown = set(fields) - {"title", "subtitle", "notes"}
        if unknown:
            raise ValueError(f"playlists have no field {', '.join(sorted(unknown))}")
        values = {**fields, "updated_at": time.time() if now is None else now}
        self._db.execute_write_fn(lambda db: db.table("playlists").update(playlist_id, values))

    def delete_playlist(self, playlist_id: int) -> None:
        def write(db: Database) -> None:
            db.execute("DELETE FROM playlist_items WHERE playlist_id = ?", [playlist_id])
            db.execute("DELETE FROM playlists WHERE id = ?", [playlist_id])

        self._db.execute_write_fn(write)

    def playlist_items(self, playlist_id: int) -> list[PlaylistItemRow]:
        return cast("list[PlaylistItemRow]", self._db.query(
            "SELECT * FROM playlist_items WHERE playlist_id = ? ORDER BY position, track_id",
            [playlist_id]))

    def add_playlist_items(self, playlist_id: int, track_ids: Sequence[str], *,
                           now: float | None = None) -> int:
        now = time.time() if now is None else now

        def write(db: Database) -> int:
            have = {r[0] for r in db.execute(
                "SELECT track_id FROM playlist_items WHERE playlist_id = ?", [playlist_id])}
            nxt = int(db.execute("SELECT IFNULL(MAX(position) + 1, 0) FROM playlist_items "
                                 "WHERE playlist_id = ?", [playlist_id]).fetchone()[0])
            new = [t for t in dict.fromkeys(track_ids) if t not in have]
            db.table("playlist_items").insert_all(
                ({"playlist_id": playlist_id, "track_id": tid, "position": nxt + i,
                  "note": None} for i, tid in enumerate(new)), batch_size=500)
            db.execute("UPDATE playlists SET updated_at = ? WHERE id = ?", [now, playlist_id])
            return len(new)

        return self._db.execute_write_fn(write)

    def remove_playlist_item(self, playlist_id: int, track_id: str, *,
                             now: float | None = None) -> bool:
        now = time.time() if now is None else now

        def write(db: Database) -> bool:
            row = db.execute("SELECT position FROM playlist_items WHERE playlist_id = ? AND "
                             "track_id = ?", [playlist_id, track_id]).fetchone()
            if row is None:
                return False
            db.execute("DELETE FROM playlist_items WHERE playlist_id = ? AND track_id = ?",
                       [playlist_id, track_id])
            db.execute("UPDATE playlist_items SET position = position - 1 WHERE "
                       "playlist_id = ? AND position > ?", [playlist_id, row[0]])
            db.execute("UPDATE playlists SET updated_at = ? WHERE id = ?", [now, playlist_id])
            return True

        return self._db.execute_write_fn(write)

    def reorder_playlist(self, playlist_id: int, track_ids: Sequence[str], *,
                         now: float | None = None) -> None:
        now = time.time() if now is None else now

        def write(db: Database) -> None:
            have = [r[0] for r in db.execute(
                "SELECT track_id FROM playlist_items WHERE playlist_id = ? "
                "ORDER BY position, track_id", [playlist_id])]
            wanted = [t for t in dict.fromkeys(track_ids) if t in have]
            order = wanted + [t for t in have if t not in wanted]  # the rest keep their order
            for i, tid in enumerate(order):
                db.execute("UPDATE playlist_items SET position = ? WHERE playlist_id = ? AND "
                           "track_id = ?", [i, playlist_id, tid])
            db.execute("UPDATE playlists SET updated_at = ? WHERE id = ?", [now, playlist_id])

        self._db.execute_write_fn(write)

    def set_playlist_item_note(self, playlist_id: int, track_id: str, note: str | None, *,
                               now: float | None = None) -> bool:
        now = time.time() if now is None else now

        def write(db: Database) -> bool:
            changed = db.execute("UPDATE playlist_items SET note = ? WHERE playlist_id = ? AND "
                                 "track_id = ?", [note, playlist_id, track_id]).rowcount == 1
            if changed:
                db.execute("UPDATE playlists SET updated_at = ? WHERE id = ?",
                           [now, playlist_id])
            return changed

        return self._db.execute_write_fn(write)
