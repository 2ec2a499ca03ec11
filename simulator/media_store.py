"""Media files on disk, their public URLs, retention, and HTTP serving with Range support.

Files live under `media_dir` and are served at `/files/<relative path>` without auth (the real
service's CDN URLs need none either). Each registered file remembers when it was made (simulator
clock) and how long it is kept: generated media `retention_days`, uploads `upload_retention_days`
(`set_retention` changes both for files registered afterwards). A task's files
(``tasks/<taskId>/...`` and their ``stream/`` aliases) age on that task's clock
(`SimClock.now(task_id)`), so one task can be aged alone.
After that the URL answers 404 (the bytes stay on disk until the process ends; the temp dir is
removed by `close()`).

With a data dir (`simulator.persistence`) the media dir is `<data dir>/media` and the entries
(file, type, creation and expiry times) are saved: `dirty` collects the names registered since
the last save, `saved_form`/`restore` convert an entry. Files are written to a temporary name
and renamed into place (`write`), so a kill never leaves a half-written file behind a URL.
"""

from __future__ import annotations

import mimetypes
import os
import re
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from simulator.clock import SimClock

PREFIX = "/files/"
_DAY = 86400.0
_TYPES = {".mp3": "audio/mpeg", ".wav": "audio/wav", ".png": "image/png", ".jpg": "image/jpeg",
          ".jpeg": "image/jpeg", ".mp4": "video/mp4", ".json": "application/json"}
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
_TASK_FILE = re.compile(r"^(?:stream/)?tasks/([^/]+)/")


def task_of(rel: str) -> str | None:
    """The simulator task a media name belongs to (``tasks/<taskId>/...``), None for uploads."""
    match = _TASK_FILE.match(rel)
    return match.group(1) if match else None


def content_type_for(name: str) -> str:
    """MIME type from the file extension."""
    ext = Path(name).suffix.lower()
    return _TYPES.get(ext) or mimetypes.guess_type(name)[0] or "application/octet-stream"


def extension_for(mime: str | None) -> str:
    """File extension (with dot) for a MIME type, ".bin" when unknown."""
    if not mime:
        return ".bin"
    known = {ctype: ext for ext, ctype in reversed(list(_TYPES.items()))}
    return known.get(mime) or mimetypes.guess_extension(mime) or ".bin"


@dataclass(frozen=True)
class Entry:
    """One served file."""

    path: Path
    content_type: str
    created: float
    expires: float


class MediaStore:
    """Thread-safe registry of served files."""

    def __init__(self, media_dir: Path | None, clock: SimClock, retention_days: float,
                 upload_retention_days: float) -> None:
        self._own_dir = media_dir is None
        self.root = Path(media_dir or tempfile.mkdtemp(prefix="songbench-sim-"))
        self.root.mkdir(parents=True, exist_ok=True)
        self._clock = clock
        self._retention: dict[str, float] = {}  # kind -> seconds
        self.set_retention(retention_days, upload_retention_days)
        self._entries: dict[str, Entry] = {}
        self._lock = threading.Lock()
        self.dirty: set[str] = set()  # names registered since the last save

    def set_retention(self, retention_days: float, upload_retention_days: float) -> None:
        """How long generated files and uploads registered from now on are served (days)."""
        self._retention = {**self._retention, "generated": retention_days * _DAY,
                           "upload": upload_retention_days * _DAY}

    def set_kind(self, kind: str, seconds: float) -> None:
        """How long files of `kind` registered from now on are served (seconds)."""
        self._retention = {**self._retention, kind: float(seconds)}

    def expires(self, rel: str | None) -> float | None:
        """When a registered file stops being served (simulator time), None if unknown."""
        with self._lock:
            entry = self._entries.get(rel) if rel else None
        return entry.expires if entry is not None else None

    def path(self, rel: str) -> Path:
        """Disk path for a relative name (parent directories are created)."""
        target = (self.root / rel).resolve()
        if self.root.resolve() not in target.parents:
            raise ValueError(f"path escapes the media dir: {rel!r}")
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def register(self, rel: str, kind: str = "generated", target: str | None = None) -> str:
        """Publish an existing file at `/files/<rel>` (the file `target` when given, for aliases
        such as stream URLs); returns the URL path."""
        now = self._clock.now(task_of(rel))
        entry = Entry(self.path(target or rel), content_type_for(rel), now, now + self._retention[kind])
        with self._lock:
            self._entries[rel] = entry
            self.dirty.add(rel)
        return PREFIX + rel

    def write(self, rel: str, data: bytes) -> Path:
        """Write a file atomically (temporary name, then rename); returns its path."""
        target = self.path(rel)
        tmp = target.with_name(f".{target.name}.{threading.get_ident()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)
        return target

    def put(self, rel: str, data: bytes, kind: str = "generated") -> str:
        """Write `data` and publish it; returns the URL path."""
        self.write(rel, data)
        return self.register(rel, kind)

    def has(self, rel: str | None) -> bool:
        """Whether `rel` is registered and its file exists (expired or not)."""
        with self._lock:
            entry = self._entries.get(rel) if rel else None
        return entry is not None and entry.path.exists()

    def saved_form(self, rel: str) -> dict[str, Any] | None:
        """An entry as saved in the data dir (file relative to the media dir), None if unknown."""
        with self._lock:
            entry = self._entries.get(rel)
        if entry is None:
            return None
        return {"file": entry.path.relative_to(self.root.resolve()).as_posix(), "type": entry.content_type,
                "created": entry.created, "expires": entry.expires}

    def restore(self, rel: str, saved: dict[str, Any]) -> None:
        """Put back an entry saved by `saved_form`."""
        entry = Entry(self.path(saved["file"]), saved["type"], float(saved["created"]), float(saved["expires"]))
        with self._lock:
            self._entries[rel] = entry

    def lookup(self, rel: str) -> Entry | None:
        """The entry if it exists and has not expired."""
        with self._lock:
            entry = self._entries.get(rel)
        if entry is None or self._clock.now(task_of(rel)) >= entry.expires or not entry.path.exists():
            return None
        return entry

    def close(self) -> None:
        """Remove the temporary media dir (only when we created it)."""
        if self._own_dir:
            shutil.rmtree(self.root, ignore_errors=True)

    async def serve(self, request: Request) -> Response:
        """GET/HEAD `/files/{rel:path}` with `Range: bytes=` support (206 / 416)."""
        entry = self.lookup(request.path_params["rel"])
        if entry is None:
            return JSONResponse({"code": 404, "msg": "file not found or expired"}, status_code=404)
        data = entry.path.read_bytes()
        size = len(data)
        headers = {"Accept-Ranges": "bytes", "Cache-Control": "public, max-age=3600"}
        status = 200
        match = _RANGE.match(request.headers.get("range", "").strip())
        if match and (match.group(1) or match.group(2)):
            first, last = match.groups()
            if first:
                start, end = int(first), min(int(last) if last else size - 1, size - 1)
            else:
                start, end = max(size - int(last), 0), size - 1
            if start >= size or start > end:
                return Response(status_code=416, headers={"Content-Range": f"bytes */{size}"})
            data, status = data[start:end + 1], 206
            headers["Content-Range"] = f"bytes {start}-{end}/{size}"
        body = b"" if request.method == "HEAD" else data
        headers["Content-Length"] = str(len(data))
        return Response(body, status_code=status, media_type=entry.content_type, headers=headers)
