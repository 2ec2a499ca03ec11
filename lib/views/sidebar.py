"""UI-free facts for the status panel in the sidebar (never the API key).

`sidebar_facts(rt)`: provider name and dialect, whether a key is configured, the credit balance
(`lib.views.balance`, the reading every display on the page shows: never blocks a page for
long; a slow provider shows the last known balance with its age), tracker health and the
running and unknown task counts.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urlparse

from lib.provider.credits import CreditCache, Credits
from lib.views import balance
from lib.views.app_runtime import AppRuntime
from lib.views.balance import RUNNING_STATES
STALL_AFTER_S = 10.0


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
    #: while the provider does not answer the tracker: since when, tries, next try, last good
    provider_down: str | None = None


def provider_name(rt: AppRuntime) -> str:
    if rt.simulator is not None:
        return "Embedded simulator"
    return urlparse(rt.settings.base_url).hostname or rt.settings.base_url


def tracker_health(rt: AppRuntime) -> TrackerHealth:
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


def sidebar_facts(rt: AppRuntime, *, credits: CreditCache | None = None) -> SidebarFacts:
    s = rt.settings
    try:
        running = rt.log.count_tasks(state=list(RUNNING_STATES))
        unknown = rt.log.count_tasks(state="unknown")
        total = rt.log.count_tasks()
    except Exception:
        running = unknown = total = -1
    return SidebarFacts(
        provider=provider_name(rt), base_url=s.base_url, dialect=s.dialect,
        key_present=bool(s.api_key), simulated=rt.simulator is not None,
        credits=balance.current(rt, cache=credits, counts=(total, running)),
        tracker=tracker_health(rt),
        running=running, unknown=unknown, callbacks=bool(s.public_url),
        provider_down=rt.tracker.reachability.get(s.base_url).words())


def age_text(seconds: float) -> str:
    """``"12 s"``, ``"3 min"``, ``"2 h"``."""
    s = int(seconds)
    return f"{s} s" if s < 60 else f"{s // 60} min" if s < 3600 else f"{s // 3600} h"


def credits_text(credits: Credits | None, now: float | None = None) -> tuple[str, str]:
    """``(value, help)`` for the credits metric: the balance, or the last known one with its
    age when the latest read failed or is still running, or a word when there is none."""
    now = time.monotonic() if now is None else now
    if credits is None:
        return "…", "Reading the balance."
    if not credits.has_route:
        return balance.NO_ROUTE_TEXT, ("This provider has no balance route: its spending "
                                       "shows in its own console.")
    if credits.value is None:
        return "unavailable", f"Could not read the balance: {credits.error}"
    value = f"{credits.value:,}"
    age = credits.age(now) or 0.0
    if credits.error:
        return value, (f"Last known balance, read {age_text(age)} ago; the latest read failed: "
                       f"{credits.error}")
    if credits.refreshing:
        return value, f"Balance read {age_text(age)} ago; a newer read is under way."
    return value, "Credits left on the provider account (refreshed every ~15 s)."
