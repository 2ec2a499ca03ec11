"""The simulator's own request rules (contract.md sections 5.1-5.16, 8).

`check(op, body) -> (code, msg) | None` validates a create body without looking at any state:
400 for missing/ill-typed/out-of-range fields, 413 for length-limit violations. Messages name the
field and the limit. Checks that need state (does the task/track exist, is `continueAt` inside
the source, is the replaced window <= 50 % of the track, is the persona segment inside the track)
live in `routes` and use the helpers `check_continue_at`, `check_window`, `check_persona_segment`.

Deliberately independent of `lib/specs.py`: a mistake in one is caught by the other.
"""

from __future__ import annotations

from typing import Any

Problem = tuple[int, str]

MODELS = ("V3_5", "V4", "V4_5", "V4_5PLUS", "V4_5ALL", "V5", "V5_5")
ADD_MODELS = ("V4_5PLUS", "V5")
# model -> (prompt, style, title) limits in custom mode (contract 5.1 table)
LIMITS = {
    "V3_5": (3000, 200, 80), "V4": (3000, 200, 80),
    "V4_5": (5000, 1000, 100), "V4_5PLUS": (5000, 1000, 100), "V5": (5000, 1000, 100),
    "V4_5ALL": (5000, 1000, 80), "V5_5": (5000, 1000, 100),
}
SIMPLE_PROMPT_MAX = 500
LYRICS_PROMPT_MAX_WORDS = 200
MP4_TEXT_MAX = 50
WINDOW_MIN_S, WINDOW_MAX_S = 6.0, 60.0
PERSONA_MIN_S, PERSONA_MAX_S = 10.0, 30.0
WEIGHTS = ("styleWeight", "weirdnessConstraint", "audioWeight")
STEM_TYPES = ("separate_vocal", "split_stem")


class _Invalid(Exception):
    def __init__(self, code: int, msg: str) -> None:
        super().__init__(msg)
        self.code, self.msg = code, msg


def _fail(msg: str, code: int = 400) -> None:
    raise _Invalid(code, msg)


def _present(body: dict, name: str) -> bool:
    return body.get(name) is not None


def _str(body: dict, name: str, *, required: bool = False, nonempty: bool = True) -> str | None:
    value = body.get(name)
    if value is None:
        if required:
            _fail(f"{name} is required")
        return None
    if not isinstance(value, str):
        _fail(f"{name} must be a string")
    if required and nonempty and not value.strip():
        _fail(f"{name} is required and must not be empty")
    return value


def _bool(body: dict, name: str, *, required: bool = False) -> bool | None:
    value = body.get(name)
    if value is None:
        if required:
            _fail(f"{name} is required")
        return None
    if not isinstance(value, bool):
        _fail(f"{name} must be a boolean (true or false)")
    return value


def _num(body: dict, name: str, *, required: bool = False) -> float | None:
    value = body.get(name)
    if value is None:
        if required:
            _fail(f"{name} is required")
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        _fail(f"{name} must be a number")
    return float(value)


def _url(body: dict, name: str, *, required: bool = True) -> None:
    value = _str(body, name, required=required)
    if value is not None and not value.startswith(("http://", "https://")):
        _fail(f"{name} must be an http(s) URL")


def _max_len(name: str, value: str | None, limit: int, why: str) -> None:
    if value is not None and len(value) > limit:
        _fail(f"{name} is too long: {len(value)} characters, limit {limit} {why}", 413)


def _model(body: dict, *, allowed: tuple[str, ...] = MODELS, required: bool = True) -> str:
    model = _str(body, "model", required=required)
    if model is None:
        return allowed[0]
    if model not in allowed:
        _fail(f"model must be one of {', '.join(allowed)} (got {model!r})")
    return model


def _common_optional(body: dict) -> None:
    for name in ("personaId", "negativeTags"):
        _str(body, name)
    gender = _str(body, "vocalGender")
    if gender is not None and gender not in ("m", "f"):
        _fail(f"vocalGender must be 'm' or 'f' (got {gender!r})")
    for name in WEIGHTS:
        value = _num(body, name)
        if value is not None and not 0 <= value <= 1:
            _fail(f"{name} must be between 0 and 1 (got {value:g})")


