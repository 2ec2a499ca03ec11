"""Song rendering shared by the music operations (generate, extend, upload-*, add-*,
replace-section).

`render_songs` makes the job's two tracks: it adds them with their text (stage `text`), renders
and encodes track 0 (`first`) and track 1 (`complete`, in parallel on the renderer's side
pool). Each operation supplies a `make(spec) -> synth.Song` (plain synthesis, or a transform of
its source), the (title, lyrics) pair of each track, the model and the length of new material.
`upload_source` fetches, keeps (`tasks/<taskId>/source.bin`) and checks the source of the
upload-* and add-* operations.

Songs are not kept: a track stores its `synth.SongSpec`, and `remake` (the default
`SimOp.remake`) makes a track's song again by re-running its operation's render in *remake
mode*: `render_songs` then only calls the operation's `make` on that track's spec and hands the
song back. Nothing is added, fetched (the kept source is read) or written. Every operation that
renders through `render_songs` therefore gets stems, extends... of its tracks for free, also
after a restart.

Resuming (after a restart, `simulator.persistence`): `render_songs` on a job that already has
tracks keeps them (their ids may have been shown at TEXT_SUCCESS) and renders only those whose
audio is missing.

The V6-era request fields act here (contract-newer 1): `lyrics` is sung ahead of `prompt`;
`variety` (0-4, default 1) sets how far the second take strays from the first (0: the same
take twice; 1: another performance of the same song; 2: also 6 % faster; 3: also a fourth
higher; 4: also the other mode and another band); a `personaId` with `personaModel:
voice_persona` names a Suno Voice, which changes the singer only (its gender and timbre; the
song itself stays the one the request describes), while a style persona also fixes the tempo
and seeds the whole song.
"""

from __future__ import annotations

import dataclasses
import threading
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from simulator import art, audio_io, synth, texts
from simulator.jobs import RenderError, Track

if TYPE_CHECKING:
    from simulator.jobs import Job
    from simulator.render import Renderer

Maker = Callable[[synth.SongSpec], synth.Song]
Tune = Callable[[synth.SongSpec], synth.SongSpec]
VARIETY_DEFAULT = 1
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
    names = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"]
    return f"{', '.join(spec.instruments)}, {names[spec.key]} {spec.scale}, {spec.tempo_bpm:.0f} bpm"


def sung(body: dict[str, Any], instrumental: bool) -> list[tuple[str, str]]:
    """(title, lyrics) of both tracks when the text is sung verbatim (custom mode): `lyrics`
    (V6 era) ahead of `prompt`."""
    lyrics = "" if instrumental else (body.get("lyrics") or body.get("prompt") or "")
    return [(body.get("title") or "Untitled", lyrics)] * 2


#: What the provider leaves out in simple mode (``customMode`` false): style and title stay
#: empty, so a simple-mode song is made from its description alone.
SIMPLE_MODE_IGNORES = ("style", "title")


def as_read(body: dict[str, Any]) -> dict[str, Any]:
    """The body as the provider reads it: in simple mode without the fields it ignores."""
    if body.get("customMode") is False:
        return {k: v for k, v in body.items() if k not in SIMPLE_MODE_IGNORES}
    return body


def described(body: dict[str, Any], instrumental: bool) -> list[tuple[str, str]]:
    """(title, lyrics) of both tracks when the prompt describes the song (non-custom mode):
    lyrics written from the description (or the attached `lyrics`, V6 era), or a title from
    its first words when instrumental."""
    title = as_read(body).get("title")
    first_words = " ".join(body["prompt"].split()[:4]).title() or "Untitled"
    if not instrumental and (body.get("lyrics") or "").strip():
        return [(title or first_words, body["lyrics"])] * 2
    if not instrumental:
        return [(title or v["title"], v["text"]) for v in texts.lyrics_variants(body["prompt"], n=2)[:2]]
    return [(title or first_words, "")] * 2


def vary(spec: synth.SongSpec, take: int, variety: int) -> synth.SongSpec:
    """The spec of take `take` (0 or 1) at `variety` 0-4 (see the module doc); take 0 is the
    request's own song."""
    if take == 0 or variety <= 1:
        return spec
    changes: dict[str, Any] = {"tempo_bpm": min(spec.tempo_bpm * 1.06, 300.0)}
    if variety >= 3:
        changes["key"] = (spec.key + 5) % 12
    if variety >= 4:
        bands = [b for b in synth._DEFAULT_BANDS if set(b) != set(spec.instruments) - {"backing_vocals"}]
        extra = ("backing_vocals",) if "backing_vocals" in spec.instruments else ()
        changes["scale"] = "major" if spec.scale == "minor" else "minor"
        changes["instruments"] = tuple(s for s in synth.STEM_NAMES if s in (*bands[spec.seed % len(bands)], *extra))
    return dataclasses.replace(spec, **changes)


