"""Demo-mode playlists: what a stakeholder may hear, in which order, with which words.

A playlist names takes (tracks) in order, each with an optional note. What a presentation
shows is decided at read time (`show`): only takes whose latest review decision is *approve*
and whose audio is archived on this machine, so a take that stops being approved (rejected,
flagged) drops out of every playlist at once, and nothing is ever played from a provider URL.
The built-in playlist "All approved takes" (slug ``all``) always exists: every approved,
archived take, most recently approved first. It cannot be edited.

A playlist may also hold **images and videos** (an image or cover art task's picture, a video
task's video): stored beside the takes as ``media:<task id>:<asset kind>`` (`media_key`), shown
as a big picture or a video player. They have no review of their own: one is shown while its
task succeeded and its file is archived on this machine (`media_candidates`).

Every refusal is a `DemoRefused` whose text is for the user.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from lib.log import PlaylistRow, ReviewAction, TaskLog, TrackRow
from lib.views import library
from lib.views.board import op_label, rel_path
from lib.views.words import experiment_cell, first_line, tags_text

#: the built-in playlist of every approved take
ALL_SLUG = "all"
ALL_TITLE = "All approved takes"
ALL_SUBTITLE = "Every take approved for use, most recent first"
#: limits of what people type (characters)
TITLE_MAX, SUBTITLE_MAX, NOTES_MAX, NOTE_MAX = 120, 200, 2000, 500
#: how many approved takes a playlist or the picker considers at most
APPROVED_LIMIT = 500


#: a playlist item that is an image or a video, not a take: ``media:<task id>:<asset kind>``
MEDIA_PREFIX = "media:"


def media_key(item_key: str) -> str:
    """The playlist item id of an image or video (`lib.views.library.MediaItem.key`)."""
    return MEDIA_PREFIX + item_key


def is_media(item_id: str) -> bool:
    return item_id.startswith(MEDIA_PREFIX)


class DemoRefused(ValueError):
    """The change cannot be made as asked; ``str()`` says why, for the user."""


@dataclass(frozen=True)
class Candidate:
    """An approved, archived take someone may put in a playlist (words, no ids on screen;
    ``track_id`` is for the program)."""

    track_id: str
    title: str
    prompt: str | None
    variant: str | None
    duration: float | None

    @property
    def label(self) -> str:
        """"Night drive · a synthwave song about… · take 2 · variant: warm · 2:31"."""
        parts = [self.title, self.prompt, self.variant, duration_text(self.duration)]
        return " · ".join(p for p in parts if p)


@dataclass(frozen=True)
class DemoItem:
    """One take (or image, or video) as the presentation shows it."""

    number: int
    title: str
    #: the style, in words ("lo-fi, piano, rain"), or None
    detail: str | None
    note: str | None
    #: archived files, relative to the assets folder (served at ``/api/assets/<path>``); an
    #: image item's picture is its ``cover``, a video item's file its ``video``
    audio: str | None
    cover: str | None
    duration: float | None
    #: ``audio`` (a take), ``image`` or ``video``
    kind: str = "audio"
    video: str | None = None

    @property
    def duration_text(self) -> str:
        return duration_text(self.duration)


@dataclass(frozen=True)
class DemoPlaylist:
    """What the presentation needs: words and archived files only."""

    slug: str
    title: str
    subtitle: str | None
    notes: str | None
    items: list[DemoItem]
    builtin: bool = False

    @property
    def share_path(self) -> str:
        return share_path(self.slug)


@dataclass(frozen=True)
class PlaylistSummary:
    """A playlist in the manager's list."""

    slug: str
    title: str
    subtitle: str | None
    notes: str | None
    #: takes it would play now / takes stored in it (some may have lost their approval)
    playable: int
    stored: int
    builtin: bool
    track_ids: list[str]
    item_notes: dict[str, str]

    @property
    def share_path(self) -> str:
        return share_path(self.slug)


def share_path(slug: str) -> str:
    """The path part of a playlist's share link: ``/demo?playlist=<slug>``."""
    return f"/demo?playlist={quote(slug, safe='')}"


def duration_text(seconds: float | None) -> str:
    """``"2:31"``, or ``""`` when unknown."""
    if not seconds:
        return ""
    s = int(round(seconds))
    return f"{s // 60}:{s % 60:02d}"


