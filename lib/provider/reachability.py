"""Whether the provider answers, per base URL, as the tracker's polls and creates find it.

A poll that gets no answer (nothing reached it, a timeout, a gateway page, HTTP 5xx,
maintenance) is a failure; any readable answer, a refusal or "not found" included, is a good
answer. The board shows the state on the cards that wait on that provider and the sidebar in
the status panel: since when it fails, how many tries failed, the next try and the last good
answer (`Reach.words`). Thread-safe, in memory: a restart starts from "no answer yet".
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from lib.provider.errors import (
    Maintenance, ProviderError, SongbenchError, TransportError, UnknownOutcome,
)

#: Errors that mean the provider did not answer (or answered only with a server failure).
UNREACHABLE = (TransportError, UnknownOutcome, ProviderError, Maintenance)


def unreachable(exc: BaseException) -> bool:
    """Whether ``exc`` (raised by a poll or a create) says the provider did not answer."""
    return isinstance(exc, UNREACHABLE)


@dataclass(frozen=True)
class Reach:
    """One provider's reachability; times are wall-clock seconds (``time.time``)."""

    last_good: float | None = None
    failing_since: float | None = None
    failures: int = 0
    last_error: str | None = None
    next_try: float | None = None

    @property
    def failing(self) -> bool:
        return self.failing_since is not None

    def words(self, now: float | None = None,
              clock_text: Callable[[float], str] | None = None) -> str | None:
        """``"Provider not answering since 12:03:10 (5 failed tries); next try in 4 s; last good
        answer 12:02:58"`` while it fails, else None."""
        if self.failing_since is None:
            return None
        now = time.time() if now is None else now
        at = clock_text or _clock
        parts = [f"Provider not answering since {at(self.failing_since)} "
                 f"({self.failures} failed {'try' if self.failures == 1 else 'tries'})"]
        if self.next_try is not None:
            wait = self.next_try - now
            parts.append(f"next try in {wait:.0f} s" if wait >= 1 else "next try now")
        parts.append(f"last good answer {at(self.last_good)}" if self.last_good
                     else "no good answer yet")
        return "; ".join(parts)


def _clock(ts: float) -> str:
    return datetime.fromtimestamp(ts).strftime("%H:%M:%S")


class Reachability:
    """Per base URL: the last good answer and the current run of failures."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_url: dict[str, Reach] = {}

    def answered(self, base_url: str | None, now: float) -> None:
        with self._lock:
            self._by_url[base_url or ""] = Reach(last_good=now)

    def failed(self, base_url: str | None, error: SongbenchError | BaseException, now: float,
               next_try: float | None) -> None:
        """One more failed try; ``next_try`` None (a create, a balance read) keeps a poll's
        next try that is still ahead."""
        base_url = base_url or ""
        words = error.explain() if isinstance(error, SongbenchError) else str(error)
        with self._lock:
            old = self._by_url.get(base_url, Reach())
            self._by_url[base_url] = replace(
                old, failing_since=old.failing_since or now, failures=old.failures + 1,
                last_error=words[:300],
                next_try=next_try if next_try is not None
                else (old.next_try if old.next_try and old.next_try > now else None))

    def get(self, base_url: str | None) -> Reach:
        with self._lock:
            return self._by_url.get(base_url or "", Reach())

    def failing(self) -> dict[str, Reach]:
        """The providers failing now, by base URL."""
        with self._lock:
            return {url: r for url, r in self._by_url.items() if r.failing}


#: The process's reachability (the tracker's polls and creates and the balance reads feed it;
#: pages read it).
REACHABILITY = Reachability()
