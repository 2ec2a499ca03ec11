"""`SqliteLog`'s blind A/B sessions, review decisions on takes and upload attestations
(migration m008_review).

* a session and its pairs are written in one write; a reviewer's trials are written in one
  write when they join (`join_ab_session`), their order coming from the caller's plan for the
  reviewer's number (so two reviewers joining at once never share a number);
* an answer is written once: a trial already answered keeps its answer;
* review decisions are appended, never updated: the latest decision (approve, reject, flag)
  is a take's status, notes are kept beside them;
* the blind audio route resolves ``(session token, trial token, a|b)`` to an archived file
  here, so no track id ever needs to reach the page.
"""

from __future__ import annotations

import secrets
import time
import uuid
from collections.abc import Callable, Sequence
from typing import Any, cast

from sqlite_utils import Database

from lib.log.rows import (
    ABPairRow, ABSessionRow, ABTrialRow, ReviewAction, TrackReviewRow, TrackRow, TrialChoice,
    UploadRow,
)
from lib.log.shared import to_json
from lib.log.sqlite.connection import Connections

_CHUNK = 500  # bound parameters per IN (...) list
_NOTE = ReviewAction.NOTE.value
#: the id of the latest decision (not a note) on the track ``t_id`` names
_LATEST = ("(SELECT r2.id FROM track_reviews r2 WHERE r2.track_id = {t} AND r2.action != '"
           + _NOTE + "' ORDER BY r2.at DESC, r2.id DESC LIMIT 1)")


