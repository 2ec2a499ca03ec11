"""The tracker: submits tasks, polls them on a back-off schedule, takes callbacks as hints.

Rules (docs/architecture.md, design.md "Data flow"):

* the task row is written BEFORE the POST; a timeout after sending makes it ``unknown`` (never
  resubmitted silently), a rejection makes it ``failed`` with the provider's code and a readable
  message, nothing-sent (`TransportError`) makes it ``failed`` too (safe to resubmit by hand);
* every task is sent through its operation's provider adapter and its row names that provider,
  base URL and dialect; it is polled through the adapter of exactly those
  (`lib.provider.hub.Providers.for_task`), so a task created before a settings change still
  finishes where it was made;
* synchronous operations (timestamped lyrics, style boost, persona) finish at once, their
  answer parsed by the operation's own family;
* polls: first after ``first_delay`` seconds, then ``first_delay * factor**n`` capped at
  ``max_delay``; a failed poll backs off and is logged, it never fails the task - except
  "task not found" (body code 404; Kling's 1203, `TaskNotFound`) on `MISSES_TO_FAIL` polls in
  a row: the provider forgot the task (expired, or reset), so it fails with that reason;
  terminal tasks and tasks without a provider id are never polled; states never move
  backwards;
* with callbacks on (``callback_base``) scheduled polls are a safety net every ``max_delay``
  seconds: a ``first``, ``complete`` or ``error`` callback makes the task due, ``text`` and a
  duplicate of what a poll already read do not (`rereads`), nor a copy of a delivery whose
  re-read is still to come (copies share one), never sooner than `REREAD_GAP_S` after the
  task's last poll, so a song costs about two polls;
* callbacks are logged and only make the task due now: the state always comes from the
  authenticated poll route, so a forged callback cannot plant URLs; a callback that overtakes
  the create response (its task id is not stored yet) is remembered and the task is due as
  soon as the id is stored. The callback route hands them over in batches
  (`take_callbacks`, from `lib.tracking.inbox`): one write each, identical deliveries once;
  a ``text`` stage that no re-read saw is dated by its callback (`lib.tracking.hints`);
* finished assets are archived by the `AssetArchiver` on every tick (retrying failures).

``clock`` drives scheduling only; events are stamped with wall-clock time, like the client's.
"""

from __future__ import annotations

import collections
import logging
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from lib import families, ops
from lib.contract.operation import MUSIC
from lib.contract.states import Stage, State
from lib.log import CallbackDelivery, CellRef, EventKind, TaskLog, TaskRow
from lib.provider.errors import (
    ApiError, NotFound, NotOffered, SongbenchError, TaskNotFound, TransportError, UnknownOutcome,
)
from lib.provider.adapters.base import HttpAdapter
from lib.provider.hub import Providers
from lib.tracking import unknown
from lib.tracking.assets import AssetArchiver
from lib.provider.reachability import Reachability, unreachable
from lib.tracking.callbacks import CallbackError, CallbackInfo, parse_callback
from lib.tracking.hints import Hints, Incoming, coalesce

logger = logging.getLogger(__name__)

_SEARCH_FIELDS = ("prompt", "lyrics", "style", "tags", "content", "description")
_TITLE_FIELDS = ("title", "name", "voiceName")
_EARLY_MAX = 256
#: Polls in a row answered "task not found" before the task fails (the provider forgot it).
MISSES_TO_FAIL = 3


def _first(body: dict, names: tuple[str, ...] | list[str]) -> str | None:
    value = next((body[k] for k in names if isinstance(body.get(k), str) and body[k]), None)
    return value


