"""Drive the embedded simulator through its admin HTTP API (``/_sim/...``), as any other client
of the simulator would: Songbench imports nothing from ``simulator/`` except to start it.

* `SimControls(base_url)`: `read()` -> `SimState` (speed, track length, credits, faults);
  `apply(speed=, track_seconds=, credits=, faults=)` validates on the simulator (HTTP 400 with
  ``{"error": "<field>: <reason>"}`` changes nothing) and raises `ValueError` with that text;
  `set_faults(changes)` merges faults (nothing else); `reset_faults()`;
  `advance_clock(seconds, task_id=None)`: every task's files age, or only that provider task's
  (``task_id``: nobody else's links expire).
* `sim_controls(rt)` -> `SimControls | None` (None with a real provider);
  `sim_controls_for(rt, provider)`: the same for the simulator that stands in for one provider
  (``dashscope``, ``kling``, ``text``: none of its own key), whoever serves music.
* `FAULT_GROUPS` / `fault_groups(names)`: the faults in words (label, help) and grouped by the
  API family they act on (every provider, music, music callbacks, media, text), as the Settings
  page shows them; a fault the simulator adds before it is worded here is listed under
  "Other faults" with its own name.

Speed applies to tasks created afterwards; track length to songs rendered afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from lib.views.app_runtime import AppRuntime
from lib.provider.credits import CREDITS

TIMEOUT = httpx.Timeout(5.0, connect=2.0)


@dataclass(frozen=True)
class Fault:
    """One fault knob in words: its label and what it does (the widget's help)."""

    name: str
    label: str
    help: str


@dataclass(frozen=True)
class FaultGroup:
    """The faults that act on one API family (or on every one)."""

    key: str
    title: str
    caption: str
    faults: tuple[Fault, ...]


FAULT_GROUPS = (
    FaultGroup("all", "Every provider", "Act on the music, DashScope and Kling routes alike "
               "(latency on the text routes too).", (
                   Fault("latency_ms", "Extra latency per answer (ms)",
                         "Delay before every API answer: create, poll, chat and model list."),
                   Fault("rate_500_poll", "Server error (500) rate, poll",
                         "Share of polls answered with a server error (music body code 500, "
                         "DashScope InternalError, Kling 5000)."),
                   Fault("fail_rate", "Failed generations rate",
                         "Share of accepted tasks that fail while generating (music "
                         "GENERATE_*_FAILED, DashScope FAILED, Kling failed)."),
                   Fault("sensitive_words", "Sensitive words",
                         "Comma-separated; a music or lyrics prompt, lyrics, style or title "
                         "containing one ends in SENSITIVE_WORD_ERROR, a DashScope or Kling "
                         "prompt is refused for content (DataInspectionFailed, Kling 1301)."),
               )),
    FaultGroup("music", "Music (AI Music API)", "Create calls of the music routes: the "
               "answer's body code.", (
                   Fault("rate_429", "Insufficient credits (429) rate",
                         "Share of music create calls answered with code 429 (out of credits "
                         "on this API)."),
                   Fault("rate_430", "Rate limited (430) rate",
                         "Share of music create calls answered with code 430."),
                   Fault("rate_455", "Maintenance (455) rate",
                         "Share of music create calls answered with code 455."),
                   Fault("rate_500", "Server error (500) rate, create",
                         "Share of music create calls answered with code 500."),
                   Fault("create_timeout", "Create timeout (s)",
                         "The music task is created, then the answer hangs this long; a client "
                         "with a shorter timeout sees an unknown outcome."),
               )),
    FaultGroup("callbacks", "Music callbacks", "How the simulator calls the app back about "
               "music tasks.", (
                   Fault("duplicate_callbacks", "Duplicate callbacks",
                         "Deliver every callback twice."),
                   Fault("late_callbacks", "Late callbacks (s)",
                         "Wait this long before delivering each callback."),
                   Fault("out_of_order_callbacks", "Out-of-order callbacks",
                         "Send complete first, then first, then text."),
               )),
    FaultGroup("media", "Media (DashScope, Kling)", "Create calls of the images and videos: "
               "real HTTP statuses, where 429 is a rate limit, not out of credits.", (
                   Fault("rate_429_media", "Rate limited (HTTP 429) rate, media create",
                         "Share of DashScope and Kling creates answered HTTP 429 (DashScope "
                         "Throttling.RateQuota, Kling 1302)."),
                   Fault("rate_503_media", "Unavailable (HTTP 503) rate, media create",
                         "Share of DashScope and Kling creates answered HTTP 503 (DashScope "
                         "ServiceUnavailable, Kling 5001)."),
                   Fault("gateway_errors", "Errors in the gateway's shape",
                         "Auth and limit errors of the media routes come as the AnyInt "
                         "gateway's {\"error\": {...}} instead of DashScope's {code, message, "
                         "request_id} or Kling's own."),
               )),
    FaultGroup("text", "Text (OpenAI-compatible)", "Chat completions and the model list.", (
        Fault("rate_429_text", "Rate limited (HTTP 429) rate, text",
              "Share of chat completions and model lists answered HTTP 429 rate_limit_error."),
        Fault("rate_503_text", "Unavailable (HTTP 503) rate, text",
              "Share of chat completions and model lists answered HTTP 503 (upstream "
              "unavailable)."),
    )),
)
#: every worded fault by name
FAULTS = {f.name: f for group in FAULT_GROUPS for f in group.faults}


def fault_groups(names: list[str]) -> list[tuple[FaultGroup, list[Fault]]]:
    """The simulator's fault ``names`` in their groups (groups without one left out), in the
    groups' order; names not worded here come last, under "Other faults"."""
    present = set(names)
    out = [(g, [f for f in g.faults if f.name in present]) for g in FAULT_GROUPS]
    out = [(g, faults) for g, faults in out if faults]
    other = [Fault(n, n.replace("_", " "), "") for n in names if n not in FAULTS]
    if other:
        out.append((FaultGroup("other", "Other faults", "Faults of this simulator that "
                               "Songbench does not describe yet.", tuple(other)), other))
    return out


@dataclass
class SimState:
    speed: float
    track_seconds: float
    credits: int
    faults: dict[str, Any] = field(default_factory=dict)


class SimControls:
    """The admin API of one simulator."""

    def __init__(self, base_url: str, transport: httpx.BaseTransport | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = httpx.Client(base_url=self.base_url, timeout=TIMEOUT, transport=transport)

    def _call(self, method: str, path: str, body: dict | None = None) -> dict:
        response = self._http.request(method, path, json=body)
        data = response.json()
        if response.status_code >= 400:
            raise ValueError(str(data.get("error") if isinstance(data, dict) else data))
        return data

    def read(self) -> SimState:
        config = self._call("GET", "/_sim/config")
        faults = self._call("GET", "/_sim/faults")
        faults.pop("credits", None)
        return SimState(speed=float(config["speed"]), track_seconds=float(config["track_seconds"]),
                        credits=int(config["credits"]), faults=faults)

    def fault_names(self) -> list[str]:
        """The simulator's fault knobs, in its order."""
        return list(self.read().faults)

    def apply(self, *, speed: float | None = None, track_seconds: float | None = None,
              credits: int | None = None, faults: dict[str, Any] | None = None) -> SimState:
        """All or nothing: faults first (refused as a whole), then the config; a refused config
        puts the previous faults back."""
        config = {k: v for k, v in (("speed", speed), ("track_seconds", track_seconds),
                                    ("credits", credits)) if v is not None}
        before = self._call("GET", "/_sim/faults")
        before.pop("credits", None)
        if faults:
            self._call("POST", "/_sim/faults", faults)
        if config:
            try:
                self._call("POST", "/_sim/config", config)
            except ValueError:
                self._call("POST", "/_sim/faults", before)
                raise
        if credits is not None:
            CREDITS.invalidate()
        return self.read()

    def set_faults(self, changes: dict[str, Any]) -> dict[str, Any]:
        """Merge ``changes`` into the faults (refused as a whole); returns the faults."""
        return self._call("POST", "/_sim/faults", changes)

    def reset_faults(self) -> SimState:
        self._call("POST", "/_sim/faults/reset")
        return self.read()

    def advance_clock(self, seconds: float, task_id: str | None = None) -> float:
        """Move the simulator's clock ``seconds`` forward: for every task, or (``task_id``, a
        provider task id) for that task's files alone; returns the new time of what moved."""
        body: dict[str, Any] = {"advance_seconds": seconds}
        if task_id is not None:
            body["task_id"] = task_id
        return float(self._call("POST", "/_sim/clock", body)["now"])


def sim_controls(rt: AppRuntime) -> SimControls | None:
    """Controls for the embedded simulator, or None when a real provider is configured."""
    return SimControls(rt.simulator.base_url) if rt.simulator is not None else None


def sim_controls_for(rt: AppRuntime, provider: str) -> SimControls | None:
    """Controls for the embedded simulator when it stands in for ``provider`` (no key of its
    own), else None."""
    connection = rt.tracker.providers.current(provider).connection
    url = rt.settings.simulator_url
    return SimControls(url) if connection.simulated and url else None
