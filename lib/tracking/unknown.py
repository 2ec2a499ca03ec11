"""The ways out of ``unknown`` - a create whose outcome we cannot tell, which may be a paid job.

* `expire_unsent(log, now)`: a ``pending`` task that never learnt its provider id and whose
  create can no longer be in flight (older than `STALE_SEND_S`: the app stopped, or crashed,
  while sending) becomes ``unknown`` with `UNSENT_MESSAGE`. The tracker runs it at start and on
  every tick. The first callback naming the task (its URL carries our local id) links it.
* `link_by_hand(log, client, task_id, provider_task_id)`: a user pastes the provider task id
  (e.g. from the provider's dashboard); it is accepted only if the provider's query route knows
  it, and no other task of ours has it. The tracker then polls it like any task.
* `mark_not_created(log, task_id)`: the user knows nothing was made; the task fails with that
  reason (it is not polled, and the duplicate guard stops counting it).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from lib.contract.states import State
from lib.log import EventKind, TaskLog
from lib.provider.errors import NotFound, SongbenchError
from lib.provider.adapters.base import HttpAdapter
from lib.provider.hub import Providers

#: Longer than any create can take: the rate limiter's wait, connect retries and the read.
STALE_SEND_S = 120.0
UNSENT_MESSAGE = ("The app stopped, or lost the answer, while this request was being sent: the "
                  "provider may have created the job and charged for it. A callback from the "
                  "provider links it automatically; you can also link it by its provider task "
                  "id, or mark it as not created.")
NOT_CREATED = "Marked as not created by hand: the provider made no job for this request."


def expire_unsent(log: TaskLog, now: float | None = None) -> list[str]:
    """Pending tasks without a provider id older than `STALE_SEND_S` become ``unknown``."""
    now = time.time() if now is None else now
    ids = log.expire_unsent(older_than=now - STALE_SEND_S, message=UNSENT_MESSAGE, now=now)
    for task_id in ids:
        log.log_event(task_id, EventKind.STATE, note="pending -> unknown",
                      body={"from": "pending", "to": "unknown", "why": UNSENT_MESSAGE})
    return ids


@dataclass(frozen=True)
class Resolution:
    """What a way out did: ``ok`` and a sentence for the user."""

    ok: bool
    message: str


def link_by_hand(log: TaskLog, client: Providers | HttpAdapter, task_id: str,
                 provider_task_id: str, now: float | None = None) -> Resolution:
    """Link ``provider_task_id`` to an ``unknown`` (or unlinked pending) task after the
    provider confirmed it knows that task (asked through the task's own provider adapter)."""
    now = time.time() if now is None else now
    task = log.get_task(task_id)
    provider_task_id = (provider_task_id or "").strip()
    if task is None:
        return Resolution(False, f"No task {task_id} in the log.")
    if not provider_task_id:
        return Resolution(False, "Provider task id: required.")
    if task["provider_task_id"]:
        return Resolution(False, f"This task is already linked to {task['provider_task_id']}.")
    if task["state"] not in (State.UNKNOWN.value, State.PENDING.value):
        return Resolution(False, f"Only an unknown task can be linked (this one is "
                                 f"{task['state']}).")
    other = log.find_by_provider_id(provider_task_id)
    if other is not None:
        return Resolution(False, f"Provider task {provider_task_id} already belongs to task "
                                 f"{other['id'][:8]}.")
    try:
        Providers.of(client).for_task(task).query(task["family"], provider_task_id,
                                                  op=task["op"])
    except NotFound:
        return Resolution(False, f"The provider does not know task {provider_task_id}; check "
                                 "the id (nothing was linked).")
    except SongbenchError as exc:
        return Resolution(False, f"Could not check the id with the provider: {exc.explain()}")
    log.link_provider_id(task_id, provider_task_id, now=now)
    log.log_event(task_id, EventKind.STATE, note=f"linked to provider task {provider_task_id} "
                  "by hand", body={"provider_task_id": provider_task_id}, at=now)
    return Resolution(True, f"Linked to provider task {provider_task_id}; it is polled now.")


def mark_not_created(log: TaskLog, task_id: str, now: float | None = None) -> Resolution:
    """An ``unknown`` task the user knows was never made fails with that reason."""
    now = time.time() if now is None else now
    task = log.get_task(task_id)
    if task is None:
        return Resolution(False, f"No task {task_id} in the log.")
    if task["state"] != State.UNKNOWN.value:
        return Resolution(False, f"Only an unknown task can be marked (this one is "
                                 f"{task['state']}).")
    log.mark_failed(task_id, None, NOT_CREATED, now=now)
    log.log_event(task_id, EventKind.STATE, note="unknown -> failed",
                  body={"from": "unknown", "to": "failed", "why": NOT_CREATED}, at=now)
    return Resolution(True, "Marked as not created.")
