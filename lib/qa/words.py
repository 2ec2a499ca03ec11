"""QA scorecards in words for people: a one-line summary and the full table.

* `headline(card)` - ``"✖ clipped: 312 samples (0.003% of the track), true peak -1.5 dBTP · ⚠
  2.1 s of silence at 0:41"``, worst
  problems first, at most `HEADLINE_PROBLEMS` of them (``"+ 2 more"``), or ``"✔ QA ok"``.
  `lib.qa.tracks.save` stores it as the scorecard's ``summary``, so the board and the Library
  read it with `TaskLog.flags_for` (one batch query, no scorecard JSON, no audio).
* `qa_line(row)` / `lines_for(log, track_ids)` - the compact `QaLine` of stored scorecards.
* `table(card)` - every check: its name, result, value and the details, in words.

Each check's own words live beside the check (``@wording("gaps")`` in `lib.qa.silence`...):
this module is the shared part - icons, labels, the registry, `clock` and `number`.

Nothing here imports Streamlit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lib.qa.flags import CHECKS, Check, Flag

if TYPE_CHECKING:
    from lib.log import QaFlags, TaskLog
    from lib.qa.scorecard import Scorecard  # loads numpy: only for the annotations

ICONS = {"fail": "✖", "warn": "⚠", "ok": "✔", "skip": "–"}
FLAG_WORDS = {"fail": "Problem", "warn": "Worth a look", "ok": "OK", "skip": "Not checked"}
#: badge colours (Streamlit Markdown) of each flag
COLORS = {"fail": "red", "warn": "orange", "ok": "green", "skip": "gray"}
LABELS = {"duration": "Length", "leading_silence": "Silence at the start",
          "trailing_silence": "Silence at the end", "gaps": "Silent gaps inside",
          "loudness": "Loudness", "true_peak": "True peak", "clipping": "Clipping",
          "vocals": "Vocals", "tempo": "Tempo", "key": "Key", "lyrics": "Lyrics coverage",
          "links": "Provider links", "retention": "Provider retention"}
HEADLINE_PROBLEMS = 2
OK_TEXT = f"{ICONS['ok']} QA ok"
NOT_JUDGED = f"{ICONS['skip']} QA: nothing to judge"
#: what the Library's QA filter offers (values of `lib.log.TrackFilters.qa`)
PROBLEM_FLAGS = ("warn", "fail")


def clock(seconds: float) -> str:
    """``41.3`` -> ``"0:41"``, ``3725`` -> ``"1:02:05"``."""
    s = max(0, int(round(seconds)))
    if s >= 3600:
        return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"
    return f"{s // 60}:{s % 60:02d}"


def number(value: Any) -> float | None:
    """A stored value as a float, or None when it is not a number."""
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) \
        else None


#: how a check that is not ok reads: ``fn(check name, check) -> words``
Wording = Callable[[str, Check], str]
#: each check's wording, registered beside the check (`wording`)
_WORDING: dict[str, Wording] = {}


def wording(*names: str) -> Callable[[Wording], Wording]:
    """Register the decorated function as the wording of the checks ``names`` (each check
    module words its own checks)."""
    def register(fn: Wording) -> Wording:
        for name in names:
            _WORDING[name] = fn
        return fn
    return register


def plain(name: str, check: Check) -> str:
    """``"provider retention: unknown age..."``: the check's label and its detail."""
    return f"{LABELS.get(name, name).lower()}: {check.detail}"


def problem_text(name: str, check: Check) -> str:
    """A few words about one check that is not ok (``"2.1 s of silence at 0:41"``), in the
    wording its check module registered (`wording`; else `plain`)."""
    fn = _WORDING.get(name)
    if fn is None and name in CHECKS:
        import lib.qa.scorecard  # noqa: F401  every check module (numpy: once a card exists)

        fn = _WORDING.get(name)
    return fn(name, check) if fn else plain(name, check)


def problems(card: Scorecard) -> list[tuple[Flag, str, str]]:
    """``(flag, check name, words)`` of the checks not ok: failures first, then warnings, each
    in `CHECKS` order."""
    out = [(check.flag, name, problem_text(name, check))
           for flag in (Flag.FAIL, Flag.WARN)
           for name in CHECKS if (check := card.checks.get(name)) and check.flag is flag]
    return out