# -- what may be shown ----------------------------------------------------------------------------
def _archived_audio(track: TrackRow, assets_dir: Path) -> str | None:
    local = track.get("local_audio_path")
    if not local or not Path(local).is_file():
        return None
    return rel_path(local, assets_dir)


def _archived_image(track: TrackRow, assets_dir: Path) -> str | None:
    local = track.get("local_image_path")
    if not local or not Path(local).is_file():
        return None
    return rel_path(local, assets_dir)


def _approved(log: TaskLog, track_ids: Sequence[str]) -> set[str]:
    return {tid for tid, row in log.latest_reviews(track_ids).items()
            if row["action"] == ReviewAction.APPROVE.value}


def _showable(log: TaskLog, track_ids: Sequence[str], assets_dir: Path
              ) -> dict[str, TrackRow | library.MediaItem]:
    """``{id: track or media item}`` of those takes that are approved and archived, and those
    images and videos that are archived (order kept)."""
    approved = _approved(log, [t for t in track_ids if not is_media(t)])
    out: dict[str, TrackRow | library.MediaItem] = {}
    for tid in track_ids:
        if is_media(tid):
            if tid not in out and (media := _media(log, tid, assets_dir)) is not None:
                out[tid] = media
            continue
        if tid in approved and tid not in out:
            track = log.get_track(tid)
            if track is not None and _archived_audio(track, assets_dir) is not None:
                out[tid] = track
    return out


def _all_approved(log: TaskLog, assets_dir: Path) -> list[TrackRow]:
    return [t for t in log.approved_tracks(limit=APPROVED_LIMIT)
            if _archived_audio(t, assets_dir) is not None]


def _title(track: TrackRow, prompt: str | None = None) -> str:
    return (track.get("title") or "").strip() or first_line(prompt, 60) or "Untitled take"


def candidates(log: TaskLog, assets_dir: str | Path) -> list[Candidate]:
    """Approved takes with archived audio, most recently approved first, described in words
    (title, the prompt's first line, which take of its task, the experiment variant)."""
    tracks = _all_approved(log, Path(assets_dir).resolve())
    facts = {r["id"]: r for r in log.selection_rows([t["id"] for t in tracks]).tracks}
    out = []
    for t in tracks:
        f = facts.get(t["id"])
        prompt = first_line(f.get("task_prompt") if f else None, 60)
        take = f"take {int(t.get('idx') or 0) + 1}"
        cell = experiment_cell(f.get("task_variant"), None) if f else None
        out.append(Candidate(t["id"], _title(t, prompt), prompt,
                             " · ".join(p for p in (take, cell) if p), t.get("duration")))
    return out


def _media(log: TaskLog, item_id: str, root: Path) -> library.MediaItem | None:
    """The archived image or video a ``media:`` item names (None when it is not, or no more)."""
    item = library.media_item(log, item_id[len(MEDIA_PREFIX):], root)
    if item is None or not item.rel_path or not (root / item.rel_path).is_file():
        return None
    return item


def media_candidates(log: TaskLog, assets_dir: str | Path,
                     limit: int = APPROVED_LIMIT) -> list[Candidate]:
    """Archived images and videos of succeeded tasks, newest first (``track_id`` is the item's
    playlist id, ``media:...``)."""
    root = Path(assets_dir).resolve()
    tasks = log.list_tasks(op=library.media_ops(), state="succeeded", limit=limit)
    out = []
    for item in library.media_items(log, tasks, root):
        if not item.rel_path or not (root / item.rel_path).is_file():
            continue
        what = "Image" if item.kind == "image" else "Video"
        out.append(Candidate(media_key(item.key), f"{what}: {item.prompt or 'Untitled'}"[:80],
                             op_label(item.op), item.variant, None))
    return out


def _media_item(n: int, item: library.MediaItem, note: str | None) -> DemoItem:
    title = first_line(item.prompt, 80) or ("Image" if item.kind == "image" else "Video")
    detail = op_label(item.op)
    if item.kind == "image":
        return DemoItem(n, title, detail, note, None, item.rel_path, None, kind="image")
    return DemoItem(n, title, detail, note, None, None, None, kind="video",
                    video=item.rel_path)


