"""Scorecards of archived tracks, kept in the task log.

`asked_for_track` reads what a track was asked to be from its task's request (``instrumental``,
``style`` / ``tags`` / ``prompt`` for the tempo and key, ``duration`` else the provider's
reported length, the lyrics) and from the log (the newest timestamped-lyrics result made from
the track, a ``stem:vocals`` file separated from it). `TrackScorer` is the archiver's hook
(`lib.tracking.assets.AssetArchiver(on_audio=...)`): after a track's MP3 is stored it measures
the file (one decode), judges it under the thresholds saved in the log (`lib.qa.thresholds`)
and saves the scorecard (`TaskLog.save_scorecard`). Provider URLs are not probed there: the
archiver has just downloaded the audio from its URL, which is recorded as an answer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from lib.log import TaskLog, TaskRow, TrackRow
from lib.qa import links
from lib.qa import thresholds as qa_thresholds
from lib.qa.thresholds import Thresholds

if TYPE_CHECKING:  # `lib.qa.scorecard` loads numpy and scipy: imported where it is used
    from lib.qa.scorecard import Asked, Scorecard

_URL_FIELDS = ("audio_url", "stream_audio_url", "image_url")


def _request(task: TaskRow | None) -> dict[str, Any]:
    try:
        body = json.loads((task["request_json"] if task else None) or "{}")
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        return None
    return float(value)


def asked_for_track(log: TaskLog, track: TrackRow, task: TaskRow | None) -> Asked:
    """What the track was asked to be, from its task's request and the log."""
    from lib.qa.scorecard import Asked

    request = _request(task)
    instrumental = request.get("instrumental")
    style = " ".join(str(v) for v in (request.get("style"), request.get("tags"),
                                      None if request.get("customMode") else request.get("prompt"))
                     if isinstance(v, str) and v.strip()) or track.get("tags") or None
    lyrics = track.get("lyrics") or request.get("lyrics") or (
        request.get("prompt") if request.get("customMode") else None)
    aligned = log.latest_from_track(track["id"], "timestamped_lyrics")
    alignment = None
    if aligned is not None:
        try:
            alignment = json.loads(aligned.get("result_json") or "null")
        except ValueError:
            alignment = None
    return Asked(
        expected_seconds=_number(request.get("duration")) or _number(track.get("duration")),
        instrumental=instrumental if isinstance(instrumental, bool) else None,
        style=style, lyrics=lyrics if isinstance(lyrics, str) else None, alignment=alignment,
        urls={f: track[f] for f in _URL_FIELDS if track.get(f)},  # type: ignore[literal-required]
        finished_at=task["finished_at"] if task else None, archived=True)


def vocal_stem(log: TaskLog, track_id: str) -> Path | None:
    """An archived ``stem:vocals`` file separated from the track, if any."""
    for row in reversed(log.selection_rows([track_id]).files):
        if row["kind"] == "stem:vocals" and row["local_path"] and Path(row["local_path"]).is_file():
            return Path(row["local_path"])
    return None


def score_track(log: TaskLog, track_id: str, path: str | Path, *,
                downloaded_url: str | None = None, now: float | None = None) -> Scorecard:
    """Measure the track's audio file at ``path``, judge it and save the scorecard."""
    from lib.qa.scorecard import scorecard_for_file

    now = time.time() if now is None else now
    track = log.get_track(track_id)
    if track is None:
        raise LookupError(f"no track {track_id}")
    task = log.get_task(track["task_id"])
    asked = asked_for_track(log, track, task)
    if downloaded_url:
        name = next((n for n, u in asked.urls.items() if u == downloaded_url), "audio_url")
        asked.url_answers = {name: {"url": downloaded_url, "status": 200, "alive": True,
                                    "gone": False, "error": None, "when": "archived"}}
    card = scorecard_for_file(path, asked, qa_thresholds.load(log),
                              stem_path=vocal_stem(log, track_id), now=now)
    save(log, track_id, card, task_id=track["task_id"])
    return card


def save(log: TaskLog, track_id: str, card: Scorecard, task_id: str | None = None) -> None:
    """Keep ``card`` as the track's scorecard."""
    from lib.qa import words

    log.save_scorecard(track_id, card.to_dict(), worst=card.worst.value, flags=card.flags(),
                       summary=words.headline(card), thresholds_version=card.thresholds_version,
                       computed_at=card.computed_at, task_id=task_id, source=card.source)


@dataclass(frozen=True)
class Rechecked:
    """What `recheck` did: ``ok`` (a new scorecard was saved) and a sentence for people."""

    ok: bool
    message: str
    card: Scorecard | None = None


def recheck(log: TaskLog, track_id: str, *, http: httpx.Client | None = None,
            now: float | None = None) -> Rechecked:
    """Measure the track's archived audio again, probe its provider URLs (through ``http``
    when given) and save the new scorecard. Without an archived file the stored measures are
    judged again with the fresh URL answers and days left."""
    from lib.qa import words
    from lib.qa.decode import DecodeError
    from lib.qa.scorecard import rescore, scorecard_for_file

    track = log.get_track(track_id)
    if track is None:
        return Rechecked(False, "This track is not in the log.")
    now = time.time() if now is None else now
    task = log.get_task(track["task_id"])
    asked = asked_for_track(log, track, task)
    asked.url_answers = links.check_urls(asked.urls, http) if asked.urls else None
    local = track.get("local_audio_path")
    t = qa_thresholds.load(log)
    if local and Path(local).is_file():
        try:
            card = scorecard_for_file(local, asked, t, stem_path=vocal_stem(log, track_id),
                                      now=now)
        except (DecodeError, OSError, ValueError) as exc:
            return Rechecked(False, f"The archived audio could not be read ({exc}); the "
                             "scorecard was kept as it was.")
    else:
        old = load(log, track_id)
        if old is None:
            return Rechecked(False, "No archived audio for this track yet: nothing to check.")
        old.asked = asked
        card = rescore(old, t, now=now)
    save(log, track_id, card, task_id=track["task_id"])
    return Rechecked(True, f"Checked again: {words.headline(card)}", card)


def rescore_all(log: TaskLog, thresholds: Thresholds, *, batch: int = 200) -> int:
    """Judge every stored scorecard again under ``thresholds`` from its stored measures (no
    audio decoded); returns how many were saved."""
    from lib.qa.scorecard import Scorecard, rescore

    ids = log.qa_track_ids()
    done = 0
    for start in range(0, len(ids), batch):
        for track_id, row in log.scorecards(ids[start:start + batch]).items():
            card = rescore(Scorecard.from_dict(json.loads(row["scorecard_json"])), thresholds)
            save(log, track_id, card, task_id=row["task_id"])
            done += 1
    return done


def load(log: TaskLog, track_id: str) -> Scorecard | None:
    """The track's saved scorecard, or None."""
    from lib.qa.scorecard import Scorecard

    row = log.scorecard(track_id)
    return None if row is None else Scorecard.from_dict(json.loads(row["scorecard_json"]))


class TrackScorer:
    """The archiver's hook: score every track MP3 it stores (`score_track`)."""

    def __init__(self, log: TaskLog) -> None:
        self.log = log
        #: seconds spent scoring, and how many tracks (for figures)
        self.seconds = 0.0
        self.count = 0

    def __call__(self, track_id: str, path: Path, url: str | None) -> None:
        started = time.perf_counter()
        try:
            score_track(self.log, track_id, path, downloaded_url=url)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1
