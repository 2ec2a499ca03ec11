"""UI-free facts for the sidebar and the Settings page, and the simulator controls.

Everything here takes the process `Runtime` (`lib.app.runtime.get_runtime()`) and returns plain
dataclasses, so pages stay thin and the logic is tested without Streamlit.

* `sidebar_facts(rt)` - provider name and dialect, whether a key is configured (never the key),
  credits left, tracker health, running-task count. Credits come from the provider through a
  dedicated client with ONE attempt and a short timeout, cached for `CREDIT_TTL_S` (failures for
  `CREDIT_ERROR_TTL_S`), so a dead or slow provider costs a page at most ~`CREDIT_TIMEOUT_S` once
  per TTL; concurrent page runs never wait for each other's fetch.
* `callback_info(rt)` - the callback URL with its secret path segment masked, and the mode
  (callbacks or polling only) with a warning when a real provider cannot reach the URL.
* `sim_controls(rt)` -> `SimControls | None`: read and change the embedded simulator's speed,
  track length, credits and every fault (`simulator.faults.Faults`). Speed applies to tasks
  created afterwards; track length to songs rendered afterwards.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

import httpx

from lib.provider.client import SunoClient

CREDIT_TTL_S = 15.0
CREDIT_ERROR_TTL_S = 10.0
CREDIT_TIMEOUT_S = 1.5
RUNNING_STATES = ("pending", "processing")
STALL_AFTER_S = 10.0
MASK = "••••••"


# ---- credits ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Credits:
    """A credit reading: `value` (None when unknown), `error`, and when it was fetched."""

    value: int | None
    error: str | None
    fetched_at: float


class CreditCache:
    """Per-provider cached credit balance; one fetch at a time, others get the stale value."""

    def __init__(self, ttl: float = CREDIT_TTL_S, error_ttl: float = CREDIT_ERROR_TTL_S,
                 timeout: float = CREDIT_TIMEOUT_S, clock=time.monotonic) -> None:
        self.ttl, self.error_ttl, self.timeout, self.clock = ttl, error_ttl, timeout, clock
        self._lock = threading.Lock()
        self._fetching: set[tuple] = set()
        self._values: dict[tuple, Credits] = {}
        self._stamps: dict[tuple, Any] = {}
        self._clients: dict[tuple, SunoClient] = {}

    def _client(self, settings: Any) -> SunoClient:
        key = (settings.base_url, settings.dialect)
        if key not in self._clients:
            t = httpx.Timeout(self.timeout, connect=min(1.0, self.timeout))
            # no on_event: a sidebar refresh must not flood the task log with credit reads
            self._clients[key] = SunoClient(settings, attempts=1, poll_timeout=t)
        return self._clients[key]

    def get(self, settings: Any, stamp: Any = None) -> Credits | None:
        """The cached reading, refreshed synchronously (bounded by `timeout`) when stale.

        A new `stamp` (e.g. the task counts: something was submitted or finished) also makes
        the reading stale, so the balance follows spending without waiting for the TTL."""
        key = (settings.base_url, settings.dialect)
        now = self.clock()
        with self._lock:
            cached = self._values.get(key)
            fresh = cached is not None and now - cached.fetched_at < (
                self.ttl if cached.error is None else self.error_ttl)
            if stamp is not None and self._stamps.get(key, stamp) != stamp:
                fresh = False
            if stamp is not None:
                self._stamps[key] = stamp
            if fresh or key in self._fetching:
                return cached
            self._fetching.add(key)
            client = self._client(settings)
        try:
            reading = Credits(client.credits(), None, self.clock())
        except Exception as exc:  # noqa: BLE001 - any failure is shown, never raised
            reading = Credits(None, _short_error(exc), self.clock())
        with self._lock:
            self._values[key] = reading
            self._fetching.discard(key)
        return reading

    def invalidate(self) -> None:
        with self._lock:
            self._values.clear()


def _short_error(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."


CREDITS = CreditCache()


# ---- sidebar ------------------------------------------------------------------------------
@dataclass(frozen=True)
class TrackerHealth:
    """`level` is ok | warn | down; `label` a short word; `detail` a sentence."""

    level: str
    label: str
    detail: str


@dataclass(frozen=True)
class SidebarFacts:
    provider: str
    base_url: str
    dialect: str
    key_present: bool
    simulated: bool
    credits: Credits | None
    tracker: TrackerHealth
    running: int
    unknown: int
    callbacks: bool


def provider_name(rt: Any) -> str:
    if rt.simulator is not None:
        return "Embedded simulator"
    host = urlparse(rt.settings.base_url).hostname or rt.settings.base_url
    return host


def tracker_health(rt: Any) -> TrackerHealth:
    h = rt.health()
    age = h.get("last_tick_age_s")
    if not h.get("tracker_running"):
        return TrackerHealth("down", "stopped", "The tracker loop is not running in this process "
                             "(it starts with `streamlit run app.py`).")
    if age is not None and age > STALL_AFTER_S:
        return TrackerHealth("warn", "stalled", f"Last tick {age:.0f} s ago.")
    if h.get("last_error"):
        return TrackerHealth("warn", "degraded", f"Last tick failed: {h['last_error']}")
    tick = "no tick yet" if age is None else f"last tick {age:.1f} s ago"
    return TrackerHealth("ok", "running", f"Polling due tasks; {tick}.")


def sidebar_facts(rt: Any, *, credits: CreditCache | None = None) -> SidebarFacts:
    s = rt.settings
    try:
        running = rt.log.count_tasks(state=list(RUNNING_STATES))
        unknown = rt.log.count_tasks(state="unknown")
        total = rt.log.count_tasks()
    except Exception:  # noqa: BLE001 - a locked/migrating DB must not break the sidebar
        running = unknown = total = -1
    return SidebarFacts(
        provider=provider_name(rt), base_url=s.base_url, dialect=s.dialect,
        key_present=bool(s.api_key), simulated=rt.simulator is not None,
        credits=(credits or CREDITS).get(s, stamp=(total, running)), tracker=tracker_health(rt),
        running=running, unknown=unknown, callbacks=bool(s.public_url))


# ---- callbacks ------------------------------------------------------------------------------
@dataclass(frozen=True)
class CallbackInfo:
    url: str | None  # masked; None when polling only
    live: bool
    mode: str
    warning: str | None


def mask_callback_url(url: str) -> str:
    """`.../api/callbacks/<secret>` with the secret replaced by `MASK`."""
    head, sep, _secret = url.partition("/api/callbacks/")
    return f"{head}{sep}{MASK}" if sep else url


def _is_local(host: str) -> bool:
    if host in ("localhost", "") or host.endswith(".local") or host.endswith(".invalid"):
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_unspecified


def callback_info(rt: Any) -> CallbackInfo:
    public = rt.settings.public_url
    if not public:
        return CallbackInfo(None, False, "polling only", None)
    url = mask_callback_url(rt.callback_url)
    warning = None
    if rt.simulator is None and _is_local(urlparse(public).hostname or ""):
        warning = ("The public URL points at this machine or a private network; a hosted provider "
                   "cannot reach it, so tasks will progress by polling.")
    return CallbackInfo(url, True, "callbacks + polling", warning)


# ---- simulator controls -------------------------------------------------------------------
@dataclass
class SimState:
    speed: float
    track_seconds: float
    credits: int
    faults: dict[str, Any] = field(default_factory=dict)


class SimControls:
    """Read/change the embedded simulator (a `RunningSimulator`'s parts)."""

    def __init__(self, running: Any) -> None:
        self.running = running
        self.sim = running.sim

    @property
    def base_url(self) -> str:
        return self.running.base_url

    def read(self) -> SimState:
        cfg, engine = self.sim.config, self.sim.engine
        return SimState(speed=float(cfg.speed), track_seconds=float(cfg.track_seconds),
                        credits=int(engine.credits), faults=self.sim.faults.get().to_dict())

    def apply(self, *, speed: float | None = None, track_seconds: float | None = None,
              credits: int | None = None, faults: dict[str, Any] | None = None) -> SimState:
        """Validate everything first, then apply; raises ValueError naming the bad field."""
        if speed is not None and not 0 < float(speed) <= 10_000:
            raise ValueError("speed must be > 0 and <= 10000")
        if track_seconds is not None and not 1 <= float(track_seconds) <= 480:
            raise ValueError("track length must be between 1 and 480 seconds")
        if credits is not None and (isinstance(credits, bool) or int(credits) < 0):
            raise ValueError("credits must be an integer >= 0")
        if faults:
            self.sim.faults.merge(faults)  # validates all keys before changing any
        if speed is not None:
            self.sim.config.speed = float(speed)
        if track_seconds is not None:
            self.sim.config.track_seconds = float(track_seconds)
        if credits is not None:
            self.sim.engine.set_credits(int(credits))
            CREDITS.invalidate()
        return self.read()

    def reset_faults(self) -> SimState:
        from simulator.faults import Faults

        self.sim.faults.merge(Faults().to_dict())
        return self.read()


def sim_controls(rt: Any) -> SimControls | None:
    """Controls for the embedded simulator, or None when a real provider is configured."""
    return SimControls(rt.simulator) if rt.simulator is not None else None


def fault_fields() -> list[dataclasses.Field]:
    """The simulator's fault knobs, in declaration order."""
    from simulator.faults import Faults

    return list(dataclasses.fields(Faults))


# ---- settings table -----------------------------------------------------------------------
_LABELS = {"base_url": "Provider base URL", "api_key": "API key", "dialect": "Dialect",
           "public_url": "Public URL (callbacks)", "upload_base_url": "Upload base URL",
           "db_path": "Task log (SQLite)", "assets_dir": "Archived assets"}


def settings_rows(rt: Any, env: Any = None, secrets: Any = None) -> list[dict[str, str]]:
    """One row per `SONGBENCH_*` setting: effective value (the key only as set/not set) and
    where it came from (environment, secrets.toml, default, or the embedded simulator)."""
    import os

    from lib.app.config import ENV_KEYS, _streamlit_secrets

    env = os.environ if env is None else env
    secrets = _streamlit_secrets() if secrets is None else secrets
    rows = []
    for name, var in ENV_KEYS.items():
        if str(env.get(var) or "").strip():
            source = "environment"
        elif str(secrets.get(var) or "").strip():
            source = "secrets.toml"
        else:
            source = "default"
        value = getattr(rt.settings, name)
        if name == "api_key":
            value = "set (hidden)" if value else "not set"
        elif name in ("base_url", "upload_base_url") and rt.simulator is not None:
            source = "embedded simulator"
        elif name == "public_url" and value and source == "default":
            source = "this server (loopback)"
        rows.append({"Setting": _LABELS.get(name, name), "Variable": var,
                     "Value": "—" if value in (None, "") else str(value), "Source": source})
    return rows
