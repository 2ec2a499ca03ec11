"""``python -m lib tasks export``: the task log as CSV or JSON (what the board's *Export* links
give): every task of every family (music, media, text), newest first, with its request,
result, tracks, files, error and the experiment or recipe step it belongs to.

    python -m lib tasks export --format json --state failed --op qwen_image,video_i2v -o out.json
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from lib.cli.common import OK, CliError, Output, open_task_log
from lib.log import TaskFilters
from lib.views import task_export


def register(groups: Any) -> None:
    p = groups.add_parser("tasks", help="the task log: export it as CSV or JSON",
                          description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    cmds = p.add_subparsers(dest="command", metavar="COMMAND", required=True)
    export = cmds.add_parser("export", help="every task the filters match, newest first")
    export.add_argument("--format", choices=("csv", "json"), default="csv")
    export.add_argument("--state", help="states, comma separated (e.g. failed,unknown)")
    export.add_argument("--op", help="operations, comma separated (e.g. text_chat)")
    export.add_argument("--search", "-q", help="full-text search over titles and prompts")
    export.add_argument("--limit", type=int, default=task_export.MAX_ROWS)
    export.add_argument("--output", "-o", metavar="PATH", help="write here instead of stdout")
    export.set_defaults(handler=cmd_export)


def _values(text: str | None) -> list[str] | None:
    out = [v.strip() for v in (text or "").split(",") if v.strip()]
    return out or None


def cmd_export(args: argparse.Namespace) -> int:
    from lib import ops

    unknown = [o for o in _values(args.op) or [] if o not in ops.OPERATIONS]
    if unknown:
        raise CliError(f"--op {unknown[0]}: no such operation (known: "
                       f"{', '.join(ops.OPERATIONS)}).")
    _, log = open_task_log()
    filters = TaskFilters(text=(args.search or "").strip() or None, state=_values(args.state),
                          op=_values(args.op))
    rows = task_export.export_rows(log, filters, limit=max(1, args.limit))
    data = (task_export.export_csv(rows) if args.format == "csv"
            else task_export.export_json(rows))
    if args.output:
        Path(args.output).write_bytes(data)
        Output(False).note(f"{len(rows)} tasks written to {args.output}.")
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return OK
