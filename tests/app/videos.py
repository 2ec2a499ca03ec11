"""A finished DashScope video task in the log, its MP4 archived (for the board's and the task
page's players)."""

from __future__ import annotations

import time
from pathlib import Path

from lib.families import parse_poll
from lib.log import TaskLog

#: the first bytes of an MP4 (an ``ftyp`` box), enough for the pages (they never decode it)
MP4_HEAD = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"


def finished_video(log: TaskLog, assets_dir: str | Path, *, hours_ago: float = 2.0) -> str:
    """A text-to-video task finished ``hours_ago`` with its MP4 archived; returns its id."""
    done = time.time() - hours_ago * 3600
    tid = log.create_task("video_t2v", "dashscope_video",
                          {"model": "wan2.6-t2v", "prompt": "neon city at night"},
                          provider="dashscope", model="wan2.6-t2v",
                          prompt="neon city at night", now=done - 60)
    log.mark_submitted(tid, "ds-video-1", next_poll_at=done, now=done - 59)
    log.apply_poll(tid, parse_poll("dashscope_video", {"output": {
        "task_id": "ds-video-1", "task_status": "SUCCEEDED",
        "video_url": "https://dashscope-result.example/ds-video-1.mp4"}}),
        next_poll_at=None, now=done)
    folder = Path(assets_dir) / tid
    folder.mkdir(parents=True, exist_ok=True)
    (row,) = log.assets_for(tid)
    path = folder / "video.mp4"
    path.write_bytes(MP4_HEAD)
    log.update_asset(row["id"], status="done", local_path=str(path), bytes=len(MP4_HEAD))
    return tid
