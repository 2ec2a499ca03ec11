"""Our task lifecycle, the progress stages, and the "never backwards" rules.

How each provider family's raw statuses map onto these lives with the family
(`lib.families.<family>.map_status` / ``stage_of``); this module holds only our own words.
"""

from __future__ import annotations

from enum import Enum


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


class Stage(str, Enum):
    """How far the provider got (only music has the intermediate ``text`` and ``first``)."""

    #: Accepted, nothing produced yet.
    QUEUED = "queued"
    #: Lyrics/text ready (music).
    TEXT = "text"
    #: The first track streams (music).
    FIRST = "first"
    #: Every result is there.
    COMPLETE = "complete"
    #: Stopped with an error.
    ERROR = "error"


STAGES = tuple(s.value for s in Stage)


_RANK = {State.PENDING: 0, State.PROCESSING: 1, State.SUCCEEDED: 2, State.FAILED: 2}
_STAGE_RANK = {"queued": 0, "text": 1, "first": 2, "complete": 3, "error": 3}


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


def stage_rank(stage: str | Stage | None) -> int:
    """How far a stage is (0 for none or unknown; ``complete`` and ``error`` rank last)."""
    if stage is None:
        return 0
    return _STAGE_RANK.get(stage.value if isinstance(stage, Stage) else stage, 0)
