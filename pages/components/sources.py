"""Source pickers, one per source kind of `lib.contract.operation.SourceSpec`.

A picker returns a `Picked`: the values it found by name (``audio_id``, ``provider_task_id``,
``url``, ``urls``), the source's duration and model (for the duration-aware checks) and a slot
where the panel puts the source's errors; `pick(op, rt, spec, index)` maps them onto the body
fields the operation names in ``spec.into`` (``op`` is the `Operation` itself, as the form has
it). Widget keys (``<p>`` is the op name for an operation's first source, ``<op>.s<i>`` for
the next ones): ``"<p>.source_mode"`` (radio), ``"<p>.source_track"`` (finished track),
``"<p>.source_task"`` (finished task), ``"<p>.file"`` (uploader), ``"<p>.attest"`` (the
upload's attestation, required before it is uploaded and used), ``"<p>.url"``,
``"<p>.manual_<field>"``, ``"<p>.source_image"`` (an image made earlier); an audio pair
adds ``.first``/``.second``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import streamlit as st

from lib import ops
from lib.views.app_runtime import AppRuntime
from lib.contract.fields import model_label
from lib.contract.operation import AudioLimits, Operation, SourceSpec
from lib.log import TaskLog
from lib.provider import uploads
from lib.views import images
from lib.views import submission as sub
from pages.components.form_state import set_values

TRACK = "Finished track"
UPLOAD = "Upload a file"
URL = "Public URL"
MANUAL = "IDs by hand"
NONE = "No audio"
IMAGE = "Archived image"


@dataclass
class Picked:
    """What a source picker contributes to the request (``values`` by picked-value name)."""

    values: dict[str, Any] = field(default_factory=dict)
    duration: float | None = None
    model: str | None = None
    slot: Any = None
    source: sub.Source | None = None
    #: what to say when the picker gave nothing (instead of "<field> is required")
    missing: str | None = None


def prefix(op: str, index: int) -> str:
    """The widget-key prefix of an operation's ``index``-th source."""
    return op if index == 0 else f"{op}.s{index}"


def apply_prefill(op: str, key: str, log: TaskLog) -> None:
    """on_change of a track picker: fill the form from the chosen track (title, model...)."""
    source = sub.source_for(log, st.session_state.get(key))
    if source is not None:
        set_values(op, sub.prefill(op, source))


def _track_options(rt: AppRuntime, key: str) -> dict[str, sub.Source]:
    options = {s.audio_id: s for s in sub.finished_tracks(rt.log)}
    chosen = st.session_state.get(key)
    if chosen and chosen not in options and (extra := sub.source_for(rt.log, chosen)):
        options = {chosen: extra, **options}  # e.g. a one-click link to a track still running
    return options


def _player(source: sub.Source) -> None:
    path = source.local_audio_path
    if path and Path(path).is_file():
        st.audio(path)
    elif source.audio_url:
        st.audio(source.audio_url)


def _pick_track(op: Operation, p: str, rt: AppRuntime) -> sub.Source | None:
    k = f"{p}.source_track"
    options = _track_options(rt, k)
    if not options:
        st.info("No finished tracks yet: generate a song first, or choose another source.")
        return None
    if st.session_state.get(k) not in options:
        st.session_state.pop(k, None)
    audio_id = st.selectbox("Source track", list(options), key=k, on_change=apply_prefill,
                            args=(op.name, k, rt.log), format_func=lambda a: options[a].label,
                            persist_state="session",
                            help="Tracks of finished music tasks (newest first).")
    source = options[audio_id]
    if not source.finished:
        st.warning(f"This track's task is {source.state}: the provider only "
                   "accepts finished tracks.")
    _player(source)
    return source


def _from_track(source: sub.Source | None) -> Picked:
    if source is None:
        return Picked({}, slot=st.empty())
    values = {"audio_id": source.audio_id, "provider_task_id": source.provider_task_id,
              "url": source.audio_url}
    return Picked(values, source.duration, source.model, st.empty(), source)