class Review:
    """Blind A/B sessions, review decisions and upload attestations (mixed into `SqliteLog`)."""

    _db: Connections

    # -- blind A/B sessions ---------------------------------------------------------------------
    def create_ab_session(self, *, name: str, x_label: str, y_label: str,
                          pairs: Sequence[tuple[str, str, float | None, float | None]],
                          pairing: str, seed: int, source: Any = None,
                          now: float | None = None) -> str:
        now = time.time() if now is None else now
        session_id = uuid.uuid4().hex
        token = secrets.token_urlsafe(18)

        def write(db: Database) -> None:
            db.table("ab_sessions").insert({
                "id": session_id, "token": token, "name": name, "x_label": x_label,
                "y_label": y_label, "source_json": to_json(source), "pairing": pairing,
                "seed": seed, "created_at": now})
            db.table("ab_pairs").insert_all(
                ({"session_id": session_id, "seq": i, "x_track_id": x, "y_track_id": y,
                  "x_lufs": xl, "y_lufs": yl} for i, (x, y, xl, yl) in enumerate(pairs)),
                batch_size=500)

        self._db.execute_write_fn(write)
        return session_id

    def get_ab_session(self, session_id: str) -> ABSessionRow | None:
        return cast("ABSessionRow | None", self._db.query_one(
            "SELECT * FROM ab_sessions WHERE id = ?", [session_id]))

    def ab_session_by_token(self, token: str) -> ABSessionRow | None:
        return cast("ABSessionRow | None", self._db.query_one(
            "SELECT * FROM ab_sessions WHERE token = ?", [token]))

    def list_ab_sessions(self, limit: int = 100) -> list[ABSessionRow]:
        return cast("list[ABSessionRow]", self._db.query(
            "SELECT * FROM ab_sessions ORDER BY created_at DESC, id LIMIT ?", [limit]))

    def ab_pairs(self, session_id: str) -> list[ABPairRow]:
        return cast("list[ABPairRow]", self._db.query(
            "SELECT * FROM ab_pairs WHERE session_id = ? ORDER BY seq", [session_id]))

    def join_ab_session(self, session_id: str, reviewer: str,
                        plan: Callable[[int], Sequence[dict[str, Any]]], *,
                        now: float | None = None) -> int:
        now = time.time() if now is None else now

        def write(db: Database) -> int:
            row = db.execute("SELECT reviewer_no FROM ab_trials WHERE session_id = ? AND "
                             "reviewer = ? LIMIT 1", [session_id, reviewer]).fetchone()
            if row is not None:
                return int(row[0])
            number = int(db.execute("SELECT COUNT(DISTINCT reviewer) FROM ab_trials WHERE "
                                    "session_id = ?", [session_id]).fetchone()[0])
            db.table("ab_trials").insert_all(
                ({"session_id": session_id, "reviewer": reviewer, "reviewer_no": number,
                  "token": secrets.token_urlsafe(12), "created_at": now,
                  **{k: trial[k] for k in ("pair_id", "position", "x_is_a", "a_track_id",
                                           "b_track_id", "a_gain_db", "b_gain_db")}}
                 for trial in plan(number)), batch_size=500)
            return number

        return self._db.execute_write_fn(write)

    def ab_trials(self, session_id: str, reviewer: str | None = None) -> list[ABTrialRow]:
        if reviewer is None:
            return cast("list[ABTrialRow]", self._db.query(
                "SELECT * FROM ab_trials WHERE session_id = ? ORDER BY reviewer_no, position",
                [session_id]))
        return cast("list[ABTrialRow]", self._db.query(
            "SELECT * FROM ab_trials WHERE session_id = ? AND reviewer = ? ORDER BY position",
            [session_id, reviewer]))

    def answer_ab_trial(self, trial_id: int, choice: str, *, reason: str | None = None,
                        now: float | None = None) -> bool:
        now = time.time() if now is None else now
        choice = TrialChoice(choice).value
        preferred = {"a": "a_track_id", "b": "b_track_id"}.get(choice, "NULL")
        return self._db.execute_write_fn(lambda db: db.execute(
            f"UPDATE ab_trials SET choice = ?, preferred_track_id = {preferred}, reason = ?, "
            "answered_at = ? WHERE id = ? AND choice IS NULL",
            [choice, reason, now, trial_id]).rowcount == 1)

    def blind_audio_path(self, session_token: str, trial_token: str, side: str) -> str | None:
        column = {"a": "a_track_id", "b": "b_track_id"}.get(side)
        if column is None:
            return None
        row = self._db.query_one(
            "SELECT tracks.local_audio_path AS path FROM ab_trials JOIN ab_sessions "
            "ON ab_sessions.id = ab_trials.session_id JOIN tracks "
            f"ON tracks.id = ab_trials.{column} "
            "WHERE ab_sessions.token = ? AND ab_trials.token = ?", [session_token, trial_token])
        return row["path"] if row else None

    # -- review decisions ---------------------------------------------------------------------
    def add_review(self, track_id: str, action: str, *, reason: str | None = None,
                   reviewer: str | None = None, now: float | None = None) -> int:
        now = time.time() if now is None else now
        row = {"track_id": track_id, "action": ReviewAction(action).value, "reason": reason,
               "reviewer": reviewer, "at": now}
        return self._db.execute_write_fn(
            lambda db: cast(int, db.table("track_reviews").insert(row).last_pk))

    def review_history(self, track_id: str) -> list[TrackReviewRow]:
        return cast("list[TrackReviewRow]", self._db.query(
            "SELECT * FROM track_reviews WHERE track_id = ? ORDER BY at DESC, id DESC",
            [track_id]))

    def latest_reviews(self, track_ids: Sequence[str]) -> dict[str, TrackReviewRow]:
        out: dict[str, TrackReviewRow] = {}
        ids = list(dict.fromkeys(track_ids))
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start:start + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            for row in self._db.query(
                    f"SELECT r.* FROM track_reviews r WHERE r.track_id IN ({marks}) "
                    f"AND r.id = {_LATEST.format(t='r.track_id')}", chunk):
                out[row["track_id"]] = cast("TrackReviewRow", row)
        return out

    def approved_tracks(self, limit: int = 500) -> list[TrackRow]:
        return cast("list[TrackRow]", self._db.query(
            "SELECT t.* FROM tracks t JOIN track_reviews r "
            f"ON r.id = {_LATEST.format(t='t.id')} WHERE r.action = ? "
            "ORDER BY r.at DESC, r.id DESC LIMIT ?", [ReviewAction.APPROVE.value, limit]))

    # -- uploads --------------------------------------------------------------------------------
    def record_upload(self, *, file_name: str, name: str | None, size: int | None,
                      url: str | None, via: str | None, local_path: str | None,
                      attested: bool, statement: str | None,
                      now: float | None = None) -> int:
        now = time.time() if now is None else now
        row = {"file_name": file_name, "name": name, "bytes": size, "url": url, "via": via,
               "local_path": local_path, "attested": int(bool(attested)),
               "statement": statement, "attested_at": now if attested else None,
               "created_at": now}
        return self._db.execute_write_fn(
            lambda db: cast(int, db.table("uploads").insert(row).last_pk))

    def uploads_named(self, file_name: str) -> list[UploadRow]:
        return cast("list[UploadRow]", self._db.query(
            "SELECT * FROM uploads WHERE file_name = ? ORDER BY created_at DESC, id DESC",
            [file_name]))
