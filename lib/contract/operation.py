"""What one operation is: its request spec, its routes, its screen and how its result reads.

Each module of `lib.ops` builds one `Operation`; pages, the board, the library and the tracker
iterate over that registry and hold no per-operation list of their own. Everything specific to
an operation that plain data cannot say is a small function on the `Operation` (``checks``,
``ui.visible``, ``ui.prefill``, ``ui.source_checks``, ``summarize``).

An operation names its ``provider`` (the API family whose adapter sends it, `lib.provider.adapters`;
``music`` by default) and its routes per dialect of that provider: the AI Music provider has two
path styles (`MUSIC_DIALECTS`, a ``sunoapi`` route always), the other providers one each. The
pages are the ones the operations name (`lib.ops.pages`), not a list kept here.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from lib.contract.fields import Field, LengthIf, RequiredIf, Window

#: The default provider: the AI Music API (sunoapi.org, kie.ai, api.box, the AnyInt gateway).
MUSIC = "music"
#: Its two path styles; every music operation has a ``sunoapi`` route.
MUSIC_DIALECTS = ("sunoapi", "anyint")
DIALECTS = MUSIC_DIALECTS
#: Where a source picker takes its values from (see `SourceSpec`).
SOURCE_KINDS = ("track", "audio", "audio_pair", "task", "image")
#: What a picker yields, by name: ``into`` maps body fields onto these.
SOURCE_VALUES = ("audio_id", "provider_task_id", "url", "urls")


@dataclass(frozen=True)
class FieldError:
    """A validation problem: the field and a message naming it and the limit."""

    field: str
    message: str


class SourceFacts(Protocol):
    """What a source check may know about the picked source (`lib.views.sources.Source`)."""

    @property
    def duration(self) -> float | None: ...

    @property
    def model(self) -> str | None: ...


@dataclass(frozen=True)
class AudioLimits:
    """What a provider takes as an uploaded audio source, beyond the upload host's own limits
    (`lib.provider.uploads.check_audio`): the file types, the size in MB and the length in
    seconds; ``who`` names the provider in the refusal."""

    types: tuple[str, ...]
    max_mb: float
    seconds: tuple[float, float] | None = None
    who: str = "The provider"

    @property
    def max_bytes(self) -> int:
        return int(self.max_mb * 1024 * 1024)

    def words(self) -> str:
        """``wav or mp3, at most 15 MB``."""
        kinds = " or ".join(self.types)
        return f"{kinds}, at most {self.max_mb:g} MB"


@dataclass(frozen=True)
class SourceSpec:
    """One source picker of a form.

    ``kind``: ``track`` (a finished track of the log), ``audio`` (an upload, a finished track's
    audio URL or a typed URL), ``audio_pair`` (two of those), ``task`` (a finished task of one
    of ``task_ops``, or of any operation of ``task_family``), ``image`` (an image made earlier,
    by an image task or as a song's cover, sent as its provider URL while that works; or a
    typed URL). ``into`` maps body fields onto the
    picked values (`SOURCE_VALUES`).
    """

    kind: str
    into: Mapping[str, str]
    label: str = "Source"
    task_ops: tuple[str, ...] = ()
    task_family: str | None = None
    #: ``audio`` only: the longest audio the provider takes; a longer finished track can be
    #: sent as a clip of this many seconds (cut from its archived copy and uploaded).
    clip_s: float | None = None
    #: ``audio`` only: what the provider takes as an upload (types, size, length), checked
    #: when the file is chosen, before it is uploaded (None: the upload host's limits only).
    limits: AudioLimits | None = None

    def __post_init__(self) -> None:
        if self.clip_s is not None and (self.kind != "audio" or not self.clip_s > 0):
            raise ValueError("only an audio source takes a clip length (seconds > 0)")
        if self.limits is not None and self.kind != "audio":
            raise ValueError("only an audio source takes audio limits")
        if self.kind not in SOURCE_KINDS:
            raise ValueError(f"unknown source kind {self.kind!r}")
        if bad := set(self.into.values()) - set(SOURCE_VALUES):
            raise ValueError(f"unknown source values {sorted(bad)}")
        if (self.kind == "task") != bool(self.task_ops or self.task_family):
            raise ValueError("task sources name their task_ops or task_family (and only they do)")


def _always(_name: str, _values: Mapping[str, Any]) -> bool:
    return True


# ---- the source's facts, made safe before any operation reasons about them ----------------------
#: The longest source length a check reasons about: a day, far beyond any track or upload.
MAX_SOURCE_LENGTH_S = 24 * 3600.0
SourceCheck = Callable[[Mapping[str, Any], SourceFacts], list[FieldError]]


def usable_length(value: Any) -> bool:
    """A source length a check can compute with: unknown (None), or a real number of seconds
    from 0 to `MAX_SOURCE_LENGTH_S` (not a bool, text, list, NaN or ``10**400``)."""
    if value is None:
        return True
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    if isinstance(value, int):
        return 0 <= value <= MAX_SOURCE_LENGTH_S
    return math.isfinite(value) and 0 <= value <= MAX_SOURCE_LENGTH_S


def _length_text(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"{type(value).__name__} instead of a number"
    if isinstance(value, int) and value.bit_length() > 64:
        return "a number too large" if value > 0 else "a negative number too large"
    if isinstance(value, float) and math.isnan(value):
        return "not a number"
    return f"{value:g} s"


@dataclass(frozen=True)
class _SafeFacts:
    duration: float | None
    model: str | None


class _SafeSource:
    """A source for ``prefill`` whose length and model are safe (the rest read through)."""

    def __init__(self, source: Any, duration: float | None, model: str | None) -> None:
        self._source, self.duration, self.model = source, duration, model

    def __getattr__(self, name: str) -> Any:
        return getattr(self._source, name)


def _facts_of(source: Any) -> tuple[float | None, str | None, Any]:
    """(length, model, the raw length): an unusable length reads as unknown."""
    raw = getattr(source, "duration", None)
    model = getattr(source, "model", None)
    duration = float(raw) if raw is not None and usable_length(raw) else None
    return duration, model if isinstance(model, str) else None, raw


def _source_field(sources: tuple[SourceSpec, ...]) -> str:
    """The body field a message about the source's facts stands at (its audio id or URL)."""
    into = sources[0].into if sources else {}
    return next((name for name, value in into.items() if value in ("audio_id", "url", "urls")),
                next(iter(into), "source"))


