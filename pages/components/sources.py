"""Source pickers: a finished track, a finished music task, an uploaded file or a URL.

Each picker returns a `Picked`: the body fields it fills (``taskId``/``audioId``/``uploadUrl``),
the source's duration and model (for the duration-aware checks) and a slot where the panel puts
the source's errors. Widget keys: ``"<op>.source_mode"`` (radio), ``"<op>.source_track"``
(finished track), ``"<op>.source_task"`` (cover art), ``"<op>.file"`` (uploader),
``"<op>.url"``, ``"<op>.manual_taskId"``, ``"<op>.manual_audioId"``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import streamlit as st

from lib.contract import specs
from lib.log import TaskLog
from lib.views import submission as sub
from lib.provider import uploads

TRACK = "Finished track"
UPLOAD = "Upload a file"
URL = "Public URL"
MANUAL = "IDs by hand"


@dataclass
class Picked:
    """What a source picker contributes to the request."""

    values: dict[str, Any] = field(default_factory=dict)
    duration: float | None = None
    model: str | None = None
    slot: Any = None
    source: sub.Source | None = None


def apply_prefill(op: str, log: TaskLog) -> None:
    """on_change of the track picker: fill the form from the chosen track (title, model...)."""
    from pages.components.forms import set_values

    source = sub.source_for(log, st.session_state.get(f"{op}.source_track"))
    if source is not None:
        set_values(op, sub.prefill(op, source))


def _track_options(rt: Any, op: str) -> dict[str, sub.Source]:
    options = {s.audio_id: s for s in sub.finished_tracks(rt.log)}
    chosen = st.session_state.get(f"{op}.source_track")
    if chosen and chosen not in options and (extra := sub.source_for(rt.log, chosen)):
        options = {chosen: extra, **options}  # e.g. a one-click link to a track still running
    return options


def _player(source: sub.Source) -> None:
    path = source.local_audio_path
    if path and Path(path).is_file():
        st.audio(path)
    elif source.audio_url:
        st.audio(source.audio_url)


def _pick_track(op: str, rt: Any) -> sub.Source | None:
    options = _track_options(rt, op)
    if not options:
        st.info("No finished tracks yet: generate a song first, or choose another source.")
        return None
    k = f"{op}.source_track"
    if st.session_state.get(k) not in options:
        st.session_state.pop(k, None)
    audio_id = st.selectbox("Source track", list(options), key=k, on_change=apply_prefill,
                            args=(op, rt.log), format_func=lambda a: options[a].label,
                            persist_state="session",
                            help="Tracks of finished music tasks (newest first).")
    source = options[audio_id]
    if not source.finished:
        st.warning(f"This track's task is {source.state or 'unknown'}: the provider only "
                   "accepts finished tracks.")
    _player(source)
    return source


def _manual(op: str) -> dict[str, Any]:
    names = specs.SPECS[op].names
    out = {}
    cols = st.columns(2)
    for col, name, label in ((cols[0], "taskId", "Music task ID (provider)"),
                             (cols[1], "audioId", "Track (audio) ID")):
        if name in names:
            out[name] = col.text_input(label, key=f"{op}.manual_{name}",
                                       persist_state="session").strip()
    return out


def pick_track_source(op: str, rt: Any) -> Picked:
    """Source of the track-based transforms: a finished track from the log, or typed IDs."""
    st.markdown("**Source**")
    mode = st.radio("Source", (TRACK, MANUAL), key=f"{op}.source_mode", horizontal=True,
                    label_visibility="collapsed", persist_state="session")
    if mode == MANUAL:
        values = _manual(op)
        return Picked(values, slot=st.empty())
    source = _pick_track(op, rt)
    if source is None:
        return Picked({}, slot=st.empty())
    values = {"taskId": source.provider_task_id, "audioId": source.audio_id}
    return Picked(values, source.duration, source.model, st.empty(), source)


def _upload(op: str, rt: Any) -> uploads.Uploaded | None:
    k = f"{op}.uploaded"
    file = st.file_uploader(f"Audio file (≤ {uploads.MAX_UPLOAD_MB} MB)",
                            type=list(uploads.AUDIO_TYPES), key=f"{op}.file",
                            max_upload_size=uploads.MAX_UPLOAD_MB,
                            help="mp3, wav, m4a, ogg, flac or aac; ≤ 8 min (≤ 1 min on V4_5ALL).")
    if file is not None:
        data = file.getvalue()
        signature = hashlib.sha256(data).hexdigest()
        cached = st.session_state.get(k)
        if not cached or cached[0] != signature:
            problem = uploads.check_audio(file.name, data)
            if problem:
                st.error(problem, icon=":material/block:")
                st.session_state.pop(k, None)
                return None
            try:
                with st.spinner(f"Uploading {file.name}…"):
                    done = uploads.upload_audio(rt.client, rt.uploads_dir, file.name, data,
                                                public_url=rt.settings.public_url)
            except uploads.UploadError as exc:
                st.error(str(exc), icon=":material/cloud_off:")
                st.session_state.pop(k, None)
                return None
            st.session_state[k] = (signature, done)
    cached = st.session_state.get(k)
    if not cached:
        return None
    done = cached[1]
    length = f"{done.duration:.1f} s, " if done.duration else ""
    st.caption(f"Uploaded {done.name} ({length}{done.size / 1024 / 1024:.2f} MB) via "
               f"{done.via} as {done.file_name}; a local copy is kept in data/uploads.")
    if done.note:
        st.warning(done.note)
    if file is None:
        st.button("Forget this upload", key=f"{op}.forget_upload",
                  on_click=lambda: st.session_state.pop(k, None))
    return done


def pick_audio_source(op: str, rt: Any) -> Picked:
    """Source of the upload-style transforms: an upload, a finished track's audio, or a URL."""
    st.markdown("**Source audio**")
    mode = st.radio("Source audio", (UPLOAD, TRACK, URL), key=f"{op}.source_mode",
                    horizontal=True, label_visibility="collapsed", persist_state="session")
    if mode == UPLOAD:
        done = _upload(op, rt)
        values = {"uploadUrl": done.url} if done else {}
        return Picked(values, done.duration if done else None, slot=st.empty())
    if mode == URL:
        url = st.text_input("Audio URL", key=f"{op}.url", persist_state="session",
                            placeholder="https://…/song.mp3",
                            help="A public http(s) URL the provider can download.").strip()
        return Picked({"uploadUrl": url} if url else {}, slot=st.empty())
    source = _pick_track(op, rt)
    if source is None:
        return Picked({}, slot=st.empty())
    return Picked({"uploadUrl": source.audio_url}, source.duration, None, st.empty(), source)


def _task_label(task: dict, covered: set[str]) -> str:
    name = task.get("title") or (task.get("prompt") or "Untitled")[:40]
    flag = " · cover already made" if task["provider_task_id"] in covered else ""
    return f"{name} · {task['op']} · {task.get('model') or '?'} · {task['id'][:8]}{flag}"


def pick_music_task(op: str, rt: Any) -> Picked:
    """Source of cover art: a finished music task (one cover per task)."""
    st.markdown("**Music task**")
    tasks = {t["provider_task_id"]: t for t in sub.finished_music_tasks(rt.log)}
    if not tasks:
        st.info("No finished music tasks yet: generate a song first.")
        return Picked({}, slot=st.empty())
    covered = sub.covered_tasks(rt.log)
    k = f"{op}.source_task"
    if st.session_state.get(k) not in tasks:
        st.session_state.pop(k, None)
    chosen = st.selectbox("Music task", list(tasks), key=k, persist_state="session",
                          format_func=lambda p: _task_label(tasks[p], covered),
                          help="Cover art is made once per music task.")
    if chosen in covered:
        st.warning("This task already has cover art: the provider answers a repeat with an "
                   "error. Look for the earlier cover-art task on the board.")
    return Picked({"taskId": chosen}, slot=st.empty())
