"""What a task family is: its poll route, its raw statuses, its record parser, its callbacks.

Each module of `lib.families` subclasses `Family` once. A family's poll answer (``data`` of the
record-info envelope, camelCase) becomes one `PollResult`: our state and stage, the tracks, the
downloadable files (`Asset`) and any non-file result (lyrics, notes, a voice id...). A task is
only ``succeeded`` when the provider says success AND the results are there; otherwise a
success status is reported as ``processing`` and polled again.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from lib.contract.states import Stage, State

#: The words for a refusal on content grounds (any family whose text the provider checks).
SENSITIVE_TEXT = ("The provider refused the text: it contains sensitive words or an artist name. "
                  "Rephrase the prompt, lyrics or style and try again.")


@dataclass(frozen=True)
class Track:
    """One generated song (a music task yields two)."""

    id: str
    index: int
    title: str | None = None
    tags: str | None = None
    lyrics: str | None = None
    model_name: str | None = None
    duration: float | None = None
    audio_url: str | None = None
    stream_audio_url: str | None = None
    image_url: str | None = None
    create_time: str | None = None


@dataclass(frozen=True)
class Asset:
    """A downloadable result file; ``track_id`` is the provider audio id it belongs to, if any."""

    kind: str
    url: str
    track_id: str | None = None


@dataclass(frozen=True)
class PollResult:
    """Everything we take from one poll (or synchronous) answer.

    ``recovered`` maps audio ids of *earlier* tracks to fresh audio URLs (audio recovery).
    """

    raw_status: Any
    state: State
    stage: str
    tracks: list[Track] = field(default_factory=list)
    assets: list[Asset] = field(default_factory=list)
    error_code: Any = None
    error_message: str | None = None
    result: Any = None
    recovered: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ResultFile:
    """A file Songbench makes from a task's result (e.g. MIDI from notes): offered for download
    beside the provider's own files."""

    label: str
    file_name: str
    mime: str
    make: Callable[[], bytes]


@dataclass(frozen=True)
class Parsed:
    """What a family's record parser found; ``complete``: every expected result is there."""

    tracks: list[Track] = field(default_factory=list)
    assets: list[Asset] = field(default_factory=list)
    result: Any = None
    complete: bool = False
    recovered: dict[str, str] = field(default_factory=dict)


# ---- lenient readers ------------------------------------------------------------------------
def url(value: Any) -> str | None:
    """A usable URL or None (empty strings and non-strings count as missing)."""
    return value if isinstance(value, str) and value.strip() else None


def text(value: Any) -> str | None:
    return None if value is None else str(value)


def number(value: Any) -> float | None:
    try:
        out = None if value is None or value == "" else float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return out if out is None or out == out and abs(out) != float("inf") else None


def as_int(raw: Any) -> int | None:
    try:
        return int(raw)
    except (TypeError, ValueError, OverflowError):
        return None


def response(data: Mapping[str, Any]) -> dict:
    """``data.response`` when it is an object, else ``{}``."""
    value = data.get("response")
    return value if isinstance(value, dict) else {}


def looks_failed(raw: str) -> bool:
    return any(word in raw for word in ("FAIL", "ERROR", "EXCEPTION"))


def generic_state(raw: Any) -> State:
    """PENDING/None pending, SUCCESS succeeded, *FAIL*/*ERROR*/*EXCEPTION* failed, else
    processing."""
    if raw is None:
        return State.PENDING
    word = str(raw).strip().upper()
    if word == "PENDING":
        return State.PENDING
    if word == "SUCCESS":
        return State.SUCCEEDED
    return State.FAILED if looks_failed(word) else State.PROCESSING


def readable_status(raw: Any) -> bool:
    """Whether ``raw`` can be a provider's status: None, text, or a plain number (an integer
    of at most 64 bits, a finite float). Lists, objects, ``10**400`` and NaN cannot."""
    if raw is None or isinstance(raw, str):
        return True
    if isinstance(raw, int):
        return raw.bit_length() <= 64
    return isinstance(raw, float) and math.isfinite(raw)


def unreadable_text(raw: Any) -> str:
    """What the log keeps of a status that cannot be one (never the value: it may be huge)."""
    return f"unreadable status ({type(raw).__name__})"