def _guard_checks(check: SourceCheck, field_name: str) -> SourceCheck:
    """``check`` that only ever sees a usable length and a text model; an unusable length is
    one message at the source picker naming the limit."""
    @functools.wraps(check)
    def run(body: Mapping[str, Any], source: SourceFacts) -> list[FieldError]:
        duration, model, raw = _facts_of(source)
        if raw is not None and duration is None:
            return [FieldError(field_name, f"The source's length ({_length_text(raw)}) is not "
                                           "usable: a source must be between 0 and 24 h long")]
        return check(body, _SafeFacts(duration, model))

    run.guarded = True  # type: ignore[attr-defined]
    return run


def _guard_prefill(prefill: Callable[[Any], dict[str, Any]]) -> Callable[[Any], dict[str, Any]]:
    """``prefill`` that only ever sees a usable length (else unknown) and a text model."""
    @functools.wraps(prefill)
    def run(source: Any) -> dict[str, Any]:
        duration, model, _raw = _facts_of(source)
        return prefill(_SafeSource(source, duration, model))

    run.guarded = True  # type: ignore[attr-defined]
    return run


@dataclass(frozen=True)
class FollowUp:
    """A next step offered with a finished result: ``values(result)`` fills the form of
    ``op`` (None: nothing to offer for this result)."""

    label: str
    op: str
    values: Callable[[Any], dict[str, Any] | None]


#: What the text helper drafts (`lib.text.draft.KINDS`; a test checks every Ui's kind is one).
DRAFT_KINDS = ("song", "image_prompt", "video_prompt", "music_prompt")


@dataclass(frozen=True)
class DraftSpec:
    """The form's "Draft with the text helper" action (`lib.text.forms`): the text helper
    drafts ``kind`` from a short brief, ``into`` maps the draft's fields (a song's ``title``,
    ``style``, ``lyrics``; a prompt's ``prompt``) onto the form's field names, and ``sets``
    are form values that go with the draft (a drafted song turns custom mode on)."""

    kind: str
    into: Mapping[str, str]
    sets: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.kind not in DRAFT_KINDS:
            raise ValueError(f"unknown draft kind {self.kind!r} (one of {DRAFT_KINDS})")
        if not self.into:
            raise ValueError("a draft fills at least one field")


