"""What every command group shares: errors with exit codes, output streams, the log and ids."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, TextIO

from lib.settings import Settings, load_settings
from lib.experiments import service
from lib.log import ExperimentRow, TaskLog, open_log

#: Exit codes (see `lib.cli`).
OK, FAILED, REFUSED, INTERRUPTED = 0, 1, 2, 130


class CliError(Exception):
    """A message for the user (printed as ``Error: ...`` on stderr) and the exit code."""

    def __init__(self, message: str, code: int = REFUSED) -> None:
        super().__init__(message)
        self.code = code


class Output:
    """Where a command writes: results on stdout; with ``--json`` stdout holds ONE JSON
    document, so everything else (plans, progress, notes) goes to stderr."""

    def __init__(self, json_mode: bool = False, out: TextIO | None = None,
                 err: TextIO | None = None) -> None:
        self.json_mode = json_mode
        self.out = out or sys.stdout
        self.err = err or sys.stderr

    def info(self, text: str = "") -> None:
        """A line for people: stdout, or stderr in JSON mode."""
        print(text, file=self.err if self.json_mode else self.out, flush=True)

    def result(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def note(self, text: str) -> None:
        """Progress and warnings: always stderr."""
        print(text, file=self.err, flush=True)


def settings() -> Settings:
    try:
        return load_settings()
    except ValueError as exc:
        raise CliError(str(exc)) from None


def open_task_log(s: Settings | None = None) -> tuple[Settings, TaskLog]:
    """The settings and the task log alone (commands that never talk to the provider)."""
    s = s or settings()
    return s, open_log(s.db_path)


def find_experiment(log: TaskLog, ref: str) -> ExperimentRow:
    """An experiment by full id or unique prefix, or a `CliError` saying why not."""
    found = service.find(log, ref)
    if found is not None:
        return found
    ref = (ref or "").strip().lower()
    if len(ref) < service.MIN_PREFIX:
        raise CliError(f"No experiment has the id “{ref}”; a prefix needs at least "
                       f"{service.MIN_PREFIX} characters (see `python -m lib experiment list`).")
    many = log.find_experiments(ref, limit=5)
    if len(many) > 1:
        names = ", ".join(f"{e['id'][:12]} ({e['name']})" for e in many)
        raise CliError(f"The prefix “{ref}” matches {len(many)} experiments ({names}): give "
                       "more characters.")
    raise CliError(f"No experiment has an id starting with “{ref}” in {log.location} "
                   "(see `python -m lib experiment list`).")


def read_text(path: str, what: str) -> str:
    """A file's text (``-``: stdin), or a `CliError` naming the file."""
    if path == "-":
        return sys.stdin.read()
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CliError(f"{what} {path}: no such file.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(f"{what} {path}: cannot be read ({exc}).") from None


def table(rows: list[dict[str, Any]], columns: list[str]) -> str:
    """A plain text table (left-aligned, two spaces between columns)."""
    cells = [[_text(r.get(c)) for c in columns] for r in rows]
    widths = [max([len(c), *(len(row[i]) for row in cells)]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip()
              for row in cells]
    return "\n".join(lines)


def _text(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
