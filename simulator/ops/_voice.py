"""Shared by the Suno Voice operations (contract-newer 6): phrase-task lookups and the phrase
renders of voice_validate and voice_regenerate.

A phrase job's `result` holds `validateInfo` (the phrase), `language`, `seed` (from the clip's
segment), `count` (regenerations so far) and `clip`/`segment` (the kept voice clip). Failures
of the clip (unreachable: 451; not audio, segment beyond its end, silent segment: 400) fail the
task with `processing_validate_fail` and that `errorCode`.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

import numpy as np

from simulator import phrases, synth
from simulator.jobs import RenderError
from simulator.ops import _fetch
from simulator.routes_common import ApiProblem

if TYPE_CHECKING:
    from simulator.engine import Engine
    from simulator.jobs import Job
    from simulator.render import Renderer

PHRASE_OPS = ("voice_validate", "voice_regenerate")
SILENT_RMS = 1e-4


def phrase_job(engine: Engine, task_id: str) -> Job:
    """The finished validate/regenerate task `task_id` whose phrase is ready (else 400)."""
    job = engine.get(task_id)
    if job is None or job.op not in PHRASE_OPS:
        raise ApiProblem(400, f"taskId is not a known voice validation task: {task_id}")
    if not job.done or job.failed:
        state = "failed" if job.failed else "not ready yet"
        raise ApiProblem(400, f"taskId {task_id}: the validation phrase is {state} (status must be wait_validating)")
    return job


def fetch_audio(r: Renderer, job: Job, field: str, rel: str) -> np.ndarray:
    """The body's `field` URL, fetched once, kept at `rel` and decoded (RenderError 451 / 400)."""
    return _fetch.kept(r, job, field, job.body[field], rel)


def clip_seed(segment: np.ndarray) -> int:
    """A stable seed from a clip segment's audio."""
    quantised = np.round(np.asarray(segment, np.float32) * 1000).astype("<i2")
    return int.from_bytes(hashlib.sha256(quantised.tobytes()).digest()[:8], "big")


def render_validate(r: Renderer, job: Job) -> None:
    b = job.body
    pcm = fetch_audio(r, job, "voiceUrl", f"tasks/{job.task_id}/voice.bin")
    r.engine.reach(job, "processing")
    start, end = int(b["vocalStartS"]), int(b["vocalEndS"])
    duration = len(pcm) / synth.SR
    if end > duration + 1e-6:
        raise RenderError(400, f"vocalEndS ({end} s) is beyond the end of the voice clip ({duration:.2f} s)")
    segment = pcm[start * synth.SR:end * synth.SR]
    if synth._rms(segment) < SILENT_RMS:
        raise RenderError(400, f"the voice clip is silent between vocalStartS ({start}) and vocalEndS ({end})")
    language = b.get("language") or "en"
    seed = clip_seed(segment)
    job.result.update(validateInfo=phrases.pick(language, seed, 0), language=language, seed=seed, count=0,
                      clip=f"tasks/{job.task_id}/voice.bin", segment=[start, end])
    r.engine.reach(job, "complete")


def render_regenerate(r: Renderer, job: Job) -> None:
    parent: dict[str, Any] = r.engine.get(job.parent["taskId"]).result
    r.engine.reach(job, "processing")
    count = parent["count"] + 1
    job.result.update({k: parent[k] for k in ("language", "seed", "clip", "segment")}, count=count,
                      validateInfo=phrases.pick(parent["language"], parent["seed"], count))
    r.engine.reach(job, "complete")
