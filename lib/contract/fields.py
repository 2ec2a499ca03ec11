"""Building blocks of the request specs: fields, conditional rules and the shared field catalogue.

Everything here is declarative data (frozen dataclasses). Each operation module in `lib.ops`
assembles its `lib.contract.operation.Operation` from these; `lib.contract.validation` interprets
them. Sources: contract.md §5 and contract-newer.md §1 (the V6-era fields).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

#: Music models, oldest first: the Dec-2025 baseline (V4...V5, contract.md §5.1), V5_5 (§5.1
#: table) and the V6 era (contract-newer.md §1; older values still accepted there).
MODELS = ("V4", "V4_5", "V4_5PLUS", "V4_5ALL", "V5", "V5_5", "V6", "V6_WILD", "V6_MINI")
V6_MODELS = ("V6", "V6_WILD", "V6_MINI")
#: ``duration`` is valid only with these (contract-newer §1).
DURATION_MODELS = ("V5_5", *V6_MODELS)
#: ``personaModel`` is allowed only with these (contract-newer §1).
PERSONA_MODEL_MODELS = ("V5", "V5_5", *V6_MODELS)
#: add-vocals / add-instrumental accept only these (§5.5, §5.6); default V4_5PLUS.
ADD_MODELS = ("V4_5PLUS", "V5")
#: The models as the provider spells them (``V5`` in the picker, the request and the cards),
#: with dots and words for the underscores (``V4_5PLUS`` -> ``V4.5+``).
MODEL_LABELS = {"V4": "V4", "V4_5": "V4.5", "V4_5PLUS": "V4.5+", "V4_5ALL": "V4.5-all",
                "V5": "V5", "V5_5": "V5.5", "V6": "V6", "V6_WILD": "V6 wild",
                "V6_MINI": "V6 mini"}


def model_label(model: str | None) -> str:
    """A request's model in words (``"V4_5"`` -> ``"V4.5"``); unknown values as they are."""
    return MODEL_LABELS.get(model or "", model or "")


def _per_model(v4: int, v4_5: int, v4_5all: int, v6: int) -> dict[str, int]:
    return {"V4": v4, "V4_5": v4_5, "V4_5PLUS": v4_5, "V4_5ALL": v4_5all, "V5": v4_5,
            "V5_5": v4_5, **{m: v6 for m in V6_MODELS}}


#: Per-model length limits in custom mode (§5.1 table; V6*: contract-newer §1).
PROMPT_LIMITS = _per_model(3000, 5000, 5000, 5000)
STYLE_LIMITS = _per_model(200, 1000, 1000, 1000)
TITLE_LIMITS = _per_model(80, 100, 80, 80)
#: Non-custom (simple) mode prompt limit: 500 (§5.1), 3000 with the V6 models.
SIMPLE_PROMPT_LIMITS = {**{m: 500 for m in MODELS}, **{m: 3000 for m in V6_MODELS}}
SIMPLE_PROMPT_LIMIT = 500

#: Field types. ``text`` is a multi-line string, ``url`` an http(s) string, ``url_list`` a list
#: of http(s) strings, ``int`` a whole number.
TYPES = ("str", "text", "url", "bool", "float", "int", "enum", "url_list")


@dataclass(frozen=True)
class Field:
    """One request body field.

    ``max_len`` is a fixed character limit, ``max_len_by_model`` a per-model one (wins when the
    body's model is known). ``hidden`` fields are filled by `lib.contract.validation.build_body`,
    not by the user (``callBackUrl``, ``type``). ``min_items``/``max_items`` bound a list.
    """

    name: str
    type: str
    label: str
    help: str = ""
    required: bool = False
    enum: tuple[str, ...] = ()
    default: Any = None
    min: float | None = None
    max: float | None = None
    min_exclusive: bool = False
    max_len: int | None = None
    max_len_by_model: Mapping[str, int] | None = None
    max_words: int | None = None
    min_items: int | None = None
    max_items: int | None = None
    hidden: bool = False
    #: Where the field goes in the provider's body: None at the top (every music field),
    #: ``"input"`` / ``"parameters"`` for DashScope's ``{model, input: {...}, parameters:
    #: {...}}``. Forms, checks, experiments and the log all see the flat body.
    at: str | None = None

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise ValueError(f"unknown field type {self.type!r}")

    def but(self, **changes: Any) -> Field:
        """A copy with ``changes`` (the catalogue below is reused across operations)."""
        return replace(self, **changes)


@dataclass(frozen=True)
class RequiredIf:
    """``fields`` are required when every ``when`` item equals the body value (or its default)."""

    when: Mapping[str, Any]
    fields: tuple[str, ...]


@dataclass(frozen=True)
class LengthIf:
    """``field`` is limited to ``max_len`` characters when ``when`` matches (overrides per-model);
    ``by_model`` gives a per-model limit instead, ``max_len`` being the unknown-model one."""

    when: Mapping[str, Any]
    field: str
    max_len: int
    by_model: Mapping[str, int] | None = None