def pick_track(op: Operation, rt: AppRuntime, spec: SourceSpec, p: str) -> Picked:
    """A finished track from the log, or its ids typed by hand."""
    st.markdown(f"**{spec.label}**")
    mode = st.radio(spec.label, (TRACK, MANUAL), key=f"{p}.source_mode", horizontal=True,
                    label_visibility="collapsed", persist_state="session")
    if mode == MANUAL:
        values: dict[str, Any] = {}
        cols = st.columns(len(spec.into))
        for col, (name, value) in zip(cols, spec.into.items(), strict=True):
            values[value] = col.text_input(op.field(name).label, key=f"{p}.manual_{name}",
                                           persist_state="session").strip()
        return Picked(values, slot=st.empty())
    return _from_track(_pick_track(op, p, rt))


def _upload_help(limits: AudioLimits | None) -> str:
    if limits is None:
        return "mp3, wav, m4a, ogg, flac or aac; ≤ 8 min (≤ 1 min on V4_5ALL)."
    length = (f"; {limits.seconds[0]:g}-{limits.seconds[1]:g} s" if limits.seconds else "")
    return f"{limits.who} takes {limits.words()}{length}: checked before it is uploaded."


def _upload(p: str, rt: AppRuntime, limits: AudioLimits | None = None
            ) -> uploads.Uploaded | None:
    k = f"{p}.uploaded"
    cap = uploads.max_mb(limits)
    file = st.file_uploader(f"Audio file (≤ {cap:g} MB)",
                            type=list(uploads.accepted_types(limits)), key=f"{p}.file",
                            max_upload_size=max(1, int(cap)), help=_upload_help(limits))
    attested = st.checkbox(uploads.ATTESTATION, key=f"{p}.attest",
                           help="Required before the file is uploaded and used; kept with the "
                                "upload in the task log.")
    if not attested:
        if file is not None or st.session_state.get(k):
            st.info(uploads.NOT_ATTESTED, icon=":material/verified_user:")
        return None  # nothing is uploaded or used without the attestation
    if file is not None:
        data = file.getvalue()
        signature = sub.upload_signature(data)
        cached = st.session_state.get(k)
        if not cached or cached[0] != signature:
            with st.spinner(f"Uploading {file.name}…"):
                attempt = sub.upload_source(rt, file.name, data, limits)
            if attempt.uploaded is None:
                st.error(attempt.refused or attempt.failed,
                         icon=":material/block:" if attempt.refused else ":material/cloud_off:")
                st.session_state.pop(k, None)
                return None
            st.session_state[k] = (signature, attempt.uploaded)
    cached = st.session_state.get(k)
    if not cached:
        return None
    done = cached[1]
    st.caption(sub.upload_summary(done))
    if done.note:
        st.warning(done.note)
    if file is None:
        st.button("Forget this upload", key=f"{p}.forget_upload",
                  on_click=lambda: st.session_state.pop(k, None))
    return done


def pick_audio(op: Operation, rt: AppRuntime, spec: SourceSpec, p: str) -> Picked:
    """An upload, a finished track's audio, or a public URL (or none, first, when every
    field the source fills is optional: e.g. a text-only video)."""
    st.markdown(f"**{spec.label}**")
    fills = [op.field(name) for name in spec.into if name in op.names]
    optional = bool(fills) and len(fills) == len(spec.into) and not any(
        f.required or any(f.name in r.fields for r in op.required_if) for f in fills)
    modes = ((NONE,) if optional else ()) + (UPLOAD, TRACK, URL)
    mode = st.radio(spec.label, modes, key=f"{p}.source_mode",
                    horizontal=True, label_visibility="collapsed", persist_state="session")
    if mode == NONE:
        return Picked({}, slot=st.empty())
    if mode == UPLOAD:
        done = _upload(p, rt, spec.limits)
        return Picked({"url": done.url} if done else {}, done.duration if done else None,
                      slot=st.empty(), missing=uploads.NO_UPLOAD)
    if mode == URL:
        url = st.text_input("Audio URL", key=f"{p}.url", persist_state="session",
                            placeholder="https://…/song.mp3",
                            help="A public http(s) URL the provider can download.").strip()
        return Picked({"url": url} if url else {}, slot=st.empty())
    picked = _from_track(_pick_track(op, p, rt))
    picked.model = None  # the audio is re-performed: the source's model does not bind
    if spec.clip_s and picked.source is not None and (picked.duration or 0) > spec.clip_s:
        return _clip(p, rt, spec.clip_s, picked)
    return picked


