"""``python -m lib experiment ...``: prompt experiments from the command line.

* ``run FILE.csv`` - check a sheet (`grid.parse_csv`, `grid.plan`), show the calls, credits and
  the time the create limit implies, queue it (`service.create`); ``--wait`` sends and follows
  it in this process, ``--dry-run`` stops before queueing;
* ``wait ID`` - send and follow an experiment already queued;
* ``list``, ``status ID``, ``pause|resume|cancel ID``, ``export ID --format csv|json``.

An ID may be a unique prefix (at least 6 characters). Without ``--wait`` nothing is sent here:
the app's queue (``make run``) sends queued cells, or ``experiment wait ID`` does.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from lib import ops
from lib.cli.common import (FAILED, OK, REFUSED, CliError, Output, find_experiment,
                            open_task_log, read_text, settings, table)
from lib.experiments import grid, results, service
from lib.reports import experiment as report
from lib.reports.sections import default_sections
from lib.log import AssetStatus, ExperimentRow, TaskLog

#: How long a finished run waits for its tracks' files to be archived before printing.
ASSET_GRACE_S = 15.0


# ---- the parser ---------------------------------------------------------------------------------
def register(groups: Any) -> None:
    """Add ``experiment`` and its commands to the top-level subparsers."""
    p = groups.add_parser("experiment", help="prompt experiments: run a CSV sheet, follow, export",
                          description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    cmds = p.add_subparsers(dest="command", metavar="COMMAND", required=True)

    run = cmds.add_parser("run", help="check, queue (and with --wait send and follow) a sheet")
    run.add_argument("file", metavar="FILE.csv",
                     help="the sheet: a header of request field names plus `variant` and "
                          "`repeats`, one variant per row (- reads stdin)")
    run.add_argument("--name", help="the experiment's name (default: the file's name)")
    run.add_argument("--op", default="generate", choices=grid.experiment_ops(),
                     help="the operation every cell calls: a music one, or an image, video "
                          "or text one (qwen_image, video_t2v, text_chat...; billed by their "
                          "provider, not in credits) (default: generate)")
    run.add_argument("--repeats", type=int, default=1,
                     help="calls per variant, unless its row says (default: 1)")
    run.add_argument("--base", metavar="JSON|@FILE",
                     help="request values every variant starts from, a JSON object or @file")
    run.add_argument("--notes", default="", help="notes kept with the experiment")
    run.add_argument("--dry-run", action="store_true", help="check and plan, queue nothing")
    _follow_args(run, "send the queue in this process and follow it to the end")
    run.set_defaults(handler=cmd_run)

    wait = cmds.add_parser("wait", help="send an experiment's queue here and follow it")
    wait.add_argument("id", metavar="ID", help="experiment id or a unique prefix")
    _follow_args(wait, None)
    wait.set_defaults(handler=cmd_wait)

    lst = cmds.add_parser("list", help="experiments, newest first")
    lst.add_argument("--limit", type=int, default=50)
    lst.add_argument("--json", action="store_true", help="print one JSON document")
    lst.set_defaults(handler=cmd_list)

    status = cmds.add_parser("status", help="an experiment's progress per variant and summary")
    status.add_argument("id", metavar="ID")
    status.add_argument("--json", action="store_true", help="print one JSON document")
    status.set_defaults(handler=cmd_status)

    for verb, text in (("pause", "send nothing more until resumed"),
                       ("resume", "send its queued cells again"),
                       ("cancel", "drop its queued cells (tasks already sent go on)")):
        c = cmds.add_parser(verb, help=text)
        c.add_argument("id", metavar="ID")
        c.set_defaults(handler=cmd_change, verb=verb)

    export = cmds.add_parser("export", help="the results, one row per track")
    export.add_argument("id", metavar="ID")
    export.add_argument("--format", choices=("csv", "json"), default="csv")
    export.add_argument("--output", "-o", metavar="PATH", help="write here instead of stdout")
    export.set_defaults(handler=cmd_export)

    rep = cmds.add_parser("report", help="an HTML report that opens offline (or a .zip)")
    rep.add_argument("id", metavar="ID")
    rep.add_argument("--out", "-o", metavar="FILE", required=True,
                     help="FILE.html: one file with the audio inside; FILE.zip: the page "
                          "beside its files")
    rep.set_defaults(handler=cmd_report)


def _follow_args(p: argparse.ArgumentParser, wait_help: str | None) -> None:
    if wait_help:
        p.add_argument("--wait", action="store_true", help=wait_help)
    p.add_argument("--json", action="store_true",
                   help="print one JSON object on stdout (everything else goes to stderr)")
    p.add_argument("--timeout", type=float, default=None, metavar="S",
                   help="stop following after S seconds (exit 1; the queue stays)")


# ---- run --------------------------------------------------------------------------------------
def parse_base(op: str, raw: str | None) -> dict[str, Any]:
    """``--base``: a JSON object (or ``@file`` holding one) of the operation's fields."""
    if not raw:
        return {}
    text = read_text(raw[1:], "--base file") if raw.startswith("@") else raw
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CliError(f"--base is not valid JSON ({exc.msg} at line {exc.lineno}, column "
                       f"{exc.colno}).") from None
    if not isinstance(value, dict):
        raise CliError(f"--base must be a JSON object of request fields, not "
                       f"{type(value).__name__}.")
    known = [f.name for f in grid.grid_fields(op)]
    unknown = [k for k in value if k not in known]
    if unknown:
        raise CliError(f"--base, field {unknown[0]}: not a field of {ops.get(op).title} "
                       f"(known: {', '.join(known)}).")
    return value


