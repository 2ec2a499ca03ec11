"""The QA thresholds on the Settings page, UI-free: every field in words with its limits,
validation with messages that name the field and the limit, and saving, which judges every
stored scorecard again from its stored measures (`lib.qa.tracks.rescore_all`; no audio is
decoded).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from lib.log import TaskLog
from lib.qa import thresholds as qa_thresholds
from lib.qa import tracks as qa_tracks
from lib.qa.thresholds import Thresholds


def _n(value: float) -> str:
    """``10000000`` -> ``"10,000,000"``, ``-0.5`` -> ``"-0.5"``."""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


@dataclass(frozen=True)
class Field:
    """One threshold: its label, unit, group, the smallest and largest value allowed."""

    name: str
    label: str
    group: str
    low: float
    high: float
    step: float
    integer: bool = False
    help: str = ""

    @property
    def limits(self) -> str:
        return f"from {_n(self.low)} to {_n(self.high)}"


FIELDS = (
    Field("duration_ok_fraction", "Length: ok off by (share)", "Length", 0, 1, 0.01,
          help="Off the asked length by this share (or the seconds below) is ok."),
    Field("duration_ok_seconds", "Length: ok off by (s)", "Length", 0, 600, 0.5),
    Field("duration_warn_fraction", "Length: warn off by (share)", "Length", 0, 1, 0.01,
          help="Beyond this share (and the seconds below) the length is a problem."),
    Field("duration_warn_seconds", "Length: warn off by (s)", "Length", 0, 600, 0.5),
    Field("leading_silence_ok", "Silence at the start: ok up to (s)", "Silence", 0, 60, 0.5),
    Field("leading_silence_warn", "Silence at the start: warn up to (s)", "Silence", 0, 60, 0.5),
    Field("trailing_silence_ok", "Silence at the end: ok up to (s)", "Silence", 0, 60, 0.5),
    Field("trailing_silence_warn", "Silence at the end: warn up to (s)", "Silence", 0, 60, 0.5),
    Field("gap_fail_seconds", "Silent gap inside: problem from (s)", "Silence", 1, 60, 0.5,
          help="Any silent gap of 1 s or more inside is worth a look; this long, a problem."),
    Field("lufs_min_ok", "Loudness: ok from (LUFS)", "Loudness", -70, 0, 0.5),
    Field("lufs_max_ok", "Loudness: ok up to (LUFS)", "Loudness", -70, 0, 0.5),
    Field("lufs_min_warn", "Loudness: warn from (LUFS)", "Loudness", -70, 0, 0.5),
    Field("lufs_max_warn", "Loudness: warn up to (LUFS)", "Loudness", -70, 0, 0.5),
    Field("true_peak_ok", "True peak: ok up to (dBTP)", "Loudness", -20, 6, 0.1),
    Field("true_peak_warn", "True peak: warn up to (dBTP)", "Loudness", -20, 6, 0.1),
    Field("clipped_warn", "Clipped samples: warn from", "Clipping", 1, 10_000_000, 1, True),
    Field("clipped_fail", "Clipped samples: problem from", "Clipping", 1, 10_000_000, 1, True),
    Field("vocal_stem_warn_db", "Vocal stem (instrumental): warn above (dB)", "Vocals", -120, 0,
          1),
    Field("vocal_stem_fail_db", "Vocal stem (instrumental): problem above (dB)", "Vocals",
          -120, 0, 1),
    Field("vocal_heuristic_warn", "Vocal-band share without a stem: warn above", "Vocals", 0,
          1, 0.05),
    Field("tempo_ok_fraction", "Tempo: ok off by (share)", "Tempo and lyrics", 0, 1, 0.01),
    Field("tempo_warn_fraction", "Tempo: warn off by (share)", "Tempo and lyrics", 0, 1, 0.01),
    Field("lyrics_ok", "Lyrics aligned: ok from (share)", "Tempo and lyrics", 0, 1, 0.05),
    Field("lyrics_warn", "Lyrics aligned: warn from (share)", "Tempo and lyrics", 0, 1, 0.05),
    Field("retention_days", "Provider keeps files (days)", "Provider files", 1, 365, 1),
    Field("days_left_warn", "Warn when days left are at most", "Provider files", 0, 365, 1),
)
BY_NAME = {f.name: f for f in FIELDS}
GROUPS = tuple(dict.fromkeys(f.group for f in FIELDS))
#: (lower, higher): the first must not be above the second
ORDER = (("duration_ok_fraction", "duration_warn_fraction"),
         ("duration_ok_seconds", "duration_warn_seconds"),
         ("leading_silence_ok", "leading_silence_warn"),
         ("trailing_silence_ok", "trailing_silence_warn"),
         ("lufs_min_warn", "lufs_min_ok"), ("lufs_min_ok", "lufs_max_ok"),
         ("lufs_max_ok", "lufs_max_warn"), ("true_peak_ok", "true_peak_warn"),
         ("clipped_warn", "clipped_fail"), ("vocal_stem_warn_db", "vocal_stem_fail_db"),
         ("tempo_ok_fraction", "tempo_warn_fraction"), ("lyrics_warn", "lyrics_ok"),
         ("days_left_warn", "retention_days"))

assert set(BY_NAME) == {f.name for f in dataclasses.fields(Thresholds)}


def current(log: TaskLog) -> dict[str, float | int]:
    """The saved thresholds (else the defaults) by field name, each of its field's type: an
    int for an integer field, else a float (a number widget formats a float field as ``%.2f``
    and warns, with a stack trace in the log, when it is handed an int such as ``3``)."""
    saved = qa_thresholds.load(log).to_dict()
    kinds = {f.name: f.integer for f in FIELDS}
    return {name: (int(value) if kinds.get(name) else float(value))
            for name, value in saved.items()}


def validate(values: Mapping[str, Any]) -> tuple[Thresholds | None, list[str]]:
    """``(thresholds, [])`` when every value is a number within its limits and the ok/warn
    pairs are in order; else ``(None, messages)``, each naming the field and the limit."""
    errors: list[str] = []
    clean: dict[str, float | int] = {}
    for f in FIELDS:
        value = values.get(f.name)
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
            errors.append(f"{f.label}: enter a number {f.limits}.")
            continue
        if not f.low <= value <= f.high:
            errors.append(f"{f.label}: {_n(value)} is out of range; allowed {f.limits}.")
            continue
        if f.integer and value != int(value):
            errors.append(f"{f.label}: {_n(value)} must be a whole number.")
            continue
        clean[f.name] = int(value) if f.integer else float(value)
    for low, high in ORDER:
        if low in clean and high in clean and clean[low] > clean[high]:
            errors.append(f"{BY_NAME[low].label} ({_n(clean[low])}) must not be above "
                          f"{BY_NAME[high].label} ({_n(clean[high])}).")
    if errors:
        return None, errors
    return Thresholds.from_dict(clean), []


@dataclass(frozen=True)
class Saved:
    ok: bool
    errors: list[str]
    rescored: int = 0
    changed: bool = False

    @property
    def message(self) -> str:
        if not self.ok:
            return "Not saved: " + " ".join(self.errors)
        if not self.changed:
            return "Nothing changed."
        noun = "scorecard" if self.rescored == 1 else "scorecards"
        return (f"Saved. {self.rescored} {noun} judged again under the new thresholds (from "
                "their stored measures; the audio was not decoded again).")


def save(log: TaskLog, values: Mapping[str, Any]) -> Saved:
    """Validate, save and re-judge every stored scorecard (`Saved`)."""
    new, errors = validate(values)
    if new is None:
        return Saved(False, errors)
    if new == qa_thresholds.load(log):
        return Saved(True, [], 0, False)
    qa_thresholds.save(log, new)
    return Saved(True, [], qa_tracks.rescore_all(log, new), True)


def reset(log: TaskLog) -> Saved:
    """Back to the defaults (and re-judge)."""
    return save(log, Thresholds().to_dict())
