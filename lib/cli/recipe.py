"""``python -m lib recipe ...``: route recipes from the command line (what the Recipes page
does).

* ``list`` - the recipes, their steps and settings;
* ``run NAME [--brief TEXT] [--set name=value ...] [--dry-run] [--wait] [--json]`` - check the
  run (every step's cost, the brief, the settings, the first steps' bodies), store it and, with
  ``--wait``, run it in this process to its end (without, the app's runner, ``make run``, sends
  it, or ``recipe wait RUN``);
* ``status RUN``, ``wait RUN``, ``retry RUN STEP`` (a failed step alone: steps that succeeded
  are never sent again), ``choose RUN STEP VALUE`` (when the recipe asks), ``cancel RUN``.

A RUN may be a unique prefix of its id (at least 6 characters).
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from lib import recipes
from lib.cli.common import FAILED, OK, REFUSED, CliError, Output, open_task_log, settings, table
from lib.log import RecipeRunRow, TaskLog
from lib.recipes import progress

MIN_PREFIX = 6


def register(groups: Any) -> None:
    p = groups.add_parser("recipe", help="route recipes: list, run, follow, retry a step",
                          description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    cmds = p.add_subparsers(dest="command", metavar="COMMAND", required=True)

    lst = cmds.add_parser("list", help="the recipes, their steps and settings")
    lst.add_argument("--json", action="store_true", help="print one JSON document")
    lst.set_defaults(handler=cmd_list)

    run = cmds.add_parser("run", help="check and start a run (--wait: follow it to its end)")
    run.add_argument("name", metavar="NAME", help="a recipe (see `recipe list`)")
    run.add_argument("--brief", default="", help="what it is about")
    run.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                     help="a setting of the recipe (repeatable)")
    run.add_argument("--dry-run", action="store_true", help="check and show the plan only")
    _follow(run, wait=True)
    run.set_defaults(handler=cmd_run)

    for verb, text in (("status", "a run's steps"), ("wait", "run it here to its end")):
        c = cmds.add_parser(verb, help=text)
        c.add_argument("run", metavar="RUN")
        _follow(c, wait=False)
        c.set_defaults(handler=cmd_status if verb == "status" else cmd_wait)

    retry = cmds.add_parser("retry", help="send a failed step again (that step alone)")
    retry.add_argument("run", metavar="RUN")
    retry.add_argument("step", metavar="STEP")
    _follow(retry, wait=True)
    retry.set_defaults(handler=cmd_retry)

    choose = cmds.add_parser("choose", help="answer a step that asks (e.g. which take)")
    choose.add_argument("run", metavar="RUN")
    choose.add_argument("step", metavar="STEP")
    choose.add_argument("value", metavar="VALUE", help="the option's value or its number (1…)")
    choose.set_defaults(handler=cmd_choose)

    cancel = cmds.add_parser("cancel", help="start no more of its steps (sent ones go on)")
    cancel.add_argument("run", metavar="RUN")
    cancel.set_defaults(handler=cmd_cancel)


def _follow(p: argparse.ArgumentParser, *, wait: bool) -> None:
    if wait:
        p.add_argument("--wait", action="store_true", help="run it in this process to its end")
    p.add_argument("--json", action="store_true",
                   help="print one JSON object on stdout (progress goes to stderr)")
    p.add_argument("--timeout", type=float, default=None, metavar="S",
                   help="stop following after S seconds (exit 1; the run goes on in the app)")


# ---- helpers -----------------------------------------------------------------------------------
def find_run(log: TaskLog, ref: str) -> RecipeRunRow:
    ref = (ref or "").strip().lower()
    run = log.get_recipe_run(ref)
    if run is not None:
        return run
    if len(ref) < MIN_PREFIX:
        raise CliError(f"No recipe run has the id “{ref}”; a prefix needs at least "
                       f"{MIN_PREFIX} characters.")
    many = log.find_recipe_runs(ref, limit=5)
    if len(many) == 1:
        return many[0]
    if many:
        raise CliError(f"The prefix “{ref}” matches {len(many)} runs: give more characters.")
    raise CliError(f"No recipe run has an id starting with “{ref}” in {log.location}.")


def _given(pairs: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise CliError(f"--set {pair!r}: write it as name=value.")
        out[name.strip()] = value
    return out


def _runtime() -> Any:
    from lib.app.runtime import cli_runtime

    settings()
    try:
        return cli_runtime()
    except RuntimeError as exc:
        raise CliError(f"Could not reach the provider: {exc}", FAILED) from None


def steps_table(view: progress.RunView) -> str:
    rows = [{"step": s.step.name, "state": s.state, "task": (s.row["task_id"] or "")[:8],
             "attempt": s.row["attempt"],
             "s": "" if s.provider_s is None else f"{s.provider_s:.1f}",
             "note": (s.note or "")[:90]} for s in view.steps]
    return table(rows, ["step", "state", "task", "attempt", "s", "note"])


def summary(view: progress.RunView) -> str:
    return (f"Run {view.run['id']} · {view.recipe.title} · {view.status} · wall "
            f"{view.wall_s:.1f} s, steps at the provider {view.provider_sum_s:.1f} s\n"
            + steps_table(view))


# ---- commands ----------------------------------------------------------------------------------
def cmd_list(args: argparse.Namespace) -> int:
    out = Output(args.json)
    docs: list[dict[str, Any]] = [{"name": r.name, "title": r.title, "summary": r.summary,
             "steps": [{"step": s.name, "op": s.op, "after": list(s.after),
                        "cost": progress.cost_text(s.op)} for s in r.steps],
             "settings": {p.name: p.default for p in r.params}}
            for r in recipes.RECIPES.values()]
    if args.json:
        out.result(json.dumps(docs))
        return OK
    for d in docs:
        chain = " -> ".join(s["step"] + (f"(after {'+'.join(s['after'])})" if s["after"]
                                        else "") for s in d["steps"])
        out.result(f"{d['name']}: {d['title']}. {d['summary']}\n  steps: {chain}\n  settings: "
                   + (", ".join(f"{k}={v!r}" for k, v in d["settings"].items()) or "none"))
    return OK


def cmd_run(args: argparse.Namespace) -> int:
    out = Output(args.json)
    try:
        recipe = recipes.get(args.name)
    except KeyError as exc:
        raise CliError(str(exc.args[0])) from None
    rt = _runtime()
    try:
        runner = rt.recipes
        checked = runner.check(recipe.name, args.brief, _given(args.set))
        out.info(f"{recipe.title}: {len(checked.steps)} steps, {checked.cost_line()}.")
        for s in checked.steps:
            after = f" after {', '.join(s.after)}" if s.after else ""
            out.info(f"  {s.name}: {s.op_title} ({s.op}){after} - {s.cost}")
        if not checked.ok:
            for problem in checked.problems:
                out.note(problem)
            out.note("Nothing was sent.")
            return REFUSED
        if args.dry_run:
            out.info("Dry run: nothing was sent.")
            if args.json:
                out.result(json.dumps({"dry_run": True, "credits": checked.credits}))
            return OK
        run_id = runner.start(recipe.name, args.brief, _given(args.set))
        out.info(f"Run {run_id} started. Its page: /recipes?run={run_id}")
        if not args.wait:
            if args.json:
                out.result(json.dumps({"run_id": run_id, "page": f"/recipes?run={run_id}"}))
            return OK
        return follow(rt, run_id, out, timeout=args.timeout)
    finally:
        rt.close()


def cmd_status(args: argparse.Namespace) -> int:
    out = Output(args.json)
    _, log = open_task_log()
    view = progress.load(log, find_run(log, args.run)["id"])
    assert view is not None
    out.result(json.dumps(progress.describe(view), default=str) if args.json
               else summary(view))
    return OK


def cmd_wait(args: argparse.Namespace) -> int:
    out = Output(args.json)
    rt = _runtime()
    try:
        return follow(rt, find_run(rt.log, args.run)["id"], out, timeout=args.timeout)
    finally:
        rt.close()


def cmd_retry(args: argparse.Namespace) -> int:
    out = Output(args.json)
    rt = _runtime()
    try:
        run = find_run(rt.log, args.run)
        view = progress.load(rt.log, run["id"])
        assert view is not None
        names = [s.step.name for s in view.steps]
        if args.step not in names:
            raise CliError(f"{view.recipe.name} has no step {args.step!r} (its steps: "
                           f"{', '.join(names)}).")
        sv = view.step(args.step)
        if not rt.recipes.retry(run["id"], args.step):
            raise CliError(f"Step {args.step} is {sv.state}: only a failed or unknown step is "
                           "retried (nothing that succeeded is sent again).")
        out.info(f"Step {args.step}: attempt {sv.row['attempt'] + 1}.")
        if not args.wait:
            return OK
        return follow(rt, run["id"], out, timeout=args.timeout)
    finally:
        rt.close()


def cmd_choose(args: argparse.Namespace) -> int:
    out = Output(False)
    _, log = open_task_log()
    run = find_run(log, args.run)
    view = progress.load(log, run["id"])
    assert view is not None
    sv = view.step(args.step) if args.step in [s.step.name for s in view.steps] else None
    if sv is None or sv.state != "choose":
        raise CliError(f"Step {args.step} asks for nothing now.")
    value = args.value
    if value.isdigit() and 1 <= int(value) <= len(sv.options):
        value = sv.options[int(value) - 1][0]
    if value not in [o[0] for o in sv.options]:
        raise CliError(f"{args.value!r} is not one of: "
                       + "; ".join(f"{i}. {label} ({v})" for i, (v, label)
                                   in enumerate(sv.options, 1)))
    log.update_recipe_step(run["id"], args.step, choice=value)
    out.info(f"Step {args.step}: chose {value}. The app's runner (or `recipe wait`) goes on.")
    return OK


def cmd_cancel(args: argparse.Namespace) -> int:
    _, log = open_task_log()
    run = find_run(log, args.run)
    if not log.set_recipe_run_status(run["id"], "cancelled"):
        raise CliError(f"Run {run['id'][:8]} is {run['status']} already.", FAILED)
    Output(False).info(f"Run {run['id'][:8]} cancelled: no further step starts.")
    return OK


# ---- following -------------------------------------------------------------------------------
def follow(rt: Any, run_id: str, out: Output, *, timeout: float | None) -> int:
    """Run the tracker and the recipe runner here until the run ends (or asks for a choice),
    printing each step's state as it changes; then the summary or the JSON document."""
    rt.start_background()
    started = time.monotonic()
    seen: dict[str, str] = {}
    view = progress.load(rt.log, run_id)
    asking = False
    while view is not None:
        for s in view.steps:
            text = s.state + (f": {s.note}" if s.note else "")
            if seen.get(s.step.name) != text:
                seen[s.step.name] = text
                out.note(f"[{time.monotonic() - started:6.1f} s] {s.step.name}: {text}")
        asking = any(s.state == "choose" for s in view.steps)
        if view.status != "running" or asking:
            break
        if timeout is not None and time.monotonic() - started > timeout:
            break
        time.sleep(0.2)
        view = progress.load(rt.log, run_id)
    assert view is not None
    rt.stop_background()
    if out.json_mode:
        out.result(json.dumps(progress.describe(view), default=str))
    else:
        out.result(summary(view))
    if asking:
        sv = next(s for s in view.steps if s.state == "choose")
        out.note(f"Step {sv.step.name} asks: {sv.note} Answer with `python -m lib recipe choose "
                 f"{run_id[:8]} {sv.step.name} N`: "
                 + "; ".join(f"{i}. {label}" for i, (_, label) in enumerate(sv.options, 1)))
        return FAILED
    if view.status == "running":
        out.note(f"Still running after {timeout:g} s: the app (make run) or `python -m lib "
                 f"recipe wait {run_id[:8]}` goes on with it.")
        return FAILED
    if view.status == "failed":
        bad = [s for s in view.steps if s.retryable]
        if bad:
            out.note(f"Step {bad[0].step.name} failed: {bad[0].note} Retry it alone with "
                     f"`python -m lib recipe retry {run_id[:8]} {bad[0].step.name} --wait`.")
        return FAILED
    return OK
