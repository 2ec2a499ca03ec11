"""The grid of an experiment: variants from typed axes or from a CSV, each checked before sending.

* `Axis(field, values)`: one request field and the values to try (typed one per line);
* `expand(axes)` -> the variants of their product, named from their values;
* `parse_csv(op, text)` -> variants from a sheet whose columns are the operation's request
  field names plus ``variant`` (a name) and ``repeats``; unknown columns and cells that are not
  of the field's type are refused with the row and the column;
* `plan(op, base, variants, repeats)` -> `Plan`: every cell's exact body, each refusal of the
  contract's rules (row, column, reason, in words), the number of calls, the credits and the
  time the provider's create limit implies.

An experiment's operation is a music one (credits, the shared create limit) or an image, video or
text one (`experiment_ops`): those are billed by their own provider (DashScope, Kling, the text
server), not in music credits (`Plan.billed_by`), and go out at their own adapter's create limit
(`Pace`, `pace_of`).

Row numbers are the sheet's: the header is row 1, the first variant row 2. Typed axes have no
rows: their refusals name the variant.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from lib import ops
from lib.contract.fields import Field
from lib.contract.operation import MUSIC
from lib.contract.prepare import prepare
from lib.provider import adapters

#: The provider allows this many creates per rolling window (contract §2).
LIMIT_CALLS = 20
LIMIT_PERIOD_S = 10.0
#: The queue's window is a little wider (`lib.provider.ratelimit.SHARED_MARGIN_S`), and it
#: leaves one slot of each window to people (`PEOPLE_RESERVE`).
QUEUE_PERIOD_S = 10.5
QUEUE_CALLS = 19
MAX_REPEATS = 50
MAX_CELLS = 2000
#: Columns of a grid sheet that are not request fields.
NAME_COLUMN = "variant"
REPEATS_COLUMN = "repeats"
#: Used to check bodies before the real callback URL is known (it is added when sent).
CHECK_CALLBACK = "https://callback.invalid/songbench"
_TRUE = {"true", "yes", "y", "1", "on"}
_FALSE = {"false", "no", "n", "0", "off"}


@dataclass(frozen=True)
class GridError:
    """One refusal: where (sheet row or variant, column) and why, in words."""

    column: str
    reason: str
    row: int | None = None
    variant: str | None = None

    def __str__(self) -> str:
        where = (f"Row {self.row}" if self.row is not None
                 else f"Variant “{self.variant}”" if self.variant else "Grid")
        return f"{where}, column {self.column}: {self.reason}"


@dataclass(frozen=True)
class Axis:
    """A request field and the values to try."""

    field: str
    values: tuple[Any, ...]


@dataclass
class Variant:
    """One column of the results: the field values it sets over the base request."""

    name: str
    values: dict[str, Any]
    repeats: int | None = None
    row: int | None = None


@dataclass
class Plan:
    """What running a grid would send, and why it may not be sent."""

    op: str
    variants: list[Variant]
    cells: list[tuple[str, int, dict[str, Any]]] = field(default_factory=list)
    errors: list[GridError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.cells)

    @property
    def calls(self) -> int:
        return len(self.cells)

    @property
    def credits(self) -> int:
        """Music credits (0 for an operation another provider bills: see `billed_by`)."""
        return self.calls * ops.get(self.op).credits_estimate

    @property
    def billed_by(self) -> str | None:
        """The provider that bills these calls when it is not the music one (its words:
        "DashScope (Media API)"...), else None: music credits."""
        return billed_by(self.op)

    @property
    def cost_text(self) -> str:
        """The cost in words: "24 credits (12 per call)" or "billed by …, not in credits"."""
        return cost_text(self.op, self.calls)


@dataclass(frozen=True)
class Pace:
    """The create limit a queue of ``op`` goes out at: ``calls`` per ``period`` s for the
    queue (``limit_calls`` per ``limit_period`` s the provider's, or our own, limit)."""

    provider: str
    calls: int
    period: float
    limit_calls: int
    limit_period: float

    @property
    def words(self) -> str:
        return f"{self.limit_calls} creates per {self.limit_period:g} s"


def pace_of(op: str) -> Pace:
    """Music shares 20 per 10 s through the log (19 per 10.5 s for queues); another provider's
    operations go at their adapter's own limit (DashScope and Kling 10 per 10 s, text 60 per
    60 s), in this process, with nothing kept back for people."""
    provider = ops.get(op).provider
    if provider == MUSIC:
        return Pace(MUSIC, QUEUE_CALLS, QUEUE_PERIOD_S, LIMIT_CALLS, LIMIT_PERIOD_S)
    calls, period = adapters.get(provider).limit
    return Pace(provider, calls, period, calls, period)


def provider_label(provider: str) -> str:
    """A provider in words ("DashScope", "Kling", "the text server")."""
    return {"dashscope": "DashScope (Media API)", "kling": "Kling (Media API)",
            "text": "the text server"}.get(provider, provider)


def billed_by(op: str) -> str | None:
    """Who bills ``op`` when it is not paid in music credits (None for music operations)."""
    provider = ops.get(op).provider
    return None if provider == MUSIC else provider_label(provider)


def cost_text(op: str, calls: int) -> str:
    """What ``calls`` of ``op`` cost, in words."""
    who = billed_by(op)
    if who is not None:
        return (f"billed by {who}, not in music credits (no balance route: see the "
                "provider's console)")
    each = ops.get(op).credits_estimate
    return f"{calls * each} credits ({each} per call)"


# ---- values --------------------------------------------------------------------------------
#: Media and text operations an experiment can vary: images, videos and text answers.
MEDIA_KINDS = {"dashscope_sync_image": "image", "kling_image": "image",
               "dashscope_video": "video", "kling_video": "video", "text": "text"}


def experiment_ops() -> list[str]:
    """The operations an experiment can vary: the music family's (asynchronous), then every
    image, video and text operation of the other providers."""
    music = [o.name for o in ops.OPERATIONS.values() if o.family == "music" and not o.sync]
    media = [o.name for o in ops.OPERATIONS.values()
             if o.provider != MUSIC and o.family in MEDIA_KINDS]
    return music + sorted(media, key=lambda n: (MEDIA_KINDS[ops.get(n).family], n))


def output_kind(op: str) -> str:
    """What a cell of ``op`` makes: ``audio`` (tracks), ``image``, ``video`` or ``text``."""
    return MEDIA_KINDS.get(ops.get(op).family, "audio")


def grid_fields(op: str) -> list[Field]:
    """The request fields a grid may set (every form field; not the callback URL)."""
    return list(ops.get(op).form_fields)


def coerce(spec: Field, raw: Any) -> tuple[Any, str | None]:
    """A typed value from a sheet cell or a typed line: ``(value, None)``, ``(None, None)`` for
    an empty cell (not set), or ``(None, reason)``."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, None
    if not isinstance(raw, str):
        return raw, None
    text = raw.strip()
    if spec.type == "bool":
        if text.lower() in _TRUE:
            return True, None
        if text.lower() in _FALSE:
            return False, None
        return None, f"“{_short(text)}” is not true or false"
    if spec.type in ("int", "float"):
        try:
            number = float(text)
        except ValueError:
            return None, f"“{_short(text)}” is not a number"
        if not math.isfinite(number):
            return None, f"“{_short(text)}” is not a finite number"
        if spec.type == "int":
            if number != int(number):
                return None, f"“{_short(text)}” is not a whole number"
            return int(number), None
        return number, None
    if spec.type == "enum":
        match = {v.lower(): v for v in spec.enum}.get(text.lower())
        if match is None:
            return None, f"“{_short(text)}” is not one of {', '.join(spec.enum)}"
        return match, None
    if spec.type == "url_list":
        return [u for u in text.replace("|", " ").split() if u], None
    return raw.replace("\\n", "\n") if spec.type == "text" else raw.strip(), None


def _short(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def value_label(value: Any) -> str:
    """A value as a variant name part."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return _short(" ".join(str(value).split()), 28)


def _unique_names(variants: list[Variant]) -> None:
    seen: dict[str, int] = {}
    for v in variants:
        n = seen.get(v.name, 0) + 1
        seen[v.name] = n
        if n > 1:
            v.name = f"{v.name} #{n}"


# ---- typed axes -------------------------------------------------------------------------------
def parse_axis(op: str, field_name: str, text: str) -> tuple[Axis | None, list[GridError]]:
    """An axis from typed text, one value per line (``\\n`` inside a line is a line break)."""
    specs = {f.name: f for f in grid_fields(op)}
    spec = specs.get(field_name)
    if spec is None:
        return None, [GridError(field_name, f"{ops.get(op).title} has no field {field_name}")]
    values, errors = [], []
    for line in (text or "").splitlines():
        value, reason = coerce(spec, line)
        if reason:
            errors.append(GridError(field_name, reason))
        elif value is not None:
            values.append(value)
    if not values and not errors:
        errors.append(GridError(field_name, "give at least one value (one per line)"))
    return Axis(field_name, tuple(values)), errors


def expand(axes: Sequence[Axis]) -> list[Variant]:
    """The variants of the axes' product (one variant, the base request, without axes)."""
    axes = [a for a in axes if a.values]
    if not axes:
        return [Variant("base", {})]
    out = []
    for combo in itertools.product(*(a.values for a in axes)):
        values = {a.field: v for a, v in zip(axes, combo, strict=True)}
        out.append(Variant(" · ".join(value_label(v) for v in combo), values))
    _unique_names(out)
    return out


# ---- a sheet ------------------------------------------------------------------------------------
def parse_csv(op: str, text: str) -> tuple[list[Variant], list[GridError]]:
    """Variants from a CSV sheet (header: field names, ``variant``, ``repeats``)."""
    specs = {f.name: f for f in grid_fields(op)}
    try:
        reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
        header = [h.strip() for h in (reader.fieldnames or []) if h is not None]
        rows = list(reader)
    except csv.Error as exc:
        return [], [GridError("-", f"the file is not a readable CSV ({exc})")]
    if not header:
        return [], [GridError("-", "the file has no header row")]
    errors = []
    known = {NAME_COLUMN, REPEATS_COLUMN, *specs}
    lower = {k.lower(): k for k in known}
    columns: dict[str, str] = {}
    for raw in header:
        name = raw if raw in known else lower.get(raw.lower())
        if name is None:
            errors.append(GridError(raw, f"not a field of {ops.get(op).title} (known: "
                                         f"{NAME_COLUMN}, {REPEATS_COLUMN}, "
                                         f"{', '.join(specs)})", row=1))
        elif name in columns.values():
            errors.append(GridError(raw, "this column appears twice", row=1))
        else:
            columns[raw] = name
    variants = []
    for number, row in enumerate(rows, start=2):
        if None in row:  # more cells than header columns
            errors.append(GridError("-", "this row has more cells than the header", row=number))
        cells = {columns[k.strip()]: v for k, v in row.items()
                 if k is not None and k.strip() in columns}
        if all((v or "").strip() == "" for v in cells.values()):
            continue  # a blank line
        values: dict[str, Any] = {}
        repeats = None
        for name, raw in cells.items():
            if name == NAME_COLUMN:
                continue
            if name == REPEATS_COLUMN:
                repeats, reason = _repeats(raw)
                if reason:
                    errors.append(GridError(name, reason, row=number))
                continue
            value, reason = coerce(specs[name], raw)
            if reason:
                errors.append(GridError(name, reason, row=number))
            elif value is not None:
                values[name] = value
        label = (cells.get(NAME_COLUMN) or "").strip() or " · ".join(
            value_label(v) for v in values.values()) or f"row {number}"
        variants.append(Variant(label, values, repeats, number))
    if not variants and not errors:
        errors.append(GridError("-", "the sheet has no variant rows"))
    _unique_names(variants)
    return variants, errors


def _repeats(raw: str | None) -> tuple[int | None, str | None]:
    if raw is None or not raw.strip():
        return None, None
    try:
        n = int(raw.strip())
    except ValueError:
        return None, f"“{_short(raw)}” is not a whole number"
    if not 1 <= n <= MAX_REPEATS:
        return None, f"{n} repeats is outside 1 to {MAX_REPEATS}"
    return n, None


def to_csv(op: str, variants: Sequence[Variant], repeats: int) -> str:
    """A sheet of these variants (round-trips through `parse_csv`)."""
    names = [f.name for f in grid_fields(op)]
    used = [n for n in names if any(n in v.values for v in variants)]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([NAME_COLUMN, REPEATS_COLUMN, *used])
    for v in variants:
        writer.writerow([v.name, v.repeats or repeats,
                         *(cell_text(v.values.get(n)) for n in used)])
    return out.getvalue()


def cell_text(value: Any) -> str:
    """A value as a sheet cell (`parse_csv` reads it back)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return " ".join(map(str, value))
    return str(value)


# ---- the plan ------------------------------------------------------------------------------------
def form_defaults(op: str) -> dict[str, Any]:
    """The values the operation's form starts with (``customMode`` off, model ``V5``...), so a
    sheet need not repeat them."""
    return {f.name: f.default for f in grid_fields(op) if f.default is not None}


def untouched(op: str, base: Mapping[str, Any], variants: Sequence[Variant],
              errors: Sequence[GridError] = ()) -> bool:
    """Nothing typed yet: the base request is the form's defaults and no variant sets a
    value (a fresh visit). Its plan's problems are not the user's yet: show them once they act."""
    defaults = form_defaults(op)
    return (not errors and all(not v.values for v in variants)
            and all(defaults.get(k) == v for k, v in base.items()))


def plan(op: str, base: Mapping[str, Any], variants: Sequence[Variant], repeats: int = 1,
         *, errors: Sequence[GridError] = (), first_repeat: int = 1) -> Plan:
    """Every cell's body (the form's defaults, the base values, then the variant's), checked by
    the contract's rules.

    A variant's own ``repeats`` (from a sheet) wins over ``repeats``. Bodies carry no callback
    URL: the queue adds the current one when it sends.
    """
    out = Plan(op, list(variants), errors=list(errors))
    if not 1 <= repeats <= MAX_REPEATS:
        out.errors.append(GridError("repeats", f"{repeats} is outside 1 to {MAX_REPEATS}"))
        return out
    operation = ops.get(op)
    callback = operation.callback_field
    defaults = form_defaults(op)
    for v in variants:
        merged = {**defaults, **base, **v.values}
        ignored = ignored_fields(op, merged, [*v.values, *base])
        for name, why in ignored.items():
            # an axis's refusal is the grid's (said once); a sheet's names its row
            refusal = GridError(name, why, row=v.row)
            if refusal not in out.errors:
                out.errors.append(refusal)
        if ignored:
            continue
        prepared = prepare(operation, merged, CHECK_CALLBACK)
        for problem in prepared.errors:
            out.errors.append(GridError(problem.field, problem.message, row=v.row,
                                        variant=None if v.row else v.name))
        body = {k: val for k, val in prepared.body.items() if k != callback}
        out.cells += [(v.name, first_repeat + r, body) for r in range(v.repeats or repeats)]
    if len(out.cells) > MAX_CELLS:
        out.errors.append(GridError("repeats", f"{len(out.cells)} calls is more than one "
                                               f"experiment may queue ({MAX_CELLS})"))
    return out


def ignored_fields(op: str, values: Mapping[str, Any], names: Sequence[str]) -> dict[str, str]:
    """``{field: why}`` for the fields among ``names`` that these values' mode leaves out of the
    request (the contract: style and title stay empty in simple mode), with the switch that
    would make them count. An axis over such a field would send cells the provider treats as
    one request, so it is refused before anything is queued."""
    operation = ops.get(op)
    by_name = {f.name: f for f in operation.fields}
    switches = [f for f in operation.fields if f.type == "bool"]
    out: dict[str, str] = {}
    for name in dict.fromkeys(names):
        if name not in by_name or operation.ui.visible(name, values):
            continue
        label = by_name[name].label
        flip = next((f for f in switches
                     if operation.ui.visible(name, {**values, f.name: not values.get(f.name)})),
                    None)
        if flip is None:
            out[name] = f"{label} is not sent with these values, so varying it changes nothing"
            continue
        now = "on" if values.get(flip.name) else "off"
        out[name] = (f"{label} is ignored while {flip.label} ({flip.name}) is {now}: the "
                     f"provider leaves it out, so every cell would be the same request. Turn "
                     f"{flip.label} {'off' if now == 'on' else 'on'} in the base request to "
                     f"compare {label.lower()} values.")
    return out


def send_seconds(calls: int, ahead: int = 0, op: str | None = None) -> float:
    """How long the create limit makes sending ``calls`` take after ``ahead`` queued ones: for
    music the first 19 go at once, then 19 per window (one slot of each is left to people);
    another provider's ``op`` at its own limit (`pace_of`)."""
    total = calls + ahead
    if total <= 0:
        return 0.0
    calls_per, period = QUEUE_CALLS, QUEUE_PERIOD_S
    if op is not None:
        pace = pace_of(op)
        calls_per, period = pace.calls, pace.period
    return (math.ceil(total / calls_per) - 1) * period


def duration_text(seconds: float) -> str:
    """``"under a second"``, ``"about 40 s"``, ``"about 1 min 35 s"``."""
    if seconds < 1:
        return "under a second"
    minutes, secs = divmod(int(round(seconds)), 60)
    if not minutes:
        return f"about {secs} s"
    return f"about {minutes} min {secs} s" if secs else f"about {minutes} min"


def example_variants(op: str) -> list[Variant]:
    """Two variants a template sheet of ``op`` shows (its style, else its prompt)."""
    names = {f.name for f in grid_fields(op)}
    if "style" in names:
        return [Variant("warm", {"style": "indie rock, warm"}),
                Variant("bright", {"style": "synth pop, bright"})]
    if "prompt" in names:
        kind = output_kind(op)
        if kind == "text":
            return [Variant("short", {"prompt": "A one-line tagline for a synthwave single"}),
                    Variant("playful", {"prompt": "A playful tagline for a synthwave single"})]
        what = "Album cover" if kind == "image" else "Music video"
        return [Variant("neon", {"prompt": f"{what}: neon city at night, synthwave"}),
                Variant("dawn", {"prompt": f"{what}: misty mountains at dawn, ambient"})]
    return [Variant("base", {})]
