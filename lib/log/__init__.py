"""The task log: every task, its tracks and files, the user's ratings and notes, raw events.

* `open_log(path) -> TaskLog` - the log the app uses (today `lib.log.sqlite.SqliteLog`);
* `TaskLog` (`lib.log.protocol`) - the interface pages, view models, the tracker and the
  archiver use; nothing outside `lib.log.sqlite` writes SQL or opens a connection;
* `TaskFilters` / `TrackFilters` (`lib.log.filters`) - what listings filter on;
* typed rows and values (`lib.log.rows`): `TaskRow`, `TrackRow`, `LibraryTrackRow`,
  `SelectionTrackRow`, `AssetRow`, `TrackFileRow`, `EventRow`, `BoardRows`, `SelectionRows`,
  `CallbackDelivery`, `CallbackRecorded`,
  `ExperimentRow`, `CellRow`, `CellRef`, `ClaimedCell`, `QaRow`, `QaFlags`, `AssetStatus`,
  `EventKind`, `ExperimentStatus`, `CellStatus`; blind A/B and review: `ABSessionRow`,
  `ABPairRow`, `ABTrialRow`, `TrackReviewRow`, `UploadRow`, `ReviewAction`, `TrialChoice`;
  demo playlists: `PlaylistRow`, `PlaylistItemRow`; images' and videos' QA: `MediaQaRow`;
* `lib.log.shared` - what every backend does alike (redaction, masking, task attribution).

Another database (e.g. PostgreSQL for teams) is a new backend package beside
`lib.log.sqlite` implementing `TaskLog`, chosen in `open_log`.
"""

from __future__ import annotations

from pathlib import Path

from lib.log.filters import TaskFilters, TrackFilters
from lib.log.protocol import TaskLog
from lib.log.rows import (
    ABPairRow, ABSessionRow, ABTrialRow, AssetRow, AssetStatus, BoardRows, CellRef, CellRow,
    CellStatus, ClaimedCell, EventKind, EventRow, ExperimentRow, ExperimentStatus,
    LibraryTrackRow, QaFlags, QaRow, ReviewAction, SelectionRows, SelectionTrackRow, TaskRow,
    TrackFileRow, TrackReviewRow, TrackRow, TrialChoice, UploadRow, RecipeRunRow, RecipeStepRow,
)
from lib.log.rows import PlaylistItemRow, PlaylistRow
from lib.log.rows import CallbackDelivery, CallbackRecorded
from lib.log.rows import MediaQaRow

__all__ = ["ABPairRow", "ABSessionRow", "ABTrialRow", "AssetRow", "AssetStatus", "BoardRows",
           "CallbackDelivery", "CallbackRecorded",
           "CellRef", "CellRow", "CellStatus", "ClaimedCell", "EventKind", "EventRow",
           "ExperimentRow", "ExperimentStatus", "LibraryTrackRow", "QaFlags", "QaRow",
           "ReviewAction", "SelectionRows", "SelectionTrackRow", "TaskFilters", "TaskLog",
           "TaskRow", "TrackFileRow", "TrackFilters", "TrackReviewRow", "TrackRow",
           "TrialChoice", "UploadRow", "open_log", "PlaylistRow", "PlaylistItemRow",
           "RecipeRunRow", "RecipeStepRow", "MediaQaRow"]


def open_log(path: str | Path) -> TaskLog:
    """Open (creating and migrating if needed) the task log stored at ``path``."""
    from lib.log.sqlite import SqliteLog

    return SqliteLog(path)
