"""Scorecards of known measures for page and view tests: the real judge (`lib.qa.score`) on
`Measures` written by hand (what a decode would have measured), saved the way the archiver saves
them (`lib.qa.tracks.save`). Decoding itself is tested in the other modules here."""

from __future__ import annotations

from lib.log import TaskLog
from lib.qa import tracks
from lib.qa.measure import Measures
from lib.qa.scorecard import Scorecard, score
from lib.qa.thresholds import load


def measures(*, duration: float = 120.0, lufs: float = -12.0, true_peak: float = -1.5,
             clipped: int = 0, gaps: tuple[tuple[float, float], ...] = (),
             leading: float = 0.2, trailing: float = 0.5) -> Measures:
    return Measures(duration=duration, rate=44100, channels=2, lufs=lufs,
                    true_peak_dbtp=true_peak, sample_peak_dbfs=min(true_peak, 0.0),
                    clipped=clipped, leading_silence=leading, trailing_silence=trailing,
                    gaps=list(gaps), tempo_bpm=118.0, tempo_confidence=0.8, key="E minor",
                    key_confidence=0.7, vocal_share=0.4)


def store(log: TaskLog, track_id: str, m: Measures | None = None, *,
          now: float | None = None) -> Scorecard:
    """Judge ``m`` for the track (what it was asked, the log's thresholds) and save it."""
    track = log.get_track(track_id)
    assert track is not None, track_id
    task = log.get_task(track["task_id"])
    asked = tracks.asked_for_track(log, track, task)
    card = score(m or measures(), asked, load(log), source=f"{track_id}.mp3", now=now)
    tracks.save(log, track_id, card, task_id=track["task_id"])
    return card


#: the clipping words of ``measures(clipped=312)`` (`problem_measures`) and
#: ``measures(clipped=50)``: 120 s of stereo, true peak -1.5 dBTP
CLIPPED_312 = "clipped: 312 samples (0.003% of the track), true peak -1.5 dBTP"
CLIPPED_50 = "clipped: 50 samples (under 0.001% of the track), true peak -1.5 dBTP"


def problem_measures() -> Measures:
    """Clipped 312 samples and a 2.1 s gap at 0:41."""
    return measures(clipped=312, gaps=((41.0, 43.1),))
