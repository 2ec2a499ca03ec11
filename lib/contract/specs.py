"""One declarative :class:`OperationSpec` per operation, and the functions that interpret them.

Public API: ``SPECS``, ``FieldError``, ``validate(op, body)``, ``build_body(op, values,
callback_url)``, ``path_for(op, dialect)``, ``poll_path(family, dialect)``, ``limits_for(op,
model, values=None)``. Limits and rules come from contract.md §5; credit costs are *estimates*
(only the kie.ai docs publish prices).

Intended use: ``body = build_body(op, form_values, callback_url)`` then ``validate(op, body)``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from lib.contract.fields import (
    ADD_MODEL, AUDIO_ID, CALLBACK, CONTINUE_AT, CUSTOM_MODE, DEFAULT_PARAM_FLAG, INSTRUMENTAL,
    MODEL, NEGATIVE_TAGS, PERSONA_ID, PROMPT, SIMPLE_PROMPT_LIMIT, STYLE, TASK_ID, TITLE,
    UPLOAD_URL, VOCAL_GENDER, WEIGHTS, Field, LengthIf, OperationSpec, RequiredIf, Window,
)

__all__ = [
    "SPECS", "OperationSpec", "Field", "FieldError", "POLL_PATHS", "CREDIT_PATH", "UPLOAD_PATHS",
    "PLACEHOLDER_CALLBACK", "validate", "build_body", "path_for", "poll_path", "limits_for",
]

#: Sent as ``callBackUrl`` when we have no public URL: the provider requires the field, and
#: AnyInt's guidance is to pass a placeholder and poll (contract §2.3).
PLACEHOLDER_CALLBACK = "https://example.com/songbench/no-callback"

POLL_PATHS = {
    "music": ("/api/v1/generate/record-info", "/suno/query/task"),
    "lyrics": ("/api/v1/lyrics/record-info", "/suno/query/lyrics"),
    "cover": ("/api/v1/suno/cover/record-info", "/suno/query/cover"),
    "stems": ("/api/v1/vocal-removal/record-info", "/suno/query/vocal-removal"),
    "wav": ("/api/v1/wav/record-info", "/suno/query/wav"),
    "mp4": ("/api/v1/mp4/record-info", "/suno/query/mp4"),
}
CREDIT_PATH = "/api/v1/generate/credit"
UPLOAD_PATHS = {
    "base64": "/api/file-base64-upload",
    "stream": "/api/file-stream-upload",
    "url": "/api/file-url-upload",
}

_CUSTOM_INSTR = RequiredIf({"customMode": True, "instrumental": True}, ("style", "title"))
_CUSTOM_VOCAL = RequiredIf({"customMode": True, "instrumental": False}, ("style", "title", "prompt"))
_SIMPLE = RequiredIf({"customMode": False}, ("prompt",))
_SIMPLE_LEN = LengthIf({"customMode": False}, "prompt", SIMPLE_PROMPT_LIMIT)
_MUSIC_OPTIONAL = (PERSONA_ID, NEGATIVE_TAGS, VOCAL_GENDER, *WEIGHTS)
_ADD_OPTIONAL = (VOCAL_GENDER, *WEIGHTS)

_SPEC_LIST = (
    OperationSpec(
        "generate", "Generate music", "music", "/api/v1/generate", "/suno/generate",
        (CUSTOM_MODE, INSTRUMENTAL, MODEL, PROMPT, STYLE, TITLE, *_MUSIC_OPTIONAL, CALLBACK),
        required_if=(_SIMPLE, _CUSTOM_INSTR, _CUSTOM_VOCAL), length_if=(_SIMPLE_LEN,),
        credits_estimate=12, description="Two songs from a description or from your lyrics."),
    OperationSpec(
        "extend", "Extend music", "music", "/api/v1/generate/extend", "/suno/extend",
        (DEFAULT_PARAM_FLAG, AUDIO_ID, MODEL.but(help="Must match the source track's model."),
         CONTINUE_AT, PROMPT, STYLE, TITLE, *_MUSIC_OPTIONAL, CALLBACK),
        required_if=(RequiredIf({"defaultParamFlag": True},
                                ("continueAt", "prompt", "style", "title")),),
        credits_estimate=12, description="Continue a generated track from a point in time."),
    OperationSpec(
        "upload_cover", "Cover uploaded audio", "music", "/api/v1/generate/upload-cover",
        "/suno/upload-cover",
        (UPLOAD_URL, CUSTOM_MODE, INSTRUMENTAL, MODEL, PROMPT, STYLE, TITLE, *_MUSIC_OPTIONAL,
         CALLBACK),
        required_if=(_SIMPLE, _CUSTOM_INSTR, _CUSTOM_VOCAL), length_if=(_SIMPLE_LEN,),
        credits_estimate=12, description="Re-perform an uploaded track in a new style."),
    OperationSpec(
        "upload_extend", "Extend uploaded audio", "music", "/api/v1/generate/upload-extend",
        "/suno/upload-extend",
        (UPLOAD_URL, DEFAULT_PARAM_FLAG, INSTRUMENTAL.but(required=False), MODEL, CONTINUE_AT,
         PROMPT, STYLE, TITLE, *_MUSIC_OPTIONAL, CALLBACK),
        required_if=(
            RequiredIf({"defaultParamFlag": True}, ("continueAt", "style", "title")),
            RequiredIf({"defaultParamFlag": True, "instrumental": False}, ("prompt",)),
        ),
        credits_estimate=12, description="Continue an uploaded track."),
    OperationSpec(
        "add_vocals", "Add vocals", "music", "/api/v1/generate/add-vocals", "/suno/add-vocals",
        (UPLOAD_URL.but(label="Instrumental URL"), PROMPT.but(required=True, label="Lyrics"),
         TITLE.but(required=True), NEGATIVE_TAGS.but(required=True), STYLE.but(required=True),
         ADD_MODEL, *_ADD_OPTIONAL, CALLBACK),
        credits_estimate=12, description="Sing your lyrics over an uploaded instrumental."),
    OperationSpec(
        "add_instrumental", "Add instrumental", "music", "/api/v1/generate/add-instrumental",
        "/suno/add-instrumental",
        (UPLOAD_URL.but(label="Vocal stem URL"), TITLE.but(required=True),
         NEGATIVE_TAGS.but(required=True),
         STYLE.but(name="tags", label="Accompaniment style", required=True),
         ADD_MODEL, *_ADD_OPTIONAL, CALLBACK),
        credits_estimate=12, description="Build an accompaniment around an uploaded vocal."),
    OperationSpec(
        "replace_section", "Replace a section", "music", "/api/v1/generate/replace-section",
        "/suno/replace-section",
        (TASK_ID, AUDIO_ID, PROMPT.but(required=True, label="New lyrics", max_len_by_model=None),
         STYLE.but(name="tags", label="Style", required=True, max_len_by_model=None),
         TITLE.but(required=True, max_len_by_model=None), NEGATIVE_TAGS,
         Field("infillStartS", "float", "Start (s)", "Start of the section to replace.",
               required=True, min=0.0),
         Field("infillEndS", "float", "End (s)", "End of the section (6–60 s after the start; "
               "at most half the track).", required=True, min=0.0),
         CALLBACK.but(required=False)),
        windows=(Window("infillStartS", "infillEndS", 6.0, 60.0),),
        credits_estimate=5, description="Regenerate 6–60 s of a track."),
    OperationSpec(
        "lyrics", "Write lyrics", "lyrics", "/api/v1/lyrics", "/suno/generate-lyrics",
        (PROMPT.but(required=True, label="Theme", help="What the lyrics are about (≤ 200 words).",
                    max_len_by_model=None, max_words=200), CALLBACK),
        credits_estimate=2, description="Several lyric drafts from a theme."),
    OperationSpec(
        "cover_art", "Cover art", "cover", "/api/v1/suno/cover/generate", "/suno/generate-cover",
        (TASK_ID, CALLBACK), credits_estimate=2,
        description="Cover images for a music task (one per task)."),
    OperationSpec(
        "vocal_removal", "Separate vocals", "stems", "/api/v1/vocal-removal/generate",
        "/suno/vocal-removal",
        (TASK_ID, AUDIO_ID,
         Field("type", "enum", "Type", "separate_vocal: vocals + instrumental.", enum=(
             "separate_vocal",), default="separate_vocal", hidden=True), CALLBACK),
        fixed={"type": "separate_vocal"}, credits_estimate=10,
        description="Two stems: vocals and instrumental."),
    OperationSpec(
        "split_stem", "Split stems", "stems", "/api/v1/vocal-removal/generate", "/suno/split-stem",
        (TASK_ID, AUDIO_ID,
         Field("type", "enum", "Type", "split_stem: up to 12 instrument stems.", enum=(
             "split_stem",), default="split_stem", required=True, hidden=True), CALLBACK),
        fixed={"type": "split_stem"}, credits_estimate=50,
        description="Up to 12 stems (vocals, drums, bass, ...)."),
    OperationSpec(
        "wav", "Convert to WAV", "wav", "/api/v1/wav/generate", "/suno/wav-generate",
        (TASK_ID, AUDIO_ID, CALLBACK), credits_estimate=2,
        description="Lossless WAV of one track (once per track)."),
    OperationSpec(
        "mp4", "Music video", "mp4", "/api/v1/mp4/generate", "/suno/mp4-generate",
        (TASK_ID, AUDIO_ID,
         Field("author", "str", "Author", "Shown in the video.", max_len=50),
         Field("domainName", "str", "Watermark", "Domain shown as a watermark.", max_len=50),
         CALLBACK), credits_estimate=4, description="An MP4 with the cover art and audio."),
    OperationSpec(
        "timestamped_lyrics", "Timestamped lyrics", "sync",
        "/api/v1/generate/get-timestamped-lyrics", "/suno/timestamped-lyrics",
        (TASK_ID, AUDIO_ID), sync=True, credits_estimate=1,
        description="Word timings and a waveform for one track (answers at once)."),
    OperationSpec(
        "style_boost", "Boost style", "sync", "/api/v1/style/generate", "/suno/style-generate",
        (Field("content", "str", "Style", "A short style, e.g. 'Pop, Mysterious'.", required=True),),
        sync=True, credits_estimate=1, description="Expand a short style into a detailed one."),
    OperationSpec(
        "persona", "Make a persona", "sync", "/api/v1/generate/generate-persona",
        "/suno/generate-persona",
        (TASK_ID, AUDIO_ID,
         Field("name", "str", "Name", "Persona name.", required=True),
         Field("description", "text", "Description", "What makes this voice.", required=True),
         Field("vocalStart", "float", "Vocal start (s)", "Segment start (default 0).", min=0.0),
         Field("vocalEnd", "float", "Vocal end (s)", "Segment end (default 30; 10–30 s long).",
               min=0.0),
         STYLE.but(max_len_by_model=None)),
        windows=(Window("vocalStart", "vocalEnd", 10.0, 30.0, defaults=(0.0, 30.0)),),
        sync=True, credits_estimate=0, description="A reusable voice from a finished track."),
)

#: Every operation by key (see docs/architecture.md "Vocabulary").
SPECS: dict[str, OperationSpec] = {s.op: s for s in _SPEC_LIST}


@dataclass(frozen=True)
class FieldError:
    """A validation problem: the field and a message naming it and the limit."""

    field: str
    message: str


def _spec(op: str) -> OperationSpec:
    try:
        return SPECS[op]
    except KeyError:
        raise KeyError(f"unknown operation {op!r}; known: {', '.join(SPECS)}") from None


def _dialect_index(dialect: str) -> int:
    if dialect not in ("sunoapi", "anyint"):
        raise ValueError(f"unknown dialect {dialect!r}")
    return 0 if dialect == "sunoapi" else 1


def path_for(op: str, dialect: str) -> str:
    """The create route of ``op`` in ``dialect`` (``sunoapi`` or ``anyint``)."""
    spec = _spec(op)
    return (spec.sunoapi_path, spec.anyint_path)[_dialect_index(dialect)]


def poll_path(family: str, dialect: str) -> str:
    """The record-info route of a task ``family`` (sync operations have none)."""
    if family not in POLL_PATHS:
        raise KeyError(f"family {family!r} has no poll route")
    return POLL_PATHS[family][_dialect_index(dialect)]


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _value(spec: OperationSpec, body: Mapping[str, Any], name: str) -> Any:
    """The body value, or the field default when absent (used to evaluate rule conditions)."""
    value = body.get(name)
    return spec.field(name).default if _empty(value) else value


def _matches(spec: OperationSpec, body: Mapping[str, Any], when: Mapping[str, Any]) -> bool:
    return all(_value(spec, body, k) == v for k, v in when.items())


def _describe(when: Mapping[str, Any]) -> str:
    return " and ".join(f"{k} is {str(v).lower()}" for k, v in when.items())


def _model_for(spec: OperationSpec, body: Mapping[str, Any]) -> str | None:
    if "model" not in spec.names:
        return None
    return _value(spec, body, "model")


def limits_for(op: str, model: str | None, values: Mapping[str, Any] | None = None
               ) -> dict[str, int]:
    """Character limits ``{field: max_len}`` for ``op`` with ``model`` (for live counters).

    ``values`` (the current form values) select conditional limits, e.g. the 500-character
    prompt of simple mode (``customMode`` false). Without them the custom-mode limits apply.
    An unknown model gets the strictest per-model limit.
    """
    spec = _spec(op)
    out: dict[str, int] = {}
    for f in spec.fields:
        if f.max_len_by_model:
            out[f.name] = f.max_len_by_model.get(model, min(f.max_len_by_model.values()))
        elif f.max_len is not None:
            out[f.name] = f.max_len
    if values is not None:
        for rule in spec.length_if:
            if all(values.get(k) == v for k, v in rule.when.items()):
                out[rule.field] = rule.max_len
    return out


def _limit_reason(spec: OperationSpec, body: Mapping[str, Any], f: Field, model: str | None,
                  limit: int) -> str:
    for rule in spec.length_if:
        if rule.field == f.name and _matches(spec, body, rule.when):
            return f"at most {limit} when {_describe(rule.when)}"
    if f.max_len_by_model and model in f.max_len_by_model:
        return f"model {model} allows at most {limit}"
    return f"at most {limit} allowed"


def _check_type(f: Field, value: Any) -> str | None:
    """A message if ``value`` has the wrong type or is out of range/enum, else None."""
    if f.type == "bool":
        return None if isinstance(value, bool) else f"{f.name}: must be true or false"
    if f.type == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"{f.name}: must be a number"
        if f.min is not None and (value <= f.min if f.min_exclusive else value < f.min):
            op = "greater than" if f.min_exclusive else "at least"
            return f"{f.name}: {value:g} is too small; must be {op} {f.min:g}"
        if f.max is not None and value > f.max:
            return f"{f.name}: {value:g} is too large; the maximum is {f.max:g}"
        return None
    if not isinstance(value, str):
        return f"{f.name}: must be text"
    if f.type == "enum" and value not in f.enum:
        return f"{f.name}: {value!r} is not one of {', '.join(f.enum)}"
    if f.type == "url" and not re.match(r"https?://\S+$", value):
        return f"{f.name}: must be an http(s) URL"
    return None


def _check_length(spec: OperationSpec, body: Mapping[str, Any], f: Field, value: str,
                  model: str | None) -> str | None:
    limit = limits_for(spec.op, model, {k: _value(spec, body, k) for k in spec.names}).get(f.name)
    if limit is not None and len(value) > limit:
        reason = _limit_reason(spec, body, f, model, limit)
        return f"{f.name}: {len(value)} characters; {reason}"
    if f.max_words is not None:
        words = len(value.split())
        if words > f.max_words:
            return f"{f.name}: {words} words; at most {f.max_words} words"
    return None


def _check_window(spec: OperationSpec, body: Mapping[str, Any], w: Window) -> FieldError | None:
    start = body.get(w.start, w.defaults[0])
    end = body.get(w.end, w.defaults[1])
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (start, end)):
        return None  # missing or mistyped: reported by the field checks
    if start >= end:
        return FieldError(w.end, f"{w.end}: {end:g} must be after {w.start} ({start:g})")
    length = end - start
    if not w.min_len <= length <= w.max_len:
        return FieldError(w.end, f"{w.end}: the segment {w.start}–{w.end} is {length:g} s; it "
                                 f"must be {w.min_len:g}–{w.max_len:g} s long")
    return None


def validate(op: str, body: Mapping[str, Any]) -> list[FieldError]:
    """All problems of ``body`` for ``op`` (empty list = valid by the contract's rules)."""
    spec = _spec(op)
    errors: list[FieldError] = []
    required = {f.name: "required" for f in spec.fields if f.required}
    for rule in spec.required_if:
        if _matches(spec, body, rule.when):
            for name in rule.fields:
                required.setdefault(name, f"required when {_describe(rule.when)}")
    model = _model_for(spec, body)
    for f in spec.fields:
        value = body.get(f.name)
        if _empty(value):
            if f.name in required:
                errors.append(FieldError(f.name, f"{f.name}: {required[f.name]}"))
            continue
        problem = _check_type(f, value)
        if problem is None and isinstance(value, str) and f.type != "enum":
            problem = _check_length(spec, body, f, value, model)
        if problem:
            errors.append(FieldError(f.name, problem))
    for window in spec.windows:
        problem = _check_window(spec, body, window)
        if problem and all(e.field not in (window.start, window.end) for e in errors):
            errors.append(problem)
    return errors


def build_body(op: str, values: Mapping[str, Any], callback_url: str | None) -> dict[str, Any]:
    """The JSON body for ``op`` from form ``values``.

    Keeps only the operation's fields, drops empty optional values (None, blank strings), sets
    ``callBackUrl`` where the operation takes one (:data:`PLACEHOLDER_CALLBACK` when it is
    required and ``callback_url`` is None) and the fixed ``type`` of vocal_removal / split_stem.
    ``type`` is sent on both dialects: AnyInt's split-stem route is not documented to force it,
    and sunoapi.org defaults to ``separate_vocal`` (which would silently give the wrong result).
    """
    spec = _spec(op)
    body: dict[str, Any] = {}
    for f in spec.fields:
        value = values.get(f.name)
        if f.hidden or (_empty(value) and not f.required):
            continue
        body[f.name] = value
    if spec.takes_callback:
        cb_required = spec.field("callBackUrl").required
        url = callback_url or (PLACEHOLDER_CALLBACK if cb_required else None)
        if url:
            body["callBackUrl"] = url
    body.update(spec.fixed)
    return body
