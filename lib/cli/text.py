"""``python -m lib text ...``: the text helper from the command line (`lib.text`), on the text
server of the settings (``SONGBENCH_TEXT_BASE_URL`` / ``SONGBENCH_TEXT_API_KEY``; no key: the
embedded simulator). Every call is a task in the log (family ``text``).

    python -m lib text models [--json]
    python -m lib text draft --kind song --brief "a sea shanty about debugging" [--model M]
        [--music-model V5] [--json]
    python -m lib text draft --kind image_prompt --brief "cover for a lo-fi album"

``draft`` prints the answer as it streams (with ``--json``: on stderr, and one JSON object on
stdout at the end: the text, its fields, the problems, the task id, usage and timings). Exit
codes: 0 a usable draft, 1 the answer does not fit (its problems are listed; the text is kept
whole) or the text server could not be reached, 2 bad arguments (an unknown model).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from lib.cli.common import FAILED, OK, REFUSED, CliError, Output, settings
from lib.contract.fields import MODEL, MODELS
from lib.provider.adapters.text import TextAdapter
from lib.provider.errors import SongbenchError
from lib.text import KINDS, ModelList, TextCalls, draft


def register(groups: Any) -> None:
    """Add the ``text`` command group to the top-level subparsers."""
    p = groups.add_parser("text", help="the text helper: models, drafts",
                          description=__doc__,
                          formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = p.add_subparsers(dest="command", metavar="COMMAND", required=True)
    m = commands.add_parser("models", help="the text server's models")
    m.add_argument("--json", action="store_true", help="print one JSON list")
    m.set_defaults(handler=cmd_models)
    d = commands.add_parser("draft", help="draft a song, an image prompt or a video prompt")
    d.add_argument("--kind", choices=KINDS, required=True)
    d.add_argument("--brief", required=True, metavar="TEXT", help="what the draft is about")
    d.add_argument("--model", metavar="M", help="a text model (default: the server's first)")
    d.add_argument("--music-model", choices=MODELS, default=str(MODEL.default),
                   help="the music model whose limits a song must fit (default %(default)s)")
    d.add_argument("--json", action="store_true", help="print one JSON object at the end")
    d.set_defaults(handler=cmd_draft)


def _runtime() -> Any:
    from lib.app.runtime import cli_runtime

    settings()
    try:
        return cli_runtime()
    except RuntimeError as exc:
        raise CliError(f"Could not reach the text server: {exc}", FAILED) from None


def _adapter(rt: Any) -> TextAdapter:
    adapter = rt.providers.current("text")
    assert isinstance(adapter, TextAdapter)
    return adapter


def cmd_models(args: argparse.Namespace) -> int:
    out = Output(args.json)
    rt = _runtime()
    try:
        try:
            ids = ModelList(_adapter(rt)).get()
        except SongbenchError as exc:
            raise CliError(exc.explain(), FAILED) from None
        out.result(json.dumps(ids) if args.json else "\n".join(ids))
        return OK
    finally:
        rt.close()


def cmd_draft(args: argparse.Namespace) -> int:
    out = Output(args.json)
    if not args.brief.strip():
        raise CliError("The brief is empty.", REFUSED)
    rt = _runtime()
    try:
        adapter = _adapter(rt)
        try:
            models = ModelList(adapter)
            model = args.model or models.default()
            if args.model and args.model not in models.get():
                raise CliError(f"The text server has no model {args.model!r} (`python -m lib "
                               "text models` lists them).", REFUSED)
            stream = out.err if args.json else out.out

            def show(piece: str) -> None:
                stream.write(piece)
                stream.flush()

            result = draft(args.kind, args.brief, TextCalls(rt.log, adapter), model,
                           music_model=args.music_model, on_delta=show)
        except SongbenchError as exc:
            raise CliError(exc.explain(), FAILED) from None
        except LookupError as exc:
            raise CliError(str(exc), FAILED) from None
        print(file=stream, flush=True)
        for problem in result.problems:
            out.note(f"Does not fit: {problem.field}: {problem.message}")
        call = result.call
        if call is not None:
            out.note(f"Task {call.task_id[:8]} · {call.model} · first token "
                     f"{call.first_token_s or 0:.2f} s · {call.latency_s or 0:.2f} s"
                     + (f" · {call.usage.get('total_tokens')} tokens" if call.usage else ""))
        if args.json:
            out.result(json.dumps(result.as_json()))
        return OK if result.ok else FAILED
    finally:
        rt.close()
