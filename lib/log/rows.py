"""The rows the task log hands out, typed: plain dicts at run time, `TypedDict`s for mypy.

Every row is a dict (``row["state"]``, ``row.get("title")`` keep working); JSON columns stay
JSON text (``request_json``, ``result_json``, ``headers_json``, ``body_json``); timestamps are
epoch seconds (float, UTC). Column meanings are in `lib.log.sqlite.migrations`.
"""

from __future__ import annotations

from enum import Enum
from typing import Any, NamedTuple, TypedDict


class AssetStatus(str, Enum):
    """Where the download of one result file stands (``assets.status``)."""

    #: recorded from a poll answer, not downloaded yet
    PENDING = "pending"
    #: archived: ``local_path`` holds the file
    DONE = "done"
    #: the last download failed; retried at ``next_try_at``
    ERROR = "error"
    #: gave up after too many attempts (the provider URL may still work)
    FAILED = "failed"


class EventKind(str, Enum):
    """What one ``events`` row records."""

    #: a request we sent to the provider (headers redacted)
    REQUEST = "request"
    #: the provider's answer to a request
    RESPONSE = "response"
    #: a failure: transport, provider error, a poll that could not be read, a failed download
    ERROR = "error"
    #: one poll answer (``note`` is the provider's raw status)
    POLL = "poll"
    #: a callback the provider POSTed to us (accepted or rejected)
    CALLBACK = "callback"
    #: our lifecycle state changed (``note`` is ``"old -> new"``)
    STATE = "state"
    #: a result file was archived locally
    ASSET = "asset"


class ExperimentStatus(str, Enum):
    """Where an experiment's queue stands (``experiments.status``)."""

    #: its queued cells are sent as the provider's limit allows
    RUNNING = "running"
    #: nothing more is sent until it is resumed (tasks already sent keep going)
    PAUSED = "paused"
    #: its queued cells were dropped (tasks already sent keep going)
    CANCELLED = "cancelled"
    #: every cell was sent
    DONE = "done"


class CellStatus(str, Enum):
    """Where one queued create stands (``experiment_cells.status``)."""

    #: waiting for its turn
    QUEUED = "queued"
    #: claimed by a sender: its task id is chosen, the task row may or may not exist yet
    SENDING = "sending"
    #: its task row exists: from here on the task's own lifecycle applies
    SENT = "sent"
    #: dropped before it was sent
    CANCELLED = "cancelled"


class TaskRow(TypedDict):
    """One create request (``tasks``), written before the POST."""

    id: str
    provider_task_id: str | None
    op: str
    family: str
    #: the API family whose adapter sends and polls it (``music`` for rows older than m010)
    provider: str
    dialect: str | None
    base_url: str | None
    model: str | None
    title: str | None
    prompt: str | None
    request_json: str | None
    parent_task_id: str | None
    source_audio_id: str | None
    state: str
    raw_status: str | None
    stage: str | None
    error_code: int | str | None
    error_message: str | None
    created_at: float
    submitted_at: float | None
    updated_at: float
    finished_at: float | None
    next_poll_at: float | None
    poll_count: int
    poll_misses: int
    last_polled_at: float | None
    result_json: str | None
    experiment_id: str | None
    variant: str | None
    repeat_no: int | None
    text_at: float | None
    first_audio_at: float | None


class ExperimentRow(TypedDict):
    """One prompt experiment (``experiments``); ``status`` is an `ExperimentStatus` value."""

    id: str
    name: str
    notes: str | None
    op: str
    base_json: str | None
    axes_json: str | None
    repeats: int | None
    status: str
    parent_id: str | None
    created_at: float
    updated_at: float


class CellRow(TypedDict):
    """One queued create of an experiment (``experiment_cells``), a `CellStatus` value."""

    id: int
    experiment_id: str
    seq: int
    variant: str
    repeat_no: int
    body_json: str
    status: str
    task_id: str | None
    queued_at: float
    claimed_at: float | None
    sent_at: float | None


class ClaimedCell(CellRow):
    """A cell claimed for sending, with its experiment's operation."""

    op: str


class CellRef(NamedTuple):
    """Which experiment cell a new task is (`TaskLog.create_task(cell=...)`)."""

    cell_id: int
    experiment_id: str
    variant: str
    repeat_no: int


