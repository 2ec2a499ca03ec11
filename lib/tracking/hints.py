"""What the tracker remembers of callbacks between deliveries (`Tracker` uses it).

Callbacks are hints: the state always comes from the authenticated poll route, and which
deliveries cause a re-read is one rule, `lib.tracking.tracker.rereads` (applied by
`TaskLog.record_callbacks`). This module only holds what the callback route's batches need
besides that rule:

* **coalescing** (`coalesce`): identical deliveries in one batch are recorded once, with their
  count (they share one re-read);
* **links** (`Hints.knows`): the local id -> provider id pairs known in this process, so the
  callback route can acknowledge a delivery for such a task at once (nothing it says must be
  durable before the answer: it cannot link anything);
* **claims** (`Hints.claimed_at`): when a callback first claimed a task's ``text``, ``first``
  or ``complete`` stage. A ``text`` callback causes no re-read, so the stage shows with a
  later poll; when that poll agrees, the stage is dated by its callback, not by the poll.

Memory is bounded (`MAX_REMEMBERED` tasks each); a restart forgets it all (deliveries are then
recorded before they are answered, and stages dated by the poll that saw them).
"""

from __future__ import annotations

import collections
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from lib.contract.states import Stage
from lib.tracking.callbacks import CallbackInfo

MAX_REMEMBERED = 4096
#: The stages a callback's claim can date (`TaskLog.apply_poll`'s ``claimed_at``).
DATED = (Stage.TEXT.value, Stage.FIRST.value, Stage.COMPLETE.value)


@dataclass(frozen=True)
class Incoming:
    """One delivery as the callback route received it."""

    payload: Any
    headers: dict | None = None
    local_id: str | None = None


def coalesce(items: Sequence[tuple[Incoming, CallbackInfo]]) -> list[list[int]]:
    """Groups of indexes of identical deliveries (same task, same local id, same body), in
    order of their first one."""
    groups: dict[tuple, list[int]] = {}
    for i, (incoming, info) in enumerate(items):
        key = (info.task_id, incoming.local_id, _frozen(incoming.payload))
        groups.setdefault(key, []).append(i)
    return list(groups.values())


def _frozen(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    return value


class Hints:
    """The per-process memory of callbacks: thread-safe, bounded."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        #: task id -> {stage: when a callback first claimed it}
        self._claims: collections.OrderedDict[str, dict[str, float]] = (
            collections.OrderedDict())
        self._links: collections.OrderedDict[str, str] = collections.OrderedDict()

    def link(self, task_id: str, provider_task_id: str) -> None:
        with self._lock:
            _put(self._links, task_id, provider_task_id)

    def knows(self, local_id: str | None, provider_task_id: str) -> bool:
        """Whether our task ``local_id`` is known to have this provider id already."""
        with self._lock:
            return local_id is not None and self._links.get(local_id) == provider_task_id

    def claimed(self, task_id: str, info: CallbackInfo, at: float) -> None:
        """A callback for our task ``task_id`` arrived at ``at``; keep its stage's first claim."""
        stage = info.callback_type.lower()
        if stage not in DATED or (info.code is not None and info.code != 200):
            return
        with self._lock:
            claims = self._claims.get(task_id)
            if claims is None:
                claims = {}
                _put(self._claims, task_id, claims)
            claims.setdefault(stage, at)

    def claimed_at(self, task_id: str) -> dict[str, float]:
        with self._lock:
            return dict(self._claims.get(task_id) or {})

    def forget(self, task_id: str) -> None:
        """A finished task."""
        with self._lock:
            self._claims.pop(task_id, None)
            self._links.pop(task_id, None)


def _put(store: collections.OrderedDict, key: str, value: Any) -> None:
    store[key] = value
    store.move_to_end(key)
    while len(store) > MAX_REMEMBERED:
        store.popitem(last=False)