def _spec(r: Renderer, b: dict[str, Any], style: str, lyrics: str, title: str, instrumental: bool,
          seconds: float, variant: int) -> synth.SongSpec:
    """The synth spec of one track, with the persona's (or voice's) singer, the persona's tempo,
    and the requested `variety` between the takes."""
    persona = r.engine.personas.get(b.get("personaId") or "")
    voice = persona if persona is not None and persona.get("kind") == "voice" else None
    style_persona = None if voice else persona
    gender = b.get("vocalGender") or (persona or {}).get("vocal_gender")
    variety = VARIETY_DEFAULT if b.get("variety") is None else int(b["variety"])
    spec = synth.spec_from_request(style, b.get("tags"), lyrics or b.get("prompt"), title, instrumental,
                                   seconds, variant if variety else 0, persona=(style_persona or {}).get("id"),
                                   vocal_gender=gender)
    if style_persona:
        spec = dataclasses.replace(spec, tempo_bpm=style_persona["tempo_bpm"], persona_timbre=style_persona["timbre"])
    if voice:
        spec = dataclasses.replace(spec, persona_timbre=voice["timbre"])
    return vary(spec, variant, variety)


_REMAKING = threading.local()  # .track: the track whose song this thread is re-making


class _Remade(Exception):
    """Carries the song made in remake mode out of the operation's render."""

    def __init__(self, song: synth.Song) -> None:
        super().__init__("remade")
        self.song = song


def remake(r: Renderer, job: Job, track: Track, render: Callable[[Renderer, Job], None]) -> synth.Song:
    """The song of `track` (one of `job`'s), made again by re-running the operation's `render`
    in remake mode (see the module docstring)."""
    outer = getattr(_REMAKING, "track", None)
    _REMAKING.track = track
    try:
        render(r, job)
    except _Remade as made:
        return made.song
    finally:
        _REMAKING.track = outer
    raise RuntimeError(f"operation {job.op} does not render its tracks through render_songs: "
                       f"give its SimOp a remake")


def render_songs(r: Renderer, job: Job, make: Maker, lyrics: list[tuple[str, str]], *, model: str,
                 body: dict[str, Any] | None = None, instrumental: bool = False,
                 seconds: float | None = None, tune: Tune | None = None) -> None:
    """Add the job's two tracks and render them, reporting text / first / complete (in remake
    mode: only make the song of the track being re-made). `seconds`: the length of new material
    (default `--track-seconds`); `tune`: a last change to each new track's spec (key, tempo,
    length of a sound)."""
    target = getattr(_REMAKING, "track", None)
    if target is not None:
        if not any(t is target for t in job.tracks):
            raise RuntimeError(f"remake of track {target.id}: not a track of task {job.task_id}")
        raise _Remade(make(target.spec))
    b = as_read(job.body if body is None else body)
    seconds = r.config.track_seconds if seconds is None else float(seconds)
    style = b.get("style") or b.get("tags") or ""
    tracks = list(job.tracks)  # a resumed job keeps the tracks it already has
    if not tracks:
        for i, (title, words) in enumerate(lyrics):
            spec = _spec(r, b, style, words, title, instrumental, seconds, i)
            spec = tune(spec) if tune else spec
            tracks.append(Track(id=str(uuid.uuid4()), title=title, tags=style or _describe(spec), prompt=words,
                                model=model, model_name=MODEL_NAMES.get(model, "chirp-crow"),
                                created=r.engine.clock.now(), spec=spec))
        with r.engine.lock:  # both or none in a save
            for track in tracks:
                r.engine.add_track(job, track)
    r.engine.reach(job, "text")
    second = r.side.submit(_render_track, r, job, tracks[1], make)  # both tracks in parallel
    _render_track(r, job, tracks[0], make)
    r.engine.reach(job, "first")
    second.result()
    r.engine.reach(job, "complete")


def _render_track(r: Renderer, job: Job, track: Track, make: Maker) -> None:
    if track.duration is not None and r.store.has(track.audio) and r.store.has(track.image):
        return  # made before a restart
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
    r.remember(track.id, song)


def upload_limit_seconds(model: str | None) -> float:
    """Maximum source audio length for the upload-* and add-* operations (8 min; V4_5ALL 1 min)."""
    return 60.0 if model == "V4_5ALL" else 480.0


def upload_source(r: Renderer, job: Job) -> tuple[Callable[[], np.ndarray], float]:
    """Fetch, keep and check the job's `uploadUrl`: (a loader of its PCM, its duration in s).
    A source kept by an earlier attempt (restart, remake) is read instead of fetched again."""
    b = job.body
    rel = f"tasks/{job.task_id}/source.bin"
    kept = r.store.path(rel)
    if kept.exists():
        data = kept.read_bytes()
    else:
        data = r.fetch(b["uploadUrl"], job)
        r.store.write(rel, data)
    try:
        pcm = audio_io.decode(data)
    except Exception as exc:
        raise RenderError(400, f"uploadUrl is not decodable audio: {exc}") from None
    duration = len(pcm) / synth.SR
    limit = upload_limit_seconds(b.get("model"))
    if duration > limit:
        raise RenderError(400, f"uploaded audio is {duration:.1f} s; limit {limit:.0f} s for model {b.get('model')}")
    return (lambda: audio_io.decode(r.store.path(rel))), duration  # re-read for re-renders (stems)