# -- reading ------------------------------------------------------------------------------------
def _items(tracks: Iterable[TrackRow | library.MediaItem], notes: dict[str, str | None],
           assets_dir: Path) -> list[DemoItem]:
    rows = list(tracks)
    titles = [_title(t) if isinstance(t, dict) else "" for t in rows]
    items = []
    for n, (t, title) in enumerate(zip(rows, titles, strict=True), start=1):
        if isinstance(t, library.MediaItem):
            items.append(_media_item(n, t, notes.get(media_key(t.key))))
            continue
        if titles.count(title) > 1:  # the two takes of a task share a title: tell them apart
            title = f"{title} (take {int(t.get('idx') or 0) + 1})"
        detail = first_line(tags_text(t.get("tags")), 120) or None
        audio = _archived_audio(t, assets_dir)
        assert audio is not None
        items.append(DemoItem(n, title, detail, notes.get(t["id"]), audio,
                              _archived_image(t, assets_dir), t.get("duration")))
    return items


def show(log: TaskLog, slug: str, assets_dir: str | Path) -> DemoPlaylist | None:
    """The presentation of the playlist ``slug`` (None when no playlist has it): its words
    and its approved, archived takes in order."""
    root = Path(assets_dir).resolve()
    if slug == ALL_SLUG:
        return DemoPlaylist(ALL_SLUG, ALL_TITLE, ALL_SUBTITLE, None,
                            _items(_all_approved(log, root), {}, root), builtin=True)
    row = log.get_playlist(slug)
    if row is None:
        return None
    stored = log.playlist_items(row["id"])
    shown = _showable(log, [i["track_id"] for i in stored], root)
    notes = {i["track_id"]: i["note"] for i in stored}
    return DemoPlaylist(row["slug"], row["title"], row["subtitle"], row["notes"],
                        _items(shown.values(), notes, root))


def file_for(log: TaskLog, slug: str, number: int, kind: str,
             assets_dir: str | Path) -> str | None:
    """The archived file (relative to the assets folder) of the ``number``-th take (1-based)
    the playlist ``slug`` shows now, ``kind`` ``audio``, ``cover`` (an image item's picture
    too), ``image`` or ``video``; None when there is none."""
    playlist = show(log, slug, assets_dir)
    if playlist is None or not 1 <= number <= len(playlist.items):
        return None
    item = playlist.items[number - 1]
    image = item.cover if item.kind == "image" else None
    return {"audio": item.audio, "cover": item.cover, "image": image,
            "video": item.video}.get(kind)


def playlists(log: TaskLog, assets_dir: str | Path) -> list[PlaylistSummary]:
    """The built-in playlist first, then the others, most recently changed first."""
    root = Path(assets_dir).resolve()
    everything = [t["id"] for t in _all_approved(log, root)]
    out = [PlaylistSummary(ALL_SLUG, ALL_TITLE, ALL_SUBTITLE, None, len(everything),
                           len(everything), True, everything, {})]
    for row in log.list_playlists():
        stored = log.playlist_items(row["id"])
        ids = [i["track_id"] for i in stored]
        out.append(PlaylistSummary(
            row["slug"], row["title"], row["subtitle"], row["notes"],
            len(_showable(log, ids, root)), len(ids), False, ids,
            {i["track_id"]: i["note"] for i in stored if i["note"]}))
    return out


# -- changes ------------------------------------------------------------------------------------
def _text(value: str | None, field: str, limit: int, *, required: bool = False) -> str | None:
    text = " ".join((value or "").split()) if field != "Notes" else (value or "").strip()
    if required and not text:
        raise DemoRefused(f"{field} is required.")
    if len(text) > limit:
        raise DemoRefused(f"{field} is {len(text)} characters long; at most {limit} fit.")
    return text or None


def _editable(log: TaskLog, slug: str) -> PlaylistRow:
    if slug == ALL_SLUG:
        raise DemoRefused(f"“{ALL_TITLE}” is built in: it always holds every approved take "
                          "and cannot be changed. Create a playlist to choose and order takes.")
    row = log.get_playlist(slug)
    if row is None:
        raise DemoRefused(f"No playlist has the link {share_path(slug)}.")
    return row


