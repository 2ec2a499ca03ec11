"""The production checks, run live against whichever provider is configured.

Each check is a function ``check(ctx) -> Outcome``; `Context` carries the runtime, what earlier
checks of the same run found (e.g. the lyrics task the creation check made), and a deadline.
They use the app's own paths (the tracker, the callback route over HTTP, the archive), so a pass
means the app works, not a test double.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from lib import ops
from lib.app.sim_admin import sim_controls
from lib.contract.prepare import prepare
from lib.log import TaskLog
from lib.views.app_runtime import AppRuntime
from lib.provider import errors
from lib.views.board import explain_failure
from lib.views.words import plural

PASS, FAIL, NOT_RUN = "pass", "fail", "not run"
FINAL = ("succeeded", "failed")


@dataclass
class Outcome:
    """A check's result: ``status``, a sentence, and the evidence (task ids, event notes)."""

    status: str
    detail: str
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass
class Context:
    rt: AppRuntime
    timeout_s: float = 180.0
    found: dict[str, Any] = field(default_factory=dict)

    def wait_final(self, task_id: str, timeout: float | None = None) -> dict:
        deadline = time.monotonic() + (self.timeout_s if timeout is None else timeout)
        while time.monotonic() < deadline:
            self.rt.tracker.run_once()
            task = self.rt.log.get_task(task_id)
            if task and task["state"] in FINAL:
                return dict(task)
            time.sleep(0.5)
        return dict(self.rt.log.get_task(task_id) or {})

    def events(self, task_id: str, kind: str) -> list[dict]:
        return [dict(e) for e in self.rt.log.events_for(task_id) if e["kind"] == kind]


def _submit(ctx: Context, op: str, values: dict) -> dict:
    prepared = prepare(ops.get(op), values, ctx.rt.callback_url)
    if not prepared.ok:
        raise ValueError("; ".join(e.message for e in prepared.errors))
    task_id = ctx.rt.tracker.submit(op, prepared.body)
    return dict(ctx.rt.log.get_task(task_id) or {"id": task_id, "state": "unknown"})


def task_creation(ctx: Context) -> Outcome:
    """The provider accepts a create and names its task (a lyrics request, the cheapest)."""
    task = _submit(ctx, "lyrics", {"prompt": "a short song about a launch review"})
    ctx.found["task"] = task["id"]
    if task["provider_task_id"]:
        return Outcome(PASS, f"Accepted as provider task {task['provider_task_id']}.",
                       {"tasks": [task["id"]]})
    return Outcome(FAIL, f"Not accepted: {task.get('error_message') or task['state']}",
                   {"tasks": [task["id"]]})


def polling(ctx: Context) -> Outcome:
    """The tracker follows that task to a final state through the query route."""
    task_id = ctx.found.get("task")
    if not task_id:
        return Outcome(NOT_RUN, "Needs the task of the creation check.")
    task = ctx.wait_final(task_id)
    polls = ctx.events(task_id, "poll")
    evidence = {"tasks": [task_id], "polls": len(polls)}
    if task.get("state") == "succeeded":
        return Outcome(PASS, f"Succeeded after {plural(len(polls), 'poll')}.", evidence)
    return Outcome(FAIL, f"Ended {task.get('state')}: {task.get('error_message') or ''}",
                   evidence)


def callback_reachability(ctx: Context) -> Outcome:
    """A callback from the provider actually reached SONGBENCH_PUBLIC_URL."""
    if not ctx.rt.settings.public_url:
        return Outcome(NOT_RUN, "No SONGBENCH_PUBLIC_URL: tasks progress by polling only.")
    task_id = ctx.found.get("task")
    if not task_id:
        return Outcome(NOT_RUN, "Needs the task of the creation check.")
    deadline = time.monotonic() + min(ctx.timeout_s, 60.0)
    while time.monotonic() < deadline and not ctx.events(task_id, "callback"):
        time.sleep(0.5)
    received = ctx.events(task_id, "callback")
    if received:
        ctx.found["callback"] = received[0]
        return Outcome(PASS, f"{plural(len(received), 'callback')} received for the task.",
                       {"tasks": [task_id], "callbacks": [e["note"] for e in received]})
    return Outcome(FAIL, "No callback arrived: is the public URL reachable from the provider?",
                   {"tasks": [task_id]})


def duplicate_callbacks(ctx: Context) -> Outcome:
    """A stored callback delivered twice (through the callback route) changes nothing."""
    stored = ctx.found.get("callback")
    task_id = ctx.found.get("task")
    if not stored or not task_id or not ctx.rt.settings.public_url:
        return Outcome(NOT_RUN, "Needs a received callback (see the reachability check).")
    before: Mapping[str, Any] = ctx.rt.log.get_task(task_id) or {}
    url = f"{ctx.rt.callback_url}/{task_id}"
    body = json.loads(stored["body_json"])
    answers = [httpx.post(url, json=body, timeout=10).status_code for _ in range(2)]
    ctx.rt.tracker.run_once()
    after: Mapping[str, Any] = ctx.rt.log.get_task(task_id) or {}
    same = ((before.get("state"), before.get("result_json"))
            == (after.get("state"), after.get("result_json")))
    evidence = {"tasks": [task_id], "answers": answers}
    if answers == [200, 200] and same:
        return Outcome(PASS, "Delivered twice: answered 200 both times, task unchanged.",
                       evidence)
    return Outcome(FAIL, f"Answers {answers}; task changed: {not same}.", evidence)


