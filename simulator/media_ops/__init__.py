"""Media operations of the DashScope and Kling routes: one module per operation, found by scanning
this package (`simulator.registry`), like `simulator.ops` for the music routes (kept apart: those
are the music contract's operations, checked against lib's). Each module defines
`OP = MediaOp(...)` and holds the operation's whole story: its routes and models, its request
rules, and its media render (async tasks) or its answer (the sync Qwen-Image route). Shared
pieces: `_fields` (field checkers), `_inputs` (fetched images and audio), `_wan_models` (the
DashScope video models' rules, contract-media 2.5), `_kling` (Kling's shared rules and sizes),
`_sound` (the soundtrack of a video made with sound).

Every create runs (see `routes_dashscope`, `routes_kling`): latency fault -> Bearer auth (401)
-> JSON body (400) -> limit faults (429/503) -> DashScope: the `X-DashScope-Async` header of an
async route (403) -> the model (400) -> `op.check(body)` (400, `Invalid`) -> sensitive words
(400 DataInspectionFailed / Kling 1301) -> the job (`Engine.create`; `op.doom` may make an
accepted task fail later) or, sync, `op.answer`. Media tasks cost no music credits.

Persistence: as for music operations (`simulator.ops.SimOp`): a job's state lives in the `Job`
(`body`, `result`), renders write files at fixed names and are re-runnable after a restart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from simulator.registry import discover

if TYPE_CHECKING:
    from simulator.jobs import Job, JobError
    from simulator.render import Renderer


class Invalid(Exception):
    """A request rule violation; the route renders it in its API's shape (DashScope
    `InvalidParameter`, Kling 1201) unless `code` names a more specific provider code."""

    def __init__(self, msg: str, code: Any = None) -> None:
        super().__init__(msg)
        self.msg, self.code = msg, code


@dataclass(frozen=True)
class MediaOp:
    """One media operation.

    * `api`: "dashscope" | "kling" | "openai" (`/openai/v1/videos`); `family`: its media
      family, or "sync" (answered at once).
    * `paths`: POST routes under the gateway (the first is the published one; Kling polls
      `<path>/{task_id}`).
    * `models`: the model ids it serves (`GET /openai/v1/models` lists them as `kind`).
    * `model_field`: the body field naming the model ("model"; Kling "model_name").
    * `check(body)`: the stateless rules; raises `Invalid`.
    * `prompts(body) -> list[str]`: the texts screened for sensitive words.
    * `render(renderer, job)`: async operations: make the media, reach `running` then `complete`.
    * `answer(renderer, body, request_id, base_url) -> dict`: the sync route's whole answer.
    * `doom(body) -> JobError | None`: an accepted request that fails later (DashScope checks
      some fields only when the task runs).
    * `needs_async`: DashScope: the route refuses a call without `X-DashScope-Async: enable`.
    * `prepare(body) -> dict`: the (checked) body the job keeps, when it is not the request
      itself (the OpenAI-style video route keeps Kling's native fields).
    """

    name: str
    api: str
    family: str
    paths: tuple[str, ...]
    models: tuple[str, ...]
    kind: str
    check: Callable[[dict[str, Any]], None]
    prompts: Callable[[dict[str, Any]], list[str]]
    model_field: str = "model"
    render: Callable[[Renderer, Job], None] | None = None
    answer: Callable[[Renderer, dict[str, Any], str, str], dict[str, Any]] | None = None
    doom: Callable[[dict[str, Any]], JobError | None] | None = None
    needs_async: bool = False
    prepare: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    stages: tuple[str, ...] | None = None


MEDIA_OPERATIONS: dict[str, MediaOp] = discover(__name__, __path__, "OP")
