"""Review decisions on takes: approve, reject or flag a take (with a reason and a reviewer
name), and moderation notes. The history is kept (`TaskLog.add_review`, append-only); a take's
status is its latest decision (`TaskLog.latest_reviews`); notes change no status. Only
approved takes reach a demo mode (`TaskLog.approved_tracks`), and an approved take counts as
usable in experiment results (`lib.experiments.results`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from lib.log import ReviewAction, TaskLog, TrackReviewRow

#: the words the pages use for each action (as a status: "Approved"...)
ACTIONS = {ReviewAction.APPROVE.value: "Approve", ReviewAction.REJECT.value: "Reject",
           ReviewAction.FLAG.value: "Flag", ReviewAction.NOTE.value: "Add a note"}
STATUS_WORDS = {ReviewAction.APPROVE.value: "Approved", ReviewAction.REJECT.value: "Rejected",
                ReviewAction.FLAG.value: "Flagged"}
#: actions that need a reason
NEEDS_REASON = {ReviewAction.REJECT.value, ReviewAction.FLAG.value, ReviewAction.NOTE.value}


BADGES = {"approve": "✔ approved", "reject": "✖ rejected", "flag": "⚑ flagged"}


def badge(row: Any) -> str:
    """A take's latest decision as a badge: "✔ approved", "✖ rejected", "⚑ flagged: reason"
    ("" without a decision)."""
    if not row:
        return ""
    text = BADGES.get(row["action"], "")
    if row["action"] == "flag" and row.get("reason"):
        text += f": {row['reason']}"
    return text


class ReviewRefused(ValueError):
    """The decision cannot be stored as given; ``str()`` is for the user."""


def decide(log: TaskLog, track_id: str, action: str, *, reviewer: str | None,
           reason: str | None = None, now: float | None = None) -> int:
    """Store a decision or note; a reviewer name is always required, a reason for a
    rejection, a flag or a note."""
    if action not in ACTIONS:
        raise ReviewRefused(f"unknown review action {action!r}")
    reviewer = " ".join((reviewer or "").split())[:60]
    reason = (reason or "").strip() or None
    if not reviewer:
        raise ReviewRefused("Your name is required to review a take.")
    if action in NEEDS_REASON and not reason:
        raise ReviewRefused("A note needs some text." if action == ReviewAction.NOTE.value
                             else f"Say why you {ACTIONS[action].lower()} this take.")
    if log.get_track(track_id) is None:
        raise ReviewRefused(f"No take has the id {track_id}.")
    return log.add_review(track_id, action, reason=reason, reviewer=reviewer, now=now)


def statuses(log: TaskLog, track_ids: Sequence[str]) -> dict[str, str]:
    """``{track id: approve | reject | flag}`` for the takes that have a decision."""
    return {tid: row["action"] for tid, row in log.latest_reviews(track_ids).items()}


def status_line(row: TrackReviewRow | None) -> str | None:
    """"Approved by Ana: clean mix" or None."""
    if row is None:
        return None
    who = f" by {row['reviewer']}" if row.get("reviewer") else ""
    why = f": {row['reason']}" if row.get("reason") else ""
    return f"{STATUS_WORDS.get(row['action'], row['action'])}{who}{why}"
