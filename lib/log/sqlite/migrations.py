"""The task log's schema, as ordered `sqlite_utils` migrations (set name ``songbench``).

Applied migrations are recorded in ``_sqlite_migrations``; `MIGRATIONS.apply(db)` is idempotent.
Add new migrations at the end; never edit an applied one. All timestamps are epoch seconds
(REAL, UTC). Open ``data/songbench.db`` with ``sqlite-utils`` or Datasette to explore it.

* ``tasks`` - one row per create request, written BEFORE the POST. ``id`` is our local hex id;
  ``provider_task_id`` the provider's ``taskId`` (NULL until accepted, and for ``unknown``
  outcomes); ``parent_task_id`` the provider task id the request refers to (body ``taskId``);
  ``source_audio_id`` the body ``audioId``; ``request_json`` the body as sent (never the key);
  ``state`` our lifecycle, ``raw_status``/``stage`` the provider's; ``result_json`` the
  non-file results (lyrics variants, timestamped lyrics, boosted style, persona).
* ``tracks`` - songs, keyed by the provider audio id, with the user's ``rating`` (1-5) and
  ``notes`` and the archived copies (``local_audio_path``, ``local_image_path``).
* ``assets`` - downloadable result files, unique per (task, track, kind); ``status`` is
  ``pending`` | ``done`` | ``error`` (retried at ``next_try_at``) | ``failed`` (gave up).
* ``events`` - the raw log: ``kind`` in request | response | poll | callback | state | error |
  asset, with redacted headers and the JSON body.
* ``qa`` - the QA scorecard of each track's archived audio; ``settings`` - key/value JSON
  (m007); ``media_qa`` - the QA of each archived task image or video (m012).
* ``recipe_runs`` / ``recipe_steps`` - route-recipe runs and their steps (m011).
* ``playlists`` / ``playlist_items`` - demo-mode playlists of approved takes (m009).
* ``tasks_fts`` / ``tracks_fts`` - FTS5 over tasks (title, prompt) and tracks (title, tags,
  lyrics), kept current by triggers.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("songbench")


@MIGRATIONS()
def m001_initial(db: Database) -> None:
    """Create the four tables, their indexes and the full-text indexes."""
    db.table("tasks").create(
        {
            "id": str, "provider_task_id": str, "op": str, "family": str, "dialect": str,
            "base_url": str, "model": str, "title": str, "prompt": str, "request_json": str,
            "parent_task_id": str, "source_audio_id": str, "state": str, "raw_status": str,
            "stage": str, "error_code": int, "error_message": str, "created_at": float,
            "submitted_at": float, "updated_at": float, "finished_at": float,
            "next_poll_at": float, "poll_count": int, "last_polled_at": float,
            "result_json": str,
        },
        pk="id",
        not_null={"op", "family", "state", "created_at", "updated_at", "poll_count"},
        defaults={"state": "pending", "poll_count": 0},
    )
    for columns in (["provider_task_id"], ["state"], ["created_at"], ["op"], ["model"],
                    ["next_poll_at"]):
        db.table("tasks").create_index(columns)

    db.table("tracks").create(
        {
            "id": str, "task_id": str, "idx": int, "title": str, "tags": str, "lyrics": str,
            "model_name": str, "duration": float, "audio_url": str, "stream_audio_url": str,
            "image_url": str, "local_audio_path": str, "local_image_path": str,
            "create_time": str, "rating": int, "notes": str,
        },
        pk="id",
        not_null={"task_id"},
        foreign_keys=[("task_id", "tasks", "id")],
    )
    db.table("tracks").create_index(["task_id", "idx"])
    db.table("tracks").create_index(["rating"])

    db.table("assets").create(
        {
            "id": int, "task_id": str, "track_id": str, "kind": str, "url": str,
            "local_path": str, "content_type": str, "bytes": int, "status": str, "error": str,
            "attempts": int, "next_try_at": float, "created_at": float, "downloaded_at": float,
        },
        pk="id",
        not_null={"task_id", "kind", "status", "attempts", "created_at"},
        defaults={"status": "pending", "attempts": 0},
        foreign_keys=[("task_id", "tasks", "id")],
    )
    # NULL track ids (task-level assets such as cover art) must collide too, hence IFNULL.
    db.execute("CREATE UNIQUE INDEX idx_assets_unique ON assets "
               "(task_id, IFNULL(track_id, ''), kind)")
    db.table("assets").create_index(["status", "next_try_at"])

    db.table("events").create(
        {
            "id": int, "task_id": str, "at": float, "kind": str, "method": str, "url": str,
            "status_code": int, "elapsed_ms": float, "note": str, "headers_json": str,
            "body_json": str,
        },
        pk="id",
        not_null={"at", "kind"},
    )
    db.table("events").create_index(["task_id", "at"])

    db.table("tasks").enable_fts(["title", "prompt"], create_triggers=True)
    db.table("tracks").enable_fts(["title", "tags", "lyrics"], create_triggers=True)


@MIGRATIONS()
def m002_board_indexes(db: Database) -> None:
    """Indexes the board and library need at 100k tasks: files made from a track, op+state."""
    db.table("assets").create_index(["track_id"], if_not_exists=True)
    db.table("tasks").create_index(["op", "state"], if_not_exists=True)


@MIGRATIONS()
def m003_poll_misses(db: Database) -> None:
    """``tasks.poll_misses``: polls in a row the provider answered "task not found" (404)."""
    db.table("tasks").add_column("poll_misses", int, not_null_default=0)


@MIGRATIONS()
def m004_fts_on_text_changes_only(db: Database) -> None:
    """Re-index a task or track in the full-text index only when its indexed text changes: the
    tracker updates tasks on every poll and callback (``next_poll_at``, ``poll_count``...), and
    each such update used to delete and re-insert the task's FTS row."""
    for table, columns in (("tasks", ("title", "prompt")), ("tracks", ("title", "tags", "lyrics"))):
        cols = ", ".join(f'"{c}"' for c in columns)
        old = ", ".join(f'old."{c}"' for c in columns)
        new = ", ".join(f'new."{c}"' for c in columns)
        db.execute(f'DROP TRIGGER IF EXISTS "{table}_au"')
        db.execute(
            f'CREATE TRIGGER "{table}_au" AFTER UPDATE OF {cols} ON "{table}" BEGIN\n'
            f'  INSERT INTO "{table}_fts" ("{table}_fts", rowid, {cols}) '
            f"VALUES('delete', old.rowid, {old});\n"
            f'  INSERT INTO "{table}_fts" (rowid, {cols}) VALUES (new.rowid, {new});\n'
            "END")