def failed_task_display(ctx: Context) -> Outcome:
    """A request the provider refuses is shown in words (a WAV of a task that does not exist:
    refused before anything is made)."""
    task = _submit(ctx, "wav", {"taskId": "songbench-launch-check", "audioId": "no-such-track"})
    failure = explain_failure(task)
    evidence = {"tasks": [task["id"]], "code": task.get("error_code")}
    if task["state"] == "failed" and failure and failure.text and failure.credits:
        return Outcome(PASS, f"Shown as: “{failure.text}” {failure.credits}", evidence)
    return Outcome(FAIL, f"Ended {task['state']} without words for the user.", evidence)


#: How far the storage check ages its own song on the simulator (its files are kept 15 days).
AGE_S = 16 * 86400


def output_storage(ctx: Context) -> Outcome:
    """The archived copy of a song plays after the provider's URL expired (on the simulator,
    this check's own song is aged 16 days: no other task's links expire; a real provider's
    expiry cannot be forced, so its archive is checked)."""
    song = _submit(ctx, "generate", {"customMode": False, "instrumental": True, "model": "V5",
                                     "prompt": "a short launch-check jingle"})
    task = ctx.wait_final(song["id"])
    tracks = ctx.rt.log.tracks_for(song["id"])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and tracks and not all(
            t["local_audio_path"] for t in ctx.rt.log.tracks_for(song["id"])):
        ctx.rt.tracker.run_once()
        time.sleep(0.3)
    tracks = ctx.rt.log.tracks_for(song["id"])
    evidence: dict[str, Any] = {"tasks": [song["id"]]}
    if task.get("state") != "succeeded" or not tracks or not tracks[0]["local_audio_path"]:
        return Outcome(FAIL, f"No archived copy (task {task.get('state')}).", evidence)
    track = tracks[0]
    expired = None
    if (controls := sim_controls(ctx.rt)) is not None:
        controls.advance_clock(AGE_S, task_id=song["provider_task_id"])  # this song only
        expired = httpx.get(track["audio_url"] or "", timeout=10).status_code
    data = Path(track["local_audio_path"] or "").read_bytes()
    evidence.update(provider_url_status=expired, archived_bytes=len(data))
    if expired not in (None, 404):
        return Outcome(FAIL, f"The provider URL still answers {expired} after "
                             f"{AGE_S // 86400} days.", evidence)
    if len(data) > 1000:
        where = ("after the provider's URL expired (HTTP 404)" if expired
                 else "(a real provider's expiry cannot be forced)")
        return Outcome(PASS, f"The archived copy ({len(data)} bytes) is kept {where}.", evidence)
    return Outcome(FAIL, "The archived copy is empty.", evidence)


#: The refusals users meet for quota and policy, and our words for them.
POLICY_CODES = {429: "out of credits", 430: "call frequency", 455: "maintenance"}


def policy_messages(ctx: Context) -> Outcome:
    """The messages users see for 429, 430, 455 and sensitive words (forced through the
    simulator's faults; with a real provider, only our words are shown)."""
    words = {code: errors.error_for(code, "").explain() for code in POLICY_CODES}
    controls = sim_controls(ctx.rt)
    if controls is None:
        return Outcome(NOT_RUN, "A real provider cannot be made to refuse on purpose; "
                                "the words shown are ours.", {"words": words})
    seen: dict[str, str] = {}
    tasks = []
    try:
        for code in POLICY_CODES:
            controls.set_faults({f"rate_{code}": 1.0})
            task = _submit(ctx, "lyrics", {"prompt": f"launch check {code}"})
            tasks.append(task["id"])
            seen[str(code)] = f"{task['state']}: {task.get('error_message')}"
            controls.set_faults({f"rate_{code}": 0.0})
        task = _submit(ctx, "lyrics", {"prompt": "a forbidden word"})  # the simulator's word
        task = ctx.wait_final(task["id"], 60)
        tasks.append(task["id"])
        failure = explain_failure(task)
        seen["sensitive"] = f"{task['state']}: {failure.text if failure else ''}"
    finally:
        controls.reset_faults()
    ok = all(v.startswith("failed: ") and len(v) > 20 for v in seen.values())
    return Outcome(PASS if ok else FAIL, "; ".join(f"{k} -> {v}" for k, v in seen.items()),
                   {"tasks": tasks})


def history(log: TaskLog, limit: int = 500) -> list[Any]:
    """The kept check results, newest first (the page's history and export)."""
    return log.check_results(limit=limit)
