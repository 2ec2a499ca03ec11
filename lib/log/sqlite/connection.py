"""The one place that opens connections to the log file, and the one write path.

Modelled on datasette's ``Database``: `Connections.execute_fn(fn)` runs ``fn(db)`` on this
thread's connection (a sqlite-utils `Database`); `execute_write_fn(fn)` does the same inside a
``BEGIN IMMEDIATE`` transaction, committed when ``fn`` returns and rolled back when it raises.
Each thread keeps one connection for its units of work (opening one costs about as much as a
small write: the callback route and the tracker write many times a second); every unit of
work ends its statements and its transaction, so a kept connection holds no lock between
them. Every connection has a busy timeout and ``synchronous=NORMAL`` (durable enough with WAL,
far fewer fsyncs); the file is switched to WAL and migrated once, on open.

A write that still finds the file locked after the busy timeout (heavy contention between
threads and processes) is retried from the start of its transaction with a short back-off, up
to `WRITE_DEADLINE_S`: nothing was committed, so a retry repeats the whole unit of work and
the log never reports "database is locked" to its callers. `write_stats` records the slowest
write (for the soak).

Why ``BEGIN IMMEDIATE``: a deferred transaction that reads (sqlite-utils inspects the table)
and then writes fails at once with "database is locked" in WAL mode when another connection
committed in between, whatever the busy timeout. Taking the write lock up front makes
concurrent writers wait for each other instead.
"""

from __future__ import annotations

import contextlib
import random
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlite_utils import Database

from lib.log.sqlite.migrations import MIGRATIONS

T = TypeVar("T")
BUSY_TIMEOUT_S = 10.0
WRITE_DEADLINE_S = 120.0
_migrate_lock = threading.Lock()


@dataclass
class WriteStats:
    """Writes done, retried after a lock, and the slowest one (seconds, lock waits included)."""

    writes: int = 0
    retries: int = 0
    worst_s: float = 0.0


def _locked(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


class Connections:
    """Short-lived connections to one SQLite file (one per unit of work, any thread)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.write_stats = WriteStats()
        self._stats_lock = threading.Lock()
        self._local = threading.local()
        with _migrate_lock, self._open() as db:
            db.execute("PRAGMA journal_mode=WAL")
            MIGRATIONS.apply(db)

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        conn.execute("PRAGMA synchronous=NORMAL")
        return conn

    @contextlib.contextmanager
    def _open(self) -> Iterator[Database]:
        """A fresh connection, closed afterwards (migrations, `raw`)."""
        conn = self._connect()
        try:
            yield Database(conn)
        finally:
            conn.close()

    def _thread_db(self) -> Database:
        """This thread's connection (opened on first use)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._connect()
        return Database(conn)

    def execute_fn(self, fn: Callable[[Database], T]) -> T:
        """``fn(db)`` on this thread's connection (reads; autocommit)."""
        return fn(self._thread_db())

    def execute_write_fn(self, fn: Callable[[Database], T]) -> T:
        """``fn(db)`` in one ``BEGIN IMMEDIATE`` transaction: committed, or rolled back if it
        raises; a transaction that finds the file locked is retried whole (see above)."""
        started = time.monotonic()
        attempt = 0
        while True:
            try:
                result = self._write_once(fn)
            except sqlite3.OperationalError as exc:
                if not _locked(exc) or time.monotonic() - started > WRITE_DEADLINE_S:
                    raise
                attempt += 1
                with self._stats_lock:
                    self.write_stats.retries += 1
                time.sleep(min(0.5, 0.01 * 2 ** min(attempt, 6)) * (0.5 + random.random()))
                continue
            elapsed = time.monotonic() - started
            with self._stats_lock:
                self.write_stats.writes += 1
                self.write_stats.worst_s = max(self.write_stats.worst_s, elapsed)
            return result

    def _write_once(self, fn: Callable[[Database], T]) -> T:
        db = self._thread_db()
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            result = fn(db)
        except BaseException:
            db.conn.rollback()
            raise
        db.conn.commit()
        return result

    def query(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        """Every row of one ``SELECT`` as dicts."""
        return self.execute_fn(lambda db: list(db.query(sql, params)))

    def query_one(self, sql: str, params: Any = ()) -> dict[str, Any] | None:
        """The first row of one ``SELECT``, or None (the statement is finished either way)."""
        def first(db: Database) -> dict[str, Any] | None:
            cursor = db.execute(sql, params)
            try:
                row = cursor.fetchone()
                names = [d[0] for d in cursor.description or ()]
            finally:
                cursor.close()
            return None if row is None else dict(zip(names, row, strict=True))

        return self.execute_fn(first)

    @contextlib.contextmanager
    def raw(self) -> Iterator[Database]:
        """A connection for benchmarks and tests only (see `SqliteLog.raw_connection`)."""
        with self._open() as db:
            yield db
