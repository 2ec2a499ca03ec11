"""Provider operations: one module per operation key, found by scanning this package
(`simulator.registry`). Each module defines `OP = SimOp(...)` and holds the operation's whole
story: its request rules, its create logic (stateful checks, 409 uniqueness, cost), its media
render or its synchronous answer. Shared pieces: `_checks` (field checkers, model tables),
`_jobs` (source lookups and the common create path), `_music` (song rendering shared by the
music operations), `_stems` (shared by vocal_removal and split_stem), `_voice` (shared by the
Suno Voice operations). The contract-newer operations (mashup, sounds, midi, recovery, voice_*)
exist on sunoapi.org only: their `paths["anyint"]` is None.

Every create runs (see `simulator.routes`): latency fault -> Bearer auth (401) -> JSON body (400)
-> per-key rate limit (430) -> random faults (429/430/455/500) -> `op.check(body)` (400/413) ->
`op.start(...)` for async operations (stateful checks: 400; duplicates: 409; credits: 429) or
`op.answer(...)` for synchronous ones.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from simulator.ops import _music
from simulator.registry import discover

if TYPE_CHECKING:
    from simulator import synth
    from simulator.engine import Engine
    from simulator.jobs import Job, Track
    from simulator.render import Renderer

Problem = tuple[int, str]
DIALECTS = ("sunoapi", "anyint")


@dataclass(frozen=True)
class SimOp:
    """One provider operation.

    * `name`: the operation key; `family`: its task family ("sync" for synchronous operations).
    * `paths`: dialect -> POST route (None when the dialect has no such route). Two operations
      may share a route; `selector` then picks between them (see below).
    * `cost`: credits charged per accepted request.
    * `check(body) -> (code, msg) | None`: the stateless request rules (400/413).
    * `start(engine, body, api_key, base_url) -> Job`: async operations: stateful checks,
      uniqueness (409), charge (429) and the job; raises `routes_common.ApiProblem`.
    * `render(renderer, job)`: async operations: make the media, report stages to the engine.
    * `answer(engine, body) -> dict`: synchronous operations: the envelope's `data`.
    * `stages`: the family stage labels this operation goes through (None: all of them).
    * `selector`: (body field, value) naming this operation on a route it shares with another
      operation of its family; on a route of its own, the value is forced into the body.
    * `screened`: body fields searched for sensitive words (a hit fails the job).
    * `alt_codes`: answers use the provider's second code list (422/402/429, `routes_common`).
    * `id_key`: the key of the new task id in a create answer's `data` (recovery: "task_id").
    * `remake(renderer, job, track) -> synth.Song`: the song of one of the job's tracks, made
      again (for stems, extends... of it, also after a restart). None (the default): re-run
      `render` in remake mode, where `_music.render_songs` makes only that track's song and
      returns it; an op whose tracks come from `render_songs` needs nothing more.

    Persistence (`--data-dir`, `simulator.persistence`) — the one rule: keep every piece of a
    task's state in its `Job` (`body`, `parent`, `result`, `tracks`...; JSON-able values, set
    before the `engine.reach`/`engine.fail` that follows, which marks the job for saving) or in
    an engine table (`engine.personas`, `engine.unique`, `engine.table(name)`; assign entries,
    don't mutate them in place), never in closures, module globals or new engine attributes,
    and let `render` be re-runnable from that state: after a restart a job whose media were not
    all made is rendered again (it may find its tracks and files from the first attempt; write
    files at fixed names, through `store.put`/`store.write` or to a path then `publish`). Tracks
    made without `render_songs` need a `remake` if other operations derive from them.
    """

    name: str
    family: str
    paths: dict[str, str | None]
    cost: int
    check: Callable[[Any], Problem | None]
    start: Callable[[Engine, dict[str, Any], str, str], Job] | None = None
    render: Callable[[Renderer, Job], None] | None = None
    answer: Callable[[Engine, dict[str, Any]], dict[str, Any]] | None = None
    stages: tuple[str, ...] | None = None
    selector: tuple[str, str] | None = None
    screened: tuple[str, ...] = ()
    alt_codes: bool = False
    id_key: str = "taskId"
    remake: Callable[[Renderer, Job, Track], synth.Song] | None = None

    def song_of(self, renderer: Renderer, job: Job, track: Track) -> synth.Song:
        """The song of one of the job's tracks, made again: `remake`, else `render` re-run in
        remake mode (`_music.remake`)."""
        if self.remake is not None:
            return self.remake(renderer, job, track)
        assert self.render is not None, f"{self.name} is synchronous: it makes no tracks"
        return _music.remake(renderer, job, track, self.render)


OPERATIONS: dict[str, SimOp] = discover(__name__, __path__, "OP")
