"""Archive finished result files locally, because provider URLs expire after ~14-15 days.

Files go to ``<assets_dir>/<task_id>/<name>.<ext>`` where ``name`` is ``<track_id>-<kind>``
for per-track files (``<track>-mp3``, ``<track>-image``, ``<track>-stem-drums``...) and
``<kind>`` for task-level ones (``cover-1``); the extension comes from the Content-Type (then
the URL). Downloads stream into a temporary file in the same folder and are renamed into place,
so a half-written file is never visible. Archiving is idempotent (a ``done`` asset whose file
exists is skipped); failures are recorded and retried with back-off, and given up (``failed``)
after `MAX_ATTEMPTS`.

``on_audio(track_id, path, url)`` (optional) runs after a track's MP3 is stored, in the
archiver's own path (the runtime passes `lib.qa.tracks.TrackScorer`: the QA scorecard); its
errors are logged as events and never undo or retry the download. Before it, the track's
waveform image is drawn beside the MP3 (`lib.tracking.waveform`, asset ``waveform``); tracks
archived before waveforms existed get theirs drawn one per `archive_due` call.

``on_media(asset, path)`` (optional) runs likewise after a task-level image or video
(``image``, ``image:N``, ``video``, ``video:N``) is stored (the runtime passes
`lib.qa.media.MediaScorer`: its size, format, length, frame rate and sound against the request).
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

import httpx

from lib.log import AssetRow, AssetStatus, EventKind, TaskLog

MAX_ATTEMPTS = 5
RETRY_DELAYS = (5.0, 30.0, 120.0, 600.0)
_EXT_BY_TYPE = {
    "audio/mpeg": "mp3", "audio/mp3": "mp3", "audio/wav": "wav", "audio/x-wav": "wav",
    "audio/wave": "wav", "audio/vnd.wave": "wav", "audio/flac": "flac", "audio/ogg": "ogg",
    "audio/mp4": "m4a", "video/mp4": "mp4", "image/png": "png", "image/jpeg": "jpeg",
    "image/jpg": "jpeg", "image/webp": "webp", "application/json": "json", "text/plain": "txt",
}
_KNOWN_EXTS = {"mp3", "wav", "flac", "ogg", "m4a", "mp4", "png", "jpeg", "jpg", "webp"}


def extension_for(content_type: str | None, url: str) -> str:
    """A file extension from the Content-Type, else the URL's suffix, else ``bin``."""
    mime = (content_type or "").split(";")[0].strip().lower()
    if mime in _EXT_BY_TYPE:
        return _EXT_BY_TYPE[mime]
    suffix = Path(urlparse(url).path).suffix.lstrip(".").lower()
    return suffix if suffix in _KNOWN_EXTS else "bin"


def is_media(kind: str) -> bool:
    """Whether an asset kind is a task's image or video (``image:2``, ``video``...)."""
    return kind.split(":", 1)[0] in ("image", "video")


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._]+", "-", text).strip("-.") or "asset"


def asset_name(kind: str, track_id: str | None) -> str:
    """The file stem of an asset inside its task folder."""
    return _safe(f"{track_id}-{kind}" if track_id else kind)


