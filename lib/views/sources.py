"""Sources of the transforms, read from the task log: finished tracks, finished music tasks
(cover art) and personas made earlier. UI-free; re-exported by `lib.views.submission`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from lib.contract import specs
from lib.log import TaskLog

MUSIC_OPS = tuple(op for op, s in specs.SPECS.items() if s.family == "music")


@dataclass(frozen=True)
class Source:
    """One track that a transform can start from."""

    audio_id: str
    task_id: str
    provider_task_id: str | None
    title: str | None = None
    tags: str | None = None
    duration: float | None = None
    model: str | None = None
    audio_url: str | None = None
    local_audio_path: str | None = None
    op: str | None = None
    state: str | None = None

    @property
    def label(self) -> str:
        length = f"{self.duration:.1f} s" if self.duration else "? s"
        return (f"{self.title or 'Untitled'} · {length} · {self.model or '?'} · "
                f"{self.op or 'music'} {self.task_id[:8]} · {self.audio_id[:8]}")

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
        op=task.get("op"), state=task.get("state"))


def finished_tracks(log: TaskLog, limit: int = 200) -> list[Source]:
    """Tracks of succeeded music tasks that the provider can refer to, newest first."""
    tasks: dict[str, dict | None] = {}
    out = []
    for track in log.list_tracks(state="succeeded", op=list(MUSIC_OPS), limit=limit):
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


def finished_music_tasks(log: TaskLog, limit: int = 100) -> list[dict]:
    """Succeeded music tasks with a provider id (the sources of cover art), newest first."""
    rows = log.list_tasks(op=list(MUSIC_OPS), state="succeeded", limit=limit)
    return [t for t in rows if t.get("provider_task_id")]


def covered_tasks(log: TaskLog) -> set[str]:
    """Provider ids of music tasks that already have a (not failed) cover-art task."""
    rows = log.list_tasks(op="cover_art", state=["pending", "processing", "succeeded",
                                                 "unknown"], limit=1000)
    return {t["parent_task_id"] for t in rows if t.get("parent_task_id")}


@dataclass(frozen=True)
class Persona:
    persona_id: str
    name: str
    description: str = ""

    @property
    def label(self) -> str:
        return f"{self.name} · {self.persona_id[:8]}"


def personas(log: TaskLog, limit: int = 200) -> list[Persona]:
    """Personas made by earlier persona tasks (their ``result_json`` holds the id), newest first."""
    out, seen = [], set()
    for task in log.list_tasks(op="persona", state="succeeded", limit=limit):
        try:
            data = json.loads(task.get("result_json") or "null")
        except ValueError:
            continue
        pid = data.get("personaId") if isinstance(data, dict) else None
        if pid and pid not in seen:
            seen.add(pid)
            out.append(Persona(pid, str(data.get("name") or task.get("title") or "Persona"),
                               str(data.get("description") or "")))
    return out
