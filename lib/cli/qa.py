"""``python -m lib qa FILE``: the QA scorecard of any audio file (what the archiver keeps for
every track, `lib.qa`), as a table or one JSON object.

    python -m lib qa song.mp3
    python -m lib qa song.mp3 --instrumental --style "synthwave, 120 bpm, E minor" \\
        --expected-seconds 180
    python -m lib qa song.mp3 --lyrics lyrics.txt --alignment aligned.json --json

The thresholds are those saved in the task log (``SONGBENCH_DB``, when it exists), else the
defaults. Exit codes: 0 the scorecard was printed (whatever its flags), 2 the file cannot be
read as audio (or a bad argument).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from lib.cli.common import CliError, Output, read_text, settings
from lib.log import open_log
from lib.qa import Asked, Scorecard, Thresholds, scorecard_for_file
from lib.qa import thresholds as qa_thresholds
from lib.qa.decode import DecodeError


def register(groups: Any) -> None:
    """Add the ``qa`` command to the top-level subparsers."""
    p = groups.add_parser("qa", help="the QA scorecard of an audio file",
                          description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", metavar="FILE", help="an audio file (mp3, wav, m4a, flac, ogg...)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--instrumental", action="store_true",
                   help="the track was asked to be instrumental (check for vocals)")
    p.add_argument("--style", metavar="TEXT",
                   help='the style asked, e.g. "rock, 120 bpm, E minor" (tempo and key)')
    p.add_argument("--expected-seconds", metavar="N", type=float,
                   help="the length asked (or reported by the provider)")
    p.add_argument("--lyrics", metavar="FILE", help="the lyrics (a text file; - for stdin)")
    p.add_argument("--alignment", metavar="FILE",
                   help="the timestamped-lyrics result (JSON: the answer, its data, or "
                        "alignedWords)")
    p.add_argument("--stem", metavar="FILE", help="the track's vocal stem (for --instrumental)")
    p.add_argument("--url", action="append", default=[], metavar="URL",
                   help="a provider URL of the track to check (repeatable)")
    p.set_defaults(handler=cmd_qa)


def _thresholds() -> Thresholds:
    db = Path(settings().db_path)
    return qa_thresholds.load(open_log(db)) if db.is_file() else Thresholds()


def _alignment(path: str | None) -> Any:
    if path is None:
        return None
    try:
        data = json.loads(read_text(path, "Alignment"))
    except ValueError as exc:
        raise CliError(f"Alignment {path}: not JSON ({exc}).") from None
    if isinstance(data, dict) and isinstance(data.get("data"), dict):
        data = data["data"]      # the whole answer envelope
    return data


def cmd_qa(args: argparse.Namespace) -> int:
    out = Output(args.json)
    path = Path(args.file)
    if not path.is_file():
        raise CliError(f"{path}: no such file.")
    asked = Asked(expected_seconds=args.expected_seconds,
                  instrumental=True if args.instrumental else None, style=args.style,
                  lyrics=read_text(args.lyrics, "Lyrics") if args.lyrics else None,
                  alignment=_alignment(args.alignment),
                  urls={f"url{i + 1}": u for i, u in enumerate(args.url)})
    try:
        card = scorecard_for_file(path, asked, _thresholds(), stem_path=args.stem,
                                  check_links=bool(args.url))
    except DecodeError as exc:
        raise CliError(f"{path}: {exc}") from None
    if args.json:
        out.result(json.dumps(card.to_dict(), indent=2, default=str))
    else:
        out.result(render(card))
    return 0


def render(card: Scorecard) -> str:
    """The scorecard as a table for people."""
    m = card.measures
    head = (f"{card.source}: {m.duration:.1f} s, {m.rate} Hz, {m.channels} channel(s) - "
            f"{card.worst.value.upper()} ({card.summary()})")
    width = max(len(n) for n in card.checks)
    lines = [head, ""]
    for name, check in card.checks.items():
        value = "-" if check.value is None else f"{check.value} {check.unit}".strip()
        lines.append(f"{name.ljust(width)}  {check.flag.value.upper():4s}  "
                     f"{value[:16].ljust(16)}  {check.detail}")
    lines += ["", f"thresholds {card.thresholds_version}; measured in "
              f"{m.timing.get('total_s', 0):.2f} s"]
    return "\n".join(lines)