class AssetArchiver:
    """Downloads assets recorded in the task log and records where they went."""

    def __init__(self, log: TaskLog, assets_dir: str | Path,
                 http_client: httpx.Client | None = None, *,
                 on_audio: Callable[[str, Path, str | None], None] | None = None,
                 on_media: Callable[[AssetRow, Path], None] | None = None,
                 waveforms: bool = True) -> None:
        self.log = log
        self.on_audio = on_audio
        self.on_media = on_media
        self.waveforms = waveforms
        self._backfill = waveforms  # until no archived track lacks a waveform
        self._backfill_after = 0    # the last MP3 asset id the backfill looked at
        self.assets_dir = Path(assets_dir)
        self.http = http_client or httpx.Client(timeout=httpx.Timeout(60.0, connect=10.0),
                                                follow_redirects=True)

    def archive_due(self, now: float | None = None, limit: int = 20) -> int:
        """Archive assets of succeeded tasks that are new or due for a retry; returns how many
        were downloaded."""
        now = time.time() if now is None else now
        done = sum(self.archive(row, now=now) for row in self.log.assets_due(now, limit))
        if self._backfill:
            try:   # one per pass: a 3-minute track takes about a second to draw
                from lib.tracking import waveform  # numpy and PIL: loaded when first drawn

                last = waveform.backfill(self.log, limit=1, now=now,
                                         after_id=self._backfill_after)
                self._backfill = last is not None
                self._backfill_after = last or self._backfill_after
            except Exception as exc:  # never let drawing stop the archive
                self._backfill = False
                self.log.log_event(None, EventKind.ERROR, note=f"waveforms: {exc}", at=now)
        return done

    def archive_task(self, task_id: str) -> int:
        """Archive (or re-archive missing files of) every asset of one task, whatever its state."""
        return sum(self.archive(row) for row in self.log.assets_for(task_id))

    def _exists(self, row: AssetRow) -> bool:
        local = row["local_path"]
        return bool(local) and Path(local or "").is_file()

    def archive(self, row: AssetRow, now: float | None = None) -> bool:
        """Download one asset row; True when a file was written. Errors are recorded, not raised."""
        now = time.time() if now is None else now
        if row["status"] == AssetStatus.DONE and self._exists(row):
            return False
        folder = self.assets_dir / _safe(row["task_id"])
        folder.mkdir(parents=True, exist_ok=True)
        try:
            path, content_type, size = self._download(row["url"] or "", folder,
                                                      asset_name(row["kind"], row["track_id"]))
        except (httpx.HTTPError, OSError) as exc:
            self._failed(row, now, exc)
            return False
        self.log.update_asset(row["id"], status=AssetStatus.DONE, local_path=str(path),
                              bytes=size, content_type=content_type, error=None,
                              downloaded_at=now, attempts=row["attempts"] + 1, next_try_at=None)
        if row["track_id"] and row["kind"] in ("mp3", "image"):
            key = "audio" if row["kind"] == "mp3" else "image"
            self.log.set_track_local(row["track_id"], **{key: str(path)})
        self.log.log_event(row["task_id"], EventKind.ASSET, method="GET", url=row["url"],
                           status_code=200, note=f"{row['kind']} -> {path.name} ({size} B)",
                           at=now)
        if self.waveforms and row["track_id"] and row["kind"] == "mp3":
            self._draw_waveform(row, path, now)
        if self.on_audio is not None and row["track_id"] and row["kind"] == "mp3":
            self._audio_stored(row, path, now)
        if self.on_media is not None and not row["track_id"] and is_media(row["kind"]):
            self._media_stored(row, path, now)
        return True

    def _draw_waveform(self, row: AssetRow, path: Path, now: float) -> None:
        assert row["track_id"]
        from lib.tracking import waveform

        try:
            waveform.store_for_track(self.log, row["task_id"], row["track_id"], path, now)
        except Exception as exc:  # a waveform never breaks the archive
            self.log.log_event(row["task_id"], EventKind.ERROR, note=f"waveform of {path.name}: "
                               f"{type(exc).__name__}: {exc}", at=now)

    def _audio_stored(self, row: AssetRow, path: Path, now: float) -> None:
        assert self.on_audio is not None and row["track_id"]
        try:
            self.on_audio(row["track_id"], path, row["url"])
        except Exception as exc:  # a hook never breaks the archive
            self.log.log_event(row["task_id"], EventKind.ERROR, note=f"qa of {path.name}: "
                               f"{type(exc).__name__}: {exc}", at=now)

    def _media_stored(self, row: AssetRow, path: Path, now: float) -> None:
        assert self.on_media is not None
        try:
            self.on_media(row, path)
        except Exception as exc:  # a hook never breaks the archive
            self.log.log_event(row["task_id"], EventKind.ERROR, note=f"qa of {path.name}: "
                               f"{type(exc).__name__}: {exc}", at=now)

    def _download(self, url: str, folder: Path, stem: str) -> tuple[Path, str | None, int]:
        fd, tmp = tempfile.mkstemp(prefix=f".{stem}.", suffix=".part", dir=folder)
        try:
            with os.fdopen(fd, "wb") as out, self.http.stream("GET", url) as response:
                response.raise_for_status()
                content_type = response.headers.get("content-type")
                for chunk in response.iter_bytes():
                    out.write(chunk)
            size = os.path.getsize(tmp)
            if size == 0:
                raise OSError("empty download")
            path = folder / f"{stem}.{extension_for(content_type, url)}"
            os.replace(tmp, path)
            return path, content_type, size
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def _failed(self, row: AssetRow, now: float, exc: Exception) -> None:
        attempts = row["attempts"] + 1
        gave_up = attempts >= MAX_ATTEMPTS
        delay = RETRY_DELAYS[min(attempts - 1, len(RETRY_DELAYS) - 1)]
        message = f"{type(exc).__name__}: {exc}"
        self.log.update_asset(row["id"], status=AssetStatus.FAILED if gave_up else
                              AssetStatus.ERROR, error=message, attempts=attempts,
                              next_try_at=None if gave_up else now + delay)
        status = exc.response.status_code if isinstance(exc, httpx.HTTPStatusError) else None
        self.log.log_event(row["task_id"], EventKind.ERROR, method="GET", url=row["url"],
                           status_code=status, note=f"asset {row['kind']}: {message}", at=now)
