"""``python -m lib demo ...``: demo-mode playlists of approved takes (what the Demo page does,
`lib.demo`), each with the path of its share link.

    python -m lib demo list
    python -m lib demo create "Spring campaign" --all-approved
    python -m lib demo create "Two moods" --track TRACK_ID --track TRACK_ID --subtitle "For Acme"
    python -m lib demo show SLUG [--json]

Only approved takes whose audio is archived can be added or shown. Open the printed path on the
app (e.g. http://localhost:8501/demo?playlist=...) to present. Exit codes: 0 done, 2 refused
(an unknown playlist, a take that is not approved, a bad title).
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from typing import Any

from lib import demo
from lib.cli.common import CliError, Output, open_task_log, table
from lib.demo.playlists import duration_text


def register(groups: Any) -> None:
    """Add the ``demo`` command group to the top-level subparsers."""
    p = groups.add_parser("demo", help="demo-mode playlists of approved takes",
                          description=__doc__,
                          formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = p.add_subparsers(dest="command", metavar="COMMAND", required=True)

    c = commands.add_parser("list", help="every playlist with its share link")
    c.set_defaults(handler=cmd_list)

    c = commands.add_parser("create", help="a new playlist of approved takes")
    c.add_argument("title", metavar="TITLE")
    which = c.add_mutually_exclusive_group()
    which.add_argument("--all-approved", action="store_true",
                       help="every approved take with archived audio, newest approval first")
    which.add_argument("--track", action="append", default=[], metavar="ID",
                       help="a take (track id) to add, in order (repeatable)")
    c.add_argument("--subtitle", metavar="TEXT")
    c.add_argument("--notes", metavar="TEXT")
    c.set_defaults(handler=cmd_create)

    c = commands.add_parser("show", help="what a playlist presents now")
    c.add_argument("slug", metavar="SLUG", help=f"the link's playlist=... part ({demo.ALL_SLUG} "
                                                "for every approved take)")
    c.add_argument("--json", action="store_true", help="print one JSON object")
    c.set_defaults(handler=cmd_show)


def cmd_list(args: argparse.Namespace) -> int:
    s, log = open_task_log()
    out = Output()
    rows = [{"title": p.title, "takes": p.playable,
             "hidden": (p.stored - p.playable) or None, "link": p.share_path}
            for p in demo.playlists(log, s.assets_dir)]
    out.result(table(rows, ["title", "takes", "hidden", "link"]))
    return 0


def cmd_create(args: argparse.Namespace) -> int:
    s, log = open_task_log()
    out = Output()
    ids = ([c.track_id for c in demo.candidates(log, s.assets_dir)] if args.all_approved
           else args.track)
    try:
        row = demo.create(log, args.title, subtitle=args.subtitle, notes=args.notes,
                          track_ids=ids, assets_dir=s.assets_dir)
    except demo.DemoRefused as exc:
        raise CliError(str(exc)) from None
    count = len(log.playlist_items(row["id"]))
    out.info(f"Created “{row['title']}” with {count} take{'s' if count != 1 else ''}.")
    out.result(demo.share_path(row["slug"]))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    s, log = open_task_log()
    out = Output(json_mode=args.json)
    playlist = demo.show(log, args.slug, s.assets_dir)
    if playlist is None:
        raise CliError(f"No playlist has the link {demo.share_path(args.slug)} "
                       "(see `python -m lib demo list`).")
    if args.json:
        data = {**asdict(playlist), "share_path": playlist.share_path}
        for item in data["items"]:
            item["duration_text"] = duration_text(item["duration"])
        out.result(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    out.result(playlist.title)
    for line in (playlist.subtitle, playlist.notes):
        if line:
            out.result(line)
    out.result(f"Link: {playlist.share_path}")
    out.result("")
    if not playlist.items:
        out.result("Nothing to play yet: takes appear once they are approved.")
        return 0
    out.result(table([{"#": i.number, "title": i.title, "length": i.duration_text or None,
                       "note": i.note} for i in playlist.items],
                     ["#", "title", "length", "note"]))
    return 0
