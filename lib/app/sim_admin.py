"""Drive the embedded simulator through its admin HTTP API (``/_sim/...``), as any other client
of the simulator would: Songbench imports nothing from ``simulator/`` except to start it.

* `SimControls(base_url)`: `read()` -> `SimState` (speed, track length, credits, faults);
  `apply(speed=, track_seconds=, credits=, faults=)` validates on the simulator (HTTP 400 with
  ``{"error": "<field>: <reason>"}`` changes nothing) and raises `ValueError` with that text;
  `set_faults(changes)` merges faults (nothing else); `reset_faults()`;
  `advance_clock(seconds, task_id=None)`: every task's files age, or only that provider task's
  (``task_id``: nobody else's links expire).
* `sim_controls(rt)` -> `SimControls | None` (None with a real provider).

Speed applies to tasks created afterwards; track length to songs rendered afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from lib.views.app_runtime import AppRuntime
from lib.provider.credits import CREDITS

TIMEOUT = httpx.Timeout(5.0, connect=2.0)


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