def cmd_run(args: argparse.Namespace) -> int:
    out = Output(args.json)
    if not 1 <= args.repeats <= grid.MAX_REPEATS:
        raise CliError(f"--repeats {args.repeats} is outside 1 to {grid.MAX_REPEATS}.")
    text = read_text(args.file, "Sheet")
    base = parse_base(args.op, args.base)
    variants, errors = grid.parse_csv(args.op, text)
    plan = grid.plan(args.op, base, variants, args.repeats, errors=errors)
    if not plan.ok:
        for problem in plan.errors:
            out.note(str(problem))
        count = len(plan.errors)
        out.note(f"Nothing was queued: the sheet has {count} problem{'s' * (count != 1)}"
                 if count else "Nothing was queued: the sheet has no cells to send.")
        return REFUSED
    name = (args.name or "").strip() or (Path(args.file).stem if args.file != "-"
                                         else "Experiment from stdin")
    rt = _runtime()
    try:
        facts = _describe_plan(out, rt, plan, name)
        if args.dry_run:
            out.info("Dry run: nothing was queued.")
            if args.json:
                out.result(json.dumps({"dry_run": True, "name": name, **facts}))
            return OK
        setup = service.Setup(name=name, op=args.op, base=base, variants=variants,
                              repeats=args.repeats, notes=args.notes)
        experiment_id = service.create(rt.log, setup, plan)
        out.info(f"Queued experiment {experiment_id} “{name}”: {plan.calls} calls.")
        if not args.wait:
            page = f"/experiments?id={experiment_id}"
            out.info(f"Its page: {page}")
            out.info("The app sends it (make run), or follow it here with "
                     f"`python -m lib experiment wait {experiment_id[:8]}`.")
            if args.json:
                out.result(json.dumps({"experiment_id": experiment_id, "name": name,
                                       "page": page, "queued": plan.calls, **facts}))
            return OK
        return follow(rt, experiment_id, out, timeout=args.timeout)
    finally:
        rt.close()


def _runtime() -> Any:
    from lib.app.runtime import cli_runtime

    settings()  # a settings problem is a plain refusal, before anything starts
    try:
        return cli_runtime()
    except RuntimeError as exc:
        raise CliError(f"Could not reach the provider: {exc}", FAILED) from None


