"""The takes of one task told apart (no Streamlit): a generate call returns two songs that often
share a title and a style, so each gets a label ("Take 2 of 2") and a line of what differs from
the other take: ``"vs Take 1: 0:12 longer, adds “female vocals”, A minor vs C major"``.

Compared (the titles are shown beside): the length (a second or more), the style tags (added
and dropped, as words), the lyrics (their first line), the key and the tempo (3 BPM or more) as
the tags name them (``"C# major"``, ``"88 bpm"``), else as the QA scorecards measured them
(`facts`). Take 1 is compared with take 2, every other take with take 1.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from lib.log import TaskLog
from lib.views.board import TaskView, TrackView
from lib.views.words import first_line, tags_text

#: at most this many added / dropped tags are named
TAGS_NAMED = 3
MIN_SECONDS = 1.0
MIN_BPM = 3.0
_KEY_TAG = re.compile(r"^[A-G](?:#|b|♯|♭)?\s*(?:major|minor|maj|min)$", re.IGNORECASE)
_BPM_TAG = re.compile(r"^(\d{2,3}(?:\.\d+)?)\s*bpm$", re.IGNORECASE)


@dataclass(frozen=True)
class Facts:
    """What the QA scorecard measured of a track (None when not known)."""

    key: str | None = None
    bpm: float | None = None


@dataclass(frozen=True)
class TakeNote:
    label: str                 # "Take 2 of 2"
    differences: str | None    # "vs Take 1: 0:12 longer, adds “female vocals”"


def _clock(seconds: float) -> str:
    s = int(round(abs(seconds)))
    return f"{s // 60}:{s % 60:02d}"


def _tags(text: str | None) -> list[str]:
    seen: dict[str, str] = {}
    for part in tags_text(text).replace(";", ",").split(","):
        word = " ".join(part.split())
        if word and word.lower() not in seen:
            seen[word.lower()] = word
    return list(seen.values())


def tag_facts(tags: Sequence[str]) -> tuple[list[str], Facts]:
    """Style tags without the key and tempo tags (``"C# major"``, ``"88 bpm"``), and those."""
    style, key, bpm = [], None, None
    for tag in tags:
        if _KEY_TAG.match(tag):
            key = key or tag
        elif (m := _BPM_TAG.match(tag)):
            bpm = bpm or float(m.group(1))
        else:
            style.append(tag)
    return style, Facts(key, bpm)


def _named(tags: Sequence[str]) -> str:
    shown = ", ".join(f"“{t}”" for t in tags[:TAGS_NAMED])
    more = len(tags) - TAGS_NAMED
    return shown + (f" and {more} more" if more > 0 else "")


def differences(take: TrackView, other: TrackView, facts: Mapping[str, Facts] | None = None,
                ) -> list[str]:
    """What ``take`` has that ``other`` has not, in words (empty when nothing differs)."""
    out: list[str] = []
    if take.duration and other.duration and abs(take.duration - other.duration) >= MIN_SECONDS:
        delta = take.duration - other.duration
        out.append(f"{_clock(delta)} {'longer' if delta > 0 else 'shorter'}")
    mine, tagged_a = tag_facts(_tags(take.tags))
    theirs, tagged_b = tag_facts(_tags(other.tags))
    lower_mine, lower_theirs = {t.lower() for t in mine}, {t.lower() for t in theirs}
    adds = [t for t in mine if t.lower() not in lower_theirs]
    drops = [t for t in theirs if t.lower() not in lower_mine]
    if adds:
        out.append(f"adds {_named(adds)}")
    if drops:
        out.append(f"without {_named(drops)}")
    mine_line, their_line = first_line(take.lyrics, 50), first_line(other.lyrics, 50)
    if mine_line and their_line and (take.lyrics or "").strip() != (other.lyrics or "").strip():
        out.append(f"other lyrics (“{mine_line}”)" if mine_line != their_line
                   else "lyrics differ further on")
    # key and tempo: as the tags name them, else as the QA scorecards measured them
    measured_a = (facts or {}).get(take.id) or Facts()
    measured_b = (facts or {}).get(other.id) or Facts()
    key_a, key_b = ((tagged_a.key, tagged_b.key) if tagged_a.key and tagged_b.key
                    else (measured_a.key, measured_b.key))
    bpm_a, bpm_b = ((tagged_a.bpm, tagged_b.bpm) if tagged_a.bpm and tagged_b.bpm
                    else (measured_a.bpm, measured_b.bpm))
    if key_a and key_b and key_a.lower() != key_b.lower():
        out.append(f"{key_a} vs {key_b}")
    if bpm_a and bpm_b and abs(bpm_a - bpm_b) >= MIN_BPM:
        out.append(f"{bpm_a:.0f} vs {bpm_b:.0f} BPM")
    return out


def take_notes(view: TaskView, facts: Mapping[str, Facts] | None = None) -> dict[str, TakeNote]:
    """``{track_id: TakeNote}`` for a task with two or more tracks (else empty)."""
    tracks = view.tracks
    if len(tracks) < 2:
        return {}
    notes = {}
    for i, track in enumerate(tracks):
        ref = 1 if i == 0 else 0
        found = differences(track, tracks[ref], facts)
        text = (f"vs Take {ref + 1}: " + ", ".join(found)) if found else \
            f"same length and style as Take {ref + 1}"
        notes[track.id] = TakeNote(f"Take {i + 1} of {len(tracks)}", text)
    return notes


def facts(log: TaskLog, track_ids: Sequence[str]) -> dict[str, Facts]:
    """Key and tempo of these tracks from their QA scorecards (tracks without one left out)."""
    out = {}
    for track_id, row in log.scorecards(list(track_ids)).items():
        try:
            measures = json.loads(row["scorecard_json"]).get("measures") or {}
        except (ValueError, AttributeError):
            continue
        bpm = measures.get("tempo_bpm")
        key = measures.get("key")
        out[track_id] = Facts(key if isinstance(key, str) else None,
                              float(bpm) if isinstance(bpm, int | float) and bpm > 0 else None)
    return out
