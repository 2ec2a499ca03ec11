"""`Flag`: how one QA check came out, and `Check`: a check's value, flag and words."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Flag(str, Enum):
    """A check's verdict against its thresholds (`lib.qa.thresholds`)."""

    #: within the thresholds
    OK = "ok"
    #: worth a look (or measured by a heuristic that cannot be sure)
    WARN = "warn"
    #: outside the thresholds
    FAIL = "fail"
    #: not applicable: nothing was asked (no tempo in the style...) or nothing to measure
    SKIP = "skip"


#: every check of a scorecard, in the order they are shown (here, not in `lib.qa.scorecard`,
#: so the board's QA lines read it without loading numpy)
CHECKS = ("duration", "leading_silence", "trailing_silence", "gaps", "loudness", "true_peak",
          "clipping", "vocals", "tempo", "key", "lyrics", "links", "retention")

_RANK = {Flag.SKIP: 0, Flag.OK: 1, Flag.WARN: 2, Flag.FAIL: 3}


def worst(flags: Any) -> Flag:
    """The worst of some flags (``skip`` when there are none or all were skipped)."""
    return max((Flag(f) for f in flags), key=_RANK.__getitem__, default=Flag.SKIP)


def band(value: float, ok: float, warn: float) -> Flag:
    """``ok`` when ``value <= ok``, ``warn`` when ``<= warn``, else ``fail``."""
    return Flag.OK if value <= ok else Flag.WARN if value <= warn else Flag.FAIL


@dataclass
class Check:
    """One line of a scorecard: what was measured (``value``, in ``unit``), the verdict and a
    sentence for people. ``extra`` holds the details (gap times, per-URL answers...)."""

    value: Any
    flag: Flag
    detail: str
    unit: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "flag": self.flag.value, "detail": self.detail,
                "unit": self.unit, "extra": self.extra}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Check:
        return cls(value=data.get("value"), flag=Flag(data.get("flag", "skip")),
                   detail=data.get("detail", ""), unit=data.get("unit", ""),
                   extra=dict(data.get("extra") or {}))


def skipped(detail: str, value: Any = None, unit: str = "") -> Check:
    """A check with nothing to judge."""
    return Check(value, Flag.SKIP, detail, unit)
