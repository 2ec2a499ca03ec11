"""Thin adapter from jobs to the pure media modules (synth, audio_io, art, video, texts).

`Renderer.run(job)` makes the media of an async job in a worker thread and reports each stage
with `engine.reach(job, label)`: music jobs add their two tracks (text), render and encode track
0 (first) and track 1 (complete). Source audio for upload-* and add-* jobs is fetched over HTTP
from `uploadUrl` and decoded with `audio_io.decode`; extend and replace-section start from the
source track's `synth.Song` (kept in a small LRU cache, re-rendered on a miss) so their stems
stay truthful. Failures raise `RenderError(code, msg)`; the engine turns them into the family's
failure status. The sync helpers (`boost_style`, `timestamped_lyrics`, `persona`) serve routes.
"""

from __future__ import annotations

import collections
import dataclasses
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

import httpx

from simulator import art, audio_io, synth, texts, video
from simulator.engine import Engine, Job, Track
from simulator.media_store import MediaStore
from simulator.payloads import MODEL_NAMES
from simulator.rules import upload_limit_seconds

SONG_CACHE = 8
ADD_DEFAULT_MODEL = "V4_5PLUS"


class RenderError(Exception):
    """A render failure with the callback/record code to report (400, 451, 500)."""

    def __init__(self, code: int, msg: str) -> None:
        super().__init__(msg)
        self.code = code


def _seed(*parts: Any) -> int:
    return synth._hash(*parts) % 2**31  # the synth's stable (unsalted) text hash


def _describe(spec: synth.SongSpec) -> str:
    names = "C C# D D# E F F# G G# A A# B".split()
    return f"{', '.join(spec.instruments)}, {names[spec.key]} {spec.scale}, {spec.tempo_bpm:.0f} bpm"


