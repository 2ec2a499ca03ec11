"""Building blocks of the request specs: fields, conditional rules and the shared field catalogue.

Everything here is declarative data (frozen dataclasses); :mod:`lib.contract.specs` assembles one
:class:`OperationSpec` per operation and interprets the rules. Sources: contract.md §5.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

#: Music models of the Dec-2025 contract (§5.1), oldest first.
MODELS = ("V4", "V4_5", "V4_5PLUS", "V4_5ALL", "V5")
#: add-vocals / add-instrumental accept only these (§5.5, §5.6); default V4_5PLUS.
ADD_MODELS = ("V4_5PLUS", "V5")

#: Per-model length limits in custom mode (§5.1 table; also extend/upload-* per §5.2–5.4).
PROMPT_LIMITS = {"V4": 3000, "V4_5": 5000, "V4_5PLUS": 5000, "V4_5ALL": 5000, "V5": 5000}
STYLE_LIMITS = {"V4": 200, "V4_5": 1000, "V4_5PLUS": 1000, "V4_5ALL": 1000, "V5": 1000}
TITLE_LIMITS = {"V4": 80, "V4_5": 100, "V4_5PLUS": 100, "V4_5ALL": 80, "V5": 100}
#: Non-custom (simple) mode prompt limit (§5.1).
SIMPLE_PROMPT_LIMIT = 500

#: Field types. ``text`` is a multi-line string, ``url`` an http(s) string.
TYPES = ("str", "text", "url", "bool", "float", "enum")


@dataclass(frozen=True)
class Field:
    """One request body field.

    ``max_len`` is a fixed character limit, ``max_len_by_model`` a per-model one (wins when the
    body's model is known). ``hidden`` fields are filled by :func:`lib.contract.specs.build_body`, not by
    the user (``callBackUrl``, ``type``).
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
    hidden: bool = False

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
    """``field`` is limited to ``max_len`` characters when ``when`` matches (overrides per-model)."""

    when: Mapping[str, Any]
    field: str
    max_len: int


@dataclass(frozen=True)
class Window:
    """A time window ``[start, end]`` in seconds: start < end, ``min_len <= end - start <= max_len``.

    ``defaults`` supply the provider's defaults for absent bounds (persona: 0 and 30).
    """

    start: str
    end: str
    min_len: float
    max_len: float
    defaults: tuple[float | None, float | None] = (None, None)


@dataclass(frozen=True)
class OperationSpec:
    """Everything we know about one operation: its body, rules, routes and cost."""

    op: str
    title: str
    family: str
    sunoapi_path: str
    anyint_path: str
    fields: tuple[Field, ...]
    sync: bool = False
    required_if: tuple[RequiredIf, ...] = ()
    length_if: tuple[LengthIf, ...] = ()
    windows: tuple[Window, ...] = ()
    fixed: Mapping[str, Any] = field(default_factory=dict)
    credits_estimate: int = 0
    description: str = ""

    def field(self, name: str) -> Field:
        """The field called ``name`` (KeyError if the operation has none)."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.op} has no field {name!r}")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def form_fields(self) -> tuple[Field, ...]:
        """Fields a user fills in (not the hidden ones)."""
        return tuple(f for f in self.fields if not f.hidden)

    @property
    def takes_callback(self) -> bool:
        return "callBackUrl" in self.names


# ---- the catalogue of shared fields -------------------------------------------------------------

CALLBACK = Field("callBackUrl", "url", "Callback URL", "Where the provider POSTs results; set by "
                 "Songbench.", required=True, hidden=True)
MODEL = Field("model", "enum", "Model", "Suno model version (V4 up to 4 min; V4_5* and V5 up to "
              "8 min).", required=True, enum=MODELS, default="V5")
ADD_MODEL = Field("model", "enum", "Model", "Only V4_5PLUS and V5 are offered here.",
                  enum=ADD_MODELS, default="V4_5PLUS")
CUSTOM_MODE = Field("customMode", "bool", "Custom mode", "Off: describe the song, lyrics are "
                    "written for you. On: give style, title and (unless instrumental) the lyrics.",
                    required=True, default=False)
INSTRUMENTAL = Field("instrumental", "bool", "Instrumental", "No vocals.", required=True,
                     default=False)
PROMPT = Field("prompt", "text", "Prompt / lyrics", "Custom mode: sung verbatim as lyrics. Simple "
               "mode: a description of the song (500 characters).",
               max_len_by_model=PROMPT_LIMITS)
STYLE = Field("style", "str", "Style", "Genre, mood, instruments, e.g. 'Classical, calm piano'.",
              max_len_by_model=STYLE_LIMITS)
TITLE = Field("title", "str", "Title", "Song title.", max_len_by_model=TITLE_LIMITS)
PERSONA_ID = Field("personaId", "str", "Persona ID", "A persona made by the persona operation "
                   "(custom mode only).")
NEGATIVE_TAGS = Field("negativeTags", "str", "Negative tags", "Styles to avoid, e.g. 'Heavy "
                      "Metal, Upbeat Drums'.")
VOCAL_GENDER = Field("vocalGender", "enum", "Vocal gender", "m or f (a preference, not a "
                     "guarantee).", enum=("m", "f"))


def _weight(name: str, label: str, help_text: str) -> Field:
    return Field(name, "float", label, help_text + " 0–1, steps of 0.01.", min=0.0, max=1.0)


STYLE_WEIGHT = _weight("styleWeight", "Style weight", "How strongly to follow the style.")
WEIRDNESS = _weight("weirdnessConstraint", "Weirdness", "Creative deviation.")
AUDIO_WEIGHT = _weight("audioWeight", "Audio weight", "How strongly to follow the source audio.")
WEIGHTS = (STYLE_WEIGHT, WEIRDNESS, AUDIO_WEIGHT)

UPLOAD_URL = Field("uploadUrl", "url", "Source audio URL", "Public URL of the source audio "
                   "(≤ 8 min; ≤ 1 min with V4_5ALL). Use the upload page to get one.", required=True)
TASK_ID = Field("taskId", "str", "Music task ID", "Provider task id of the source music task.",
                required=True)
AUDIO_ID = Field("audioId", "str", "Track (audio) ID", "Provider id of one track of that task.",
                 required=True)
DEFAULT_PARAM_FLAG = Field("defaultParamFlag", "bool", "Custom parameters", "On: give continueAt, "
                           "style, title and prompt. Off: inherit everything from the source.",
                           required=True, default=False)
CONTINUE_AT = Field("continueAt", "float", "Continue at (s)", "Where the extension starts; > 0 "
                    "and before the end of the source.", min=0.0, min_exclusive=True)