#: What a family answers for a status it cannot read: a status we do not know, so the task is
#: still working, queued, polled again (and no failure words).
_UNREADABLE = {"map_status": State.PROCESSING, "stage_of": Stage.QUEUED.value,
               "failure_text": None}


def _guarded(method: Callable[..., Any], fallback: Any) -> Callable[..., Any]:
    @functools.wraps(method)
    def run(self: Any, raw: Any) -> Any:
        return method(self, raw) if readable_status(raw) else fallback
    run.__guarded__ = True  # type: ignore[attr-defined]
    return run


class Family:
    """Base of every task family; subclasses override what differs (see `lib.families`).

    Every family's `map_status`, `stage_of` and `failure_text` take any value: one that cannot
    be a status (`readable_status`) never reaches the family's own code (the guard is set on
    each subclass, so a new family cannot forget it)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name, fallback in _UNREADABLE.items():
            method = cls.__dict__.get(name)
            if method is not None and not getattr(method, "__guarded__", False):
                setattr(cls, name, _guarded(method, fallback))

    #: The family key stored in ``tasks.family``.
    name: str = ""
    #: The API family whose adapter polls it (`lib.provider.adapters`), as its operations say.
    provider: str = "music"
    #: Poll route per dialect of the provider (None: the dialect has none; sync families have
    #: no poll at all). Where the task id goes is the provider adapter's rule: the music
    #: adapter sends it as the ``id_param`` query parameter, DashScope's fills ``{task_id}``.
    poll: Mapping[str, str | None] = {}
    #: The query parameter of the poll route (music).
    id_param: str = "taskId"
    #: Where the raw status sits in the record (a dotted path: ``output.task_status``).
    status_key: str = "successFlag"
    #: Raw failure statuses in plain words (shown on the board).
    failure_words: Mapping[str, str] = {}
    #: Asset kind (or ``prefix:``) -> label.
    asset_labels: Mapping[str, str] = {}
    #: Callback body keys that identify this family (see `claims_callback`).
    callback_keys: tuple[str, ...] = ()
    #: Lower claims callbacks first (specific shapes before the music fallback).
    callback_priority: int = 50

    # -- statuses ------------------------------------------------------------------------------
    def raw_status(self, record: Mapping[str, Any]) -> Any:
        value: Any = record
        for key in self.status_key.split("."):
            value = value.get(key) if isinstance(value, Mapping) else None
        return value

    def with_status(self, raw: Any, record: Mapping[str, Any] | None = None) -> dict:
        """``record`` (or an empty one) with ``raw`` where this family reads its status."""
        out: dict = dict(record or {})
        *outer, last = self.status_key.split(".")
        inner = out
        for key in outer:
            inner[key] = dict(inner[key]) if isinstance(inner.get(key), Mapping) else {}
            inner = inner[key]
        inner[last] = raw
        return out

    def map_status(self, raw: Any) -> State:
        """Our state for a raw status; unknown values never crash (failure words fail)."""
        return generic_state(raw)

    def stage_of(self, raw: Any) -> str:
        """The progress stage of a raw status (only music has ``text`` and ``first``)."""
        state = self.map_status(raw)
        if state is State.FAILED:
            return Stage.ERROR.value
        return Stage.COMPLETE.value if state is State.SUCCEEDED else Stage.QUEUED.value

    # -- poll answers ----------------------------------------------------------------------------
    def accepts(self, envelope: Mapping[str, Any]) -> bool:
        """Whether a record-info envelope is an answer (not an error to retry or report)."""
        return envelope.get("code") == 200

    def says_missing(self, envelope: Mapping[str, Any]) -> bool:
        """Whether a record-info envelope means "no such task" in a way other than code 404."""
        return False

    def unwrap(self, envelope: Mapping[str, Any]) -> Any:
        """The record inside an accepted envelope (``{}`` when null)."""
        data = envelope.get("data")
        return {} if data is None else data

    def parse_record(self, record: Mapping[str, Any]) -> Parsed:
        return Parsed()

    def error_of(self, record: Mapping[str, Any], state: State) -> tuple[Any, str | None]:
        return record.get("errorCode"), record.get("errorMessage") or None

    def parse(self, data: Any) -> PollResult:
        """One `PollResult` from a record (anything that is not an object reads as empty)."""
        record = data if isinstance(data, dict) else {}
        raw = self.raw_status(record)
        if not readable_status(raw):
            raw = unreadable_text(raw)
        found = self.parse_record(record)
        state = self.map_status(raw)
        if state is State.SUCCEEDED and not found.complete:
            state = State.PROCESSING
        elif str(raw).upper() == "CALLBACK_EXCEPTION" and found.complete:
            state = State.SUCCEEDED  # only the provider's callback failed; we poll anyway
        stage = Stage.COMPLETE.value if state is State.SUCCEEDED else self.stage_of(raw)
        if state is State.PROCESSING and stage == Stage.COMPLETE.value:
            stage = self.incomplete_stage
        code, message = self.error_of(record, state)
        return PollResult(raw, state, stage, found.tracks, found.assets, code, message,
                          found.result, found.recovered)

    #: The stage of a success status whose results are not all there yet.
    incomplete_stage: str = Stage.QUEUED.value

    # -- words ------------------------------------------------------------------------------------
    def failure_text(self, raw: str) -> str | None:
        return self.failure_words.get(raw)

    def asset_label(self, kind: str) -> str | None:
        if kind in self.asset_labels:
            return self.asset_labels[kind]
        prefix, sep, rest = kind.partition(":")
        if sep and f"{prefix}:" in self.asset_labels:
            return f"{self.asset_labels[prefix + ':']}{rest.replace('_', ' ')}".strip()
        return None

    # -- callbacks ------------------------------------------------------------------------------
    def claims_callback(self, payload: Mapping[str, Any], body: Mapping[str, Any]) -> bool:
        """Whether a callback of this shape belongs to this family (``body``: the object that
        holds the task id)."""
        return any(key in body for key in self.callback_keys)

    def callback_failed(self, payload: Mapping[str, Any], body: Mapping[str, Any]) -> bool:
        """A delivery that reports a failure (beyond a code other than 200)."""
        return any(key in body and not body[key] for key in self.callback_keys)

    def callback_tracks(self, body: Mapping[str, Any]) -> list[Track]:
        return []

    # -- files made from the result ---------------------------------------------------------------
    def result_files(self, result: Any) -> list[ResultFile]:
        """Files Songbench makes from a finished task's result (none by default)."""
        return []


