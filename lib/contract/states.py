"""Our task lifecycle and the mapping from every provider family's raw statuses onto it.

Families and their raw status fields (contract section 7):

* ``music``  - ``status``: PENDING, TEXT_SUCCESS, FIRST_SUCCESS, SUCCESS, CREATE_TASK_FAILED,
  GENERATE_AUDIO_FAILED, CALLBACK_EXCEPTION, SENSITIVE_WORD_ERROR
* ``lyrics`` - ``status``: PENDING, SUCCESS, CREATE_TASK_FAILED, GENERATE_LYRICS_FAILED, ...
* ``wav`` / ``stems`` / ``mp4`` - ``successFlag`` strings: PENDING, SUCCESS, *_FAILED, ...
* ``cover``  - ``successFlag`` integer: 0 pending, 1 success, 2 generating, 3 failed
* ``sync``   - style boost ``successFlag`` string "0" pending, "1" success, "2" failed; the other
  synchronous answers (timestamped lyrics, persona) carry no status at all (``None`` = success).

Unknown raw values never crash: anything that looks like a failure (FAIL/ERROR/EXCEPTION) is
``failed``; anything else is ``processing``. The raw value is always kept beside our state.
"""

from __future__ import annotations

from enum import Enum

FAMILIES = ("music", "lyrics", "wav", "stems", "mp4", "cover", "sync")


class State(str, Enum):
    """Where a task is, in our words (stored as the plain string)."""

    #: Written to the log; not yet accepted, or accepted and queued by the provider.
    PENDING = "pending"
    #: The provider is working on it (text ready, first track ready, generating...).
    PROCESSING = "processing"
    #: Finished and every expected result URL is present. Terminal.
    SUCCEEDED = "succeeded"
    #: Rejected at create time or failed while generating. Terminal.
    FAILED = "failed"
    #: The create request was sent but its outcome is ambiguous (timeout); never resubmitted.
    UNKNOWN = "unknown"

    @property
    def terminal(self) -> bool:
        """True for states that never change again."""
        return self in (State.SUCCEEDED, State.FAILED)


STAGES = ("queued", "text", "first", "complete", "error")

_RANK = {State.PENDING: 0, State.PROCESSING: 1, State.SUCCEEDED: 2, State.FAILED: 2}
_STAGE_RANK = {"queued": 0, "text": 1, "first": 2, "complete": 3, "error": 3}

_STRING_SUCCESS = {"SUCCESS"}
_STRING_PENDING = {"PENDING"}
_MUSIC_STAGES = {"PENDING": "queued", "TEXT_SUCCESS": "text", "FIRST_SUCCESS": "first",
                 "SUCCESS": "complete"}
_COVER = {0: State.PENDING, 1: State.SUCCEEDED, 2: State.PROCESSING, 3: State.FAILED}
_SYNC = {"0": State.PENDING, "1": State.SUCCEEDED, "2": State.FAILED}


def _looks_failed(text: str) -> bool:
    return any(word in text for word in ("FAIL", "ERROR", "EXCEPTION"))


def _as_int(raw: object) -> int | None:
    try:
        return int(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def map_status(family: str, raw: object) -> State:
    """Map a family's raw provider status onto our `State`.

    ``raw=None`` means the provider gave no status yet (``pending``), except for ``sync`` where
    a result without a status flag is a finished answer (``succeeded``).
    """
    if family not in FAMILIES:
        raise ValueError(f"unknown task family {family!r}")
    if family == "cover":
        return _COVER.get(_as_int(raw), State.PENDING if raw is None else State.PROCESSING)
    if family == "sync":
        if raw is None:
            return State.SUCCEEDED
        return _SYNC.get(str(raw).strip(), _generic(str(raw)))
    if raw is None:
        return State.PENDING
    text = str(raw).strip().upper()
    if text in _STRING_PENDING:
        return State.PENDING
    if family == "music" and text in ("TEXT_SUCCESS", "FIRST_SUCCESS"):
        return State.PROCESSING
    return _generic(text)


def _generic(text: str) -> State:
    text = text.upper()
    if text in _STRING_SUCCESS:
        return State.SUCCEEDED
    if _looks_failed(text):
        return State.FAILED
    return State.PROCESSING


def stage_of(family: str, raw: object) -> str:
    """The progress stage (``queued``/``text``/``first``/``complete``/``error``) of a raw status.

    Only music has the intermediate ``text`` and ``first`` stages; other families go straight
    from ``queued`` to ``complete`` or ``error``.
    """
    state = map_status(family, raw)
    if state is State.FAILED:
        return "error"
    if state is State.SUCCEEDED:
        return "complete"
    if family == "music" and raw is not None:
        return _MUSIC_STAGES.get(str(raw).strip().upper(), "queued")
    return "queued"


def merge(old: State | str | None, new: State | str) -> State:
    """The state after learning ``new`` while at ``old``; states never move backwards.

    Terminal states stick; ``unknown`` (or no state) moves to anything; learning ``unknown``
    changes nothing once something is known.
    """
    new = State(new)
    if old is None or State(old) is State.UNKNOWN:
        return new
    old = State(old)
    if old.terminal or new is State.UNKNOWN:
        return old
    return new if _RANK[new] > _RANK[old] else old


def merge_stage(old: str | None, new: str | None) -> str | None:
    """The later of two stages (``error`` and ``complete`` both rank last and stick)."""
    if old is None:
        return new
    if new is None or old in ("complete", "error"):
        return old
    return new if _STAGE_RANK.get(new, 0) > _STAGE_RANK.get(old, 0) else old