def _check_takes(log: TaskLog, track_ids: Sequence[str], root: Path) -> list[str]:
    ids = list(dict.fromkeys(track_ids))
    ok = _showable(log, ids, root)
    for tid in ids:
        if tid in ok:
            continue
        if is_media(tid):
            if library.media_item(log, tid[len(MEDIA_PREFIX):], root) is None:
                raise DemoRefused(f"No image or video has the id {tid[len(MEDIA_PREFIX):]}.")
            raise DemoRefused("This image or video has no archived copy on this machine yet, "
                              "so it cannot be shown offline.")
        track = log.get_track(tid)
        if track is None:
            raise DemoRefused(f"No take has the id {tid}.")
        name = f"“{_title(track)}”"
        if tid not in _approved(log, [tid]):
            raise DemoRefused(f"{name} is not approved: only approved takes can be shown "
                              "in demo mode.")
        raise DemoRefused(f"{name} has no archived audio on this machine yet, so it cannot "
                          "be played offline.")
    return ids


def create(log: TaskLog, title: str, *, assets_dir: str | Path, subtitle: str | None = None,
           notes: str | None = None, track_ids: Sequence[str] = (),
           now: float | None = None) -> PlaylistRow:
    """A new playlist of these approved, archived takes, in this order."""
    clean_title = _text(title, "Title", TITLE_MAX, required=True)
    assert clean_title is not None
    clean_sub = _text(subtitle, "Subtitle", SUBTITLE_MAX)
    clean_notes = _text(notes, "Notes", NOTES_MAX)
    ids = _check_takes(log, track_ids, Path(assets_dir).resolve())
    return log.create_playlist(title=clean_title, subtitle=clean_sub, notes=clean_notes,
                               track_ids=ids, now=now)


def edit(log: TaskLog, slug: str, *, title: str, subtitle: str | None = None,
         notes: str | None = None, now: float | None = None) -> None:
    """Rename a playlist and set its subtitle and notes."""
    row = _editable(log, slug)
    log.update_playlist(row["id"], title=_text(title, "Title", TITLE_MAX, required=True),
                        subtitle=_text(subtitle, "Subtitle", SUBTITLE_MAX),
                        notes=_text(notes, "Notes", NOTES_MAX), now=now)


def delete(log: TaskLog, slug: str) -> None:
    """Forget a playlist (its share link stops working; the takes stay)."""
    log.delete_playlist(_editable(log, slug)["id"])


def add(log: TaskLog, slug: str, track_ids: Sequence[str], *, assets_dir: str | Path,
        now: float | None = None) -> int:
    """Append approved, archived takes (those already in it stay where they are)."""
    row = _editable(log, slug)
    ids = _check_takes(log, track_ids, Path(assets_dir).resolve())
    return log.add_playlist_items(row["id"], ids, now=now)


def remove(log: TaskLog, slug: str, track_id: str, *, now: float | None = None) -> bool:
    return log.remove_playlist_item(_editable(log, slug)["id"], track_id, now=now)


def reorder(log: TaskLog, slug: str, track_ids: Sequence[str], *,
            now: float | None = None) -> None:
    log.reorder_playlist(_editable(log, slug)["id"], track_ids, now=now)


def move(log: TaskLog, slug: str, track_id: str, delta: int, *,
         now: float | None = None) -> None:
    """Move one take ``delta`` places (negative: earlier), within the playlist."""
    row = _editable(log, slug)
    ids = [i["track_id"] for i in log.playlist_items(row["id"])]
    if track_id not in ids:
        return
    old = ids.index(track_id)
    new = max(0, min(len(ids) - 1, old + delta))
    ids.insert(new, ids.pop(old))
    log.reorder_playlist(row["id"], ids, now=now)


def set_note(log: TaskLog, slug: str, track_id: str, note: str | None, *,
             now: float | None = None) -> bool:
    """The note shown beside a take in this playlist (empty clears)."""
    row = _editable(log, slug)
    return log.set_playlist_item_note(row["id"], track_id,
                                      _text(note, "The take's note", NOTE_MAX), now=now)


def hidden_reason(log: TaskLog, track_id: str) -> tuple[str, str]:
    """``(title, why)`` of a playlist take the presentation leaves out: its archived audio is
    gone (still approved) or it is no longer approved; an image or video: its archived copy
    is gone."""
    if is_media(track_id):
        return "Image or video", "no archived copy"
    track = log.get_track(track_id)
    name = (track["title"] if track else None) or "Untitled take"
    latest = log.latest_reviews([track_id]).get(track_id)
    why = ("no archived audio" if latest and latest["action"] == ReviewAction.APPROVE.value
           else "no longer approved")
    return name, why