class CallbackDelivery(NamedTuple):
    """One callback to record (`TaskLog.record_callbacks`), as the callback route received it.

    ``make_due`` / ``reached`` are the tracker's re-read rule for its type
    (`lib.tracking.tracker.rereads`): whether it asks for a re-read at all, and the task stages
    at which a poll already read what it announces. ``copies`` counts identical deliveries of
    one batch coalesced into this one."""

    provider_task_id: str
    local_id: str | None
    headers: dict | None
    body: Any
    note: str
    make_due: bool = True
    reached: tuple[str, ...] = ()
    copies: int = 1


class CallbackRecorded(NamedTuple):
    """What `TaskLog.record_callbacks` did with one delivery: the task it names (None: no task
    of ours), whether that task is due for a re-read, whether the delivery linked it, and
    whether this delivery made it due at once (not later, after the re-read gap, nor sharing
    a re-read asked for before: then the tracker loop need not wake)."""

    task_id: str | None
    due: bool
    linked: bool
    due_now: bool = False


class TrackRow(TypedDict):
    """One song (``tracks``), keyed by the provider audio id, with the user's rating/notes."""

    id: str
    task_id: str
    idx: int
    title: str | None
    tags: str | None
    lyrics: str | None
    model_name: str | None
    duration: float | None
    audio_url: str | None
    stream_audio_url: str | None
    image_url: str | None
    local_audio_path: str | None
    local_image_path: str | None
    create_time: str | None
    rating: int | None
    notes: str | None


class LibraryTrackRow(TrackRow):
    """A track with the task facts the Library lists and filters on: what was asked, and which
    experiment cell (variant, repeat) asked it."""

    task_op: str
    task_model: str | None
    task_state: str
    task_created_at: float
    task_prompt: str | None
    task_experiment_id: str | None
    task_variant: str | None
    task_repeat_no: int | None


class SelectionTrackRow(LibraryTrackRow):
    """A selected track, plus its task's provider id (for export)."""

    provider_task_id: str | None


class AssetRow(TypedDict):
    """One downloadable result file (``assets``); ``status`` is an `AssetStatus` value."""

    id: int
    task_id: str
    track_id: str | None
    kind: str
    url: str | None
    local_path: str | None
    content_type: str | None
    bytes: int | None
    status: str
    error: str | None
    attempts: int
    next_try_at: float | None
    created_at: float
    downloaded_at: float | None


class TrackFileRow(TypedDict):
    """An archived file made from a track (by its own task or another: WAV, stems, MP4)."""

    track_id: str
    kind: str
    local_path: str | None


class QaRow(TypedDict):
    """The QA scorecard of one track (``qa``); ``scorecard_json`` is `lib.qa.Scorecard`'s
    ``to_dict`` as JSON, ``flags_json`` its ``{check: flag}``."""

    track_id: str
    task_id: str | None
    source: str | None
    worst: str
    flags_json: str | None
    summary: str | None
    scorecard_json: str
    computed_at: float
    thresholds_version: str | None


class MediaQaRow(TypedDict):
    """The QA of one archived task image or video (``media_qa``, `lib.qa.media`): ``summary``
    is the line shown on the task, ``measures_json`` the verdict's ``to_dict`` (measures, what
    was asked, mismatches)."""

    asset_id: int
    task_id: str
    kind: str
    source: str | None
    worst: str
    summary: str
    measures_json: str
    computed_at: float


class QaFlags(TypedDict):
    """What the board and the Library show of a scorecard (`TaskLog.flags_for`)."""

    worst: str
    flags: dict[str, str]
    summary: str | None
    computed_at: float


class EventRow(TypedDict):
    """One raw log entry (``events``); ``kind`` is an `EventKind` value."""

    id: int
    task_id: str | None
    at: float
    kind: str
    method: str | None
    url: str | None
    status_code: int | None
    elapsed_ms: float | None
    note: str | None
    headers_json: str | None
    body_json: str | None