def headline(card: Scorecard, limit: int = HEADLINE_PROBLEMS) -> str:
    """One line: the worst problems with their icons, or ``"✔ QA ok"``."""
    found = problems(card)
    if not found:
        return OK_TEXT if card.worst is Flag.OK else NOT_JUDGED
    parts = [f"{ICONS[flag.value]} {words}" for flag, _, words in found[:limit]]
    if len(found) > limit:
        parts.append(f"+ {len(found) - limit} more")
    return " · ".join(parts)


@dataclass(frozen=True)
class QaLine:
    """A track's QA in one line: the worst flag and the words (`headline`)."""

    worst: str
    text: str
    #: checks that are warn or fail
    problems: int

    @property
    def icon(self) -> str:
        return ICONS.get(self.worst, "")

    @property
    def color(self) -> str:
        return COLORS.get(self.worst, "gray")

    @property
    def label(self) -> str:
        """``"Problem"``, ``"Worth a look"``, ``"OK"``, ``"Not checked"``."""
        return FLAG_WORDS.get(self.worst, self.worst)

    @property
    def ok(self) -> bool:
        return self.worst not in PROBLEM_FLAGS


def qa_line(row: QaFlags | Mapping[str, Any] | None) -> QaLine | None:
    """The line of a `TaskLog.flags_for` row (None: no scorecard). A summary stored before the
    words existed (``"1 fail, 2 ok"``) is replaced by the names of the checks not ok."""
    if not row:
        return None
    worst = str(row.get("worst") or "skip")
    flags: dict[str, str] = dict(row.get("flags") or {})
    bad = [n for n in CHECKS if flags.get(n) in PROBLEM_FLAGS]
    text = str(row.get("summary") or "")
    if not text or text[0] not in ICONS.values():
        if bad:
            text = f"{ICONS[worst]} " + ", ".join(LABELS.get(n, n).lower() for n in bad[:3])
        else:
            text = OK_TEXT if worst == "ok" else NOT_JUDGED
    return QaLine(worst, text, len(bad))


def lines_for(log: TaskLog, track_ids: Sequence[str]) -> dict[str, QaLine]:
    """``{track id: QaLine}`` of the tracks that have a scorecard (one batch read)."""
    if not track_ids:
        return {}
    rows = log.flags_for(list(track_ids))
    return {tid: line for tid, row in rows.items() if (line := qa_line(row)) is not None}


def _value(check: Check) -> str:
    value = check.value
    if value is None:
        return "—"
    if check.unit in ("gaps", "") and value == 0 and not isinstance(value, float):
        return "none"
    if check.unit == "gaps":
        return f"{value} gap{'' if value == 1 else 's'}"
    if check.unit == "days" and isinstance(value, int | float):
        return f"{value:.1f} days"
    if isinstance(value, float):
        text = f"{value:.0%}" if check.unit == "" and 0 <= value <= 1 else f"{value:g}"
    else:
        text = str(value)
    unit = {"samples": " samples", "gaps": " gaps", "urls": " answering", "days": " days"}.get(
        check.unit, f" {check.unit}" if check.unit else "")
    return text + unit


def _details(name: str, check: Check) -> str:
    if name == "gaps" and check.extra.get("gaps"):
        where = ", ".join(f"{clock(g['start'])}–{clock(g['end'])} ({g['end'] - g['start']:.1f} s)"
                          for g in check.extra["gaps"][:8])
        return f"silence at {where}"
    return check.detail


def table(card: Scorecard) -> list[dict[str, str]]:
    """Every check in `CHECKS` order: ``Check``, ``Result`` (icon and words), ``Value``,
    ``Details``."""
    return [{"Check": LABELS.get(name, name),
             "Result": f"{ICONS[check.flag.value]} {FLAG_WORDS[check.flag.value]}",
             "Value": _value(check), "Details": _details(name, check)}
            for name in CHECKS if (check := card.checks.get(name)) is not None]
