"""Whether a task that did not succeed cost credits, in words, from what the contract says.

* refused at create time (no provider task id, a readable refusal): nothing was charged;
* code 531 (contract §6.1, kie.ai's list: "generation failed, credits refunded"): refunded;
* any other failure after the provider accepted the job: the provider keeps the credits (its
  documentation promises a refund for code 531 only), so the note says so plainly;
* ``unknown``: the provider may have made, and charged, the job.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: Failure codes the contract documents as refunded.
REFUND_CODES = frozenset({531})


def _code(value: Any) -> int | None:
    try:
        return None if value is None else int(value)
    except (TypeError, ValueError, OverflowError):
        return None


def charge_note(task: Mapping[str, Any]) -> str | None:
    """One sentence on the credits of a failed or unknown task (None for the others)."""
    state = task.get("state")
    if state == "unknown":
        return ("Credits: the provider may have made this job and charged for it; check the "
                "balance or its history before sending it again.")
    if state != "failed":
        return None
    if not task.get("provider_task_id"):
        return "Credits: none charged - the provider refused the request before making a job."
    if _code(task.get("error_code")) in REFUND_CODES:
        return f"Credits: refunded by the provider (code {_code(task.get('error_code'))})."
    return ("Credits: kept by the provider - its documentation promises a refund only for "
            "code 531 (generation failed, credits refunded).")


def credits_spent(task: Mapping[str, Any], estimate: int) -> int:
    """The credits a task cost as far as the contract tells (``estimate`` for a job the provider
    made or may have made; 0 when it was refused, refunded, or not sent yet)."""
    state = task.get("state")
    if state == "unknown":
        return estimate
    if not task.get("provider_task_id"):
        return 0
    if state == "failed" and _code(task.get("error_code")) in REFUND_CODES:
        return 0
    return estimate