@dataclass(frozen=True)
class Ui:
    """How the operation appears: page, labels, sources, which fields hide where."""

    page: str
    label: str            # short, e.g. "Song" (pickers)
    submit: str           # the submit button, e.g. "Generate song"
    order: int = 100      # position on its page
    sources: tuple[SourceSpec, ...] = ()
    advanced: tuple[str, ...] = ()
    intro: str | None = None
    #: ``visible(field, values)``: whether the form shows a field given the values so far.
    visible: Callable[[str, Mapping[str, Any]], bool] = _always
    #: ``prefill(source) -> values`` when the form opens on a finished track (one-click links).
    prefill: Callable[[Any], dict[str, Any]] | None = None
    #: ``source_checks(body, source) -> errors``: the rules that need the source's facts.
    source_checks: Callable[[Mapping[str, Any], SourceFacts], list[FieldError]] | None = None
    #: One-click link from a finished track on the board and in the Library.
    from_track: bool = False
    #: Next steps offered with a finished result (e.g. "use this style").
    follow_ups: tuple[FollowUp, ...] = ()
    #: ``result_line(result)``: the line shown after submitting (default: `Operation.summarize`).
    result_line: Callable[[Any], str | None] | None = None
    #: The text helper's draft action on this form (None: the form has no free text to draft).
    draft: DraftSpec | None = None

    def __post_init__(self) -> None:
        if not self.page or not self.page.isidentifier():
            raise ValueError(f"a page is named by a word, got {self.page!r}")
        # every operation's source rules get facts they can compute with (none may crash)
        if self.source_checks is not None and not hasattr(self.source_checks, "guarded"):
            object.__setattr__(self, "source_checks",
                               _guard_checks(self.source_checks, _source_field(self.sources)))
        if self.prefill is not None and not hasattr(self.prefill, "guarded"):
            object.__setattr__(self, "prefill", _guard_prefill(self.prefill))


@dataclass(frozen=True)
class Operation:
    """Everything we know about one operation."""

    name: str
    title: str
    family: str
    paths: Mapping[str, str | None]
    fields: tuple[Field, ...]
    ui: Ui
    sync: bool = False
    required_if: tuple[RequiredIf, ...] = ()
    length_if: tuple[LengthIf, ...] = ()
    windows: tuple[Window, ...] = ()
    fixed: Mapping[str, Any] = field(default_factory=dict)
    #: Rules plain data cannot say: ``check(body) -> errors`` (never raises).
    checks: tuple[Callable[[Mapping[str, Any]], list[FieldError]], ...] = ()
    credits_estimate: int = 0
    description: str = ""
    #: ``summarize(result) -> line`` for a non-file result (lyrics, persona, style...).
    summarize: Callable[[Any], str | None] | None = None
    #: The API family that sends it (its adapter in `lib.provider.adapters`).
    provider: str = MUSIC
    #: ``shape(wire) -> wire``: what the provider's nesting by ``at`` cannot say (Qwen-Image's
    #: prompt inside ``input.messages``, Kling's ``model`` equal to ``model_name``); the log
    #: keeps the flat body, the request event and the preview show this.
    shape: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    #: The setting that switches this operation on (off unless it is ``1``): a route the
    #: provider does not publish (contract-media 6), offered only to who asks for it.
    opt_in: str | None = None

    def __post_init__(self) -> None:
        if self.provider == MUSIC:
            if set(self.paths) != set(MUSIC_DIALECTS):
                raise ValueError(f"{self.name}: paths must name every dialect {MUSIC_DIALECTS}")
            if self.paths["sunoapi"] is None:
                raise ValueError(f"{self.name}: every music operation has a sunoapi route")
        elif not any(self.paths.values()):
            raise ValueError(f"{self.name}: paths must name at least one route of "
                             f"{self.provider}")
        if not self.family:
            raise ValueError(f"{self.name}: no family")
        draft = self.ui.draft
        if draft is not None:
            names = {f.name for f in self.fields if not f.hidden}
            if bad := (set(draft.into.values()) | set(draft.sets)) - names:
                raise ValueError(f"{self.name}: the draft fills fields it does not have: "
                                 f"{sorted(bad)}")

    def field(self, name: str) -> Field:
        """The field called ``name`` (KeyError if the operation has none)."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name} has no field {name!r}")

    def wire(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """``body`` as the provider takes it: each field under its ``at`` object (if any)."""
        where = {f.name: f.at for f in self.fields if f.at}
        out: dict[str, Any] = {}
        for name, value in body.items():
            if name in where:
                out.setdefault(where[name], {})[name] = value
            else:
                out[name] = value
        return self.shape(out) if self.shape is not None else out

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def form_fields(self) -> tuple[Field, ...]:
        """Fields a user fills in (not the hidden ones)."""
        return tuple(f for f in self.fields if not f.hidden)

    @property
    def source_fields(self) -> tuple[str, ...]:
        """Fields filled by the source pickers, never by the generic form."""
        return tuple(name for s in self.ui.sources for name in s.into)

    @property
    def callback_field(self) -> str | None:
        """The body field that carries our callback URL (``calBackUrl`` on voice regenerate)."""
        return next((f.name for f in self.fields if f.hidden and f.type == "url"), None)

    def path(self, dialect: str) -> str:
        """The create route in ``dialect`` (ValueError when that dialect has none)."""
        if dialect not in self.paths:
            raise ValueError(f"unknown dialect {dialect!r} of {self.provider}")
        path = self.paths[dialect]
        if path is None:
            raise ValueError(f"{self.title} is not offered by the {dialect} dialect")
        return path

    def offered(self, dialect: str) -> bool:
        """Whether ``dialect`` has a route for this operation."""
        return self.paths.get(dialect) is not None