def _describe_plan(out: Output, rt: Any, plan: grid.Plan, name: str) -> dict[str, Any]:
    from lib.provider.credits import CreditCache

    op = ops.get(plan.op)
    out.info(f"Experiment “{name}”: {len(plan.variants)} variant"
             f"{'s' * (len(plan.variants) != 1)}, {plan.calls} calls to {op.title} ({plan.op}).")
    ahead = rt.log.queued_count()
    seconds = grid.send_seconds(plan.calls, ahead, plan.op)
    queued = (f", after {ahead} cell{'s' * (ahead != 1)} already queued" if ahead else "")
    if plan.billed_by is not None:
        pace = grid.pace_of(plan.op)
        out.info(f"Cost: {plan.cost_text}.")
        out.info(f"Sending takes {grid.duration_text(seconds)} at its own limit of "
                 f"{pace.words}{queued}.")
        return {"calls": plan.calls, "credits": None, "billed_by": plan.billed_by,
                "balance": None, "queued_ahead": ahead, "send_seconds": seconds}
    reading = CreditCache(timeout=3.0, wait=3.5).get(rt.settings)
    balance = reading.value if reading is not None and reading.error is None else None
    if balance is not None:
        out.info(f"Credits: {plan.credits} ({op.credits_estimate} per call); the balance is "
                 f"{balance}.")
        if balance < plan.credits:
            out.note(f"Warning: the balance ({balance}) is less than the {plan.credits} credits "
                     "this needs; the provider refuses creates once it runs out.")
    else:
        why = reading.error if reading is not None and reading.error else "no answer"
        out.info(f"Credits: {plan.credits} ({op.credits_estimate} per call); the balance is "
                 f"not available ({why}).")
    out.info(f"Sending takes {grid.duration_text(seconds)} at the provider's limit of "
             f"{grid.LIMIT_CALLS} creates per {grid.LIMIT_PERIOD_S:g} s{queued}.")
    return {"calls": plan.calls, "credits": plan.credits, "balance": balance,
            "queued_ahead": ahead, "send_seconds": seconds}


