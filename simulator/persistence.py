"""The simulator remembers: its state saved in a data dir (`SimConfig.data_dir`, `--data-dir`).

Files under the data dir:

* `state.sqlite3` (+ `-wal`, `-shm`): every record as JSON (`state_db`, `state_codec`):
  `job` (each `engine.Job` whole, with its tracks, result, error, due times...), `table:<name>`
  (each entry of the engine's tables: `personas`, `unique`, any an operation adds), `media`
  (each served file's name, file, type, creation and expiry time), `callbacks` (each task's
  delivery history and pending labels), `meta` (`credits`, `clock` offset, `clock_tasks`: the
  tasks aged alone, `address`).
* `media/`: the files themselves (generated media, uploads, kept upload sources).
* `lock`: held while a simulator uses the dir (a second one refuses to start).

Another process can find the simulator that serves a dir: `in_use(data_dir)` tells whether one
holds the lock, `served_url(data_dir)` gives its address (``meta``/``address``) while it does
(the command line attaches to the app's simulator this way instead of starting a second one).

When: `flush` writes what changed since the last flush in one transaction. The timeline thread
flushes after every tick that changed something (stages, renders, callbacks, credits), and every
mutating request is flushed before its answer is sent (`server`), so an accepted task is on disk
before its `taskId` is. A `kill -9` at any moment leaves the last complete transaction.

On start (`restore`, then `resume` once the renderer exists): records that cannot be read are
skipped with a logged warning; jobs come back in creation order; a job whose media were not all
made is rendered again (its render must be re-runnable, see `simulator.ops.SimOp`) and keeps its
persisted due times; callbacks that were pending are sent again (at-least-once).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from simulator.engine import TASK_FAMILIES
from simulator.jobs import Job
from simulator.state_codec import dumps, loads
from simulator.state_db import FILE_NAME, StateDB, read_record
from simulator.tables import drain

if TYPE_CHECKING:
    from simulator.callbacks import CallbackSender
    from simulator.clock import SimClock
    from simulator.engine import Engine
    from simulator.media_store import MediaStore

log = logging.getLogger("simulator.persist")


def _lock_dir(data_dir: Path) -> TextIO | None:
    try:
        import fcntl
    except ImportError:  # not POSIX: no guard against two simulators on one dir
        return None
    handle = open(data_dir / "lock", "a+")  # noqa: SIM115 - held open while the dir is in use
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise RuntimeError(f"data dir {data_dir} is in use by another simulator") from None
    return handle


def in_use(data_dir: Path) -> bool:
    """Whether a running simulator holds `data_dir`'s lock (False when not POSIX: unknown).

    The check takes the lock for an instant when it is free, so a simulator starting on the
    dir at that very instant may refuse to start (and say so); it never removes anything."""
    try:
        import fcntl
    except ImportError:
        return False
    path = Path(data_dir) / "lock"
    if not path.is_file():
        return False
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
    return False


def served_url(data_dir: Path) -> str | None:
    """``http://host:port`` of the simulator serving `data_dir` right now, or None (none holds
    the dir, or it has not saved its address yet)."""
    if not in_use(data_dir):
        return None
    text = read_record(Path(data_dir) / FILE_NAME, "meta", "address")
    try:
        address = loads(text) if text else None
        host, port = str(address["host"]), int(address["port"])
    except (ValueError, TypeError, KeyError):
        return None
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    return f"http://{host}:{port}"


class Persistence:
    """Saves and restores one simulator's state in `data_dir`."""

    def __init__(self, data_dir: Path, engine: Engine, store: MediaStore, sender: CallbackSender,
                 clock: SimClock) -> None:
        self.dir = Path(data_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.engine, self.store, self.sender, self.clock = engine, store, sender, clock
        self._lockfile = _lock_dir(self.dir)
        self._db = StateDB(self.dir / FILE_NAME)
        self._lock = threading.Lock()
        self._meta: dict[str, str] = {}  # meta key -> last saved JSON text
        self._resend: dict[str, list[str]] = {}
        self._unsaved: set[str] = set()  # jobs that have no JSON form (warned once)
        self._closed = False
        self.address: dict[str, Any] | None = None  # {"host", "port"} the last run served on
        self.skipped = 0

    # --- start ----------------------------------------------------------------------------------
    def restore(self) -> int:
        """Load the saved state into the parts; returns the number of jobs restored."""
        jobs: list[Job] = []
        for kind, key, text in self._db.rows():
            try:
                self._restore_one(kind, key, text, jobs)
            except Exception as exc:  # a damaged record never stops the start
                self.skipped += 1
                log.warning("data dir %s: skipped unreadable %s record %r: %s: %s", self.dir, kind, key,
                            type(exc).__name__, exc)
        for job in sorted(jobs, key=lambda j: j.created):
            self.engine.restore(job)
        return len(jobs)

    def _restore_one(self, kind: str, key: str, text: str, jobs: list[Job]) -> None:
        value = loads(text)
        if kind == "job":
            if not isinstance(value, Job) or value.task_id != key:
                raise ValueError("not a job record")
            if value.family not in TASK_FAMILIES:
                raise ValueError(f"unknown task family {value.family!r}")
            jobs.append(value)
        elif kind == "media":
            self.store.restore(key, value)
        elif kind.startswith("table:"):
            self.engine.table(kind.removeprefix("table:")).load(loads(key), value)
        elif kind == "callbacks":
            self._resend[key] = self.sender.restore(key, value)
        elif kind == "meta":
            self._restore_meta(key, value)
            self._meta[key] = text
        else:
            raise ValueError(f"unknown record kind {kind!r}")

    def _restore_meta(self, key: str, value: Any) -> None:
        if key == "credits":
            self.engine.set_credits(int(value))
        elif key == "clock":
            self.clock.set_offset(float(value))
        elif key == "clock_tasks":
            self.clock.set_task_offsets(dict(value))
        elif key == "address":
            self.address = dict(value)

    def resume(self) -> int:
        """Render again the restored jobs whose media were not all made, and send again the
        callbacks that were pending; returns the number of jobs resumed."""
        engine, resumed = self.engine, 0
        operations = engine.renderer.operations  # the music operations and the media ones
        with engine.lock:
            jobs = [j for j in engine.jobs.values()
                    if not j.done and j.error is None and j.ready < len(j.stages)]
        for job in jobs:
            op = operations.get(job.op)
            if op is None or op.render is None:
                engine.fail(job, 500, f"operation {job.op!r} is unknown to this simulator", refund=True)
                continue
            engine.resume(job)
            resumed += 1
        resend, self._resend = self._resend, {}
        for task_id, labels in resend.items():
            job = engine.get(task_id)
            for label in labels if job is not None else ():
                self.sender.send(task_id, job.callback_url, label, engine.callback_body(job, label))
        return resumed

    def remember_address(self, host: str, port: int) -> None:
        """Save the address the simulator serves on (a later start on port 0 reuses it)."""
        self.address = {"host": host, "port": int(port)}
        self.flush()

    # --- saving ---------------------------------------------------------------------------------
    def _meta_now(self) -> dict[str, Any]:
        meta: dict[str, Any] = {"credits": self.engine.credits, "clock": self.clock.offset}
        if tasks := self.clock.task_offsets:
            meta["clock_tasks"] = tasks
        if self.address is not None:
            meta["address"] = self.address
        return meta

    def has_changes(self) -> bool:
        """Whether anything changed since the last flush."""
        e = self.engine
        if e.dirty or self.store.dirty or self.sender.dirty or any(t.dirty for t in list(e.tables.values())):
            return True
        return any(self._meta.get(k) != dumps(v) for k, v in self._meta_now().items())

    def flush(self) -> None:
        """Write every change since the last flush in one transaction."""
        with self._lock:
            if self._closed:
                return
            changes: list[tuple[str, str, str | None]] = []
            undo: list[tuple[set, Any]] = []
            with self.engine.lock:  # jobs first, then the media they name (registered before)
                self._collect_jobs(changes, undo)
                for name, table in list(self.engine.tables.items()):
                    for key in drain(table.dirty):
                        undo.append((table.dirty, key))
                        changes.append((f"table:{name}", dumps(key), dumps(table[key]) if key in table else None))
                meta = {k: dumps(v) for k, v in self._meta_now().items()}
                changes.extend(("meta", k, v) for k, v in meta.items() if self._meta.get(k) != v)
                for rel in drain(self.store.dirty):
                    undo.append((self.store.dirty, rel))
                    saved = self.store.saved_form(rel)
                    changes.append(("media", rel, dumps(saved) if saved else None))
                for task_id in drain(self.sender.dirty):
                    undo.append((self.sender.dirty, task_id))
                    changes.append(("callbacks", task_id, dumps(self.sender.saved_form(task_id))))
            try:
                self._db.write(changes)
            except sqlite3.Error:
                log.exception("data dir %s: could not save the state (will retry)", self.dir)
                for keys, key in undo:
                    keys.add(key)
                return
            self._meta.update(meta)

    def _collect_jobs(self, changes: list, undo: list) -> None:
        for task_id in drain(self.engine.dirty):
            job = self.engine.jobs.get(task_id)
            try:
                changes.append(("job", task_id, dumps(job) if job is not None else None))
                undo.append((self.engine.dirty, task_id))
            except RuntimeError:  # a render thread changed it while it was read: next flush
                self.engine.dirty.add(task_id)
            except TypeError as exc:
                if task_id not in self._unsaved:
                    self._unsaved.add(task_id)
                    log.warning("data dir %s: task %s (%s) has no JSON form and is not saved: %s",
                                self.dir, task_id, job.op, exc)

    def close(self) -> None:
        """Final flush, then release the state file and the dir lock."""
        self.flush()
        with self._lock:
            self._closed = True
            self._db.close()
            if self._lockfile is not None:
                self._lockfile.close()
