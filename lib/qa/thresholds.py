"""`Thresholds`: where each QA check turns from ok to warn to fail, with defaults.

Every field has a default; `from_dict` takes any subset (unknown keys are ignored, so a newer
or older saved set still loads). `version` is a short hash of the values: every scorecard
records the version it was flagged with, so a scorecard flagged under other thresholds can be
told apart (and re-flagged from its stored values, `lib.qa.scorecard.rescore`, without decoding
the audio again).

Storage: `load` / `save` keep one set in the task log's settings store
(`TaskLog.get_setting` / `set_setting`, key ``qa.thresholds``, a JSON object) - what the
Settings page will edit. Nothing saved means the defaults.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lib.log import TaskLog

SETTING_KEY = "qa.thresholds"


@dataclass(frozen=True)
class Thresholds:
    """Limits of every check; see the README's "QA scorecard" section."""

    #: duration off the expected one by at most this fraction (and at least the seconds) is ok...
    duration_ok_fraction: float = 0.05
    duration_ok_seconds: float = 2.0
    #: ... and up to this is warn; beyond, fail
    duration_warn_fraction: float = 0.15
    duration_warn_seconds: float = 5.0
    #: silence at the start (s): ok up to, warn up to, else fail
    leading_silence_ok: float = 1.0
    leading_silence_warn: float = 3.0
    #: silence at the end (s)
    trailing_silence_ok: float = 2.0
    trailing_silence_warn: float = 6.0
    #: a silent gap (>= 1 s) inside the track is warn; one this long (s) or longer is fail
    gap_fail_seconds: float = 4.0
    #: integrated loudness (LUFS): ok inside [min_ok, max_ok], warn inside [min_warn, max_warn]
    lufs_min_ok: float = -18.0
    lufs_max_ok: float = -8.0
    lufs_min_warn: float = -24.0
    lufs_max_warn: float = -6.0
    #: true peak (dBTP): ok up to, warn up to, else fail
    true_peak_ok: float = -1.0
    true_peak_warn: float = 0.0
    #: samples in clipped runs (`lib.qa.clipping`): this many or more is warn / fail
    clipped_warn: int = 1
    clipped_fail: int = 100
    #: a track asked to be instrumental: vocal stem level (dB relative to the mix) above which
    #: it is warn / fail
    vocal_stem_warn_db: float = -40.0
    vocal_stem_fail_db: float = -25.0
    #: ... without a stem: share of active frames that look sung above which it is warn (the
    #: heuristic never fails a track)
    vocal_heuristic_warn: float = 0.3
    #: tempo off the asked one by at most this fraction is ok, up to the warn one warn
    tempo_ok_fraction: float = 0.04
    tempo_warn_fraction: float = 0.08
    #: lyrics words found in the alignment: at least ok is ok, at least warn is warn
    lyrics_ok: float = 0.9
    lyrics_warn: float = 0.7
    #: provider retention (days; contract: 15 for generated music, 14 on some routes)
    retention_days: float = 15.0
    #: days left before the provider deletes a file: at most this many is warn (0: fail)
    days_left_warn: float = 3.0

    @property
    def version(self) -> str:
        """A short hash of the values (8 hex characters)."""
        text = json.dumps(dataclasses.asdict(self), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:8]

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Thresholds:
        """Known keys with values of the right kind override the defaults; the rest is
        ignored."""
        fields = {f.name: f for f in dataclasses.fields(cls)}
        values: dict[str, Any] = {}
        for key, value in (data or {}).items():
            field = fields.get(key)
            if field is None or isinstance(value, bool) or not isinstance(value, int | float):
                continue
            values[key] = int(value) if field.type == "int" else float(value)
        return cls(**values)


def load(log: TaskLog) -> Thresholds:
    """The thresholds saved in the log, else the defaults."""
    saved = log.get_setting(SETTING_KEY)
    return Thresholds.from_dict(saved if isinstance(saved, dict) else None)


def save(log: TaskLog, thresholds: Thresholds) -> None:
    """Keep ``thresholds`` in the log (what `load` returns from then on)."""
    log.set_setting(SETTING_KEY, thresholds.to_dict())
