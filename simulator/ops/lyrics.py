"""lyrics — `POST /api/v1/lyrics` | `/suno/generate-lyrics` (contract 5.13), lyrics family.

Rules: `prompt` (<= 200 words, else 413) and `callBackUrl` required. Render: two lyrics
variants written from the prompt (`texts.lyrics_variants`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator import texts
from simulator.ops import SimOp
from simulator.ops import _checks as c
from simulator.ops._jobs import SCREENED, launch

if TYPE_CHECKING:
    from simulator.engine import Engine
    from simulator.jobs import Job
    from simulator.render import Renderer

PROMPT_MAX_WORDS = 200


def _rules(b: dict) -> None:
    prompt = c.text(b, "prompt", required=True)
    c.http_url(b, "callBackUrl")
    words = len(prompt.split())
    if words > PROMPT_MAX_WORDS:
        c.fail(f"prompt is too long: {words} words, limit {PROMPT_MAX_WORDS} words", 413)


def _start(engine: Engine, body: dict[str, Any], key: str, base: str) -> Job:
    return launch(engine, OP, body, key, base)


def _render(r: Renderer, job: Job) -> None:
    job.result["variants"] = texts.lyrics_variants(job.body["prompt"], n=2)
    r.engine.reach(job, "complete")


OP = SimOp(
    name="lyrics", family="lyrics",
    paths={"sunoapi": "/api/v1/lyrics", "anyint": "/suno/generate-lyrics"},
    cost=2, check=c.rules(_rules), start=_start, render=_render, screened=SCREENED,
)
