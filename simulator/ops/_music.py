"""Song rendering shared by the music operations (generate, extend, upload-*, add-*,
replace-section).

`render_songs` makes the job's two tracks: it adds them with their text (stage `text`), renders
and encodes track 0 (`first`) and track 1 (`complete`, in parallel on the renderer's side
pool). Each operation supplies a `make(spec) -> synth.Song` (plain synthesis, or a transform of
its source), the (title, lyrics) pair of each track, the model and the length of new material.
`upload_source` fetches and checks the source of the upload-* and add-* operations.
"""

from __future__ import annotations

import dataclasses
import uuid
from typing import TYPE_CHECKING, Any, Callable

import numpy as np

from simulator import art, audio_io, synth, texts
from simulator.engine import RenderError, Track

if TYPE_CHECKING:
    from simulator.engine import Job
    from simulator.render import Renderer

Maker = Callable[[synth.SongSpec], synth.Song]
# model -> record-info `modelName` (contract 5.8's chirp names; the V6 names are the simulator's
# own choice, no published value is known)
MODEL_NAMES = {"V4": "chirp-v4", "V4_5": "chirp-auk", "V4_5ALL": "chirp-auk", "V4_5PLUS": "chirp-bluejay",
               "V5": "chirp-crow", "V5_5": "chirp-fenix", "V6": "chirp-v6", "V6_WILD": "chirp-v6-wild",
               "V6_MINI": "chirp-v6-mini"}
ADD_DEFAULT_MODEL = "V4_5PLUS"  # add-vocals / add-instrumental without a model


def seed(*parts: Any) -> int:
    """A stable seed from text parts (the synth's unsalted hash)."""
    return synth._hash(*parts) % 2**31


def _describe(spec: synth.SongSpec) -> str:
    names = "C C# D D# E F F# G G# A A# B".split()
    return f"{', '.join(spec.instruments)}, {names[spec.key]} {spec.scale}, {spec.tempo_bpm:.0f} bpm"


def sung(body: dict[str, Any], instrumental: bool) -> list[tuple[str, str]]:
    """(title, lyrics) of both tracks when the prompt is sung verbatim (custom mode)."""
    lyrics = "" if instrumental else (body.get("prompt") or "")
    return [(body.get("title") or "Untitled", lyrics)] * 2


def described(body: dict[str, Any], instrumental: bool) -> list[tuple[str, str]]:
    """(title, lyrics) of both tracks when the prompt describes the song (non-custom mode):
    lyrics written from the description, or a title from its first words when instrumental."""
    title = body.get("title")
    if not instrumental:
        return [(title or v["title"], v["text"]) for v in texts.lyrics_variants(body["prompt"], n=2)[:2]]
    return [(title or " ".join(body["prompt"].split()[:4]).title() or "Untitled", "")] * 2


def _spec(r: Renderer, b: dict[str, Any], style: str, lyrics: str, title: str, instrumental: bool,
          seconds: float, variant: int) -> synth.SongSpec:
    """The synth spec of one track, with the persona's voice and tempo when one is named."""
    persona = r.engine.personas.get(b.get("personaId") or "")
    gender = b.get("vocalGender") or (persona or {}).get("vocal_gender")
    spec = synth.spec_from_request(style, b.get("tags"), lyrics or b.get("prompt"), title, instrumental,
                                   seconds, variant, persona=(persona or {}).get("id"), vocal_gender=gender)
    if persona:
        spec = dataclasses.replace(spec, tempo_bpm=persona["tempo_bpm"], persona_timbre=persona["timbre"])
    return spec


def render_songs(r: Renderer, job: Job, make: Maker, lyrics: list[tuple[str, str]], *, model: str,
                 body: dict[str, Any] | None = None, instrumental: bool = False,
                 seconds: float | None = None) -> None:
    """Add the job's two tracks and render them, reporting text / first / complete."""
    b = job.body if body is None else body
    seconds = r.config.track_seconds if seconds is None else seconds
    style = b.get("style") or b.get("tags") or ""
    tracks = []
    for i, (title, words) in enumerate(lyrics):
        spec = _spec(r, b, style, words, title, instrumental, seconds, i)
        tracks.append(Track(id=str(uuid.uuid4()), title=title, tags=style or _describe(spec), prompt=words,
                            model=model, model_name=MODEL_NAMES.get(model, "chirp-crow"),
                            created=r.engine.clock.now(), spec=spec))
    for track in tracks:
        r.engine.add_track(job, track)
    r.engine.reach(job, "text")
    second = r.side.submit(_render_track, r, job, tracks[1], make)  # both tracks in parallel
    _render_track(r, job, tracks[0], make)
    r.engine.reach(job, "first")
    second.result()
    r.engine.reach(job, "complete")


def _render_track(r: Renderer, job: Job, track: Track, make: Maker) -> None:
    song = make(track.spec)
    base = f"tasks/{job.task_id}/{track.id}"
    audio_io.encode_mp3(song.mix(), r.store.path(base + ".mp3"))
    image = art.cover_image(seed(job.task_id, track.id), track.title, track.tags, fmt="jpeg")
    with r.engine.lock:
        track.image = r.store.put(base + ".jpg", image).removeprefix("/files/")
        track.audio = r.publish(base + ".mp3")
        stream = r.store.register(f"stream/{base}.mp3", target=f"{base}.mp3")
        track.stream = stream.removeprefix("/files/")
        track.duration = round(song.duration, 2)
        track.song_fn = lambda: make(track.spec)
    r.remember(track.id, song)


def upload_limit_seconds(model: str | None) -> float:
    """Maximum source audio length for the upload-* and add-* operations (8 min; V4_5ALL 1 min)."""
    return 60.0 if model == "V4_5ALL" else 480.0


def upload_source(r: Renderer, job: Job) -> tuple[Callable[[], np.ndarray], float]:
    """Fetch, keep and check the job's `uploadUrl`: (a loader of its PCM, its duration in s)."""
    b = job.body
    data = r.fetch(b["uploadUrl"])
    rel = f"tasks/{job.task_id}/source.bin"
    r.store.path(rel).write_bytes(data)
    try:
        pcm = audio_io.decode(data)
    except Exception as exc:
        raise RenderError(400, f"uploadUrl is not decodable audio: {exc}") from None
    duration = len(pcm) / synth.SR
    limit = upload_limit_seconds(b.get("model"))
    if duration > limit:
        raise RenderError(400, f"uploaded audio is {duration:.1f} s; limit {limit:.0f} s for model {b.get('model')}")
    return (lambda: audio_io.decode(r.store.path(rel))), duration  # re-read for re-renders (stems)
