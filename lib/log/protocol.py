"""`TaskLog`: the interface of the task log that pages, view models, the tracker and the
archiver use. `lib.log.sqlite.SqliteLog` implements it; a new backend implements it too.

Guarantees every backend keeps:

* one instance is shared by the UI threads, the tracker thread and the callback route: each
  call is its own unit of work, each write its own transaction, and concurrent writers wait
  for each other instead of failing;
* the task row is written before the create request is sent (`create_task`), and states never
  move backwards (`apply_poll`);
* our callback secret is masked in everything stored, and credentials in logged headers are
  redacted (`lib.log.shared`);
* rows are plain dicts (`lib.log.rows`); timestamps are epoch seconds (UTC); ``now`` arguments
  default to ``time.time()``.

Filters (``text``, ``op``, ``model``, ``state``, ``created_from``, ``created_to``,
``min_rating``, and ``task_id`` for tracks) are described in `lib.log.filters`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Protocol

from lib.log.filters import TaskFilters, TrackFilters, Values
from lib.log.rows import (
    ABPairRow, ABSessionRow, ABTrialRow, AssetRow, AssetStatus, BoardRows, CellRef, CellRow,
    ClaimedCell, EventRow, ExperimentRow, LibraryTrackRow, QaFlags, QaRow, SelectionRows, TaskRow,
    TrackReviewRow, TrackRow, UploadRow,
)
from lib.log.rows import CallbackDelivery, CallbackRecorded, PlaylistItemRow, PlaylistRow
from lib.log.rows import RecipeRunRow, RecipeStepRow
from lib.log.rows import MediaQaRow

if TYPE_CHECKING:
    from lib.contract.family import PollResult
    from lib.contract.states import State


class TaskLog(Protocol):
    """The task log: tasks, their tracks and files, the user's ratings and notes, raw events."""

    @property
    def location(self) -> str:
        """Where the log lives (a file path; never credentials), e.g. as a cache key."""
        ...

    # -- the task lifecycle (written by the tracker) -------------------------------------------
    def create_task(self, op: str, family: str, request: dict, *, dialect: str | None = None,
                    base_url: str | None = None, provider: str = "music",
                    model: str | None = None,
                    title: str | None = None, prompt: str | None = None,
                    parent_task_id: str | None = None, source_audio_id: str | None = None,
                    now: float | None = None, task_id: str | None = None,
                    cell: CellRef | None = None) -> str:
        """Log a new task (state ``pending``) and return its local id (32 hex chars; a new one
        unless the caller chose it, e.g. to name it in the callback URL). With ``cell`` the
        task belongs to that experiment cell (experiment, variant, repeat), and the cell is
        marked sent in the same write. ``provider``, ``base_url`` and ``dialect`` say where it
        was sent: it is polled there (`lib.provider.hub.Providers.for_task`)."""
        ...

    def get_task(self, task_id: str) -> TaskRow | None:
        """One task row, or None."""
        ...

    def find_by_provider_id(self, provider_task_id: str) -> TaskRow | None:
        """The (latest) task with this provider ``taskId``, or None."""
        ...

    def resolve_task(self, ref: str, limit: int = 10) -> list[TaskRow]:
        """The tasks an id the user typed or followed names, newest first, at most ``limit``:
        the task with this local id, else those with this provider task id, else those whose
        local id starts with ``ref`` (6 to 32 hex characters, `lib.log.filters.id_prefix`;
        any case). One row: found; several: ambiguous; none: no such task."""
        ...

    def mark_submitted(self, task_id: str, provider_task_id: str | None, *,
                       next_poll_at: float | None, now: float | None = None) -> None:
        """The provider accepted the create: store its task id and schedule the first poll."""
        ...

    def mark_unknown(self, task_id: str, message: str, *, now: float | None = None) -> bool:
        """The create was sent but its outcome is unknown: not polled, never resubmitted.
        False (and nothing changed) when a callback already linked the task to its provider
        task while the create was waiting for its answer."""
        ...

    def mark_failed(self, task_id: str, code: int | str | None, message: str, *,
                    now: float | None = None) -> None:
        """A terminal failure (e.g. the create was rejected); unlike polls this is unconditional."""
        ...

    def link_provider_id(self, task_id: str, provider_task_id: str, *,
                         now: float | None = None) -> None:
        """Attach a provider task id learned later (e.g. to an ``unknown`` task) and poll it now."""
        ...

    def expire_unsent(self, *, older_than: float, message: str,
                      now: float | None = None) -> list[str]:
        """``pending`` tasks without a provider id created before ``older_than`` (their create
        can no longer be in flight) become ``unknown`` with ``message``; returns their ids."""
        ...

    def mark_due(self, task_id: str, *, now: float | None = None) -> bool:
        """Make a pollable (non-terminal, has a provider id) task due now; False otherwise."""
        ...

    def resume(self, *, now: float | None = None) -> int:
        """After a restart: every non-terminal task with a provider id becomes due now."""
        ...

    def due_tasks(self, now: float, limit: int = 20) -> list[TaskRow]:
        """Tasks whose next poll is due, earliest first (terminal/unlinked ones never are)."""
        ...

    def record_poll_error(self, task_id: str, *, next_poll_at: float,
                          now: float | None = None) -> None:
        """A poll attempt failed (transport/5xx): count it and back off; the state is unchanged."""
        ...

    def record_poll_miss(self, task_id: str, *, next_poll_at: float,
                         now: float | None = None) -> int:
        """The provider answered "task not found": count it (like a poll error) and return how
        many polls in a row missed; any answer (`apply_poll`) resets the count."""
        ...

    def apply_poll(self, task_id: str, poll: PollResult, *, next_poll_at: float | None,
                   now: float | None = None,
                   claimed_at: Mapping[str, float] | None = None) -> tuple[State, State]:
        """Apply one poll (or synchronous) answer; returns ``(old_state, new_state)``.

        Never backwards: the state goes through `lib.contract.states.merge`, the stage through
        `merge_stage`, the raw status only changes with a non-regressing stage, and track
        fields are only filled, never blanked. A terminal task keeps everything. Reaching a
        terminal state sets ``finished_at`` and clears ``next_poll_at``. ``claimed_at`` (stage
        -> when a callback first claimed it): when this poll agrees a stage was reached, its
        ``text_at`` / ``first_audio_at`` is the claim's time (never before the submit), not the
        poll's, so skipping a re-read does not make the stage look late.
        """
        ...

    # -- listing -------------------------------------------------------------------------------
    def list_tasks(self, *, limit: int = 50, offset: int = 0, text: str | None = None,
                   op: Values = None, model: Values = None, state: Values = None,
                   created_from: float | None = None, created_to: float | None = None,
                   min_rating: int | None = None) -> list[TaskRow]:
        """Tasks newest first, filtered and paginated by the backend."""
        ...

    def count_tasks(self, *, text: str | None = None, op: Values = None, model: Values = None,
                    state: Values = None, created_from: float | None = None,
                    created_to: float | None = None, min_rating: int | None = None) -> int:
        """How many tasks `list_tasks` would page through with the same filters."""
        ...

    def list_tracks(self, *, limit: int = 50, offset: int = 0, text: str | None = None,
                    op: Values = None, model: Values = None, state: Values = None,
                    created_from: float | None = None, created_to: float | None = None,
                    min_rating: int | None = None,
                    task_id: str | None = None, qa: Values = None) -> list[LibraryTrackRow]:
        """Tracks (newest task first, then provider order) with their task's op, model,
        state, creation time, prompt and experiment cell (`LibraryTrackRow`)."""
        ...

    def count_tracks(self, *, text: str | None = None, op: Values = None, model: Values = None,
                     state: Values = None, created_from: float | None = None,
                     created_to: float | None = None, min_rating: int | None = None,
                     task_id: str | None = None, qa: Values = None) -> int:
        """How many tracks `list_tracks` would page through."""
        ...

    def tracks_for(self, task_id: str) -> list[TrackRow]:
        """A task's tracks in provider order."""
        ...

    def get_track(self, track_id: str) -> TrackRow | None:
        """One track row, or None."""
        ...

    # -- what the board and the Library read -----------------------------------------------------
    def get_tasks(self, task_ids: Sequence[str]) -> list[TaskRow]:
        """The tasks with these ids that exist (any order)."""
        ...

    def page_tasks(self, filters: TaskFilters, *, limit: int, offset: int,
                   matches: int | None = None) -> list[TaskRow]:
        """`list_tasks`, fast at any depth; pass ``matches`` (the count of these filters) when
        it is known, the backend uses it to plan the read."""
        ...

    def library_tracks(self, filters: TrackFilters, *, limit: int, offset: int,
                       matches: int | None = None) -> list[LibraryTrackRow]:
        """`list_tracks` in the Library's order (newest task, task id, provider order), fast at
        any depth; ``matches`` as in `page_tasks`."""
        ...

    def count_all_tracks(self) -> int:
        """How many tracks the log holds (no filter)."""
        ...

    def running_count(self) -> int:
        """How many tasks are ``pending`` or ``processing``."""
        ...

    def distinct_models(self) -> list[str]:
        """Every model named by a task, sorted."""
        ...

    def board_rows(self, tasks: Sequence[TaskRow], *, derived: bool | None = None) -> BoardRows:
        """The tracks and files of a page of tasks, and the titles of the tracks they started
        from. ``derived`` also returns archived files other tasks made from these tracks
        (WAV, stems, MP4); None means "when the backend can find them cheaply"."""
        ...

    def watch_list(self, states: Sequence[str], limit: int = 500) -> dict[str, str]:
        """``{task_id: state}`` of the newest ``limit`` tasks in one of ``states``."""
        ...

    def finished_among(self, task_ids: Sequence[str]) -> list[TaskRow]:
        """Those of these tasks that are ``succeeded`` or ``failed``, in finishing order."""
        ...

    def selection_rows(self, track_ids: Sequence[str]) -> SelectionRows:
        """Selected tracks with their task's facts, and the archived files made from them."""
        ...

    # -- the user's ratings and notes ------------------------------------------------------------
    def set_rating(self, track_id: str, rating: int | None) -> None:
        """Rate a track 1-5 (None clears); anything else raises `ValueError`."""
        ...

    def set_notes(self, track_id: str, notes: str | None) -> None:
        """Replace a track's free-text notes."""
        ...

    # -- result files (the archiver) -------------------------------------------------------------
    def assets_for(self, task_id: str) -> list[AssetRow]:
        """A task's assets (every status)."""
        ...

    def assets_due(self, now: float, limit: int = 20) -> list[AssetRow]:
        """Assets of succeeded tasks still to download (new, or failed and due for a retry)."""
        ...

    def update_asset(self, asset_id: int, **fields: Any) -> None:
        """Set asset columns (``status``, ``local_path``, ``bytes``, ``error``...)."""
        ...

    def save_local_asset(self, task_id: str, track_id: str | None, kind: str,
                         local_path: str | None, *, status: AssetStatus = AssetStatus.DONE,
                         content_type: str | None = None, size: int | None = None,
                         error: str | None = None, now: float | None = None) -> None:
        """Record a file we made ourselves (a track's waveform image: no provider URL),
        replacing the track's asset of that kind; ``status`` failed keeps it from being tried
        again."""
        ...

    def assets_lacking(self, kind: str, lacking: str, limit: int = 5,
                       after_id: int = 0) -> list[AssetRow]:
        """Archived (done) track assets of ``kind`` (id above ``after_id``) whose track has no
        ``lacking`` asset, in id order."""
        ...

    def set_track_local(self, track_id: str, *, audio: str | None = None,
                        image: str | None = None) -> None:
        """Record where a track's archived audio and/or image live."""
        ...

    # -- QA scorecards (`lib.qa`) and settings --------------------------------------------------
    def save_scorecard(self, track_id: str, scorecard: dict[str, Any], *, worst: str,
                       flags: dict[str, str], summary: str, thresholds_version: str,
                       computed_at: float, task_id: str | None = None,
                       source: str | None = None) -> None:
        """Keep a track's scorecard (``scorecard``: JSON-ready), replacing the one it had."""
        ...

    def scorecard(self, track_id: str) -> QaRow | None:
        """A track's scorecard row, or None."""
        ...

    def scorecards(self, track_ids: Sequence[str]) -> dict[str, QaRow]:
        """``{track_id: row}`` for those of these tracks that have a scorecard."""
        ...

    def qa_track_ids(self) -> list[str]:
        """The tracks that have a scorecard (what re-judging under new thresholds walks)."""
        ...

    def flags_for(self, track_ids: Sequence[str]) -> dict[str, QaFlags]:
        """``{track_id: {worst, flags, summary, computed_at}}`` for those of these tracks that
        have a scorecard (what the board and the Library show; no scorecard JSON parsed)."""
        ...

    def save_media_qa(self, asset_id: int, task_id: str, kind: str, *, worst: str,
                      summary: str, measures: dict[str, Any], source: str | None,
                      computed_at: float) -> None:
        """Keep the QA of one archived task image or video (`lib.qa.media`), replacing the one
        that asset had."""
        ...

    def media_qa_for(self, task_id: str) -> list[MediaQaRow]:
        """The QA rows of a task's images and videos, in asset order."""
        ...

    def latest_from_track(self, track_id: str, op: str) -> TaskRow | None:
        """The newest succeeded task of ``op`` made from this track (its ``audioId``), e.g.
        its timestamped lyrics; None when there is none."""
        ...

    def get_setting(self, key: str) -> Any:
        """A stored setting (any JSON value), or None."""
        ...

    def set_setting(self, key: str, value: Any, *, now: float | None = None) -> None:
        """Store a setting (any JSON value; None removes it)."""
        ...

    # -- events ----------------------------------------------------------------------------------
    def task_scope(self, task_id: str | None) -> AbstractContextManager[None]:
        """Attribute `log_client_event` calls made inside the block (same thread) to a task."""
        ...

    def record_callback(self, provider_task_id: str, *, local_id: str | None,
                        headers: dict | None, body: Any, note: str,
                        now: float | None = None, make_due: bool = True,
                        reached: Sequence[str] = ()) -> tuple[str | None, bool, bool]:
        """One callback delivery in one write: find the task by its provider id (or, when none
        has it, link the task ``local_id`` from the callback URL if it never learnt its provider
        id), log the delivery (headers redacted, body capped; kept even when it names no task
        of ours) and make the task due now - unless ``make_due`` is False, or the task's stage
        is already one of ``reached`` (a duplicate: the poll it asks for was made), or an
        identical delivery already asked for a re-read that no poll has made yet (the duplicate
        shares it: the task stays due as it was). A linked task is always due. Returns
        ``(task_id or None, due, linked)``."""
        ...

    def record_callbacks(self, deliveries: Sequence[CallbackDelivery], *,
                         now: float | None = None,
                         reread_gap: float = 0.0) -> list[CallbackRecorded]:
        """A batch of callback deliveries in one write (the callback route's worker), each as
        `record_callback` says (``copies`` > 1 is noted on its event), except that a task is
        made due no sooner than ``reread_gap`` seconds after its last poll (what arrives
        meanwhile shares that re-read); one answer each."""
        ...

    def record_check(self, run_id: str, check_key: str, title: str, status: str, detail: str,
                     evidence: Any, cost: int, provider: str, started_at: float,
                     finished_at: float) -> int:
        """Keep one launch-checklist result (``status``: pass / fail / not run)."""
        ...

    def check_results(self, limit: int = 200) -> list[dict[str, Any]]:
        """Launch-checklist results, newest run first (``evidence`` parsed from JSON)."""
        ...

    def log_event(self, task_id: str | None, kind: str, *, method: str | None = None,
                  url: str | None = None, status_code: int | None = None,
                  headers: dict | None = None, body: Any = None, note: str | None = None,
                  elapsed_ms: float | None = None, at: float | None = None) -> int:
        """Append one event (``kind`` an `EventKind` value; headers redacted); returns its id."""
        ...

    def log_client_event(self, event: dict) -> int:
        """`SunoClient` ``on_event`` hook: log a request/response/error for the current task."""
        ...

    def events_for(self, task_id: str, limit: int | None = None) -> list[EventRow]:
        """A task's events, oldest first."""
        ...

    def orphan_callbacks(self, limit: int = 20) -> list[EventRow]:
        """Callbacks that named no task of ours (or were not callbacks at all), newest first."""
        ...

    # -- experiments and their queue (`lib.experiments`) ----------------------------------------
    def create_experiment(self, *, name: str, op: str, base: dict[str, Any],
                          axes: Any, repeats: int,
                          cells: Sequence[tuple[str, int, dict[str, Any]]],
                          notes: str | None = None, parent_id: str | None = None,
                          status: str = "running", now: float | None = None) -> str:
        """Store an experiment and queue its cells ``(variant, repeat, body)`` in one write;
        returns its id (32 hex chars)."""
        ...

    def get_experiment(self, experiment_id: str) -> ExperimentRow | None:
        """One experiment, or None."""
        ...

    def find_experiments(self, prefix: str, limit: int = 5) -> list[ExperimentRow]:
        """Experiments whose id starts with ``prefix``, newest first."""
        ...

    def list_experiments(self, limit: int = 100) -> list[ExperimentRow]:
        """Experiments, newest first."""
        ...

    def set_experiment_status(self, experiment_id: str, status: str, *,
                              now: float | None = None) -> bool:
        """Pause (``paused``), resume (``running``) or cancel (``cancelled``: queued cells are
        dropped, sent tasks go on). False when missing, cancelled or done."""
        ...

    def add_cells(self, experiment_id: str, cells: Sequence[tuple[str, int, dict[str, Any]]],
                  *, now: float | None = None) -> int:
        """Queue more cells (re-run a variant) and set the experiment running."""
        ...

    def experiment_cells(self, experiment_id: str) -> list[CellRow]:
        """An experiment's cells in queue order."""
        ...

    def experiment_tasks(self, experiment_id: str) -> list[TaskRow]:
        """The tasks an experiment's cells made, oldest first."""
        ...

    def claim_cell(self, *, now: float | None = None) -> ClaimedCell | None:
        """Claim the oldest queued cell of a running experiment (``sending``, its task id
        chosen) in one write, or None when nothing is due."""
        ...

    def release_cell(self, cell_id: int) -> bool:
        """Put a claimed cell whose task row was never written back in the queue."""
        ...

    def recover_cells(self, *, now: float | None = None, grace: float = 60.0) -> int:
        """After a crash: claimed cells with a task row are sent; those without one, claimed
        more than ``grace`` s ago, are queued again. Returns how many changed."""
        ...

    def settle_experiments(self, *, now: float | None = None) -> list[str]:
        """Running experiments with nothing left to send become ``done``; their ids."""
        ...

    def queued_count(self) -> int:
        """Cells waiting to be sent (running experiments only)."""
        ...

    # -- route recipes (`lib.recipes`) ---------------------------------------------------------
    def create_recipe_run(self, *, recipe: str, brief: str | None, params: dict[str, Any],
                          steps: Sequence[str], now: float | None = None) -> str:
        """Store a run of ``recipe`` and its steps (in order, none claimed) in one write;
        returns its id (32 hex chars)."""
        ...

    def get_recipe_run(self, run_id: str) -> RecipeRunRow | None:
        """One run, or None."""
        ...

    def find_recipe_runs(self, prefix: str, limit: int = 5) -> list[RecipeRunRow]:
        """Runs whose id starts with ``prefix``, newest first."""
        ...

    def list_recipe_runs(self, *, status: str | None = None,
                         limit: int = 50) -> list[RecipeRunRow]:
        """Runs (of one ``status``), newest first."""
        ...

    def recipe_steps(self, run_id: str) -> list[RecipeStepRow]:
        """A run's steps in the recipe's order."""
        ...

    def recipe_step_of_task(self, task_id: str) -> RecipeStepRow | None:
        """The step a task was made for (its current or an earlier attempt), or None."""
        ...

    def recipe_links(self, task_ids: Sequence[str]) -> dict[str, tuple[str, str, str]]:
        """For the tasks made by a recipe step (any attempt): ``(run id, step, recipe)``."""
        ...

    def set_recipe_run_status(self, run_id: str, status: str, *, error: str | None = None,
                              now: float | None = None) -> bool:
        """Record a run's status (and why it failed); True when it changed."""
        ...

    def claim_recipe_step(self, run_id: str, step: str, *,
                          now: float | None = None) -> str | None:
        """Choose the task id of a step that has none (and no error) in one conditional
        write: the id, or None when another runner has it."""
        ...

    def release_recipe_step(self, run_id: str, step: str, task_id: str) -> bool:
        """Give back a claim whose task row was never written."""
        ...

    def recover_recipe_steps(self, *, now: float | None = None, grace: float = 120.0) -> int:
        """After a crash: claims without a task row older than ``grace`` s are released."""
        ...

    def update_recipe_step(self, run_id: str, step: str, *, error: str | None = None,
                           outputs: dict[str, Any] | None = None,
                           choice: Any = None, now: float | None = None) -> bool:
        """Record a step's problem (``""`` clears it), its outputs or the user's choice."""
        ...

    def retry_recipe_step(self, run_id: str, step: str, *, now: float | None = None) -> bool:
        """A new attempt of a failed (or unknown, or never sent) step; False for a step that
        succeeded, runs or waits."""
        ...

    def take_rate_slot(self, max_calls: int, period: float, *,
                       now: float | None = None) -> float:
        """One create slot of ``max_calls`` per rolling ``period`` s, shared by every process
        and tab on this log: 0 when taken, else the seconds to wait before trying again."""
        ...

    # -- blind A/B listening (`lib.review`) --------------------------------------------------------
    def create_ab_session(self, *, name: str, x_label: str, y_label: str,
                          pairs: Sequence[tuple[str, str, float | None, float | None]],
                          pairing: str, seed: int, source: Any = None,
                          now: float | None = None) -> str:
        """Store a blind session comparing the takes of set X (``x_label``) with those of set
        Y, and its pairs ``(x track id, y track id, x LUFS, y LUFS)`` in that order, in one
        write; returns its id (32 hex chars). A random opaque token for its audio URLs is
        chosen here."""
        ...

    def get_ab_session(self, session_id: str) -> ABSessionRow | None:
        """One blind session, or None."""
        ...

    def list_ab_sessions(self, limit: int = 100) -> list[ABSessionRow]:
        """Blind sessions, newest first."""
        ...

    def ab_session_by_token(self, token: str) -> ABSessionRow | None:
        """The session a shareable link's token names, or None."""
        ...

    def ab_pairs(self, session_id: str) -> list[ABPairRow]:
        """A session's pairs in their stored order."""
        ...

    def join_ab_session(self, session_id: str, reviewer: str,
                        plan: Callable[[int], Sequence[dict[str, Any]]], *,
                        now: float | None = None) -> int:
        """Give ``reviewer`` their trials, in one write: the reviewer's number is how many
        reviewers joined before (0 for the first), and ``plan(number)`` returns the trials
        (``pair_id``, ``position``, ``x_is_a``, ``a_track_id``, ``b_track_id``, ``a_gain_db``,
        ``b_gain_db``); each gets a random token for its audio URLs. A reviewer who already
        joined keeps their trials. Returns the reviewer's number."""
        ...

    def ab_trials(self, session_id: str, reviewer: str | None = None) -> list[ABTrialRow]:
        """A session's trials (one reviewer's, or everyone's by reviewer number), in order."""
        ...

    def answer_ab_trial(self, trial_id: int, choice: str, *, reason: str | None = None,
                        now: float | None = None) -> bool:
        """Record a reviewer's answer (``a``, ``b`` or ``none``; anything else raises
        `ValueError`) and which real take they preferred. False when the trial was already
        answered (the first answer stays)."""
        ...

    def blind_audio_path(self, session_token: str, trial_token: str, side: str) -> str | None:
        """The archived file a blind player's ``a`` or ``b`` plays, or None."""
        ...

    # -- review decisions on takes -----------------------------------------------------------------
    def add_review(self, track_id: str, action: str, *, reason: str | None = None,
                   reviewer: str | None = None, now: float | None = None) -> int:
        """Append a decision (``approve``, ``reject``, ``flag``) or a moderation note
        (``note``) on a take; anything else raises `ValueError`. Returns its id."""
        ...

    def review_history(self, track_id: str) -> list[TrackReviewRow]:
        """A take's decisions and notes, newest first."""
        ...

    def latest_reviews(self, track_ids: Sequence[str]) -> dict[str, TrackReviewRow]:
        """``{track id: its latest decision}`` for those of these takes that have one (notes
        are not decisions)."""
        ...

    def approved_tracks(self, limit: int = 500) -> list[TrackRow]:
        """Takes whose latest decision is ``approve``, most recently approved first (what a
        demo mode may play)."""
        ...

    # -- uploads -----------------------------------------------------------------------------------
    def record_upload(self, *, file_name: str, name: str | None, size: int | None,
                      url: str | None, via: str | None, local_path: str | None,
                      attested: bool, statement: str | None,
                      now: float | None = None) -> int:
        """Keep one upload of a source file with its attestation (the statement the user
        confirmed, and when); returns its id."""
        ...

    def uploads_named(self, file_name: str) -> list[UploadRow]:
        """The uploads of a stored file name, newest first."""
        ...

    # -- demo-mode playlists (`lib.demo`) ----------------------------------------------------------
    def create_playlist(self, *, title: str, subtitle: str | None = None,
                        notes: str | None = None, track_ids: Sequence[str] = (),
                        now: float | None = None) -> PlaylistRow:
        """Store a playlist with these takes in this order (duplicates once), under a new
        random slug (8 url-safe characters, unique); returns its row."""
        ...

    def get_playlist(self, slug: str) -> PlaylistRow | None:
        """The playlist a share link's slug names, or None."""
        ...

    def list_playlists(self, limit: int = 200) -> list[PlaylistRow]:
        """Playlists, most recently changed first."""
        ...

    def update_playlist(self, playlist_id: int, *, now: float | None = None,
                        **fields: Any) -> None:
        """Set ``title``, ``subtitle`` and/or ``notes`` (anything else raises `ValueError`)."""
        ...

    def delete_playlist(self, playlist_id: int) -> None:
        """Forget a playlist and its items (the takes stay)."""
        ...

    def playlist_items(self, playlist_id: int) -> list[PlaylistItemRow]:
        """A playlist's takes in order."""
        ...

    def add_playlist_items(self, playlist_id: int, track_ids: Sequence[str], *,
                           now: float | None = None) -> int:
        """Append takes not in the playlist yet, in this order; returns how many were added."""
        ...

    def remove_playlist_item(self, playlist_id: int, track_id: str, *,
                             now: float | None = None) -> bool:
        """Take a take out (later ones move up); False when it was not there."""
        ...

    def reorder_playlist(self, playlist_id: int, track_ids: Sequence[str], *,
                         now: float | None = None) -> None:
        """Put the playlist's takes in this order (takes not named keep their order, after)."""
        ...

    def set_playlist_item_note(self, playlist_id: int, track_id: str, note: str | None, *,
                               now: float | None = None) -> bool:
        """Set (None clears) the note shown beside a take; False when it is not there."""
        ...