def describe_request(op: str, body: dict) -> dict:
    """The searchable summary columns of a task, taken from the request body: the source task
    and track come from the fields the operation's source pickers fill."""
    text = "\n".join(str(body[k]) for k in _SEARCH_FIELDS if body.get(k))
    into = {name: value for s in ops.get(op).ui.sources for name, value in s.into.items()}
    model = body.get("model")
    return {
        "model": model if isinstance(model, str) else None,
        "title": _first(body, _TITLE_FIELDS),
        "prompt": text or None,
        "parent_task_id": _first(body, [n for n, v in into.items() if v == "provider_task_id"]),
        "source_audio_id": _first(body, [n for n, v in into.items() if v == "audio_id"]),
    }


#: Callback types that change what the user sees or what is stored, and the stages at which a
#: poll already read what they announce (a duplicate asks for nothing new). ``text`` only
#: says the lyrics are written: the next scheduled poll reads them.
_REREAD: dict[str, tuple[str, ...]] = {
    "first": (Stage.FIRST.value, Stage.COMPLETE.value, Stage.ERROR.value),
    "complete": (Stage.COMPLETE.value, Stage.ERROR.value),
    "error": (Stage.ERROR.value,),
}


#: A callback never makes a task due sooner than this after its last poll: what arrives for
#: one task meanwhile (copies, a burst of stages) shares one re-read.
REREAD_GAP_S = 1.0


def rereads(callback_type: str) -> tuple[bool, tuple[str, ...]]:
    """``(make the task due, unless its stage is one of these)`` for a callback of this type:
    first, complete and error (and any type we do not know) re-read the task from the
    authenticated poll route; text does not, nor a duplicate of what a poll already read."""
    if callback_type == "text":
        return False, ()
    return True, _REREAD.get(callback_type, ())


