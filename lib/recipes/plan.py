"""What a run will send and cost, checked before anything is sent: `plan(recipe, brief,
given)`.

Every step is listed with the steps it starts from and its cost in words (music credits, or
billed by the media provider or the text server). The brief and the settings are checked, and
so is the body of every step that starts from the brief alone (by the contract's own rules);
a later step's body is checked when it is built, before it is sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lib import ops
from lib.contract.validation import validate
from lib.recipes.progress import cost_text
from lib.recipes.steps import Choose, Inputs, Problem, Recipe, Wait


@dataclass(frozen=True)
class PlannedStep:
    name: str
    title: str
    op: str
    op_title: str
    after: tuple[str, ...]
    cost: str
    credits: int
    gives: str


@dataclass
class Plan:
    """A checked run: its steps, its music credits, and every problem (empty = can start)."""

    recipe: Recipe
    brief: str
    values: dict[str, Any]
    steps: list[PlannedStep]
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def credits(self) -> int:
        return sum(s.credits for s in self.steps)

    def cost_line(self) -> str:
        others = sorted({s.cost for s in self.steps if not s.credits and
                         ops.get(s.op).provider != "music"})
        parts = [f"{self.credits} music credits"] + others
        return "; ".join(parts)


def problems_of(op_name: str, body: Any, title: str) -> list[str]:
    """A step body's contract problems, each naming the step and the field."""
    op = ops.get(op_name)
    labels = {f.name: f.label for f in op.fields}
    return [f"{title}: {labels.get(e.field, e.field)}: {e.message}" for e in validate(op, body)]


def plan(recipe: Recipe, brief: str, given: dict[str, Any] | None = None,
         callback_url: str | None = None) -> Plan:
    """Check a run of ``recipe`` from ``brief`` with the settings ``given``."""
    problems: list[str] = []
    try:
        values = recipe.values(given)
    except ValueError as exc:
        values, problems = recipe.values(), [f"Setting {exc}"]
    brief = (brief or "").strip()
    if not brief:
        problems.append(f"{recipe.brief_label}: the brief is empty.")
    elif len(brief) > recipe.brief_max:
        problems.append(f"{recipe.brief_label}: {len(brief)} characters, at most "
                        f"{recipe.brief_max}.")
    steps = []
    for step in recipe.steps:
        op = ops.get(step.op)
        steps.append(PlannedStep(step.name, step.title, step.op, op.title, step.after,
                                 cost_text(step.op),
                                 op.credits_estimate if op.provider == "music" else 0,
                                 step.gives))
        if step.after or step.draft or not brief or problems:
            continue
        try:
            body = step.build(Inputs(brief, values, {}))
        except (Wait, Choose, Problem) as exc:
            problems.append(f"{step.title}: {exc}")
            continue
        body = ops.build_body(step.op, body, callback_url or "https://callback.invalid/plan")
        problems.extend(problems_of(step.op, body, step.title))
    return Plan(recipe, brief, values, steps, problems)