def _custom_fields(body: dict, model: str, *, need_prompt: bool) -> None:
    """style + title (+ prompt) required, per-model length limits."""
    p_max, s_max, t_max = LIMITS[model]
    style = _str(body, "style", required=True)
    title = _str(body, "title", required=True)
    prompt = _str(body, "prompt", required=need_prompt)
    why = f"for model {model}"
    _max_len("prompt", prompt, p_max, why)
    _max_len("style", style, s_max, why)
    _max_len("title", title, t_max, why)


def _mode_matrix(body: dict, model: str) -> None:
    """customMode/instrumental rules shared by generate and upload-cover (5.1, 5.3)."""
    custom = _bool(body, "customMode", required=True)
    instrumental = _bool(body, "instrumental", required=True)
    if custom:
        _custom_fields(body, model, need_prompt=not instrumental)
    else:
        prompt = _str(body, "prompt", required=True)
        _max_len("prompt", prompt, SIMPLE_PROMPT_MAX, "in non-custom mode (customMode=false)")


def _extend_fields(body: dict, model: str, *, instrumental: bool) -> None:
    if _bool(body, "defaultParamFlag", required=True):
        at = _num(body, "continueAt", required=True)
        if at <= 0:
            _fail(f"continueAt must be > 0 seconds (got {at:g})")
        _custom_fields(body, model, need_prompt=not instrumental)


def _generate(b: dict) -> None:
    _url(b, "callBackUrl")
    _mode_matrix(b, _model(b))
    _common_optional(b)


def _extend(b: dict) -> None:
    _str(b, "audioId", required=True)
    _url(b, "callBackUrl")
    _extend_fields(b, _model(b), instrumental=False)
    _common_optional(b)


def _upload_cover(b: dict) -> None:
    _url(b, "uploadUrl")
    _generate(b)


def _upload_extend(b: dict) -> None:
    _url(b, "uploadUrl")
    _url(b, "callBackUrl")
    instrumental = _bool(b, "instrumental") or False
    _extend_fields(b, _model(b), instrumental=instrumental)
    _common_optional(b)


def _add(b: dict, text_fields: tuple[str, ...]) -> None:
    _url(b, "uploadUrl")
    _url(b, "callBackUrl")
    model = _model(b, allowed=ADD_MODELS, required=False)
    for name in text_fields:
        _str(b, name, required=True)
    _str(b, "negativeTags", required=True, nonempty=False)
    p_max, s_max, t_max = LIMITS[model]
    why = f"for model {model}"
    _max_len("title", b.get("title"), t_max, why)
    for name in ("style", "tags"):
        _max_len(name, b.get(name), s_max, why)
    _max_len("prompt", b.get("prompt"), p_max, why)
    _common_optional(b)


def _replace_section(b: dict) -> None:
    for name in ("taskId", "audioId", "prompt", "tags", "title"):
        _str(b, name, required=True)
    _str(b, "negativeTags")
    _url(b, "callBackUrl", required=False)
    start = _num(b, "infillStartS", required=True)
    end = _num(b, "infillEndS", required=True)
    _max_len("prompt", b["prompt"], LIMITS["V5"][0], "")
    _max_len("tags", b["tags"], LIMITS["V5"][1], "")
    _max_len("title", b["title"], LIMITS["V5"][2], "")
    if start < 0:
        _fail(f"infillStartS must be >= 0 (got {start:g})")
    if start >= end:
        _fail(f"infillStartS ({start:g}) must be less than infillEndS ({end:g})")
    length = end - start
    if not WINDOW_MIN_S <= length <= WINDOW_MAX_S:
        _fail(f"replaced window infillEndS-infillStartS must be {WINDOW_MIN_S:g}-{WINDOW_MAX_S:g} s (got {length:g} s)")