@MIGRATIONS()
def m005_launch_checks(db: Database) -> None:
    """``checks``: one row per launch-checklist check run (pass / fail / not run), with its
    evidence (task ids and events) and cost, so a team can attach the results to a review."""
    db.table("checks").create(
        {"id": int, "run_id": str, "check_key": str, "title": str, "status": str,
         "detail": str, "evidence_json": str, "cost": int, "provider": str,
         "started_at": float, "finished_at": float},
        pk="id", not_null={"run_id", "check_key", "status", "started_at"})
    db.table("checks").create_index(["run_id"])


@MIGRATIONS()
def m006_experiments(db: Database) -> None:
    """Prompt experiments and their queue.

    * ``tasks`` gain ``experiment_id``, ``variant`` and ``repeat_no`` (which cell of which
      experiment made them) and ``text_at`` / ``first_audio_at`` (when the task was first seen
      at the ``text`` and ``first`` stages; ``submitted_at`` and ``finished_at`` bound them).
    * ``experiments`` - a name, notes, the operation, the base request and the grid's axes
      (JSON), how many repeats, and ``status``: running | paused | cancelled | done.
    * ``experiment_cells`` - the queue: one row per (variant, repeat) with the exact body to
      send; ``status`` queued | sending | sent | cancelled; ``task_id`` is chosen when the cell
      is claimed, before the task row is written, so a restart can tell a cell that was sent
      (its task row exists) from one that was not.
    * ``rate_slots`` - the create calls of the last seconds, shared by every process and tab
      using this log, so that together they stay under the provider's limit.
    """
    tasks = db.table("tasks")
    for name, kind in (("experiment_id", str), ("variant", str), ("repeat_no", int),
                       ("text_at", float), ("first_audio_at", float)):
        tasks.add_column(name, kind)
    tasks.create_index(["experiment_id"])
    db.table("experiments").create(
        {"id": str, "name": str, "notes": str, "op": str, "base_json": str, "axes_json": str,
         "repeats": int, "status": str, "parent_id": str, "created_at": float,
         "updated_at": float},
        pk="id", not_null={"name", "op", "status", "created_at", "updated_at"})
    db.table("experiments").create_index(["created_at"])
    db.table("experiment_cells").create(
        {"id": int, "experiment_id": str, "seq": int, "variant": str, "repeat_no": int,
         "body_json": str, "status": str, "task_id": str, "queued_at": float,
         "claimed_at": float, "sent_at": float},
        pk="id", not_null={"experiment_id", "seq", "variant", "repeat_no", "body_json", "status",
                           "queued_at"},
        foreign_keys=[("experiment_id", "experiments", "id")])
    db.table("experiment_cells").create_index(["experiment_id", "seq"])
    db.table("experiment_cells").create_index(["status", "queued_at"])
    db.table("rate_slots").create({"id": int, "at": float}, pk="id", not_null={"at"})
    db.table("rate_slots").create_index(["at"])


