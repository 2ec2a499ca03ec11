"""The data dir's state file, `state.sqlite3`: one SQLite table of JSON records.

`records(kind, id, data)`: `kind` names what a record is (`job`, `media`, `meta`, `table:<name>`,
`callbacks`), `id` its key, `data` its JSON text (`state_codec`). Every `write` is one
transaction, so a set of changes is on disk entirely or not at all.

Crash safety: SQLite in WAL mode with `synchronous=NORMAL`. A committed transaction survives a
`kill -9` of the process at any moment (it is in the WAL, which the OS keeps); a write torn by
the kill is an incomplete WAL frame that SQLite's checksums discard on the next open, leaving
the last complete transaction. (A power cut may lose the last transactions, never consistency.)

A file that is not readable anyway (not a database, damaged pages) does not stop the start:
`StateDB` logs a warning, salvages the rows it can still read, moves the damaged file aside as
`state.sqlite3.corrupt-<time>` and continues with a fresh file holding the salvaged rows.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger("simulator.persist")

FILE_NAME = "state.sqlite3"
_SCHEMA = "CREATE TABLE IF NOT EXISTS records (kind TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL, " \
          "PRIMARY KEY (kind, id))"
Row = tuple[str, str, str]  # kind, id, JSON text


def _connect(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute(_SCHEMA)
    return con


def _salvage(path: Path) -> list[Row]:
    """The rows of a damaged file that can still be read (a scan until the damage, then one
    lookup per remaining row id)."""
    rows: dict[int, Row] = {}
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return []
    try:
        try:
            for rowid, kind, key, data in con.execute("SELECT rowid, kind, id, data FROM records ORDER BY rowid"):
                rows[rowid] = (kind, key, data)
        except sqlite3.Error:
            try:
                top = con.execute("SELECT max(rowid) FROM records").fetchone()[0] or 0
            except sqlite3.Error:
                top = max(rows, default=0) + 1000
            for rowid in range(1, min(top, 10**6) + 1):
                if rowid in rows:
                    continue
                try:
                    hit = con.execute("SELECT kind, id, data FROM records WHERE rowid = ?", (rowid,)).fetchone()
                except sqlite3.Error:
                    continue
                if hit:
                    rows[rowid] = hit
    finally:
        con.close()
    return [rows[k] for k in sorted(rows)]


class StateDB:
    """One open state file (thread-safe for one writer at a time: the caller serialises writes)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._con = _connect(path)
            check = self._con.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise sqlite3.DatabaseError(check)
        except sqlite3.DatabaseError as exc:
            self._recover(exc)

    def _recover(self, exc: Exception) -> None:
        if getattr(self, "_con", None) is not None:
            self._con.close()
        rows = _salvage(self.path)
        aside = self.path.with_name(f"{self.path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
        for suffix in ("", "-wal", "-shm"):
            src = Path(str(self.path) + suffix)
            if src.exists():
                src.replace(Path(str(aside) + suffix))
        log.warning("state file %s is damaged (%s): moved aside to %s; %d records salvaged",
                    self.path, exc, aside.name, len(rows))
        self._con = _connect(self.path)
        self.write(rows)

    def rows(self) -> list[Row]:
        """Every record, oldest write first."""
        return list(self._con.execute("SELECT kind, id, data FROM records ORDER BY rowid"))

    def write(self, changes: Iterable[tuple[str, str, str | None]]) -> None:
        """Apply (kind, id, JSON text | None to delete) changes in one transaction."""
        changes = list(changes)
        if not changes:
            return
        con = self._con
        con.execute("BEGIN IMMEDIATE")
        try:
            for kind, key, data in changes:
                if data is None:
                    con.execute("DELETE FROM records WHERE kind = ? AND id = ?", (kind, key))
                else:
                    con.execute("INSERT OR REPLACE INTO records (kind, id, data) VALUES (?, ?, ?)", (kind, key, data))
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self._con.close()


def read_record(path: Path, kind: str, key: str) -> str | None:
    """One record's JSON text read from a state file another process may be writing (read-only,
    never creating the file); None when the file or the record is missing or unreadable."""
    if not Path(path).is_file():
        return None
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        return None
    try:
        row = con.execute("SELECT data FROM records WHERE kind = ? AND id = ?", (kind, key)).fetchone()
    except sqlite3.Error:
        return None
    finally:
        con.close()
    return row[0] if row else None
