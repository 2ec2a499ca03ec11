"""The text helper on an operation's form: which draft a form asks for and what goes where.

Each operation says it itself (``Operation.ui.draft``, a `DraftSpec`): the kind the text helper
drafts (`lib.text.draft.KINDS`), which of the draft's fields go into which form field, and the
form values that go with them (a drafted song turns custom mode on). Here, without Streamlit:

* `spec_for(op)` / `kind_for(op)` - the form's draft, or None (a form without free text);
* `music_model_for(op, values)` - whose limits a drafted song is asked to fit (the form's
  music model when it has one, else the default);
* `fill(op, draft, values)` - a `Filling`: the values that fit (put into the form at once),
  the ones that do not (``held``, each with its problems: shown, never truncated; the user may
  use them anyway and fix them in the form, which sends nothing while a field is wrong), and
  the draft's fields this form has no place for.

A drafted value is checked as the form itself checks it (`lib.contract.prepare`, with the
form's other values), plus what the draft found (not JSON, a missing field, lyrics without
section tags).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from lib.contract.fields import MODEL, MODELS
from lib.contract.operation import DraftSpec, Operation
from lib.contract.prepare import prepare
from lib.contract.validation import label as field_label
from lib.text.draft import SONG_FIELDS, Draft, Problem

#: What a problem about the whole answer stands at (not one field's).
ANSWER = "answer"


@dataclass(frozen=True)
class Filling:
    """What a draft puts into a form (keys are the form's field names)."""

    kind: str
    #: Drafted values that fit: put into the form at once.
    values: dict[str, str]
    #: Drafted values that do not fit: shown with their problems, used only if the user asks.
    held: dict[str, str] = field(default_factory=dict)
    #: Every problem, at the form field it is about (or ``answer``), in the draft's order.
    problems: list[Problem] = field(default_factory=list)
    #: The draft's fields the form has no place for (a song's lyrics on "Add instrumental").
    unused: dict[str, str] = field(default_factory=dict)
    #: The form values that go with the draft (custom mode on), set with whatever is filled.
    sets: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def problems_at(self, name: str) -> list[str]:
        return [p.message for p in self.problems if p.field == name]

    def now(self) -> dict[str, Any]:
        """What goes into the form at once: the values that fit (and ``sets`` with them)."""
        return {**self.sets, **self.values} if self.values else {}

    def anyway(self) -> dict[str, Any]:
        """What goes into the form when the user uses the draft anyway: every drafted value,
        fitting or not (the form then shows what is over its limits and sends nothing)."""
        return {**self.sets, **self.values, **self.held}


def spec_for(op: Operation) -> DraftSpec | None:
    """The form's draft action, or None."""
    return op.ui.draft


def kind_for(op: Operation) -> str | None:
    spec = spec_for(op)
    return spec.kind if spec else None


def ops_with_drafts(operations: Mapping[str, Operation]) -> list[str]:
    return [name for name, op in operations.items() if op.ui.draft is not None]


def music_model_for(op: Operation, values: Mapping[str, Any]) -> str:
    """The music model whose limits a drafted song must fit: the form's, when it is one."""
    if "model" in op.names:
        chosen = values.get("model") or op.field("model").default
        if chosen in MODELS:
            return str(chosen)
    return str(MODEL.default)


def target_label(op: Operation, name: str) -> str:
    """The form's words for a field a problem stands at."""
    if name == ANSWER or name not in op.names:
        return "The answer"
    return field_label(op.field(name))


def fill(op: Operation, draft: Draft, values: Mapping[str, Any] | None = None) -> Filling:
    """Map ``draft`` onto ``op``'s form whose current values are ``values``: see `Filling`."""
    spec = spec_for(op)
    if spec is None:
        raise ValueError(f"{op.name} has no draft action")
    into = dict(spec.into)
    drafted = {into[k]: v for k, v in draft.fields.items() if k in into and v.strip()}
    unused = {k: v for k, v in draft.fields.items() if k not in into and v.strip()}
    problems: list[Problem] = []
    for p in draft.problems:
        if p.limit:
            continue  # the form's own rules say it below (its model, its limits)
        if p.field in into:
            problems.append(Problem(into[p.field], p.message))
        elif p.field not in draft.fields and p.field not in SONG_FIELDS + ("prompt",):
            problems.append(Problem(ANSWER, p.message))
        # else: about a field this form does not use (a song's lyrics on a style-only form)
    current = {k: v for k, v in (values or {}).items() if v not in (None, "")}
    prepared = prepare(op, {**current, **spec.sets, **drafted}, None)
    problems += [Problem(e.field, e.message) for e in prepared.errors if e.field in drafted]
    problems = list(dict.fromkeys(problems))  # the draft and the form may say the same
    bad = {p.field for p in problems}
    fits = {k: v for k, v in drafted.items() if k not in bad}
    held = {k: v for k, v in drafted.items() if k in bad}
    return Filling(draft.kind, fits, held, problems, unused, dict(spec.sets) if drafted else {})
