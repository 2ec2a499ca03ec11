"""Sources of the operation forms, read from the task log: finished tracks, finished tasks of
an operation or a family (cover art, MIDI, recovery, the voice steps) and personas (made from a
track, or Suno Voices); and an uploaded file made a source (`upload_source`: checked,
uploaded, recorded in the log with its attestation). UI-free; re-exported by
`lib.views.submission`.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lib import ops
from lib.views.app_runtime import AppRuntime
from lib.contract.fields import model_label
from lib.contract.operation import AudioLimits
from lib.log import TaskLog, TaskRow
from lib.provider import uploads


@dataclass(frozen=True)
class Source:
    """One track that an operation can start from."""

    audio_id: str
    task_id: str
    provider_task_id: str | None
    title: str | None = None
    tags: str | None = None
    duration: float | None = None
    #: The task's operation and state ("unknown" when its task is not in the log).
    op: str = "generate"
    state: str = "unknown"
    model: str | None = None
    audio_url: str | None = None
    local_audio_path: str | None = None

    @property
    def label(self) -> str:
        length = f"{self.duration:.1f} s" if self.duration else "? s"
        return (f"{self.title or 'Untitled'} · {length} · {model_label(self.model) or '?'} · "
                f"{ops.label(self.op)} {self.task_id[:8]} · {self.audio_id[:8]}")

    @property
    def finished(self) -> bool:
        return self.state == "succeeded" and bool(self.provider_task_id)


def _source(track: Mapping[str, Any], task: Mapping[str, Any] | None) -> Source:
    task = task or {}
    return Source(
        audio_id=track["id"], task_id=track["task_id"],
        provider_task_id=task.get("provider_task_id"), title=track.get("title"),
        tags=track.get("tags"), duration=track.get("duration"), model=task.get("model"),
        audio_url=track.get("audio_url"), local_audio_path=track.get("local_audio_path"),
        op=task.get("op") or "generate", state=task.get("state") or "unknown")


def finished_tracks(log: TaskLog, limit: int = 200) -> list[Source]:
    """Tracks of succeeded music tasks that the provider can refer to, newest first."""
    tasks: dict[str, TaskRow | None] = {}
    out = []
    for track in log.list_tracks(state="succeeded", op=list(ops.of_family("music")),
                                   limit=limit):
        if track["task_id"] not in tasks:
            tasks[track["task_id"]] = log.get_task(track["task_id"])
        src = _source(track, tasks[track["task_id"]])
        if src.finished and not src.audio_id.startswith("#"):
            out.append(src)
    return out


def source_for(log: TaskLog, audio_id: str | None) -> Source | None:
    """The `Source` of one track id (any state: the page warns when it is not finished)."""
    track = log.get_track(audio_id) if audio_id else None
    if track is None:
        return None
    return _source(track, log.get_task(track["task_id"]))


def finished_tasks(log: TaskLog, task_ops: tuple[str, ...] = (), family: str | None = None,
                   limit: int = 100) -> list[TaskRow]:
    """Succeeded tasks with a provider id of ``task_ops`` (or of every operation of
    ``family``), newest first: the sources of task-based operations."""
    names = list(task_ops) or list(ops.of_family(family or ""))
    rows = log.list_tasks(op=names, state="succeeded", limit=limit)
    return [t for t in rows if t.get("provider_task_id")]


def finished_music_tasks(log: TaskLog, limit: int = 100) -> list[TaskRow]:
    """Succeeded music tasks with a provider id (the sources of cover art), newest first."""
    return finished_tasks(log, family="music", limit=limit)


def made_from(log: TaskLog, op: str) -> set[str]:
    """Provider ids of source tasks that already have a (not failed) task of ``op``: a repeat
    of a once-per-source operation (cover art) costs credits and answers an error."""
    rows = log.list_tasks(op=op, state=["pending", "processing", "succeeded", "unknown"],
                            limit=1000)
    return {parent for t in rows if (parent := t.get("parent_task_id"))}


@dataclass(frozen=True)
class Persona:
    """A voice to sing with: made from a track (``style_persona``) or a Suno Voice
    (``voice_persona``, whose id goes in ``personaId`` too)."""

    persona_id: str
    name: str
    description: str = ""
    kind: str = "style_persona"

    @property
    def label(self) -> str:
        what = " · Suno Voice" if self.kind == "voice_persona" else ""
        return f"{self.name} · {self.persona_id[:8]}{what}"


def _result(task: Mapping[str, Any]) -> Any:
    try:
        return json.loads(task.get("result_json") or "null")
    except ValueError:
        return None


def personas(log: TaskLog, limit: int = 200) -> list[Persona]:
    """Personas made by earlier persona tasks and voices made by voice tasks, newest first."""
    out, seen = [], set()
    for task in log.list_tasks(op=["persona", "voice_generate"], state="succeeded",
                                 limit=limit):
        data = _result(task)
        if not isinstance(data, dict):
            continue
        if task["op"] == "voice_generate":
            pid, kind = data.get("voiceId"), "voice_persona"
            name = task.get("title") or "Voice"
        else:
            pid, kind = data.get("personaId"), "style_persona"
            name = data.get("name") or task.get("title") or "Persona"
        if pid and pid not in seen:
            seen.add(pid)
            out.append(Persona(pid, str(name), str(data.get("description") or ""), kind))
    return out


# ---- uploads ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class UploadAttempt:
    """One file made a source: ``uploaded``, or why not (``refused``: the file itself, e.g. not
    audio or too large; ``failed``: the upload did not reach anywhere the provider can fetch)."""

    uploaded: uploads.Uploaded | None
    refused: str | None = None
    failed: str | None = None


def clip_wav(path: str | Path, start: float, seconds: float) -> bytes:
    """``seconds`` of the audio file at ``path`` from ``start`` (s), as WAV bytes."""
    from lib.media.audio import load

    segment = load(path)[int(start * 1000):int((start + seconds) * 1000)]
    out = io.BytesIO()
    segment.export(out, format="wav")
    return out.getvalue()


def upload_signature(data: bytes) -> str:
    """Identifies a file's bytes (a form uploads the same file once)."""
    return hashlib.sha256(data).hexdigest()


def upload_source(rt: AppRuntime, name: str, data: bytes,
                  limits: AudioLimits | None = None) -> UploadAttempt:
    """Check, upload (`lib.provider.uploads.upload_audio`) and record in the task log, with the
    attestation the user confirmed (call only once they have); ``limits``: what the
    operation's source declares its provider takes (types, size, length), refused before
    anything is sent."""
    problem = uploads.check_audio(name, data, limits)
    if problem:
        return UploadAttempt(None, refused=problem)
    try:
        done = uploads.upload_audio(rt.client, rt.uploads_dir, name, data,
                                    public_url=rt.settings.public_url, attested=True,
                                    limits=limits)
    except uploads.UploadRefused as exc:
        return UploadAttempt(None, refused=str(exc))
    except uploads.UploadError as exc:
        return UploadAttempt(None, failed=str(exc))
    rt.log.record_upload(file_name=done.file_name, name=done.name, size=done.size, url=done.url,
                         via=done.via, local_path=done.local_path, attested=True,
                         statement=uploads.ATTESTATION)
    return UploadAttempt(done)


def upload_summary(done: uploads.Uploaded) -> str:
    """``Uploaded take.wav (3.0 s, 0.25 MB) via upload host as <stored name>; ...``"""
    length = f"{done.duration:.1f} s, " if done.duration else ""
    return (f"Uploaded {done.name} ({length}{done.size / 1024 / 1024:.2f} MB) via {done.via} "
            f"as {done.file_name}; a local copy is kept in data/uploads.")
