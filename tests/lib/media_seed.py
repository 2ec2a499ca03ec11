"""Finished image and video tasks with archived files, written straight into a log (for the
Library's images and videos, demo playlists' media items)."""

from __future__ import annotations

import copy
from pathlib import Path

from lib import families
from lib.log import TaskLog
from tests.lib import contract_examples as ex

#: a 1x1 PNG (a real picture: browsers and `st.image` draw it)
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8cfc0f01f0005000201a7d6d4e50000000049454e44ae426082")
MP4 = b"\0\0\0\x18ftypmp42" + b"\0" * 64


def _archive(log: TaskLog, assets_dir: Path, task_id: str, data: bytes, suffix: str) -> None:
    for asset in log.assets_for(task_id):
        path = Path(assets_dir) / task_id / f"{asset['kind'].replace(':', '-')}{suffix}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        log.update_asset(asset["id"], status="done", local_path=str(path))


def seed_image(log: TaskLog, assets_dir: Path, prompt: str = "Album cover: neon city at night",
               *, now: float = 1_000.0, archived: bool = True) -> str:
    """A succeeded Qwen-Image task with one picture (archived unless told)."""
    task = log.create_task("qwen_image", "dashscope_sync_image",
                           {"model": "qwen-image-plus", "prompt": prompt},
                           provider="dashscope", model="qwen-image-plus", prompt=prompt, now=now)
    log.mark_submitted(task, None, now=now, next_poll_at=None)
    log.apply_poll(task, families.parse_poll("dashscope_sync_image",
                                             copy.deepcopy(ex.QWEN_IMAGE_OK)),
                   next_poll_at=None, now=now)
    if archived:
        _archive(log, assets_dir, task, PNG, ".png")
    return task


def seed_video(log: TaskLog, assets_dir: Path, prompt: str = "A neon city at night, slow pan",
               *, now: float = 1_000.0) -> str:
    """A succeeded DashScope text-to-video task with its archived MP4."""
    task = log.create_task("video_t2v", "dashscope_video",
                           {"model": "wan2.6-t2v", "prompt": prompt}, provider="dashscope",
                           model="wan2.6-t2v", prompt=prompt, now=now)
    log.mark_submitted(task, "ds-video-1", now=now, next_poll_at=None)
    log.apply_poll(task, families.parse_poll("dashscope_video",
                                             copy.deepcopy(ex.DASHSCOPE_VIDEO_SUCCEEDED)),
                   next_poll_at=None, now=now)
    _archive(log, assets_dir, task, MP4, ".mp4")
    return task
