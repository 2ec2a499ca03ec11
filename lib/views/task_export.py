"""The task log as a file: every task the board's filters match (music, media and text alike),
one row each, as CSV or JSON (`GET /api/export/tasks.csv|json`, the board's *Export* links, and
``python -m lib tasks export``).

A row holds what was asked (the request as sent, never a key: the log holds none), what came
back (the result: a text answer with its usage and first-token time, an image's size, a video's
actual prompt, lyrics, persona...), its tracks and files (provider URLs and archived paths), its
error in the provider's words, and where it came from (experiment cell, recipe run and step).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from typing import Any

from lib.log import TaskFilters, TaskLog
from lib.views.board import explain_failure

FIELDS = ("id", "provider_task_id", "provider", "op", "family", "model", "state", "title",
          "prompt", "created", "finished", "seconds", "error", "request", "result", "tracks",
          "files", "experiment_id", "variant", "repeat_no", "recipe_run_id", "recipe_step")
#: the largest export (the newest first)
MAX_ROWS = 100_000
_PAGE = 500


def _iso(ts: float | None) -> str | None:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds") if ts else None


def _json(text: str | None) -> Any:
    try:
        return json.loads(text) if text else None
    except ValueError:
        return text


def filters_from(query: Any) -> TaskFilters:
    """The board's filters from a query (``state``, ``op``: repeated or comma separated;
    ``q``: the search text)."""
    def values(name: str) -> list[str] | None:
        got = query.getlist(name) if hasattr(query, "getlist") else query.get(name) or []
        got = [got] if isinstance(got, str) else list(got)
        out = [v.strip() for raw in got for v in raw.split(",") if v.strip()]
        return out or None

    text = (query.get("q") or "").strip() if hasattr(query, "get") else ""
    return TaskFilters(text=text or None, state=values("state"), op=values("op"))


def export_rows(log: TaskLog, filters: TaskFilters = TaskFilters(),
                limit: int = MAX_ROWS) -> list[dict[str, Any]]:
    """The matching tasks, newest first, as plain rows."""
    rows: list[dict[str, Any]] = []
    offset = 0
    while len(rows) < limit:
        tasks = log.page_tasks(filters, limit=min(_PAGE, limit - len(rows)), offset=offset)
        if not tasks:
            break
        offset += len(tasks)
        ids = [t["id"] for t in tasks]
        links = log.recipe_links(ids)
        for task in tasks:
            failure = explain_failure(task) if task["state"] in ("failed", "unknown") else None
            tracks = log.tracks_for(task["id"])
            files = [{"kind": a["kind"], "url": a["url"], "local_path": a["local_path"],
                      "status": a["status"]} for a in log.assets_for(task["id"])]
            run_id, step, _ = links.get(task["id"], (None, None, None))
            end = task["finished_at"]
            rows.append({
                "id": task["id"], "provider_task_id": task["provider_task_id"],
                "provider": task.get("provider"), "op": task["op"], "family": task["family"],
                "model": task["model"], "state": task["state"], "title": task["title"],
                "prompt": task["prompt"], "created": _iso(task["created_at"]),
                "finished": _iso(end),
                "seconds": round(end - task["created_at"], 3) if end else None,
                "error": failure.text if failure else task["error_message"],
                "request": _json(task["request_json"]), "result": _json(task["result_json"]),
                "tracks": [{"id": t["id"], "title": t["title"], "duration": t["duration"],
                            "audio_url": t["audio_url"],
                            "local_audio_path": t["local_audio_path"]} for t in tracks],
                "files": files, "experiment_id": task.get("experiment_id"),
                "variant": task.get("variant"), "repeat_no": task.get("repeat_no"),
                "recipe_run_id": run_id, "recipe_step": step})
    return rows


def export_json(rows: list[dict[str, Any]]) -> bytes:
    return json.dumps(rows, ensure_ascii=False, indent=2, default=str).encode("utf-8")


def export_csv(rows: list[dict[str, Any]]) -> bytes:
    """UTF-8 CSV with a BOM; nested values (request, result, tracks, files) as JSON text."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=FIELDS, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: (json.dumps(v, ensure_ascii=False, default=str)
                             if isinstance(v, (dict, list)) else v) for k, v in row.items()})
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