@MIGRATIONS()
def m007_qa_scorecards(db: Database) -> None:
    """QA scorecards and a small settings store.

    * ``qa`` - one row per track (``track_id``, the provider audio id): the latest scorecard
      of its archived audio (`lib.qa`), ``scorecard_json`` (every check with its value, flag
      and words; the measures; what was asked), ``worst`` (ok | warn | fail | skip),
      ``flags_json`` (``{check: flag}``), ``summary`` ("1 fail, 2 warn, 8 ok"), the audio file
      it measured (``source``), ``computed_at`` and ``thresholds_version`` (a hash of the
      thresholds the flags were judged with).
    * ``settings`` - ``key`` -> ``value_json`` (e.g. ``qa.thresholds``), with ``updated_at``.
    """
    db.table("qa").create(
        {"track_id": str, "task_id": str, "source": str, "worst": str, "flags_json": str,
         "summary": str, "scorecard_json": str, "computed_at": float,
         "thresholds_version": str},
        pk="track_id", not_null={"worst", "scorecard_json", "computed_at"})
    db.table("qa").create_index(["worst"])
    db.table("settings").create({"key": str, "value_json": str, "updated_at": float},
                                pk="key", not_null={"updated_at"})


@MIGRATIONS()
def m008_review(db: Database) -> None:
    """Blind A/B listening sessions, review decisions on takes, and upload attestations.

    * ``ab_sessions`` - one blind comparison of two sets of takes (``x_label`` / ``y_label``:
      e.g. two variants of an experiment); ``token`` is the random, opaque part of the audio
      URLs (``/api/blind/<token>/<trial token>/<a|b>``); ``source_json`` says what the sets
      were made from; ``pairing`` is ``matched`` | ``all``; ``seed`` makes every reviewer's
      order reproducible.
    * ``ab_pairs`` - the pairs every reviewer hears: one take of X against one of Y, with both
      takes' integrated loudness (LUFS, NULL when it could not be measured).
    * ``ab_trials`` - one pair as one reviewer hears it: ``position`` in their order, which
      real take is A and which B (``x_is_a``), the gains (dB, never above 0) that level them,
      a random ``token`` for its audio URLs; once answered ``choice`` is ``a`` | ``b`` |
      ``none`` with ``preferred_track_id``, ``reason`` and ``answered_at``.
    * ``track_reviews`` - approve / reject / flag decisions and moderation notes on takes,
      with a reviewer name and a reason; append-only history, the latest decision wins.
    * ``uploads`` - every audio file uploaded as a source, with the attestation that the team
      may use it (statement, when).
    """
    db.table("ab_sessions").create(
        {"id": str, "token": str, "name": str, "x_label": str, "y_label": str,
         "source_json": str, "pairing": str, "seed": int, "created_at": float},
        pk="id", not_null={"token", "name", "x_label", "y_label", "pairing", "seed",
                           "created_at"})
    db.table("ab_sessions").create_index(["token"], unique=True)
    db.table("ab_pairs").create(
        {"id": int, "session_id": str, "seq": int, "x_track_id": str, "y_track_id": str,
         "x_lufs": float, "y_lufs": float},
        pk="id", not_null={"session_id", "seq", "x_track_id", "y_track_id"},
        foreign_keys=[("session_id", "ab_sessions", "id")])
    db.table("ab_pairs").create_index(["session_id", "seq"], unique=True)
    db.table("ab_trials").create(
        {"id": int, "session_id": str, "pair_id": int, "reviewer": str, "reviewer_no": int,
         "position": int, "token": str, "x_is_a": int, "a_track_id": str, "b_track_id": str,
         "a_gain_db": float, "b_gain_db": float, "choice": str, "preferred_track_id": str,
         "reason": str, "created_at": float, "answered_at": float},
        pk="id", not_null={"session_id", "pair_id", "reviewer", "reviewer_no", "position",
                           "token", "x_is_a", "a_track_id", "b_track_id", "created_at"},
        foreign_keys=[("session_id", "ab_sessions", "id"), ("pair_id", "ab_pairs", "id")])
    db.table("ab_trials").create_index(["session_id", "reviewer", "position"], unique=True)
    db.table("ab_trials").create_index(["token"], unique=True)
    db.table("track_reviews").create(
        {"id": int, "track_id": str, "action": str, "reason": str, "reviewer": str,
         "at": float},
        pk="id", not_null={"track_id", "action", "at"})
    db.table("track_reviews").create_index(["track_id", "at"])
    db.table("uploads").create(
        {"id": int, "file_name": str, "name": str, "bytes": int, "url": str, "via": str,
         "local_path": str, "attested": int, "statement": str, "attested_at": float,
         "created_at": float},
        pk="id", not_null={"file_name", "attested", "created_at"})
    db.table("uploads").create_index(["file_name"])


