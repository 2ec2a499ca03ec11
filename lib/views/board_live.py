"""What changes between two ticks of the board: toasts, and rows that must keep their place.

* `watch_running` / `finished_toasts` - toasts for tasks that finished since the last tick,
  found by re-reading only the tasks that were running (never the whole log);
* `stable_slots` - the render order that never moves a row already on screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from lib.log import TaskLog
from lib.views.board import WATCHED, explain_failure, op_label


@dataclass(frozen=True)
class Toast:
    task_id: str
    text: str
    icon: str


def stable_slots(previous: list[str] | None, newest_first: list[str], *,
                 accept_new: bool) -> list[str]:
    """Render order (oldest first) that never moves a row already on screen.

    A full run passes ``previous=None`` and gets the page as it is. A tick keeps every row it
    showed (even ones that left the page or the filter) and only appends new tasks at the end,
    so no container changes position (the page shows the list reversed, newest on top).
    """
    fresh = list(reversed(newest_first))
    if previous is None:
        return fresh
    return previous + [i for i in fresh if accept_new and i not in previous]


# -- toasts -------------------------------------------------------------------------------------
def watch_running(log: TaskLog, limit: int = 500) -> dict[str, str]:
    """``{task_id: state}`` of the newest tasks that may still change (for `finished_toasts`)."""
    return log.watch_list(WATCHED, limit)


def finished_toasts(log: TaskLog, watched: dict[str, str] | None,
                    limit: int = 500) -> tuple[list[Toast], dict[str, str]]:
    """Toasts for watched tasks that have finished since; returns them and the new watch list.

    ``watched=None`` (first render) announces nothing.
    """
    toasts: list[Toast] = []
    if watched:
        for row in log.finished_among(list(watched)):
            prompt = (row["prompt"] or "").split("\n")[0]
            name = row["title"] or (prompt[:59] + "…" if len(prompt) > 60 else prompt) \
                or op_label(row["op"])
            if row["state"] == "succeeded":
                toasts.append(Toast(row["id"], f"Finished: {name}", ":material/check_circle:"))
            else:
                failure = explain_failure(row)
                code = f" (code {row['error_code']})" if row["error_code"] is not None else ""
                text = failure.text if failure else "the provider reported a failure"
                toasts.append(Toast(row["id"], f"Failed: {name}{code}. {text}", ":material/error:"))
    return toasts, watch_running(log, limit)
