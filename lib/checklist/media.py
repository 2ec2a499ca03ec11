"""The launch checks of the media and text families (issue 16), beside the music ones of
`lib.checklist.checks` and in the same words (`lib.provider.errors`: ``explain()`` of the
shared vocabulary, whoever answered).

* `image_creation` - a Qwen-Image request answered at once, its picture archived and measured;
* `video_creation` / `video_polling` - a DashScope and a Kling video task accepted, then
  followed by the tracker to a final state with their MP4 archived;
* `expired_ids` - task ids the provider no longer knows (DashScope: HTTP 200 ``UNKNOWN``;
  Kling: code 1203) end ``failed`` in words instead of being polled forever;
* `error_shapes` - a refusal in DashScope's ``{code, message, request_id}`` and one in the
  gateway's ``{"error": {...}}`` read the same;
* `media_limits` - HTTP 429 of DashScope, Kling and the text server is a rate limit, not out of
  credits; 503 is said too;
* `media_policy` - content refusals of images, video and text;
* `text` - the text server's model list and one chat completion.

Refusals are forced through the simulator's faults (`lib.app.sim_admin`) where the provider is
the embedded simulator, and the faults the user had are put back afterwards; with a real
provider a check that would need a refusal is ``not run`` and shows our words.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Iterator
from typing import Any, cast

from lib.app.sim_admin import SimControls, sim_controls_for
from lib.checklist.checks import FAIL, NOT_RUN, PASS, Context, Outcome, _submit
from lib.contract.operation import Operation
from lib import ops
from lib.provider import adapters
from lib.provider.adapters.text import TextAdapter
from lib.provider.errors import ApiError, ContentRejected, RateLimited
from lib.text.models import ModelList
from lib.tracking import unknown
from lib.views.board import explain_failure
from lib.views.words import plural

#: The cheapest request of each media family the checks make.
IMAGE = ("qwen_image", {"model": "qwen-image-plus", "prompt": "launch check: a red square",
                        "size": "1328*1328"})
VIDEOS = (("video_t2v", {"model": "wanx2.1-t2v-turbo", "prompt": "launch check: a slow sunrise",
                         "size": "832*480", "duration": 5}),
          ("kling_t2v", {"model_name": "kling-v3", "prompt": "launch check: a slow sunrise",
                         "mode": "std", "duration": 3}))
#: What the content checks send: the simulator's sensitive word (its faults' default).
SENSITIVE = "forbidden"
POLICY = (("image", "qwen_image", {"model": "qwen-image-plus",
                                   "prompt": f"launch check: a {SENSITIVE} picture"}),
          ("DashScope video", "video_t2v", {"model": "wanx2.1-t2v-turbo",
                                            "prompt": f"launch check: a {SENSITIVE} scene"}),
          ("Kling video", "kling_t2v", {"model_name": "kling-v3",
                                        "prompt": f"launch check: a {SENSITIVE} scene"}))


def _provider(op: str) -> str:
    return ops.get(op).provider


def _label(op: str) -> str:
    operation: Operation = ops.get(op)
    return operation.title


def _words(task: dict) -> str:
    """What the user reads about a task that did not succeed (the board's words)."""
    failure = explain_failure(task)
    return failure.text if failure else str(task.get("error_message") or "")


@contextlib.contextmanager
def _faults(controls: SimControls, changes: dict[str, Any]) -> Iterator[None]:
    """These faults for the duration, then the faults the user had."""
    before = controls.read().faults
    controls.set_faults(changes)
    try:
        yield
    finally:
        controls.set_faults({k: before[k] for k in changes if k in before})


def _text_adapter(ctx: Context) -> TextAdapter:
    return cast(TextAdapter, ctx.rt.tracker.providers.current("text"))


def _simulated(ctx: Context, *providers: str) -> SimControls | None:
    """The simulator's controls when every one of ``providers`` is the embedded simulator."""
    found = [sim_controls_for(ctx.rt, p) for p in providers]
    return found[0] if found and all(c is not None for c in found) else None


# -- creation and polling --------------------------------------------------------------------
def image_creation(ctx: Context) -> Outcome:
    """A Qwen-Image request is answered at once (no task to poll), its picture archived and
    measured against the size asked (the image QA)."""
    op, values = IMAGE
    task = _submit(ctx, op, values)
    evidence: dict[str, Any] = {"tasks": [task["id"]]}
    if task["state"] != "succeeded":
        return Outcome(FAIL, f"Ended {task['state']}: {_words(task)}", evidence)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not all(
            a["status"] == "done" for a in ctx.rt.log.assets_for(task["id"])):
        ctx.rt.tracker.run_once()
        time.sleep(0.3)
    images = [a for a in ctx.rt.log.assets_for(task["id"]) if a["kind"].startswith("image")]
    archived = [a for a in images if a["status"] == "done"]
    qa = [r["summary"] for r in ctx.rt.log.media_qa_for(task["id"])]
    evidence.update(images=len(images), archived=len(archived), qa=qa)
    if not images or len(archived) < len(images):
        return Outcome(FAIL, f"{plural(len(images), 'image')} answered, "
                             f"{len(archived)} archived.", evidence)
    return Outcome(PASS, f"Answered at once with {plural(len(images), 'image')}, archived"
                         + (f": {qa[0]}" if qa else "."), evidence)


def video_creation(ctx: Context) -> Outcome:
    """The DashScope and the Kling video routes accept a task and name it."""
    made, seen = [], []
    for op, values in VIDEOS:
        task = _submit(ctx, op, values)
        made.append(task["id"])
        if task["provider_task_id"]:
            seen.append(f"{_label(op)}: accepted as {task['provider_task_id']}")
        else:
            seen.append(f"{_label(op)}: not accepted ({task['state']}): {_words(task)}")
    ctx.found["videos"] = made
    accepted = sum(1 for line in seen if ": accepted as " in line)
    return Outcome(PASS if accepted == len(VIDEOS) else FAIL, "; ".join(seen) + ".",
                   {"tasks": made})


def video_polling(ctx: Context) -> Outcome:
    """The tracker follows both video tasks to a final state through their poll routes, and
    archives each MP4."""
    made = ctx.found.get("videos")
    if not made:
        return Outcome(NOT_RUN, "Needs the tasks of the video creation check.")
    seen, ok = [], True
    polls = {}
    for task_id in made:
        task = ctx.wait_final(task_id)
        deadline = time.monotonic() + 30
        while task.get("state") == "succeeded" and time.monotonic() < deadline and not any(
                a["status"] == "done" for a in ctx.rt.log.assets_for(task_id)):
            ctx.rt.tracker.run_once()
            time.sleep(0.3)
        count = len(ctx.events(task_id, "poll"))
        polls[task_id] = count
        name = _label(task.get("op") or "")
        videos = [a for a in ctx.rt.log.assets_for(task_id) if a["kind"].startswith("video")
                  and a["status"] == "done"]
        if task.get("state") == "succeeded" and videos:
            qa = [r["summary"] for r in ctx.rt.log.media_qa_for(task_id)]
            seen.append(f"{name}: succeeded after {plural(count, 'poll')}, MP4 archived"
                        + (f" ({qa[0]})" if qa else ""))
        else:
            ok = False
            seen.append(f"{name}: ended {task.get('state')}"
                        + (f": {_words(task)}" if task.get("state") != "succeeded"
                           else ", no archived MP4"))
    return Outcome(PASS if ok else FAIL, "; ".join(seen) + ".", {"tasks": made, "polls": polls})


def expired_ids(ctx: Context) -> Outcome:
    """A task id the provider no longer knows (expired after 24 h, or wrong) ends ``failed``
    in words: DashScope answers HTTP 200 with ``UNKNOWN``, Kling its code 1203. Nothing is
    created: the ids are linked by hand to rows of this check, as the task page does."""
    made = []
    for op, values in VIDEOS:
        adapter = ctx.rt.tracker.providers.for_op(op)
        where = adapter.connection
        task_id = ctx.rt.log.create_task(
            op, ops.get(op).family, {**values, "prompt": "launch check: an expired task id"},
            provider=adapter.name, base_url=where.base_url, dialect=where.dialect,
            title="launch check")
        made.append(task_id)
        ctx.rt.tracker.link(task_id, f"songbench-expired-{uuid.uuid4().hex[:12]}")
    seen, ok = [], True
    for task_id in made:  # followed together: Kling needs three polls in a row
        task = ctx.wait_final(task_id, min(ctx.timeout_s, 60.0))
        words, name = _words(task), _label(task.get("op") or "")
        if task.get("state") == "failed" and "no longer knows" in words:
            seen.append(f"{name} ({task.get('raw_status') or task.get('error_code')}): {words}")
        else:
            ok = False
            seen.append(f"{name}: still {task.get('state')} after "
                        f"{plural(len(ctx.events(task_id, 'poll')), 'poll')}"
                        f"{': ' + words if words else ''}")
    return Outcome(PASS if ok else FAIL, " · ".join(seen), {"tasks": made})


# -- refusals --------------------------------------------------------------------------------
def _refused(ctx: Context, op: str, values: dict[str, Any]) -> tuple[dict, str]:
    task = _submit(ctx, op, values)
    return task, _words(task)


def error_shapes(ctx: Context) -> Outcome:
    """A DashScope refusal in DashScope's own shape ``{code, message, request_id}`` and in
    the AnyInt gateway's ``{"error": {...}}`` reads the same (forced through the simulator:
    a rate limit on a video create, refused before anything is made)."""
    op, values = VIDEOS[0]
    controls = _simulated(ctx, _provider(op))
    if controls is None:
        sample = adapters.get("dashscope").error("Throttling.RateQuota", "", 429).explain()
        return Outcome(NOT_RUN, "A real provider cannot be made to refuse on purpose; both "
                                f"shapes read as: {sample}", {"words": sample})
    seen, tasks = {}, []
    for shape, gateway in (("DashScope {code, message, request_id}", False),
                           ('gateway {"error": {...}}', True)):
        with _faults(controls, {"rate_429_media": 1.0, "gateway_errors": gateway}):
            task, words = _refused(ctx, op, values)
        tasks.append(task["id"])
        seen[shape] = (task, words)
        if not gateway:  # the rate-limit check reads this one too (one create fewer)
            ctx.found["dashscope_429"] = (task, words)
    ok = all(t["state"] == "failed" and words.startswith(RateLimited.hint.split(":")[0])
             for t, words in seen.values())
    detail = "; ".join(f"{shape} -> {t['state']}: {words}" for shape, (t, words) in seen.items())
    return Outcome(PASS if ok else FAIL, detail, {"tasks": tasks})


#: What each limit fault forces, per family: (fault, the operation, its body, what the user
#: must read: a sentence start, or None for "any words that are not out of credits").
LIMITS = (("rate_429_media", "video_t2v", VIDEOS[0][1], RateLimited),
          ("rate_429_media", "kling_t2v", VIDEOS[1][1], RateLimited),
          ("rate_429_text", "text_chat", None, RateLimited),
          ("rate_503_media", "video_t2v", VIDEOS[0][1], None),
          ("rate_503_text", "text_chat", None, None))


def _text_values(ctx: Context) -> dict[str, Any]:
    model = ModelList(_text_adapter(ctx)).default()
    return {"model": model, "prompt": "Answer OK."}


def media_limits(ctx: Context) -> Outcome:
    """What users read when DashScope, Kling or the text server refuse for limits: HTTP 429
    there is a rate limit ("Too many requests"), never "Out of credits" (music's 429); a 503
    is said in words too (forced through the simulator's faults)."""
    controls = _simulated(ctx, "dashscope", "kling", "text")
    if controls is None:
        ours = {name: adapters.get(name).error(None, "", 429).explain()
                for name in ("dashscope", "kling", "text")}
        return Outcome(NOT_RUN, "A real provider cannot be made to refuse on purpose; the "
                                "words shown are ours: " + "; ".join(
                                    f"{k} 429 -> {v}" for k, v in ours.items()),
                       {"words": ours})
    text_values = _text_values(ctx)
    seen, tasks, ok = [], [], True
    for fault, op, values, kind in LIMITS:
        if (fault, op) == ("rate_429_media", "video_t2v") and "dashscope_429" in ctx.found:
            task, words = ctx.found["dashscope_429"]  # made by the error shapes check
        else:
            with _faults(controls, {fault: 1.0}):
                task, words = _refused(ctx, op, values if values is not None else text_values)
        tasks.append(task["id"])
        status = fault.split("_")[1]
        if task["state"] == "unknown":
            # a 5xx create proves nothing to the app; the simulator's fault answered before
            # making anything, so the check resolves it (no unknown task is left behind)
            unknown.mark_not_created(ctx.rt.log, task["id"])
            words += " (The simulator refused it before making anything: marked not created.)"
        if kind is not None:
            good = task["state"] == "failed" and words.startswith(kind.hint.split(":")[0])
        else:
            good = task["state"] in ("failed", "unknown") and bool(words)
        good = good and "out of credits" not in words.lower()
        ok = ok and good
        seen.append(f"{_label(op)} {status} -> {task['state']}: {words}")
    return Outcome(PASS if ok else FAIL, "; ".join(seen), {"tasks": tasks})


def media_policy(ctx: Context) -> Outcome:
    """What users read when an image, a video or a text is refused for its content
    (DashScope ``DataInspectionFailed``, Kling 1301, the text server's ``content_filter``;
    forced with the simulator's sensitive word; its text routes have no content check, so
    only our words for a text refusal are shown)."""
    text_words = adapters.get("text").error("content_filter", "", 400).explain()
    controls = _simulated(ctx, "dashscope", "kling")
    if controls is None:
        ours = {"image / video": ContentRejected(None).explain(), "text": text_words}
        return Outcome(NOT_RUN, "A real provider cannot be made to refuse on purpose; the "
                                "words shown are ours: " + "; ".join(
                                    f"{k} -> {v}" for k, v in ours.items()), {"words": ours})
    seen, tasks, ok = [], [], True
    with _faults(controls, {"sensitive_words": [SENSITIVE]}):
        for what, op, values in POLICY:
            task, words = _refused(ctx, op, values)
            tasks.append(task["id"])
            good = task["state"] == "failed" and words.startswith(
                ContentRejected.hint.split(":")[0])
            ok = ok and good
            seen.append(f"{what} -> {task['state']}: {words}")
    seen.append(f"text (our words; the simulator has no text content check) -> {text_words}")
    return Outcome(PASS if ok else FAIL, "; ".join(seen), {"tasks": tasks})


# -- text ------------------------------------------------------------------------------------
def text(ctx: Context) -> Outcome:
    """The text server lists its models and answers one chat completion (the text helper's
    own call: a task row first, the answer its result)."""
    try:
        models = ModelList(_text_adapter(ctx)).get(refresh=True)
    except ApiError as exc:
        return Outcome(FAIL, f"The model list failed: {exc.explain()}")
    except Exception as exc:  # a transport error: words of its own
        explain = getattr(exc, "explain", None)
        return Outcome(FAIL, f"The model list failed: {explain() if explain else exc}")
    if not models:
        return Outcome(FAIL, "The text server lists no models.", {"models": 0})
    task = _submit(ctx, "text_chat", {"model": models[0], "prompt": "Answer OK."})
    evidence = {"tasks": [task["id"]], "models": len(models), "model": models[0]}
    if task["state"] == "succeeded":
        return Outcome(PASS, f"{plural(len(models), 'model')} listed; {models[0]} answered.",
                       evidence)
    return Outcome(FAIL, f"{plural(len(models), 'model')} listed; the chat completion ended "
                         f"{task['state']}: {_words(task)}", evidence)