def _clip(p: str, rt: AppRuntime, seconds: float, picked: Picked) -> Picked:
    """A track longer than the provider takes: offer ``seconds`` of it from a start second,
    cut from its archived copy and uploaded (with the upload's attestation)."""
    source, duration = picked.source, picked.duration or 0.0
    assert source is not None
    if not st.checkbox(f"Send a {seconds:g} s clip of it", key=f"{p}.clip",
                       help=f"The provider takes at most {seconds:g} s of audio: the clip is "
                            "cut from the archived track and uploaded."):
        return picked  # the whole track: its length check says why it is refused
    path = source.local_audio_path
    if not path or not Path(path).is_file():
        st.info("The track is not archived yet: its clip is cut from the archived copy.")
        return Picked({}, slot=st.empty())
    latest = max(duration - seconds, 0.0)
    start = st.number_input("Clip start (s)", min_value=0.0, max_value=latest, step=1.0,
                            key=f"{p}.clip_start", help=f"0 to {latest:g} s")
    start = min(max(float(start or 0.0), 0.0), latest)
    if not st.checkbox(uploads.ATTESTATION, key=f"{p}.attest",
                       help="Required before the clip is uploaded and used; kept with the "
                            "upload in the task log."):
        st.info(uploads.NOT_ATTESTED, icon=":material/verified_user:")
        return Picked({}, slot=st.empty(), missing=uploads.NO_UPLOAD)
    k, wanted = f"{p}.clip_uploaded", (source.audio_id, start, seconds)
    cached = st.session_state.get(k)
    if not cached or cached[0] != wanted:
        with st.spinner(f"Cutting and uploading {seconds:g} s from {start:g} s…"):
            data = sub.clip_wav(path, start, seconds)
            attempt = sub.upload_source(rt, f"{source.audio_id}-{start:g}s.wav", data)
        if attempt.uploaded is None:
            st.error(attempt.refused or attempt.failed, icon=":material/cloud_off:")
            st.session_state.pop(k, None)
            return Picked({}, slot=st.empty())
        st.session_state[k] = cached = (wanted, attempt.uploaded)
    done = cached[1]
    st.caption(f"Clip {start:g}-{min(start + seconds, duration):g} s · "
               + sub.upload_summary(done))
    length = done.duration if done.duration else min(seconds, duration - start)
    return Picked({"url": done.url}, length, slot=st.empty())


def pick_audio_pair(op: Operation, rt: AppRuntime, spec: SourceSpec, p: str) -> Picked:
    """Two audios (an upload, a finished track or a URL each)."""
    first = pick_audio(op, rt, SourceSpec("audio", {"x": "url"}, "First audio"), f"{p}.first")
    second = pick_audio(op, rt, SourceSpec("audio", {"x": "url"}, "Second audio"),
                        f"{p}.second")
    urls = [x.values["url"] for x in (first, second) if x.values.get("url")]
    return Picked({"urls": urls}, slot=st.empty())


def _task_label(task: dict, done_before: set[str], op: Operation) -> str:
    name = task.get("title") or (task.get("prompt") or "Untitled")[:40]
    flag = f" · {op.title.lower()} already made" if task["provider_task_id"] in \
        done_before else ""
    return (f"{name} · {ops.label(task['op'])} · {model_label(task.get('model')) or '?'} · "
            f"{task['id'][:8]}{flag}")


def pick_task(op: Operation, rt: AppRuntime, spec: SourceSpec, p: str) -> Picked:
    """A finished task of the operations (or family) the source names."""
    st.markdown(f"**{spec.label}**")
    tasks = {t["provider_task_id"]: t for t in sub.finished_tasks(
        rt.log, spec.task_ops, spec.task_family)}
    if not tasks:
        names = " or ".join(ops.label(o) for o in spec.task_ops) or spec.task_family
        st.info(f"No finished {names} tasks yet: make one first.")
        return Picked({}, slot=st.empty())
    done_before = sub.made_from(rt.log, op.name)
    k = f"{p}.source_task"
    if st.session_state.get(k) not in tasks:
        st.session_state.pop(k, None)
    chosen = st.selectbox(spec.label, list(tasks), key=k, persist_state="session",
                          format_func=lambda t: _task_label(tasks[t], done_before, op))
    if chosen in done_before:
        st.warning(f"This task already has {op.title.lower()}: the provider may answer a "
                   "repeat with an error. Look for the earlier task on the board.")
    return Picked({"provider_task_id": chosen}, slot=st.empty())


