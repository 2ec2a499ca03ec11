"""voice_validate — `POST /api/v1/voice/validate` (contract-newer 6), voice_phrase family,
sunoapi only; free.

Rules: `voiceUrl` (http(s)) required; `vocalStartS` and `vocalEndS` required whole numbers of
seconds, start >= 0, end > start, the segment 1-60 s long; optional `language` (en, zh, es, fr,
pt, de, ja, ko, hi, ru; default en) and `callBackUrl`. The clip is fetched when the task runs:
unreachable (451), not audio, the segment beyond its end or silent (400) fail the task with
`processing_validate_fail` (see `_voice`). Result: `validateInfo`, a short sentence in the
language, chosen from the clip's segment (the same clip gives the same phrase).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator import phrases
from simulator.ops import SimOp, _voice
from simulator.ops import _checks as c
from simulator.ops._jobs import launch

if TYPE_CHECKING:
    from simulator.engine import Engine
    from simulator.jobs import Job

SEGMENT_RANGE = (1, 60)


def _rules(b: dict) -> None:
    c.http_url(b, "voiceUrl")
    start = c.integer(b, "vocalStartS", required=True)
    end = c.integer(b, "vocalEndS", required=True)
    if start < 0:
        c.fail(f"vocalStartS must be >= 0 (got {start})")
    if end <= start:
        c.fail(f"vocalEndS ({end}) must be greater than vocalStartS ({start})")
    lo, hi = SEGMENT_RANGE
    if not lo <= end - start <= hi:
        c.fail(f"the voice segment vocalEndS-vocalStartS must be {lo}-{hi} s (got {end - start} s)")
    c.choice(b, "language", phrases.LANGUAGES)
    c.http_url(b, "callBackUrl", required=False)


def _start(engine: Engine, body: dict[str, Any], key: str, base: str) -> Job:
    return launch(engine, OP, body, key, base)


OP = SimOp(
    name="voice_validate", family="voice_phrase",
    paths={"sunoapi": "/api/v1/voice/validate", "anyint": None},
    cost=0, check=c.rules(_rules), start=_start, render=_voice.render_validate,
)
