"""`Scorecard`: every QA check of one audio file, each a value and a flag (`lib.qa.flags`).

`measure_file` (`lib.qa.measure`) decodes the file once and measures everything; `score` judges
those `Measures` against what was asked (`Asked`: the expected duration, instrumental or not,
the style text, the lyrics and their alignment, the provider URLs and when the task finished)
and the `Thresholds`. A stored scorecard keeps its measures, so `rescore` flags it again under
other thresholds without the audio.

Checks, in order: ``duration``, ``leading_silence``, ``trailing_silence``, ``gaps``,
``loudness``, ``true_peak``, ``clipping``, ``vocals``, ``tempo``, ``key``, ``lyrics``,
``links``, ``retention``.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from lib.qa import clipping, links, loudness, lyrics_coverage, silence, tempo_key, vocals
from lib.qa.flags import CHECKS, Check, Flag, band, skipped, worst
from lib.qa.measure import Measures, measure_file
from lib.qa.thresholds import Thresholds
from lib.qa.words import clock, number, plain, wording

__all__ = ["CHECKS", "Asked", "Scorecard", "rescore", "score", "scorecard_for_file"]


@dataclass
class Asked:
    """What the track was asked to be and where it came from (all optional)."""

    expected_seconds: float | None = None
    instrumental: bool | None = None
    style: str | None = None
    lyrics: str | None = None
    #: the ``timestamped_lyrics`` result (or its ``alignedWords`` list)
    alignment: Any = None
    #: provider URLs by name (``audio_url``, ``image_url``...)
    urls: dict[str, str] = field(default_factory=dict)
    #: the answers of `lib.qa.links.check_urls` for ``urls`` (None: not checked)
    url_answers: dict[str, dict[str, Any]] | None = None
    #: when the provider made the files (epoch s; retention counts from here)
    finished_at: float | None = None
    #: a local copy is kept (the archive)
    archived: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"expected_seconds": self.expected_seconds, "instrumental": self.instrumental,
                "style": self.style, "lyrics": self.lyrics, "alignment": self.alignment,
                "urls": self.urls, "url_answers": self.url_answers,
                "finished_at": self.finished_at, "archived": self.archived}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Asked:
        data = data or {}
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


@dataclass
class Scorecard:
    """The checks of one file (`CHECKS` order), what they were judged against, and when."""

    source: str
    measures: Measures
    asked: Asked
    checks: dict[str, Check]
    thresholds_version: str
    computed_at: float

    @property
    def worst(self) -> Flag:
        return worst(c.flag for c in self.checks.values())

    def flags(self) -> dict[str, str]:
        """``{check: flag}`` of every check."""
        return {name: check.flag.value for name, check in self.checks.items()}

    def summary(self) -> str:
        """``"2 fail, 1 warn, 7 ok, 3 skip"`` (zero counts left out)."""
        counts = {f: 0 for f in (Flag.FAIL, Flag.WARN, Flag.OK, Flag.SKIP)}
        for check in self.checks.values():
            counts[check.flag] += 1
        return ", ".join(f"{n} {f.value}" for f, n in counts.items() if n)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: every check, the measures and what was asked."""
        return {"source": self.source, "worst": self.worst.value, "summary": self.summary(),
                "thresholds_version": self.thresholds_version, "computed_at": self.computed_at,
                "checks": {n: c.to_dict() for n, c in self.checks.items()},
                "measures": self.measures.to_dict(), "asked": self.asked.to_dict()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Scorecard:
        return cls(source=data.get("source", ""),
                   measures=Measures.from_dict(data["measures"]),
                   asked=Asked.from_dict(data.get("asked")),
                   checks={n: Check.from_dict(c) for n, c in (data.get("checks") or {}).items()},
                   thresholds_version=data.get("thresholds_version", ""),
                   computed_at=float(data.get("computed_at") or 0.0))


def judge_duration(duration: float, expected: float | None, t: Thresholds) -> Check:
    if expected is None or expected <= 0:
        return skipped(f"{duration:.1f} s long; no expected length", round(duration, 2), "s")
    off = abs(duration - expected)
    ok = max(t.duration_ok_seconds, t.duration_ok_fraction * expected)
    warn = max(t.duration_warn_seconds, t.duration_warn_fraction * expected)
    flag = band(off, ok, warn)
    return Check(round(duration, 2), flag, f"{duration:.1f} s long, expected {expected:g} s "
                 f"({duration - expected:+.1f} s)", "s", {"expected": expected})


@wording("duration")
def duration_words(name: str, check: Check) -> str:
    value, expected = number(check.value), number(check.extra.get("expected"))
    if value is not None and expected:
        return f"{clock(value)} long, asked {clock(expected)}"
    return plain(name, check)


def judge_true_peak(dbtp: float, sample_dbfs: float, t: Thresholds) -> Check:
    if not math.isfinite(dbtp):
        return skipped("silent: no peak", None, "dBTP")
    flag = band(dbtp, t.true_peak_ok, t.true_peak_warn)
    return Check(round(dbtp, 2), flag, f"true peak {dbtp:.2f} dBTP (sample peak "
                 f"{sample_dbfs:.2f} dBFS); ok up to {t.true_peak_ok:g}", "dBTP",
                 {"sample_peak_dbfs": round(sample_dbfs, 2)})


@wording("true_peak")
def true_peak_words(name: str, check: Check) -> str:
    value = number(check.value)
    return f"true peak {value:+.1f} dBTP" if value is not None else plain(name, check)


def score(measures: Measures, asked: Asked | None = None, thresholds: Thresholds | None = None,
          *, source: str = "", now: float | None = None) -> Scorecard:
    """Judge ``measures`` against what was ``asked`` and the ``thresholds``."""
    asked = asked or Asked()
    t = thresholds or Thresholds()
    now = time.time() if now is None else now
    m = measures
    checks: dict[str, Check] = {"duration": judge_duration(m.duration, asked.expected_seconds, t)}
    checks.update(silence.judge(m.silence(), m.duration, t))
    checks["loudness"] = loudness.judge_loudness(m.lufs, t)
    checks["true_peak"] = judge_true_peak(m.true_peak_dbtp, m.sample_peak_dbfs, t)
    frames = round(m.duration * m.rate)
    checks["clipping"] = clipping.judge(
        m.clipped, t, runs=m.clipped_runs, level_dbfs=m.clip_level_dbfs,
        share=m.clipped / (frames * m.channels) if frames and m.channels else None,
        true_peak_dbtp=m.true_peak_dbtp, overs=m.true_peak_overs)
    checks["vocals"] = vocals.judge(asked.instrumental, m.vocal_share, m.vocal_stem_db, t)
    checks["tempo"] = tempo_key.judge_tempo(m.tempo_bpm, m.tempo_confidence, asked.style, t)
    key = _parse_key(m.key)
    checks["key"] = tempo_key.judge_key(key, m.key_confidence, asked.style, t)
    checks["lyrics"] = lyrics_coverage.judge(asked.lyrics, asked.alignment, asked.instrumental,
                                             t)
    checks["links"] = links.judge_urls(asked.url_answers)
    left = links.days_left(asked.finished_at, t.retention_days, now) if asked.urls else None
    checks["retention"] = links.judge_retention(left, asked.archived, t)
    return Scorecard(source=source, measures=m, asked=asked, checks=checks,
                     thresholds_version=t.version, computed_at=now)


def rescore(card: Scorecard, thresholds: Thresholds, now: float | None = None) -> Scorecard:
    """The same measures judged again (other thresholds, or later for the retention)."""
    return score(card.measures, card.asked, thresholds, source=card.source,
                 now=card.computed_at if now is None else now)


def _parse_key(text: str | None) -> tempo_key.Key | None:
    return tempo_key.asked_key(text) if text else None


def scorecard_for_file(path: str | Path, asked: Asked | None = None,
                       thresholds: Thresholds | None = None, *,
                       stem_path: str | Path | None = None,
                       http: httpx.Client | None = None, check_links: bool = False,
                       now: float | None = None) -> Scorecard:
    """Decode ``path`` once, measure and judge it. With ``check_links`` the ``asked.urls``
    are probed (through ``http`` when given)."""
    asked = asked or Asked()
    if check_links and asked.urls:
        asked.url_answers = links.check_urls(asked.urls, http)
    measures = measure_file(path, stem_path=stem_path)
    return score(measures, asked, thresholds, source=str(path), now=now)