def pick_image(op: Operation, rt: AppRuntime, spec: SourceSpec, p: str) -> Picked:
    """An image made earlier (an image task's or a song's cover), sent as its provider URL
    while that still works, or a public URL typed by hand."""
    st.markdown(f"**{spec.label}**")
    mode = st.radio(spec.label, (IMAGE, URL), key=f"{p}.source_mode", horizontal=True,
                    label_visibility="collapsed", persist_state="session")
    if mode == URL:
        url = st.text_input("Image URL", key=f"{p}.url", persist_state="session",
                            placeholder="https://…/picture.png",
                            help="A public http(s) URL the provider can download.").strip()
        return Picked({"url": url} if url else {}, slot=st.empty())
    options = {i.key: i for i in images.archived_images(rt.log)}
    if not options:
        st.info("No images yet: make one (Qwen-Image, Kling images or cover art), or choose "
                "“Public URL”.")
        return Picked({}, slot=st.empty(), missing="Pick an image, or choose “Public URL”.")
    k = f"{p}.source_image"
    if st.session_state.get(k) not in options:
        st.session_state.pop(k, None)
    chosen = st.selectbox("Image", list(options), key=k, persist_state="session",
                          format_func=lambda i: options[i].label(),
                          help="Images of finished image tasks and songs' covers "
                               "(newest first); the provider's URL is sent.")
    image = options[chosen]
    if image.local_path and Path(image.local_path).is_file():
        st.image(image.local_path, width=160)
    note = image.expiry_note()
    if note:
        st.error(note, icon=":material/link_off:")
        return Picked({}, slot=st.empty(), missing=note)
    return Picked({"url": image.url}, slot=st.empty())


PICKERS: dict[str, Callable[[Operation, Any, SourceSpec, str], Picked]] = {
    "track": pick_track, "audio": pick_audio, "audio_pair": pick_audio_pair, "task": pick_task,
    "image": pick_image,
}


def pick(op: Operation, rt: AppRuntime, spec: SourceSpec, index: int) -> Picked:
    """Render the picker of ``spec`` and map what it found onto the operation's body fields."""
    picked = PICKERS[spec.kind](op, rt, spec, prefix(op.name, index))
    picked.values = {name: picked.values[value] for name, value in spec.into.items()
                     if picked.values.get(value) not in (None, "", [])}
    return picked


def pick_all(op: Operation, rt: AppRuntime) -> Picked:
    """Every source of ``op`` in order, merged (the first track source gives duration/model)."""
    merged = Picked()
    for index, spec in enumerate(op.ui.sources):
        picked = pick(op, rt, spec, index)
        merged.values.update(picked.values)
        merged.slot = merged.slot or picked.slot
        merged.missing = merged.missing or picked.missing
        if merged.source is None and picked.source is not None:
            merged.duration, merged.model, merged.source = (picked.duration, picked.model,
                                                            picked.source)
        elif merged.duration is None:
            merged.duration = picked.duration
    return merged


def apply_link(op: str, page: str, rt: AppRuntime) -> str | None:
    """Preselect a one-click link's track (or its task) in ``op``'s first source and prefill
    the form; returns a problem to show when the track is not in the log."""
    track_id = st.query_params.get("track")
    source = sub.source_for(rt.log, track_id) if track_id else None
    if track_id and source is None:
        return f"Track {track_id} is not in the log; pick a source below."
    state = sub.link_state(rt.log, st.query_params, page)
    if f"{op}.source_track" in state:
        st.session_state[f"{op}.source_mode"] = TRACK
    st.session_state.update(state)
    if source is not None:
        set_values(op, sub.prefill(op, source))
    return None