@MIGRATIONS()
def m009_playlists(db: Database) -> None:
    """Demo-mode playlists of approved takes (`lib.demo`).

    * ``playlists`` - ``slug`` is the short, random, url-safe part of the share link
      (``/demo?playlist=<slug>``); ``title``, ``subtitle`` and ``notes`` are what the
      presentation shows above its takes.
    * ``playlist_items`` - one take (``track_id``) once per playlist, at ``position`` (0 first),
      with an optional ``note`` shown beside it.
    """
    db.table("playlists").create(
        {"id": int, "slug": str, "title": str, "subtitle": str, "notes": str,
         "created_at": float, "updated_at": float},
        pk="id", not_null={"slug", "title", "created_at", "updated_at"})
    db.table("playlists").create_index(["slug"], unique=True)
    db.table("playlist_items").create(
        {"playlist_id": int, "track_id": str, "position": int, "note": str},
        pk=("playlist_id", "track_id"), not_null={"playlist_id", "track_id", "position"},
        foreign_keys=[("playlist_id", "playlists", "id")])
    db.table("playlist_items").create_index(["playlist_id", "position"])


@MIGRATIONS()
def m010_task_provider(db: Database) -> None:
    """``tasks.provider``: the API family whose adapter sends and polls the task (``music``,
    ``dashscope``, ``kling``, ``text``; every earlier row is ``music``). With ``base_url`` and
    ``dialect`` it says where the task is polled, whatever is configured later."""
    db.table("tasks").add_column("provider", str, not_null_default="music")


@MIGRATIONS()
def m011_recipes(db: Database) -> None:
    """Route recipes (`lib.recipes`): runs and their steps.

    * ``recipe_runs`` - one run of a recipe: its ``brief``, the values it was given
      (``params_json``), ``status`` (``running`` | ``succeeded`` | ``failed`` | ``cancelled``,
      derived from its steps) and when it finished.
    * ``recipe_steps`` - one row per (run, step): ``task_id`` the task of its current attempt
      (chosen when the step is claimed, before the task row is written; a claim without a task
      row older than the grace is released after a crash), ``attempt`` (1, 2 … after a retry),
      ``tried_json`` the task ids of earlier attempts, ``error`` a problem found before or after
      the task (no source to use, an answer that does not fit), ``choice_json`` what the user
      picked when the recipe asks, ``outputs_json`` what later steps use (a drafted song).
    """
    db.table("recipe_runs").create(
        {"id": str, "recipe": str, "brief": str, "params_json": str, "status": str,
         "error": str, "created_at": float, "updated_at": float, "finished_at": float},
        pk="id", not_null={"recipe", "status", "created_at", "updated_at"},
        defaults={"status": "running"})
    db.table("recipe_runs").create_index(["status"])
    db.table("recipe_runs").create_index(["created_at"])
    db.table("recipe_steps").create(
        {"run_id": str, "step": str, "seq": int, "attempt": int, "task_id": str,
         "claimed_at": float, "error": str, "tried_json": str, "choice_json": str,
         "outputs_json": str, "updated_at": float},
        pk=("run_id", "step"), not_null={"run_id", "step", "seq", "attempt", "updated_at"},
        defaults={"attempt": 1})
    db.table("recipe_steps").create_index(["task_id"])


@MIGRATIONS()
def m012_media_qa(db: Database) -> None:
    """``media_qa``: the QA of each archived task image or video (`lib.qa.media`), one row per
    asset (``asset_id``): the file it measured (``source``), ``worst`` (ok | warn | fail),
    ``summary`` (the line the task detail shows: "1328×1328 PNG (asked 1328*1328) ✓"),
    ``measures_json`` (the measures, what was asked, the mismatches) and ``computed_at``."""
    db.table("media_qa").create(
        {"asset_id": int, "task_id": str, "kind": str, "source": str, "worst": str,
         "summary": str, "measures_json": str, "computed_at": float},
        pk="asset_id", not_null={"task_id", "kind", "worst", "summary", "measures_json",
                                 "computed_at"})
    db.table("media_qa").create_index(["task_id"])