class Renderer:
    """Makes every job's media; one instance per simulator."""

    def __init__(self, engine: Engine, store: MediaStore) -> None:
        self.engine = engine
        self.store = store
        self.config = engine.config
        self._songs: collections.OrderedDict[str, synth.Song] = collections.OrderedDict()
        self._lock = threading.Lock()
        self._http = httpx.Client(timeout=60.0, follow_redirects=True)
        self._side = ThreadPoolExecutor(max_workers=max(1, self.config.workers), thread_name_prefix="sim-track")

    def close(self) -> None:
        self._side.shutdown(wait=False, cancel_futures=True)
        self._http.close()

    # --- dispatch ----------------------------------------------------------------------------
    def run(self, job: Job) -> None:
        """Render a job's media, reporting stages to the engine."""
        getattr(self, f"_run_{job.family}")(job)

    def _run_lyrics(self, job: Job) -> None:
        job.result["variants"] = texts.lyrics_variants(job.body["prompt"], n=2)
        self.engine.reach(job, "complete")

    def _run_cover(self, job: Job) -> None:
        self.engine.reach(job, "generating")
        parent = self.engine.get(job.parent["taskId"]).body
        title = parent.get("title") or parent.get("prompt") or "Untitled"
        style = parent.get("style") or parent.get("tags") or ""
        job.result["images"] = [
            self.store.put(f"tasks/{job.task_id}/cover_{i}.png",
                           art.cover_image(_seed(job.task_id, i), title, style, fmt="png")).removeprefix("/files/")
            for i in range(2)]
        self.engine.reach(job, "complete")

    def _run_wav(self, job: Job) -> None:
        _, track = self._parent_track(job)
        rel = f"tasks/{job.task_id}/{track.id}.wav"
        audio_io.encode_wav(audio_io.decode(self.store.path(track.audio)), self.store.path(rel))
        job.result["wav"] = self._publish(rel)
        self.engine.reach(job, "complete")

    def _run_stems(self, job: Job) -> None:
        _, track = self._parent_track(job)
        kind = "split_stem" if job.op == "split_stem" else "separate_vocal"
        urls = {"origin": track.audio}
        for name, pcm in synth.stems(self.song_of(track), kind).items():
            rel = f"tasks/{job.task_id}/{track.id}_{name.title()}.mp3"
            audio_io.encode_mp3(pcm, self.store.path(rel))
            urls[name] = self._publish(rel)
        job.result["stems"] = urls
        self.engine.reach(job, "complete")

    def _run_mp4(self, job: Job) -> None:
        _, track = self._parent_track(job)
        rel = f"tasks/{job.task_id}/{track.id}.mp4"
        video.make_mp4(self.store.path(track.image), self.store.path(track.audio), self.store.path(rel),
                       author=job.body.get("author"), domain=job.body.get("domainName"))
        job.result["video"] = self._publish(rel)
        self.engine.reach(job, "complete")

    # --- music -------------------------------------------------------------------------------
    def _run_music(self, job: Job) -> None:
        b, seconds, source_model = job.body, self.config.track_seconds, None
        if job.op in ("extend", "replace_section"):
            src_job, src = self.engine.find_track(job.parent["audioId"])
            source_model = src_job.body.get("model")
            if job.op == "extend":
                if not b.get("defaultParamFlag"):  # inherit the source's text and continue at its end
                    b = {**b, "title": src.title, "style": src.tags, "prompt": src.prompt}
                at = float(b["continueAt"]) if job.body.get("defaultParamFlag") else src.duration

                def make(spec: synth.SongSpec) -> synth.Song:
                    return synth.extend(self.song_of(src), at, spec)
            else:
                start, end = float(b["infillStartS"]), float(b["infillEndS"])

                def make(spec: synth.SongSpec) -> synth.Song:
                    return synth.replace_section(self.song_of(src), start, end, spec)
        elif job.op in ("upload_cover", "upload_extend", "add_vocals", "add_instrumental"):
            make, seconds = self._upload_maker(job)
        else:
            make = synth.render
        instrumental = bool(b.get("instrumental")) or job.op == "add_instrumental"
        style = b.get("style") or b.get("tags") or ""
        model = b.get("model") or source_model or (ADD_DEFAULT_MODEL if job.op.startswith("add_") else "V5")
        tracks = []
        for i, (title, lyrics) in enumerate(self._lyrics(job.op, b, instrumental)):
            spec = self._spec(b, style, lyrics, title, instrumental, seconds, i)
            tracks.append(Track(id=str(uuid.uuid4()), title=title, tags=style or _describe(spec), prompt=lyrics,
                                model_name=MODEL_NAMES.get(model, "chirp-crow"),
                                created=self.engine.clock.now(), spec=spec))
        for track in tracks:
            self.engine.add_track(job, track)
        self.engine.reach(job, "text")
        second = self._side.submit(self._render_track, job, tracks[1], make)  # both tracks in parallel
        self._render_track(job, tracks[0], make)
        self.engine.reach(job, "first")
        second.result()
        self.engine.reach(job, "complete")

    def _lyrics(self, op: str, b: dict[str, Any], instrumental: bool) -> list[tuple[str, str]]:
        """(title, lyrics) of both tracks: the prompt sung verbatim, or written from a description."""
        title = b.get("title")
        described = op in ("generate", "upload_cover") and not b.get("customMode")
        if described and not instrumental:
            variants = texts.lyrics_variants(b["prompt"], n=2)
            return [(title or v["title"], v["text"]) for v in variants[:2]]
        if described:
            title = title or " ".join(b["prompt"].split()[:4]).title()
        lyrics = "" if instrumental else (b.get("prompt") or "")
        return [(title or "Untitled", lyrics)] * 2

    def _spec(self, b: dict[str, Any], style: str, lyrics: str, title: str, instrumental: bool,
              seconds: float, variant: int) -> synth.SongSpec:
        """The synth spec of one track, with the persona's voice and tempo when one is named."""
        persona = self.engine.personas.get(b.get("personaId") or "")
        gender = b.get("vocalGender") or (persona or {}).get("vocal_gender")
        spec = synth.spec_from_request(style, b.get("tags"), lyrics or b.get("prompt"), title, instrumental,
                                       seconds, variant, persona=(persona or {}).get("id"), vocal_gender=gender)
        if persona:
            spec = dataclasses.replace(spec, tempo_bpm=persona["tempo_bpm"], persona_timbre=persona["timbre"])
        return spec

    def _render_track(self, job: Job, track: Track, make: Callable[[synth.SongSpec], synth.Song]) -> None:
        song = make(track.spec)
        base = f"tasks/{job.task_id}/{track.id}"
        audio_io.encode_mp3(song.mix(), self.store.path(base + ".mp3"))
        image = art.cover_image(_seed(job.task_id, track.id), track.title, track.tags, fmt="jpeg")
        with self.engine.lock:
            track.image = self.store.put(base + ".jpg", image).removeprefix("/files/")
            track.audio = self._publish(base + ".mp3")
            stream = self.store.register(f"stream/{base}.mp3", target=f"{base}.mp3")
            track.stream = stream.removeprefix("/files/")
            track.duration = round(song.duration, 2)
            track.song_fn = lambda: make(track.spec)
        self._remember(track.id, song)

    def _upload_maker(self, job: Job) -> tuple[Callable[[synth.SongSpec], synth.Song], float]:
        """Fetch + check the uploaded source; returns (song maker, seconds of new material)."""
        b = job.body
        data = self._fetch(b["uploadUrl"])
        rel = f"tasks/{job.task_id}/source.bin"
        self.store.path(rel).write_bytes(data)
        try:
            pcm = audio_io.decode(data)
        except Exception as exc:
            raise RenderError(400, f"uploadUrl is not decodable audio: {exc}") from None
        duration = len(pcm) / synth.SR
        limit = upload_limit_seconds(b.get("model"))
        if duration > limit:
            raise RenderError(400, f"uploaded audio is {duration:.1f} s; "
                                   f"limit {limit:.0f} s for model {b.get('model')}")
        source = lambda: audio_io.decode(self.store.path(rel))  # noqa: E731  (re-read for stems)
        if job.op == "upload_extend":
            at = float(b["continueAt"]) if b.get("defaultParamFlag") else duration
            if not 0 < at <= duration:
                raise RenderError(400, f"continueAt must be > 0 and < the uploaded duration {duration:.2f} s")
            return (lambda spec: synth.extend(source(), at, spec)), self.config.track_seconds
        fn = {"upload_cover": synth.cover, "add_vocals": synth.add_vocals,
              "add_instrumental": synth.add_instrumental}[job.op]
        return (lambda spec: fn(source(), spec)), duration

    def _fetch(self, url: str) -> bytes:
        try:
            resp = self._http.get(url)
            resp.raise_for_status()
        except httpx.HTTPError as exc:
            raise RenderError(451, f"could not fetch uploadUrl {url}: {type(exc).__name__}: {exc}") from None
        return resp.content

    # --- shared ------------------------------------------------------------------------------
    def _publish(self, rel: str) -> str:
        return self.store.register(rel).removeprefix("/files/")

    def _parent_track(self, job: Job) -> tuple[Job, Track]:
        return self.engine.find_track(job.parent["audioId"])

    def _remember(self, track_id: str, song: synth.Song) -> None:
        with self._lock:
            self._songs[track_id] = song
            self._songs.move_to_end(track_id)
            while len(self._songs) > SONG_CACHE:
                self._songs.popitem(last=False)

    def song_of(self, track: Track) -> synth.Song:
        """The synth.Song of a finished track (cached, else re-rendered from its recipe)."""
        with self._lock:
            song = self._songs.get(track.id)
        if song is None:
            song = track.song_fn()
            self._remember(track.id, song)
        return song

    # --- sync operations ---------------------------------------------------------------------
    def boost_style(self, content: str) -> str:
        return texts.boost_style(content)

    def timestamped_lyrics(self, track: Track) -> dict[str, Any]:
        """alignedWords + waveformData of a finished track."""
        pcm = audio_io.decode(self.store.path(track.audio))
        words, waveform = texts.align_words(track.prompt, track.duration, pcm)
        return {"alignedWords": words, "waveformData": waveform, "hootCer": 0.05 if words else 1.0,
                "isStreamed": False}

    def persona(self, persona_id: str, track: Track, start: float, end: float) -> dict[str, Any]:
        """A persona fixed from the source track: its vocal gender, voice timbre and tempo."""
        spec = track.spec
        timbre = spec.persona_timbre if spec.persona_timbre is not None else (_seed(track.id) % 1000) / 999
        return {"id": persona_id, "vocal_gender": spec.vocal_gender, "tempo_bpm": spec.tempo_bpm,
                "timbre": timbre, "source_audio_id": track.id, "segment": [start, end]}