class BoardRows(NamedTuple):
    """What the board needs besides a page of tasks (`TaskLog.board_rows`)."""

    #: the tasks' tracks, by task then provider order
    tracks: list[TrackRow]
    #: the tasks' own files, plus archived files other tasks made from their tracks
    assets: list[AssetRow]
    #: ``{source audio id: track title}`` for tasks started from a track
    source_titles: dict[str, str | None]


class SelectionRows(NamedTuple):
    """Selected tracks and the archived files made from them (`TaskLog.selection_rows`)."""

    #: the selected tracks that exist, in no particular order
    tracks: list[SelectionTrackRow]
    #: archived files made from them by other tasks (WAV, stems, MP4), oldest first
    files: list[TrackFileRow]


# -- blind A/B listening and review (migration m008_review) ------------------------------------
class ReviewAction(str, Enum):
    """One entry of a take's review history (``track_reviews.action``)."""

    #: the take may be used (e.g. reaches demo mode); counts as usable in experiment results
    APPROVE = "approve"
    #: the take must not be used
    REJECT = "reject"
    #: someone should look at the take again (a question, a suspected problem)
    FLAG = "flag"
    #: a moderation note: kept in the history, changes no decision
    NOTE = "note"


class TrialChoice(str, Enum):
    """What a reviewer answered for one blind pair (``ab_trials.choice``)."""

    A = "a"
    B = "b"
    #: no preference between the two takes
    NONE = "none"


class ABSessionRow(TypedDict):
    """One blind A/B comparison of two sets of takes (``ab_sessions``)."""

    id: str
    token: str
    name: str
    x_label: str
    y_label: str
    source_json: str | None
    pairing: str
    seed: int
    created_at: float


class ABPairRow(TypedDict):
    """One take of set X against one of set Y (``ab_pairs``), with their loudness (LUFS)."""

    id: int
    session_id: str
    seq: int
    x_track_id: str
    y_track_id: str
    x_lufs: float | None
    y_lufs: float | None


class ABTrialRow(TypedDict):
    """One pair as one reviewer hears it (``ab_trials``); ``choice`` is a `TrialChoice` value
    once answered, else None."""

    id: int
    session_id: str
    pair_id: int
    reviewer: str
    reviewer_no: int
    position: int
    token: str
    x_is_a: int
    a_track_id: str
    b_track_id: str
    a_gain_db: float
    b_gain_db: float
    choice: str | None
    preferred_track_id: str | None
    reason: str | None
    created_at: float
    answered_at: float | None


class TrackReviewRow(TypedDict):
    """One review decision or note on a take (``track_reviews``), a `ReviewAction` value."""

    id: int
    track_id: str
    action: str
    reason: str | None
    reviewer: str | None
    at: float


class UploadRow(TypedDict):
    """An audio file uploaded as a source, with its attestation (``uploads``)."""

    id: int
    file_name: str
    name: str | None
    bytes: int | None
    url: str | None
    via: str | None
    local_path: str | None
    attested: int
    statement: str | None
    attested_at: float | None
    created_at: float


# -- demo-mode playlists (migration m009_playlists) ---------------------------------------------
class PlaylistRow(TypedDict):
    """One demo-mode playlist (``playlists``); ``slug`` is the share link's random part."""

    id: int
    slug: str
    title: str
    subtitle: str | None
    notes: str | None
    created_at: float
    updated_at: float


class PlaylistItemRow(TypedDict):
    """One take in a playlist (``playlist_items``), at ``position`` (0 first)."""

    playlist_id: int
    track_id: str
    position: int
    note: str | None


# -- route recipes (migration m011_recipes) ---------------------------------------------------
class RecipeRunRow(TypedDict):
    """One run of a route recipe (``recipe_runs``): ``status`` running | succeeded | failed |
    cancelled."""

    id: str
    recipe: str
    brief: str | None
    params_json: str | None
    status: str
    error: str | None
    created_at: float
    updated_at: float
    finished_at: float | None


class RecipeStepRow(TypedDict):
    """One step of a run (``recipe_steps``): its current attempt's ``task_id`` (None until
    claimed), earlier attempts' task ids in ``tried_json``."""

    run_id: str
    step: str
    seq: int
    attempt: int
    task_id: str | None
    claimed_at: float | None
    error: str | None
    tried_json: str | None
    choice_json: str | None
    outputs_json: str | None
    updated_at: float
