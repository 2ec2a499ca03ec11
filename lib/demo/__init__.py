"""Demo mode: read-only playlists of approved takes for stakeholders (the ``/demo`` page and
``python -m lib demo``).

* `playlists` - create, rename, add, remove, reorder and annotate playlists; `show` gives
  what the presentation needs (only approved takes whose audio is archived, and archived
  images and videos: `media_candidates`); the built-in
  "All approved takes" playlist (slug ``all``) always exists;
* `present` - the presentation as one self-contained HTML block (dark, large type, big
  players; no ids, no statuses, nothing fetched from outside the app).

Playlists live in the task log (`lib.log`, migration m009_playlists).
"""

from lib.demo.playlists import (
    ALL_SLUG, ALL_TITLE, NOTE_MAX, NOTES_MAX, SUBTITLE_MAX, TITLE_MAX, Candidate, DemoItem,
    DemoPlaylist, DemoRefused, PlaylistSummary,
    add, candidates, create, delete, edit, file_for, media_candidates, media_key, move,
    playlists, remove, reorder, set_note, share_path, show,
)

__all__ = ["ALL_SLUG", "ALL_TITLE", "NOTE_MAX", "NOTES_MAX", "SUBTITLE_MAX", "TITLE_MAX",
           "Candidate", "DemoItem", "DemoPlaylist", "DemoRefused",
           "PlaylistSummary", "add", "candidates", "create", "delete", "edit", "file_for",
           "media_candidates", "media_key", "move",
           "playlists", "remove", "reorder", "set_note", "share_path", "show"]
