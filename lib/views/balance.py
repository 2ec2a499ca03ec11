"""The one credit balance every display shows (the sidebar, a form's cost line, the launch
checklist, an experiment's plan), so two numbers on one page never disagree.

`current(rt)` reads the process's shared cache (`lib.provider.credits.CREDITS`) with one stamp,
the task counts: a display that reads after a submit (or after anything else that made or
finished a task) sees the reading taken after it, and every other display reading with the same
stamp gets that same cached value. `spent()` drops the cached value after the app itself spent
credits (a submit, a checklist run), so the next read asks the provider.
"""

from __future__ import annotations

from collections.abc import Hashable

from lib.views.app_runtime import AppRuntime
from lib.provider.credits import CREDITS, CreditCache, Credits

RUNNING_STATES = ("pending", "processing")


def stamp(rt: AppRuntime) -> Hashable:
    """What makes a cached balance stale at once: ``(tasks, running)`` (None if the log
    cannot say)."""
    try:
        return (rt.log.count_tasks(), rt.log.count_tasks(state=list(RUNNING_STATES)))
    except Exception:
        return None


def current(rt: AppRuntime, *, cache: CreditCache | None = None,
            counts: Hashable | None = None, provider: str = "music") -> Credits | None:
    """The balance to show now (`CreditCache.get`: never blocks long; None before any read).
    ``counts``: the stamp when the caller has just counted (the sidebar); ``provider``: whose
    (a provider without a balance route reads ``has_route=False``)."""
    return (cache or CREDITS).get(rt.settings, stamp=stamp(rt) if counts is None else counts,
                                  provider=provider)


def spent(cache: CreditCache | None = None) -> None:
    """The app just spent credits: the next `current` reads the provider again."""
    (cache or CREDITS).invalidate()


#: What a display says for a provider that has no balance route (nothing failed).
NO_ROUTE_TEXT = "no balance route"


def value_text(reading: Credits | None) -> str:
    """``"1,234"``; ``"no balance route"`` for a provider without one; ``"unavailable"`` when
    no balance could be read."""
    if reading is not None and not reading.has_route:
        return NO_ROUTE_TEXT
    return f"{reading.value:,}" if reading is not None and reading.value is not None \
        else "unavailable"


def too_low(reading: Credits | None, cost: int) -> bool:
    """Whether a known balance is below ``cost``."""
    return reading is not None and reading.value is not None and reading.value < cost
