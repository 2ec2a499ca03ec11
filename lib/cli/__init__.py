"""Songbench from the command line: ``python -m lib <group> <command> ...``.

The commands do what the pages do, through the same library calls (the way sqlite-utils offers
the same features from Python and from its CLI), on the same settings (`lib.settings`: env
vars such as ``SONGBENCH_DB``, then ``.streamlit/secrets.toml``):

* `experiment` (`lib.cli.experiment`) - run a prompt experiment from a CSV sheet, follow it,
  list, pause, resume, cancel and export experiments.
* `qa` (`lib.cli.qa`) - the QA scorecard of any audio file.
* `demo` (`lib.cli.demo`) - demo-mode playlists of approved takes and their share links.
* `text` (`lib.cli.text`) - the text helper: the text server's models, drafts of a song, an
  image prompt or a video prompt (streamed; each call a task in the log).
* `tasks` (`lib.cli.tasks`) - the task log exported as CSV or JSON (every family).
* `recipe` (`lib.cli.recipe`) - route recipes: list them, run one (each step a task of its
  own), follow it, retry a failed step alone, answer a step that asks.

One module per command group, each with ``register(subparsers)``. Exit codes: 0 done, 1 the
command could not finish (a timeout, nothing to change, the provider unreachable), 2 refused
input (a sheet's cells, an unknown id, bad arguments), 130 interrupted.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from lib.cli import demo, experiment, qa, recipe, tasks, text
from lib.cli.common import CliError

GROUPS = (experiment, qa, demo, text, recipe, tasks)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m lib", description="Songbench from the command line.")
    groups = parser.add_subparsers(dest="group", metavar="GROUP", required=True)
    for group in GROUPS:
        group.register(groups)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` (default: the process's arguments), run the command, return its exit
    code."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except CliError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