@dataclass(frozen=True)
class Window:
    """A time window ``[start, end]`` in seconds: start < end and
    ``min_len <= end - start <= max_len``.

    ``defaults`` supply the provider's defaults for absent bounds (persona: 0 and 30).
    """

    start: str
    end: str
    min_len: float
    max_len: float
    defaults: tuple[float | None, float | None] = (None, None)


# ---- the catalogue of shared fields -------------------------------------------------------------

CALLBACK = Field("callBackUrl", "url", "Callback URL", "Where the provider POSTs results; set by "
                 "Songbench.", required=True, hidden=True)
MODEL = Field("model", "enum", "Model", "Suno model version (V4 up to 4 min; V4.5 and later up "
              "to 8 min; V6, V6 wild and V6 mini are the newest).", required=True, enum=MODELS,
              default="V5")
ADD_MODEL = Field("model", "enum", "Model", "Only V4.5+ and V5 are offered here.",
                  enum=ADD_MODELS, default="V4_5PLUS")
CUSTOM_MODE = Field("customMode", "bool", "Custom mode", "Off: describe the song, lyrics are "
                    "written for you. On: give style, title and (unless instrumental) the lyrics.",
                    required=True, default=False)
INSTRUMENTAL = Field("instrumental", "bool", "Instrumental", "No vocals.", required=True,
                     default=False)
PROMPT = Field("prompt", "text", "Prompt / lyrics", "Custom mode: sung verbatim as lyrics. Simple "
               "mode: a description of the song (500 characters; 3000 with V6 models).",
               max_len_by_model=PROMPT_LIMITS)
STYLE = Field("style", "str", "Style", "Genre, mood, instruments, e.g. 'Classical, calm piano'.",
              max_len_by_model=STYLE_LIMITS)
TITLE = Field("title", "str", "Title", "Song title.", max_len_by_model=TITLE_LIMITS)
PERSONA_ID = Field("personaId", "str", "Persona ID", "A persona made by the persona operation, "
                   "or a Suno Voice id (custom mode only).")
NEGATIVE_TAGS = Field("negativeTags", "str", "Negative tags", "Styles to avoid, e.g. 'Heavy "
                      "Metal, Upbeat Drums'.")
VOCAL_GENDER = Field("vocalGender", "enum", "Vocal gender", "m or f (a preference, not a "
                     "guarantee).", enum=("m", "f"))
#: V6-era fields (contract-newer.md §1).
LYRICS = Field("lyrics", "text", "Lyrics (V6 era)", "Sung as lyrics ahead of the prompt in custom "
               "mode (≤ 5000 characters).", max_len=5000)
DURATION = Field("duration", "float", "Duration (s)", "Length of the song, 10–360 s (custom mode; "
                 "V5_5 and V6 models only).", min=10.0, max=360.0)
VARIETY = Field("variety", "int", "Variety", "0 exact, 1 normal (default), 2 high, 3 extra, "
                "4 max (custom mode).", min=0, max=4)
PERSONA_MODEL = Field("personaModel", "enum", "Persona kind", "style_persona for a persona made "
                      "from a track, voice_persona for a Suno Voice id (V5 and later).",
                      enum=("style_persona", "voice_persona"))


def _weight(name: str, label: str, help_text: str) -> Field:
    return Field(name, "float", label, help_text + " 0–1, steps of 0.01.", min=0.0, max=1.0)


STYLE_WEIGHT = _weight("styleWeight", "Style weight", "How strongly to follow the style.")
WEIRDNESS = _weight("weirdnessConstraint", "Weirdness", "Creative deviation.")
AUDIO_WEIGHT = _weight("audioWeight", "Audio weight", "How strongly to follow the source audio.")
WEIGHTS = (STYLE_WEIGHT, WEIRDNESS, AUDIO_WEIGHT)

UPLOAD_URL = Field("uploadUrl", "url", "Source audio URL", "Public URL of the source audio "
                   "(≤ 8 min; ≤ 1 min with V4_5ALL). Use the upload page to get one.",
                   required=True)
TASK_ID = Field("taskId", "str", "Music task ID", "Provider task id of the source music task.",
                required=True)
AUDIO_ID = Field("audioId", "str", "Track (audio) ID", "Provider id of one track of that task.",
                 required=True)
DEFAULT_PARAM_FLAG = Field("defaultParamFlag", "bool", "Custom parameters", "On: give continueAt, "
                           "style, title and prompt. Off: inherit everything from the source.",
                           required=True, default=False)
CONTINUE_AT = Field("continueAt", "float", "Continue at (s)", "Where the extension starts; > 0 "
                    "and before the end of the source.", min=0.0, min_exclusive=True)

#: The optional tuning fields shared by the music creators.
MUSIC_OPTIONAL = (PERSONA_ID, NEGATIVE_TAGS, VOCAL_GENDER, *WEIGHTS)
#: Shown in an "Advanced" expander by default.
ADVANCED = ("negativeTags", "vocalGender", "styleWeight", "weirdnessConstraint", "audioWeight")
