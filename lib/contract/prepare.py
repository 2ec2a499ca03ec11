"""Prepare one request: the exact body an operation would send and every reason it may not.

``prepare(operation, values, callback_url, duration=..., source_model=...)`` builds the body
from form (or grid) values with `lib.contract.validation.build_body`, checks it with
`validation.validate` and adds the operation's source checks (the rules that need the picked
source's duration and model). Pages, the experiment grid, the launch checklist and the CLI all
prepare through here, so a request is checked the same way wherever it starts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from lib.contract import validation
from lib.contract.operation import FieldError, Operation


@dataclass(frozen=True)
class Facts:
    """What the source checks know about the picked source."""

    duration: float | None = None
    model: str | None = None


@dataclass(frozen=True)
class Prepared:
    """The body that would be sent and every reason it may not be."""

    op: str
    body: dict[str, Any]
    errors: list[FieldError]

    @property
    def ok(self) -> bool:
        return not self.errors


def prepare(operation: Operation, values: Mapping[str, Any], callback_url: str | None, *,
            duration: float | None = None, source_model: str | None = None) -> Prepared:
    """`build_body` + `validate` + the operation's source checks (one list, body order)."""
    body = validation.build_body(operation, values, callback_url)
    errors = validation.validate(operation, body)
    if operation.ui.source_checks is not None:
        extra = operation.ui.source_checks(body, Facts(duration, source_model))
        errors += [e for e in extra if e not in errors]
    return Prepared(operation.name, body, errors)
