"""Field checkers shared by the operations' request rules, and the model tables.

A rule function takes the body (a dict) and raises `Invalid(code, msg)`; `rules(fn)` turns it
into a `check(body) -> (code, msg) | None` (also refusing a body that is not a JSON object).
Messages name the field and the limit: 400 for missing/ill-typed/out-of-range fields, 413 for
length-limit violations. Deliberately independent of `lib/`: a mistake in one is caught by
the other.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from simulator.ops import Problem

# The published enum (contract 5.1 / OpenAPI) plus V5_5 (5.1 table) and the V6 trio (5.20,
# contract-newer 1); V3_5 (older docs only) is refused.
MODELS = ("V4", "V4_5", "V4_5PLUS", "V4_5ALL", "V5", "V5_5", "V6", "V6_WILD", "V6_MINI")
ADD_MODELS = ("V4_5PLUS", "V5")
# model -> (prompt, style, title) limits in custom mode (contract 5.1 table; V6*: contract-newer 1)
LIMITS = {
    "V4": (3000, 200, 80),
    "V4_5": (5000, 1000, 100), "V4_5PLUS": (5000, 1000, 100), "V5": (5000, 1000, 100),
    "V4_5ALL": (5000, 1000, 80), "V5_5": (5000, 1000, 100),
    "V6": (5000, 1000, 80), "V6_WILD": (5000, 1000, 80), "V6_MINI": (5000, 1000, 80),
}
SIMPLE_PROMPT_MAX = 500
WEIGHTS = ("styleWeight", "weirdnessConstraint", "audioWeight")
# V6-era fields (contract-newer 1)
V6_MODELS = ("V6", "V6_WILD", "V6_MINI")
V6_SIMPLE_PROMPT_MAX = 3000
LYRICS_MAX = 5000
DURATION_MODELS = ("V5_5", *V6_MODELS)
PERSONA_MODEL_MODELS = ("V5", "V5_5", *V6_MODELS)
PERSONA_MODELS = ("style_persona", "voice_persona")
DURATION_RANGE, VARIETY_RANGE = (10.0, 360.0), (0, 4)


class Invalid(Exception):
    """A rule violation: body `code` and message."""

    def __init__(self, code: int, msg: str) -> None:
        super().__init__(msg)
        self.code, self.msg = code, msg


def fail(msg: str, code: int = 400) -> None:
    raise Invalid(code, msg)


def rules(fn: Callable[[dict], None]) -> Callable[[Any], Problem | None]:
    """A `check(body)` from a rule function."""
    def check(body: Any) -> Problem | None:
        if not isinstance(body, dict):
            return 400, "request body must be a JSON object"
        try:
            fn(body)
        except Invalid as exc:
            return exc.code, exc.msg
        return None
    return check


def text(body: dict, name: str, *, required: bool = False, nonempty: bool = True) -> str | None:
    value = body.get(name)
    if value is None:
        if required:
            fail(f"{name} is required")
        return None
    if not isinstance(value, str):
        fail(f"{name} must be a string")
    if required and nonempty and not value.strip():
        fail(f"{name} is required and must not be empty")
    return value


def boolean(body: dict, name: str, *, required: bool = False) -> bool | None:
    value = body.get(name)
    if value is None:
        if required:
            fail(f"{name} is required")
        return None
    if not isinstance(value, bool):
        fail(f"{name} must be a boolean (true or false)")
    return value


def number(body: dict, name: str, *, required: bool = False) -> float | None:
    value = body.get(name)
    if value is None:
        if required:
            fail(f"{name} is required")
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        fail(f"{name} must be a number")
    return float(value)


def integer(body: dict, name: str, *, required: bool = False) -> int | None:
    """A whole number (JSON `2` or `2.0`)."""
    value = number(body, name, required=required)
    if value is None:
        return None
    if not value.is_integer():
        fail(f"{name} must be a whole number (got {value:g})")
    return int(value)


def choice(body: dict, name: str, allowed: tuple[str, ...], *, required: bool = False) -> str | None:
    value = text(body, name, required=required)
    if value is not None and value not in allowed:
        fail(f"{name} must be one of {', '.join(allowed)} (got {value!r})")
    return value


def http_url(body: dict, name: str, *, required: bool = True) -> None:
    value = text(body, name, required=required)
    if value is not None and not value.startswith(("http://", "https://")):
        fail(f"{name} must be an http(s) URL")


def max_len(name: str, value: str | None, limit: int, why: str) -> None:
    if value is not None and len(value) > limit:
        fail(f"{name} is too long: {len(value)} characters, limit {limit} {why}", 413)


def model(body: dict, *, allowed: tuple[str, ...] = MODELS, required: bool = True) -> str:
    """The `model` (the first allowed one when optional and absent)."""
    value = text(body, "model", required=required)
    if value is None:
        return allowed[0]
    if value not in allowed:
        fail(f"model must be one of {', '.join(allowed)} (got {value!r})")
    return value


def common_optional(body: dict) -> None:
    """personaId, negativeTags, vocalGender and the 0..1 weights."""
    for name in ("personaId", "negativeTags"):
        text(body, name)
    gender = text(body, "vocalGender")
    if gender is not None and gender not in ("m", "f"):
        fail(f"vocalGender must be 'm' or 'f' (got {gender!r})")
    for name in WEIGHTS:
        value = number(body, name)
        if value is not None and not 0 <= value <= 1:
            fail(f"{name} must be between 0 and 1 (got {value:g})")


def custom_fields(body: dict, model_key: str, *, need_prompt: bool) -> None:
    """style + title (+ prompt) required, per-model length limits."""
    p_max, s_max, t_max = LIMITS[model_key]
    style = text(body, "style", required=True)
    title = text(body, "title", required=True)
    prompt = text(body, "prompt", required=need_prompt)
    why = f"for model {model_key}"
    max_len("prompt", prompt, p_max, why)
    max_len("style", style, s_max, why)
    max_len("title", title, t_max, why)


def mode_matrix(body: dict, model_key: str, *, v6: bool = False, instrumental_required: bool = True) -> None:
    """customMode/instrumental rules shared by generate, upload-cover and mashup (5.1, 5.3).

    `v6` (generate, mashup; contract-newer 1): custom mode with vocals takes `prompt` or
    `lyrics`; the non-custom prompt may hold 3000 characters with the V6 models."""
    custom = boolean(body, "customMode", required=True)
    instrumental = boolean(body, "instrumental", required=instrumental_required) or False
    lyrics = text(body, "lyrics") if v6 else None
    if custom:
        if v6 and not instrumental and not (body.get("prompt") or "").strip() and not (lyrics or "").strip():
            fail("prompt or lyrics is required when customMode is true and instrumental is false")
        custom_fields(body, model_key, need_prompt=not instrumental and not (lyrics or "").strip())
    else:
        prompt = text(body, "prompt", required=True)
        limit = V6_SIMPLE_PROMPT_MAX if v6 and model_key in V6_MODELS else SIMPLE_PROMPT_MAX
        max_len("prompt", prompt, limit, f"in non-custom mode (customMode=false) for model {model_key}")


def persona_model(body: dict, model_key: str) -> None:
    """`personaModel` style_persona | voice_persona, only with V5 and later; a voice persona
    names its voice in `personaId` (contract-newer 1, 6)."""
    kind = choice(body, "personaModel", PERSONA_MODELS)
    if kind is None:
        return
    if model_key not in PERSONA_MODEL_MODELS:
        fail(f"personaModel is only allowed with models {', '.join(PERSONA_MODEL_MODELS)} (got {model_key})")
    if kind == "voice_persona" and not (body.get("personaId") or "").strip():
        fail("personaId is required with personaModel voice_persona (the voiceId of a Suno Voice)")


def v6_fields(body: dict, model_key: str, *, custom_only: bool = True) -> None:
    """`lyrics` (<= 5000), `duration` (10-360 s, V5_5/V6* only), `variety` (0-4) and
    `personaModel` (contract-newer 1). `custom_only`: duration and variety need customMode."""
    max_len("lyrics", text(body, "lyrics"), LYRICS_MAX, "")
    custom = body.get("customMode") is True
    duration = number(body, "duration")
    if duration is not None:
        if custom_only and not custom:
            fail("duration is only allowed in custom mode (customMode=true)")
        if model_key not in DURATION_MODELS:
            fail(f"duration is only allowed with models {', '.join(DURATION_MODELS)} (got {model_key})")
        lo, hi = DURATION_RANGE
        if not lo <= duration <= hi:
            fail(f"duration must be between {lo:g} and {hi:g} seconds (got {duration:g})")
    variety = integer(body, "variety")
    if variety is not None:
        if custom_only and not custom:
            fail("variety is only allowed in custom mode (customMode=true)")
        lo_v, hi_v = VARIETY_RANGE
        if not lo_v <= variety <= hi_v:
            fail(f"variety must be an integer from {lo_v} to {hi_v} (got {variety})")
    persona_model(body, model_key)


def extend_fields(body: dict, model_key: str, *, instrumental: bool) -> None:
    """defaultParamFlag=true: continueAt > 0 plus the custom-mode fields (5.2, 5.4)."""
    if boolean(body, "defaultParamFlag", required=True):
        at = number(body, "continueAt", required=True)
        if at <= 0:
            fail(f"continueAt must be > 0 seconds (got {at:g})")
        custom_fields(body, model_key, need_prompt=not instrumental)


def task_audio(body: dict, *, callback: bool = True) -> None:
    """taskId + audioId (+ callBackUrl) of a source track."""
    text(body, "taskId", required=True)
    text(body, "audioId", required=True)
    if callback:
        http_url(body, "callBackUrl")


def add_fields(body: dict, text_fields: tuple[str, ...]) -> None:
    """add-vocals / add-instrumental: uploadUrl, callBackUrl, `text_fields` and negativeTags
    required; optional model V4_5PLUS | V5 whose limits apply (5.5, 5.6)."""
    http_url(body, "uploadUrl")
    http_url(body, "callBackUrl")
    model_key = model(body, allowed=ADD_MODELS, required=False)
    for name in text_fields:
        text(body, name, required=True)
    text(body, "negativeTags", required=True, nonempty=False)
    p_max, s_max, t_max = LIMITS[model_key]
    why = f"for model {model_key}"
    max_len("title", body.get("title"), t_max, why)
    for name in ("style", "tags"):
        max_len(name, body.get(name), s_max, why)
    max_len("prompt", body.get("prompt"), p_max, why)
    common_optional(body)