class Tracker:
    """Drives tasks through their lifecycle; thread-safe (`run_once` is serialised).

    ``client``: the process's `Providers` (or one adapter, which becomes its provider's).
    ``callback_base``: our callback URL (``.../api/callbacks/<secret>``), or None when polling
    only. A body whose callback field carries it is sent with ``/<local task id>`` appended, so
    the first callback can link a task that never learnt its provider id. ``on_due`` is called
    when callbacks made a task due at once (the runtime wakes its loop: poll now, not at the
    next tick); not for those that ask for nothing, share a re-read or wait the re-read gap.
    """

    def __init__(self, log: TaskLog, client: Providers | HttpAdapter,
                 assets: AssetArchiver | None = None, *,
                 clock: Callable[[], float] = time.time, first_delay: float = 2.0,
                 factor: float = 1.5, max_delay: float = 30.0, batch: int = 20,
                 callback_base: str | None = None,
                 reachability: Reachability | None = None,
                 reread_gap: float = REREAD_GAP_S,
                 on_due: Callable[[], None] = lambda: None) -> None:
        self.log = log
        #: whether the provider answers (the board and the sidebar show it)
        self.reachability = reachability if reachability is not None else Reachability()
        self.callback_base = callback_base
        self.providers = Providers.of(client)
        self.assets = assets
        self.clock = clock
        self.first_delay = first_delay
        self.factor = factor
        self.max_delay = max_delay
        self.batch = batch
        self.reread_gap = reread_gap
        self.on_due = on_due
        #: links and stage claims of callbacks seen in this process (`lib.tracking.hints`)
        self.hints = Hints()
        self._lock = threading.Lock()
        # provider ids whose callback arrived before the create response was stored
        self._early: collections.OrderedDict[str, None] = collections.OrderedDict()
        self._link_lock = threading.Lock()

    @property
    def client(self) -> HttpAdapter:
        """The music provider's adapter for the connection configured now."""
        return self.providers.current(MUSIC)

    def delay(self, polls_done: int, *, calls_back: bool = True) -> float:
        """Seconds to wait before the next poll after ``polls_done`` polls. With callbacks on
        the provider tells us when to look (first, complete, error): a scheduled poll is only
        the safety net for a callback that never comes, every ``max_delay`` seconds. A task
        whose operation carries no callback URL (DashScope, Kling: ``calls_back`` false) is
        polled on the back-off schedule either way."""
        if self.callback_base and calls_back:
            return self.max_delay
        return min(self.max_delay, self.first_delay * self.factor ** polls_done)

    def _calls_back(self, op: str) -> bool:
        """Whether callbacks tell us about tasks of ``op`` (its body carries our URL)."""
        return op not in ops.OPERATIONS or ops.get(op).callback_field is not None

    # -- submit ------------------------------------------------------------------------------
    def submit(self, op: str, body: dict, *, task_id: str | None = None,
               cell: CellRef | None = None, slot_taken: bool = False) -> str:
        """Log, POST and record the outcome of one create request; returns the local task id.

        Never raises for provider/transport problems: the outcome is in the task row. The
        experiment queue passes its ``cell`` (and the ``task_id`` it chose when claiming it),
        and ``slot_taken`` when it already took this create's slot of the rate limit.
        """
        operation = ops.get(op)
        adapter = self.providers.for_op(op)
        where = adapter.connection
        task_id = task_id or uuid.uuid4().hex
        body = self._named_callback(operation.callback_field, body, task_id)
        self.log.create_task(
            op, operation.family, body, provider=adapter.name, dialect=where.dialect,
            base_url=where.base_url, now=self.clock(), task_id=task_id, cell=cell,
            **describe_request(op, body))
        try:
            with self.log.task_scope(task_id):
                result = (adapter.submit(op, body, slot_taken=True) if slot_taken
                          else adapter.submit(op, body))
        except UnknownOutcome as exc:
            self.reachability.failed(where.base_url, exc, self.clock(), None)
            # False when a callback linked the task while we waited: it is tracked already
            self.log.mark_unknown(task_id, exc.explain(), now=self.clock())
            self._event(task_id, EventKind.ERROR, exc)
            return task_id
        except (ApiError, TransportError, NotOffered) as exc:
            if unreachable(exc):
                self.reachability.failed(where.base_url, exc, self.clock(), None)
            elif not isinstance(exc, NotOffered):
                self.reachability.answered(where.base_url, self.clock())
            self.log.mark_failed(task_id, getattr(exc, "code", None), exc.explain(),
                                 now=self.clock())
            self._event(task_id, EventKind.ERROR, exc)
            return task_id
        except Exception as exc:
            # a bug, not a provider answer: we cannot tell whether the request went out
            self.log.mark_unknown(task_id, f"Unexpected error while sending: {exc!r}",
                                  now=self.clock())
            self._event(task_id, EventKind.ERROR, exc)
            raise
        now = self.clock()
        self.reachability.answered(where.base_url, now)
        if operation.sync:
            self._finish_sync(task_id, operation.family, result.data, now)
        else:  # the client guarantees a taskId for async operations
            with self._link_lock:
                self.log.mark_submitted(task_id, str(result.task_id), now=now,
                                        next_poll_at=now + self.delay(
                                            0, calls_back=operation.callback_field is not None))
                self.hints.link(task_id, str(result.task_id))
                overtaken = self._early.pop(str(result.task_id), False) is None
            if overtaken:
                self.log.mark_due(task_id, now=now)
        row = self.log.get_task(task_id)
        self._state_event(task_id, State.PENDING, State(row["state"]) if row else State.PENDING)
        return task_id

    def _named_callback(self, field: str | None, body: dict, task_id: str) -> dict:
        if field and self.callback_base and body.get(field) == self.callback_base:
            return {**body, field: f"{self.callback_base}/{task_id}"}
        return body

    def _finish_sync(self, task_id: str, family: str, data: Any, now: float) -> None:
        provider_id = data.get("taskId") if isinstance(data, dict) else None
        self.log.mark_submitted(task_id, provider_id, now=now, next_poll_at=None)
        poll = families.parse_poll(family, data)
        self.log.apply_poll(task_id, poll, next_poll_at=None, now=now)
        if not poll.state.terminal:
            self.log.mark_failed(task_id, poll.error_code, "The provider answered a synchronous"
                                 " request with a pending result, which cannot be polled.",
                                 now=now)
        elif poll.assets and self.assets is not None:
            # a synchronous answer's files (Qwen-Image's URLs expire after 24 h): archived now;
            # a download that fails is retried by the loop like any other asset
            self.assets.archive_task(task_id)

    def link(self, task_id: str, provider_task_id: str) -> None:
        """Attach a provider task id found by hand (e.g. for an ``unknown`` task); polls it now."""
        self.log.link_provider_id(task_id, provider_task_id, now=self.clock())

    # -- polling -----------------------------------------------------------------------------
    def run_once(self, now: float | None = None) -> int:
        """Poll every due task once, then archive due assets; returns the number polled."""
        with self._lock:
            now = self.clock() if now is None else now
            unknown.expire_unsent(self.log, now=now)
            due = self.log.due_tasks(now, self.batch)
            for task in due:
                self._poll(task, now)
            if self.assets is not None:
                self.assets.archive_due(now=self.clock())
            return len(due)

    def _poll(self, task: TaskRow, now: float) -> None:
        task_id, family = task["id"], task["family"]
        calls_back = self._calls_back(task["op"])
        next_at = now + self.delay(task["poll_count"] + 1, calls_back=calls_back)
        provider_id = task["provider_task_id"] or ""
        base_url = task.get("base_url")
        try:
            adapter = self.providers.for_task(task)
            base_url = adapter.connection.base_url
            with self.log.task_scope(task_id):
                data = adapter.query(family, provider_id, op=task["op"])
            poll = families.parse_poll(family, data)
            url = adapter.poll_url(family, provider_id, task["op"])
        except NotFound as exc:
            self.reachability.answered(base_url, now)
            self._event(task_id, EventKind.ERROR, exc)
            if exc.http_status not in (None, 200) and not isinstance(exc, TaskNotFound):
                # no such route: a configuration problem
                self.log.record_poll_error(task_id, next_poll_at=next_at, now=now)
                return
            misses = self.log.record_poll_miss(task_id, next_poll_at=next_at, now=now)
            if misses >= MISSES_TO_FAIL:
                self.log.mark_failed(task_id, 404, (
                    f"The provider no longer knows this task: it answered \"not found\" to "
                    f"{misses} polls in a row (the task may have expired, or the provider was "
                    "reset). It is not polled any more."), now=now)
                self._state_event(task_id, State(task["state"]), State.FAILED)
            return
        except SongbenchError as exc:
            if unreachable(exc):
                self.reachability.failed(base_url, exc, now, next_at)
            else:  # a readable refusal: the provider answers
                self.reachability.answered(base_url, now)
            self._event(task_id, EventKind.ERROR, exc)
            self.log.record_poll_error(task_id, next_poll_at=next_at, now=now)
            return
        except Exception as exc:
            logger.exception("poll of task %s failed", task_id)
            self._event(task_id, EventKind.ERROR, exc)
            self.log.record_poll_error(task_id, next_poll_at=next_at, now=now)
            return
        self.reachability.answered(base_url, now)
        self.log.log_event(task_id, EventKind.POLL, method="GET", url=url,
                           body=data, note=None if poll.raw_status is None
                           else str(poll.raw_status))
        if poll.stage and poll.stage != task.get("stage") and not (self.callback_base
                                                                  and calls_back):
            # the task moved on (text -> first -> complete): the next stage tends to follow
            # sooner than the back-off would look, so restart from the first delay
            next_at = now + self.first_delay
        old, new = self.log.apply_poll(task_id, poll, next_poll_at=next_at, now=now,
                                       claimed_at=self.hints.claimed_at(task_id))
        if new.terminal:
            self.hints.forget(task_id)
        self._state_event(task_id, old, new)

    def resume(self) -> int:
        """After a restart: every non-terminal task with a provider id becomes due now, and a
        task whose create was cut off long enough ago becomes ``unknown``
        (`lib.tracking.unknown`)."""
        unknown.expire_unsent(self.log, now=self.clock())
        return self.log.resume(now=self.clock())

    # -- callbacks ---------------------------------------------------------------------------
    def on_callback(self, payload: Any, headers: dict | None = None,
                    local_id: str | None = None) -> dict:
        """Log a callback (redacted headers) and make its task due as `rereads` says; never
        raises. One delivery of `take_callbacks`.

        ``local_id`` (from the callback URL) names our task: when that task never learnt its
        provider id (the app stopped, or the create's answer was lost), the callback's task id
        is linked to it - the state still comes from the poll route. Returns ``{"accepted",
        "due"}`` (plus ``linked``, or ``error`` when not accepted): duplicates are accepted
        again (idempotent); callbacks naming no task of ours are kept in the log and shown.
        """
        return self.take_callbacks([Incoming(payload, headers, local_id)])[0]

    def is_hint(self, payload: Any, local_id: str | None) -> bool:
        """Whether a delivery is only a hint for a task whose provider id we know already (the
        route may acknowledge it before it is recorded: it cannot link anything)."""
        try:
            info = parse_callback(payload)
        except CallbackError:
            return False
        return self.hints.knows(local_id, info.task_id)

    def take_callbacks(self, batch: list[Incoming]) -> list[dict]:
        """Record a batch of deliveries in one write (identical ones once, with their count)
        and make their tasks due as `on_callback` says; one answer per delivery."""
        now = self.clock()
        answers: list[dict | None] = [None] * len(batch)
        parsed: list[tuple[int, CallbackInfo]] = []
        for i, incoming in enumerate(batch):
            try:
                parsed.append((i, parse_callback(incoming.payload)))
            except CallbackError as exc:
                self.log.log_event(None, EventKind.CALLBACK, headers=incoming.headers,
                                   body=incoming.payload, note=f"rejected: {exc}")
                answers[i] = {"accepted": False, "due": False, "error": str(exc)}
        groups = [[parsed[j] for j in g] for g in coalesce(
            [(batch[i], info) for i, info in parsed])]
        deliveries = []
        for group in groups:
            i, info = group[0]
            make_due, reached = rereads(info.callback_type)
            deliveries.append(CallbackDelivery(
                info.task_id, batch[i].local_id, batch[i].headers, batch[i].payload,
                f"{info.callback_type} code={info.code} task={info.task_id}",
                make_due=make_due, reached=reached, copies=len(group)))
        with self._link_lock:
            recorded = (self.log.record_callbacks(deliveries, now=now, reread_gap=self.reread_gap)
                        if deliveries else [])
            for group, (task_id, due, linked, _) in zip(groups, recorded, strict=True):
                info = group[0][1]
                if task_id is None:
                    self._early[info.task_id] = None
                    while len(self._early) > _EARLY_MAX:
                        self._early.popitem(last=False)
                    answer = {"accepted": False, "due": False, "error": "unknown task id"}
                else:
                    self.hints.link(task_id, info.task_id)
                    self.hints.claimed(task_id, info, now)
                    answer = {"accepted": True, "due": due, "linked": linked}
                for i, _ in group:
                    answers[i] = answer
        if any(r.due_now for r in recorded):
            self.on_due()
        return [a or {} for a in answers]

    # -- events ------------------------------------------------------------------------------
    def _event(self, task_id: str, kind: EventKind, exc: BaseException) -> None:
        explain = exc.explain() if isinstance(exc, SongbenchError) else repr(exc)
        self.log.log_event(task_id, kind, note=str(exc), body={"explain": explain})

    def _state_event(self, task_id: str, old: State, new: State) -> None:
        if old is not new:
            task: Mapping[str, Any] = self.log.get_task(task_id) or {}
            self.log.log_event(task_id, EventKind.STATE, note=f"{old.value} -> {new.value}",
                               body={"from": old.value, "to": new.value,
                                     "raw_status": task.get("raw_status"),
                                     "stage": task.get("stage")})
