"""Switchable faults of the simulator.

A `Faults` value holds every knob; `FaultState` wraps one behind a lock so the admin routes
(`GET/POST /_sim/faults`, `POST /_sim/faults/reset`) can read, merge and reset them while
requests and workers consult it.

Knobs (all off by default except `sensitive_words`):

* `latency_ms`: extra delay before every API answer (create, poll, sync ops).
* `rate_429`, `rate_430`, `rate_455`, `rate_500`: probabilities (0..1) that a create call is
  answered with that body code instead of being executed. `rate_500_poll` does the same for polls.
* `create_timeout`: seconds; when > 0 a create call creates the task, then sleeps that long before
  answering (so a client with a shorter timeout sees an ambiguous outcome).
* `fail_rate`: probability that an accepted task fails during generation (GENERATE_*_FAILED,
  code 531 "credits refunded", `error` callback); its credits are returned (see `engine`).
* `sensitive_words`: a music/lyrics task whose prompt, lyrics, style or title contains one of them
  (case-insensitive) ends in SENSITIVE_WORD_ERROR (credits returned).
* `duplicate_callbacks`: every callback is delivered twice.
* `late_callbacks`: seconds to wait before delivering each callback.
* `out_of_order_callbacks`: music callbacks are sent complete first, then first, then text.

The text and media routes (`routes_openai`, `routes_dashscope`, `routes_kling`) have their own:

* `rate_429_text`, `rate_503_text`: probabilities that a chat completion (or model list) is
  answered HTTP 429 `rate_limit_error` / 503 upstream unavailable, in the gateway's shape.
* `rate_429_media`, `rate_503_media`: the same for a DashScope or Kling create (DashScope
  `Throttling.RateQuota` / `ServiceUnavailable`, Kling 1302 / 5001, `/openai/v1/videos` in the
  gateway's shape).
* `gateway_errors`: auth and limit errors on the media routes come in the AnyInt gateway's
  `{"error": {...}}` shape instead of the provider's own (contract-media 6.4: both are possible).

`latency_ms` delays every answer of those routes too, `rate_500_poll` their polls, and
`fail_rate` fails their accepted tasks as well (DashScope `FAILED`, Kling `failed`).

The credit balance is not a fault but the admin route accepts `{"credits": N}` as well; the
server forwards that key to the engine (see `routes_admin`).
"""

from __future__ import annotations

import dataclasses
import random
import threading
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Faults:
    """Current fault settings (see the module docstring for the meaning of each field)."""

    latency_ms: int = 0
    rate_429: float = 0.0
    rate_430: float = 0.0
    rate_455: float = 0.0
    rate_500: float = 0.0
    rate_500_poll: float = 0.0
    create_timeout: float = 0.0
    fail_rate: float = 0.0
    sensitive_words: list[str] = field(default_factory=lambda: ["forbidden"])
    duplicate_callbacks: bool = False
    late_callbacks: float = 0.0
    out_of_order_callbacks: bool = False
    rate_429_text: float = 0.0
    rate_503_text: float = 0.0
    rate_429_media: float = 0.0
    rate_503_media: float = 0.0
    gateway_errors: bool = False

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready copy."""
        return dataclasses.asdict(self)


_RATES = ("rate_429", "rate_430", "rate_455", "rate_500", "rate_500_poll", "fail_rate",
          "rate_429_text", "rate_503_text", "rate_429_media", "rate_503_media")


def _coerce(name: str, value: Any, current: Any) -> Any:
    """Convert one incoming JSON value to the type of the field, or raise ValueError."""
    if isinstance(current, bool):
        if not isinstance(value, bool):
            raise ValueError(f"{name} must be a boolean")
        return value
    if isinstance(current, list):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
            raise ValueError(f"{name} must be a list of strings")
        return [w for w in value if w]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{name} must be a number")
    if name in _RATES and not 0 <= value <= 1:
        raise ValueError(f"{name} must be between 0 and 1")
    if value < 0:
        raise ValueError(f"{name} must be >= 0")
    return int(value) if isinstance(current, int) else float(value)


class FaultState:
    """Thread-safe holder of the current `Faults` with a seeded random source."""

    def __init__(self, faults: Faults | None = None, seed: int = 0) -> None:
        self._faults = faults or Faults()
        self._lock = threading.Lock()
        self._rng = random.Random(seed)

    def get(self) -> Faults:
        """A snapshot (copy) of the current settings."""
        with self._lock:
            return dataclasses.replace(self._faults, sensitive_words=list(self._faults.sensitive_words))

    def merge(self, changes: dict[str, Any]) -> Faults:
        """Apply the known keys of `changes`; unknown keys or bad values raise ValueError."""
        with self._lock:
            current = self._faults.to_dict()
            unknown = set(changes) - set(current)
            if unknown:
                raise ValueError(f"unknown fault(s): {', '.join(sorted(unknown))}")
            updated = {k: _coerce(k, v, current[k]) for k, v in changes.items()}
            self._faults = dataclasses.replace(self._faults, **updated)
        return self.get()

    def reset(self) -> Faults:
        """Back to the default settings."""
        with self._lock:
            self._faults = Faults()
        return self.get()

    def roll(self, rate: float) -> bool:
        """True with probability `rate`."""
        if rate <= 0:
            return False
        with self._lock:
            return self._rng.random() < rate

    def sensitive_hit(self, *texts: Any) -> str | None:
        """The first sensitive word contained in any of `texts`, or None."""
        words = self.get().sensitive_words
        joined = " ".join(str(t) for t in texts if t).lower()
        return next((w for w in words if w.lower() in joined), None)
