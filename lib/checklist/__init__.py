"""The launch checklist: the production checks a team runs before going live, against
whichever provider is configured, each with pass / fail / not run, its evidence (the tasks and
events it produced) and its cost shown before it runs. Results are kept in the task log
(`TaskLog.record_check`) and export as CSV or JSON for a launch review.

    run_id = checklist.run(rt)              # every check, in order
    checklist.latest(rt.log)               # {check key: result row} of the newest run
"""

from __future__ import annotations

import csv
import io
import json
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from lib import ops
from lib.views.app_runtime import AppRuntime
from lib.log import TaskLog
from lib.checklist import checks
from lib.checklist import media
from lib.checklist.checks import FAIL, NOT_RUN, PASS, Context, Outcome

__all__ = ["CHECKS", "Check", "PASS", "FAIL", "NOT_RUN", "run", "latest", "total_cost",
           "export_csv", "export_json"]


@dataclass(frozen=True)
class Check:
    key: str
    title: str
    proves: str
    #: Operations it submits (their estimated credits are its cost).
    submits: tuple[str, ...]
    fn: Callable[[Context], Outcome]
    #: The API family it needs (`lib.provider.hub.Providers.offers`): where the configured
    #: provider does not offer it, the check is not run and says why.
    needs: str = "music"

    @property
    def cost(self) -> int:
        return sum(ops.get(op).credits_estimate for op in self.submits)


CHECKS = (
    Check("creation", "Task creation", checks.task_creation.__doc__ or "", ("lyrics",),
          checks.task_creation),
    Check("polling", "Polling to a final state", checks.polling.__doc__ or "", (),
          checks.polling),
    Check("callbacks", "Callback reachability", checks.callback_reachability.__doc__ or "", (),
          checks.callback_reachability),
    Check("duplicates", "Duplicate callback handling", checks.duplicate_callbacks.__doc__ or "",
          (), checks.duplicate_callbacks),
    Check("failure", "Failed-task display", checks.failed_task_display.__doc__ or "", ("wav",),
          checks.failed_task_display),
    Check("storage", "Output URL storage", checks.output_storage.__doc__ or "", ("generate",),
          checks.output_storage),
    Check("policy", "Quota and policy messages", checks.policy_messages.__doc__ or "",
          ("lyrics",), checks.policy_messages),
    # the media and text families (issue 16): `lib.checklist.media`
    Check("image", "Image creation", media.image_creation.__doc__ or "", ("qwen_image",),
          media.image_creation, "media"),
    Check("video_creation", "Video task creation", media.video_creation.__doc__ or "",
          ("video_t2v", "kling_t2v"), media.video_creation, "media"),
    Check("video_polling", "Video polling to a final state", media.video_polling.__doc__ or "",
          (), media.video_polling, "media"),
    Check("expired", "Expired or invalid task ids", media.expired_ids.__doc__ or "", (),
          media.expired_ids, "media"),
    Check("error_shapes", "Both error shapes", media.error_shapes.__doc__ or "", (),
          media.error_shapes, "media"),
    Check("media_limits", "Rate-limit messages (media, text)", media.media_limits.__doc__ or "",
          (), media.media_limits, "media"),
    Check("media_policy", "Content refusals (images, video, text)",
          media.media_policy.__doc__ or "", (), media.media_policy, "media"),
    Check("text", "Text: models and a chat completion", media.text.__doc__ or "",
          ("text_chat",), media.text, "text"),
)
BY_KEY = {c.key: c for c in CHECKS}


def total_cost(keys: Iterable[str] | None = None) -> int:
    """Estimated credits of running these checks (all by default)."""
    return sum(BY_KEY[k].cost for k in (keys or BY_KEY))


def run(rt: AppRuntime, keys: Iterable[str] | None = None, *, timeout_s: float = 180.0,
        on_result: Callable[[Check, Outcome], None] | None = None) -> str:
    """Run the checks (in their order; later ones use what earlier ones made) and keep every
    result in the log; returns the run id. A check that raises is a ``fail`` with the error."""
    run_id = uuid.uuid4().hex[:12]
    ctx = Context(rt, timeout_s=timeout_s)
    provider = "simulator" if rt.simulator is not None else rt.settings.base_url
    wanted = set(keys or BY_KEY)
    for check in CHECKS:
        if check.key not in wanted:
            continue
        started = time.time()
        try:
            reason = rt.tracker.providers.not_offered(check.needs)
            outcome = Outcome(NOT_RUN, reason) if reason else check.fn(ctx)
        except Exception as exc:
            outcome = Outcome(FAIL, f"The check stopped: {type(exc).__name__}: {exc}")
        rt.log.record_check(run_id, check.key, check.title, outcome.status, outcome.detail,
                            outcome.evidence, check.cost, provider, started, time.time())
        if on_result is not None:
            on_result(check, outcome)
    return run_id


def latest(log: TaskLog) -> dict[str, dict[str, Any]]:
    """The newest result of each check."""
    out: dict[str, dict[str, Any]] = {}
    for row in log.check_results(limit=500):
        out.setdefault(row["check_key"], row)
    return out


FIELDS = ("run_id", "check_key", "title", "status", "detail", "cost", "provider", "started_at",
          "finished_at", "evidence")


def export_json(rows: list[dict[str, Any]]) -> bytes:
    return json.dumps([{k: r.get(k) for k in FIELDS} for r in rows], ensure_ascii=False,
                      indent=2).encode("utf-8")


def export_csv(rows: list[dict[str, Any]]) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=FIELDS)
    writer.writeheader()
    for r in rows:
        writer.writerow({**{k: r.get(k) for k in FIELDS},
                         "evidence": json.dumps(r.get("evidence"), ensure_ascii=False)})
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