# ---- following ---------------------------------------------------------------------------------
class Progress:
    """Prints on stderr, per variant, its counts whenever they change."""

    def __init__(self, log: TaskLog, experiment_id: str, out: Output,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.log, self.experiment_id, self.out, self.clock = log, experiment_id, out, clock
        self.start = clock()
        self.last: dict[str, str] = {}

    def tick(self) -> None:
        res = results.results(self.log, self.experiment_id)
        elapsed = self.clock() - self.start
        for variant in res.variants:
            counts = res.progress(variant)
            text = ", ".join(f"{n} {state}" for state, n in counts.items() if n)
            if self.last.get(variant) != text:
                self.last[variant] = text
                self.out.note(f"[{elapsed:5.1f} s] {variant}: {text}")


def follow(rt: Any, experiment_id: str, out: Output, *, timeout: float | None) -> int:
    """Send the queue in this process (tracker loop and queue senders), follow the experiment
    until nothing is queued or running, then print its summary (or its JSON document)."""
    rt.start_background()
    progress = Progress(rt.log, experiment_id, out)
    try:
        done = service.wait(rt.log, experiment_id, timeout=timeout, tick=progress.tick,
                            every=0.5)
    except KeyboardInterrupt:
        out.note("Stopped following. Queued cells stay queued: the app (make run) or "
                 f"`python -m lib experiment wait {experiment_id[:8]}` sends them.")
        raise
    if done:
        _await_assets(rt.log, experiment_id, ASSET_GRACE_S)
    progress.tick()
    rt.stop_background()
    rt.log.settle_experiments()
    res = results.results(rt.log, experiment_id, rt.assets_dir)
    if out.json_mode:
        out.result(json.dumps(document(res, finished=done), ensure_ascii=False, default=str))
    else:
        out.result(summary_text(res))
    status = res.experiment["status"]
    left = sum(1 for c in res.cells.values() if c.state in ("queued", "sending"))
    if not done:
        out.note(f"Still going after {timeout:g} s. Queued cells stay queued and sent tasks go "
                 f"on: the app (make run) or `python -m lib experiment wait "
                 f"{experiment_id[:8]}` follows them.")
        return FAILED
    if status == "paused" and left:
        out.note(f"The experiment is paused with {left} cell{'s' * (left != 1)} queued: "
                 f"`python -m lib experiment resume {experiment_id[:8]}` sends them.")
    return OK


def _await_assets(log: TaskLog, experiment_id: str, grace: float) -> None:
    """Give the tracker loop a moment to archive the finished tracks' files."""
    deadline = time.monotonic() + grace
    tasks = [t["id"] for t in log.experiment_tasks(experiment_id) if t["state"] == "succeeded"]
    while time.monotonic() < deadline:
        if all(a["status"] != AssetStatus.PENDING.value
               for t in tasks for a in log.assets_for(t)):
            return
        time.sleep(0.2)


def summary_text(res: results.Results) -> str:
    exp = res.experiment
    frame = results.variant_summary(res).astype(object)
    frame = frame.where(frame.notna(), "-")
    with pd.option_context("display.width", 200, "display.max_columns", None):
        body = frame.to_string(index=False) if len(frame) else "(no variants)"
    return (f"Experiment {exp['id']} “{exp['name']}” ({exp['op']}): {exp['status']}\n"
            f"{body}")


def document(res: results.Results, *, finished: bool | None = None) -> dict[str, Any]:
    """The experiment as one JSON object: each sent task with its local and provider ids,
    variant, repeat, state, seconds to text / first audio / complete and its tracks' audio
    (URL and archived file), or for an image, video or text experiment its ``images``,
    ``videos``, ``local_media`` and ``answer``; cells not sent are listed apart."""
    exp = res.experiment
    made = grid.output_kind(exp["op"]) != "audio"  # images, videos or a text answer
    tasks: list[dict[str, Any]] = []
    unsent: list[dict[str, Any]] = []
    entries: dict[tuple[str, int], dict[str, Any]] = {}
    for row in results.export_rows(res):
        key = (row["variant"], row["repeat"])
        entry = entries.get(key)
        if entry is None:
            if row["task_id"] is None:
                unsent.append({"variant": row["variant"], "repeat": row["repeat"],
                               "state": row["state"]})
                continue
            entry = entries[key] = {
                "task_id": row["task_id"], "provider_task_id": row["provider_task_id"],
                "variant": row["variant"], "repeat": row["repeat"], "state": row["state"],
                **{f"s_to_{s}": row[f"s_to_{s}"] for s in results.STAGES},
                "credits": row["credits"], "error": row["error"], "tracks": []}
            if made:
                entry.update({k: row[k] for k in ("images", "videos", "local_media", "answer")})
            tasks.append(entry)
        if row["track_id"]:
            entry["tracks"].append({k: row[k] for k in ("track_id", "title", "duration",
                                                         "audio_url", "local_audio")})
    doc: dict[str, Any] = {"experiment_id": exp["id"], "name": exp["name"], "op": exp["op"],
                           "status": exp["status"]}
    if (billed := grid.billed_by(exp["op"])) is not None:
        doc["billed_by"] = billed
    if finished is not None:
        doc["finished"] = finished
    doc.update(tasks=tasks, unsent=unsent)
    return doc


def cmd_wait(args: argparse.Namespace) -> int:
    out = Output(args.json)
    _, log = open_task_log()
    experiment = find_experiment(log, args.id)
    rt = _runtime()
    try:
        out.info(f"Following experiment {experiment['id']} “{experiment['name']}” "
                 f"({experiment['status']}).")
        return follow(rt, experiment["id"], out, timeout=args.timeout)
    finally:
        rt.close()


# ---- the rest ----------------------------------------------------------------------------------
def _when(at: float | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(at)) if at else "-"


def _row(log: TaskLog, e: ExperimentRow) -> dict[str, Any]:
    cells = log.experiment_cells(e["id"])
    return {"id": e["id"], "name": e["name"], "op": e["op"], "status": e["status"],
            "cells": len(cells), "sent": sum(1 for c in cells if c["status"] == "sent"),
            "queued": sum(1 for c in cells if c["status"] in ("queued", "sending")),
            "created_at": e["created_at"]}


def cmd_list(args: argparse.Namespace) -> int:
    _, log = open_task_log()
    rows = [_row(log, e) for e in log.list_experiments(limit=max(1, args.limit))]
    if args.json:
        print(json.dumps({"experiments": rows}, ensure_ascii=False))
    elif not rows:
        print("No experiments yet (`python -m lib experiment run FILE.csv` makes one).")
    else:
        for r in rows:
            r["created"] = _when(r["created_at"])
        print(table(rows, ["id", "name", "op", "status", "cells", "sent", "queued", "created"]))
    return OK


def cmd_status(args: argparse.Namespace) -> int:
    s, log = open_task_log()
    experiment = find_experiment(log, args.id)
    res = results.results(log, experiment["id"], Path(s.assets_dir).resolve())
    progress = {v: res.progress(v) for v in res.variants}
    if args.json:
        summary = results.variant_summary(res)
        doc = {**{k: _row(log, experiment)[k] for k in ("id", "name", "op", "status", "cells",
                                                         "sent", "queued", "created_at")},
               "notes": experiment.get("notes"), "progress": progress,
               "summary": json.loads(summary.to_json(orient="records"))}
        print(json.dumps(doc, ensure_ascii=False))
        return OK
    print(f"Experiment {experiment['id']} “{experiment['name']}”")
    print(f"  operation {experiment['op']}, {experiment['status']}, created "
          f"{_when(experiment['created_at'])}")
    if experiment.get("notes"):
        print(f"  notes: {experiment['notes']}")
    states = ["queued", "running", "succeeded", "failed", "unknown", "cancelled"]
    print(table([{"variant": v, **c} for v, c in progress.items()], ["variant", *states]))
    print()
    print(summary_text(res).split("\n", 1)[1])
    return OK


def cmd_change(args: argparse.Namespace) -> int:
    _, log = open_task_log()
    experiment = find_experiment(log, args.id)
    change = {"pause": service.pause, "resume": service.resume, "cancel": service.cancel}
    words = {"pause": "paused", "resume": "resumed", "cancel": "cancelled"}
    label = f"{experiment['id'][:8]} “{experiment['name']}”"
    if not change[args.verb](log, experiment["id"]):
        raise CliError(f"Experiment {label} is {experiment['status']}: it cannot be "
                       f"{words[args.verb]} any more.", FAILED)
    cells = log.experiment_cells(experiment["id"])
    queued = sum(1 for c in cells if c["status"] in ("queued", "sending"))
    dropped = sum(1 for c in cells if c["status"] == "cancelled")
    tail = {"pause": f"{queued} queued cell{'s' * (queued != 1)} wait; tasks already sent go on.",
            "resume": f"{queued} queued cell{'s' * (queued != 1)} will be sent by the app "
                      "(make run) or `python -m lib experiment wait`.",
            "cancel": f"{dropped} cell{'s' * (dropped != 1)} dropped; tasks already sent go on."}
    print(f"Experiment {label} {words[args.verb]}: {tail[args.verb]}")
    return OK


def cmd_export(args: argparse.Namespace) -> int:
    s, log = open_task_log()
    experiment = find_experiment(log, args.id)
    res = results.results(log, experiment["id"], Path(s.assets_dir).resolve())
    data = results.export_csv(res) if args.format == "csv" else results.export_json(res)
    if args.output:
        try:
            Path(args.output).write_bytes(data)
        except OSError as exc:
            raise CliError(f"--output {args.output}: cannot be written ({exc}).",
                           FAILED) from None
        print(f"Wrote {len(data):,} bytes to {args.output}.", file=sys.stderr)
    else:
        sys.stdout.write(data.decode())
        sys.stdout.flush()
    return OK


def cmd_report(args: argparse.Namespace) -> int:
    s, log = open_task_log()
    experiment = find_experiment(log, args.id)
    res = results.results(log, experiment["id"], Path(s.assets_dir).resolve())
    path = Path(args.out)
    try:
        size = report.write_report(res, path, default_sections(log))
    except OSError as exc:
        raise CliError(f"--out {args.out}: cannot be written ({exc}).", FAILED) from None
    print(f"Wrote the report of “{experiment['name']}” ({size:,} bytes) to {path}.",
          file=sys.stderr)
    return OK