for _name, _fallback in _UNREADABLE.items():  # the base's own statuses too
    setattr(Family, _name, _guarded(getattr(Family, _name), _fallback))


# ---- helpers for the family modules -------------------------------------------------------------
def routes(sunoapi: str, anyint: str | None = None) -> dict[str, str | None]:
    """Poll routes per dialect; ``anyint=None``: the AnyInt gateway has no such route."""
    return {"sunoapi": sunoapi, "anyint": anyint}


#: Failures every ``successFlag``-string family shares (contract §7).
COMMON_FAILURES = {"CREATE_TASK_FAILED": "The provider could not start the task.",
                   "CALLBACK_EXCEPTION": "The provider failed while delivering the result."}


def single_file(record: Mapping[str, Any], kind: str, key: str) -> Parsed:
    """A result that is one file of the source track (WAV, MP4)."""
    link = url(response(record).get(key))
    source = text(record.get("audioId") or record.get("musicId"))
    return Parsed(assets=[Asset(kind, link, source)] if link else [], complete=link is not None)


class FileFamily(Family):
    """A single-stage family with ``successFlag`` strings whose results are files (WAV, MP4,
    stems): its callback names one result key, null on failure."""

    callback_priority = 10

    def __init__(self, name: str, poll: Mapping[str, str | None], failures: Mapping[str, str],
                 labels: Mapping[str, str], callback_key: str,
                 parse: Callable[[Mapping[str, Any]], Parsed]) -> None:
        self.name = name
        self.poll = poll
        self.failure_words = {**COMMON_FAILURES, **failures}
        self.asset_labels = labels
        self.callback_keys = (callback_key,)
        self._parse = parse

    def parse_record(self, record: Mapping[str, Any]) -> Parsed:
        return self._parse(record)