def _lyrics(b: dict) -> None:
    prompt = _str(b, "prompt", required=True)
    _url(b, "callBackUrl")
    words = len(prompt.split())
    if words > LYRICS_PROMPT_MAX_WORDS:
        _fail(f"prompt is too long: {words} words, limit {LYRICS_PROMPT_MAX_WORDS} words", 413)


def _task_audio(b: dict, *, callback: bool = True) -> None:
    _str(b, "taskId", required=True)
    _str(b, "audioId", required=True)
    if callback:
        _url(b, "callBackUrl")


def _stems(b: dict) -> None:
    _task_audio(b)
    kind = _str(b, "type")
    if kind is not None and kind not in STEM_TYPES:
        _fail(f"type must be one of {', '.join(STEM_TYPES)} (got {kind!r})")


def _mp4(b: dict) -> None:
    _task_audio(b)
    for name in ("author", "domainName"):
        _max_len(name, _str(b, name), MP4_TEXT_MAX, "")


def _cover_art(b: dict) -> None:
    _str(b, "taskId", required=True)
    _url(b, "callBackUrl")


def _persona(b: dict) -> None:
    _task_audio(b, callback=False)
    _str(b, "name", required=True)
    _str(b, "description", required=True)
    _str(b, "style")
    start, end = _num(b, "vocalStart"), _num(b, "vocalEnd")
    if start is None and end is None:
        return  # default segment: the first 30 s (or the whole track when shorter)
    start = 0.0 if start is None else start
    end = 30.0 if end is None else end
    if start < 0:
        _fail(f"vocalStart must be >= 0 (got {start:g})")
    length = end - start
    if not PERSONA_MIN_S <= length <= PERSONA_MAX_S:
        _fail(f"persona segment vocalEnd-vocalStart must be {PERSONA_MIN_S:g}-{PERSONA_MAX_S:g} s (got {length:g} s)")


def _style(b: dict) -> None:
    _str(b, "content", required=True)


_CHECKS = {
    "generate": _generate, "extend": _extend, "upload_cover": _upload_cover,
    "upload_extend": _upload_extend,
    "add_vocals": lambda b: _add(b, ("prompt", "title", "style")),
    "add_instrumental": lambda b: _add(b, ("title", "tags")),
    "replace_section": _replace_section, "lyrics": _lyrics, "cover_art": _cover_art,
    "vocal_removal": _stems, "split_stem": _stems, "wav": _task_audio, "mp4": _mp4,
    "timestamped_lyrics": lambda b: _task_audio(b, callback=False), "style_boost": _style,
    "persona": _persona,
}
OPS = tuple(_CHECKS)


def check(op: str, body: Any) -> Problem | None:
    """Validate a create body for `op`; None when valid, else (400|413, message)."""
    if not isinstance(body, dict):
        return 400, "request body must be a JSON object"
    try:
        _CHECKS[op](body)
    except _Invalid as exc:
        return exc.code, exc.msg
    return None


def check_continue_at(at: float, duration: float) -> Problem | None:
    """continueAt must lie strictly inside the source track."""
    if not 0 < at < duration:
        return 400, f"continueAt must be > 0 and < the source duration {duration:.2f} s (got {at:g})"
    return None


def check_window(start: float, end: float, duration: float) -> Problem | None:
    """The replaced window must end inside the track and cover at most 50 % of it."""
    if end > duration:
        return 400, f"infillEndS ({end:g}) must not exceed the track duration {duration:.2f} s"
    if end - start > duration / 2:
        return 400, f"replaced window ({end - start:g} s) must not exceed 50% of the track ({duration / 2:.2f} s)"
    return None


def check_persona_segment(start: float, end: float, duration: float) -> Problem | None:
    """The persona vocal segment must lie inside the track."""
    if end > duration + 1e-6:
        return 400, f"vocalEnd ({end:g}) must not exceed the track duration {duration:.2f} s"
    return None


def upload_limit_seconds(model: str | None) -> float:
    """Maximum source audio length for upload-cover/upload-extend (8 min; V4_5ALL 1 min)."""
    return 60.0 if model == "V4_5ALL" else 480.0
