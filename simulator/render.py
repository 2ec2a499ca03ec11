"""The media context handed to every operation's `render(renderer, job)` (see `simulator.ops`).

`Renderer.run(job)` (called by the engine in a worker thread) dispatches to the job's operation
(the server hands the renderer `ops.OPERATIONS`). The renderer holds what renders share: the
media store and `publish`, the engine, a small LRU cache of rendered `synth.Song`s (`song_of`
re-makes a track's song on a miss with its operation's `SimOp.song_of`: its `remake`, by
default `ops._music.remake`, so stems of an extended track stay
truthful, also after a restart), an HTTP client for `fetch`ing uploaded sources (a URL of this
simulator's own `/files/` is read from the media store, so it works before the server listens,
e.g. when a restart resumes a job), and a side pool so a music job renders its two tracks in
parallel. A render failure raises `engine.RenderError(code, msg)`; the engine turns it into the
family's failure status.
"""

from __future__ import annotations

import collections
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol
from urllib.parse import unquote, urlsplit

import httpx

from simulator import synth
from simulator.engine import Engine
from simulator.jobs import Job, RenderError, Track
from simulator.media_store import PREFIX, MediaStore

SONG_CACHE = 8


class Operation(Protocol):
    """What the renderer needs of an operation (`simulator.ops.SimOp`)."""

    @property
    def render(self) -> Callable[[Renderer, Job], None] | None: ...
    def song_of(self, renderer: Renderer, job: Job, track: Track) -> synth.Song: ...


class Renderer:
    """Makes every job's media; one instance per simulator."""

    def __init__(self, engine: Engine, store: MediaStore, operations: Mapping[str, Operation]) -> None:
        self.engine = engine
        self.store = store
        self.operations = operations
        self.config = engine.config
        self._songs: collections.OrderedDict[str, synth.Song] = collections.OrderedDict()
        self._lock = threading.Lock()
        self._http = httpx.Client(timeout=60.0, follow_redirects=True)
        self.side = ThreadPoolExecutor(max_workers=max(1, self.config.workers), thread_name_prefix="sim-track")

    def close(self) -> None:
        self.side.shutdown(wait=False, cancel_futures=True)
        self._http.close()

    def run(self, job: Job) -> None:
        """Render a job's media, reporting stages to the engine."""
        render = self.operations[job.op].render
        assert render is not None, f"{job.op} is synchronous: it has no job to render"
        render(self, job)

    def publish(self, rel: str) -> str:
        """Serve an existing media file; returns its relative path."""
        return self.store.register(rel).removeprefix("/files/")

    def parent_track(self, job: Job) -> tuple[Job, Track]:
        """The source (job, track) named by the job's parent audioId."""
        return self.engine.find_track(job.parent["audioId"])

    def _own_file(self, url: str, job: Job | None) -> str | None:
        """The media-store name of a URL served by this simulator (its public URL or the base the
        job was created on), else None."""
        parts = urlsplit(url)
        bases = {b.rstrip("/") for b in (self.config.public_url, job.base_url if job else None) if b}
        if f"{parts.scheme}://{parts.netloc}" in bases and parts.path.startswith(PREFIX) and not parts.query:
            return unquote(parts.path.removeprefix(PREFIX))
        return None

    def fetch(self, url: str, job: Job | None = None) -> bytes:
        """GET an uploaded source; RenderError(451) when it cannot be fetched. A URL of this
        simulator's own media (see `_own_file`) is read from the store, with the same answer
        (451 when it is unknown or expired)."""
        rel = self._own_file(url, job)
        if rel is not None:
            entry = self.store.lookup(rel)
            if entry is None:
                raise RenderError(451, f"could not fetch uploadUrl {url}: 404 file not found or expired")
            return entry.path.read_bytes()
        try:
            resp = self._http.get(url)
            resp.raise_for_status()
        except httpx.HTTPError as exc:
            raise RenderError(451, f"could not fetch uploadUrl {url}: {type(exc).__name__}: {exc}") from None
        return resp.content

    def remember(self, track_id: str, song: synth.Song) -> None:
        """Cache a track's rendered song."""
        with self._lock:
            self._songs[track_id] = song
            self._songs.move_to_end(track_id)
            while len(self._songs) > SONG_CACHE:
                self._songs.popitem(last=False)

    def song_of(self, track: Track) -> synth.Song:
        """The synth.Song of a finished track (cached, else re-made by its operation)."""
        with self._lock:
            song = self._songs.get(track.id)
        if song is None:
            job, _ = self.engine.find_track(track.id)
            song = self.operations[job.op].song_of(self, job, track)
            self.remember(track.id, song)
        return song
