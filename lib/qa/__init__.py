"""The QA scorecard of an audio file (issue 9): does the track meet what was asked of it?

One decode (`decode`), every measure (`measure.measure_file`), each judged against
`thresholds.Thresholds` into a `flags.Check` (value, ``ok`` / ``warn`` / ``fail`` / ``skip``,
words): duration, silence (`silence`), loudness and true peak (`loudness`), clipping
(`clipping`), vocals on an instrumental (`vocals`), tempo and key (`tempo_key`), lyrics
coverage of the alignment (`lyrics_coverage`), provider URLs and retention (`links`).

* `scorecard_for_file(path, Asked(...))` -> `Scorecard` (`to_dict` for JSON);
* `tracks.score_track(log, track_id, path)` / `tracks.TrackScorer` - archived tracks, kept in
  the task log (`TaskLog.save_scorecard`, `scorecard`, `scorecards`, `flags_for`);
* `thresholds.load(log)` / `thresholds.save(log, t)` - the thresholds in the log's settings;
* `media` - the QA of archived task images (size, format) and videos (length, size, frame
  rate, sound) against their request (`media.MediaScorer`, the archiver's ``on_media`` hook;
  kept with `TaskLog.save_media_qa`).

Nothing here imports Streamlit; ``python -m lib qa FILE`` is the command line (`lib.cli.qa`).
Importing the package (or `flags`, `thresholds`, `tracks`) is light: the measuring modules
(numpy, scipy, pyloudnorm) load on first use of a name that needs them, so the app's pages
and its start do not pay for them (and a process that scores nothing never holds them).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from lib.qa.flags import Check, Flag
from lib.qa.thresholds import Thresholds

if TYPE_CHECKING:
    from lib.qa.measure import Measures, measure_file
    from lib.qa.scorecard import CHECKS, Asked, Scorecard, rescore, score, scorecard_for_file

#: names loaded on first use, and their modules
_LAZY = {"Measures": "lib.qa.measure", "measure_file": "lib.qa.measure",
         **dict.fromkeys(("CHECKS", "Asked", "Scorecard", "rescore", "score",
                          "scorecard_for_file"), "lib.qa.scorecard")}

__all__ = ["CHECKS", "Asked", "Check", "Flag", "Measures", "Scorecard", "Thresholds",
           "measure_file", "rescore", "score", "scorecard_for_file"]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'lib.qa' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
