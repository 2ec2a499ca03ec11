"""Images a form can start from (image to video): every image made earlier, newest first, with
when its provider link expires.

An image is a Qwen-Image / Kling image task's picture (assets ``image`` / ``image:N``), a cover
art task's picture (``cover:N``) or a song's cover (its track's ``image_url``). The value sent is
the provider's URL (a real provider cannot reach our local ``/api/assets``), so a link that has
expired (DashScope's: 24 h after the task finished, `lib.views.board.LINK_HOURS`) is said so in
plain words and never sent; the thumbnail comes from the archived copy.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from lib import families, ops
from lib.log import TaskLog
from lib.views.board import LINK_HOURS
from lib.views.words import first_line

_IMAGE_KINDS = ("image", "cover")


def image_families() -> tuple[str, ...]:
    """Task families whose results are pictures: the ones that label ``image:N`` or
    ``cover:N`` assets (asked of the registry: a new image family is found, not listed)."""
    return tuple(name for name, fam in families.FAMILIES.items()
                 if any(label in fam.asset_labels for label in ("image:", "cover:")))


#: as the registry has them now
IMAGE_FAMILIES = image_families()


def _is_image(kind: str) -> bool:
    return kind in _IMAGE_KINDS or kind.startswith(tuple(f"{k}:" for k in _IMAGE_KINDS))


@dataclass(frozen=True)
class ImageSource:
    """One image made earlier: its provider ``url`` (what is sent) and archived copy."""

    key: str
    url: str
    what: str
    task_id: str
    op: str
    provider: str | None
    local_path: str | None
    finished_at: float | None
    #: When the provider link stops working (None: not known to expire).
    expires_at: float | None

    def expired(self, now: float | None = None) -> bool:
        return self.expires_at is not None and (time.time() if now is None else now) \
            >= self.expires_at

    def label(self, now: float | None = None) -> str:
        flag = " · link expired" if self.expired(now) else ""
        return f"{self.what} · {ops.label(self.op)} · {self.task_id[:8]}{flag}"

    def expiry_note(self, now: float | None = None) -> str | None:
        """Why this image cannot be sent (its provider link expired), in plain words."""
        if not self.expired(now):
            return None
        hours = LINK_HOURS.get(self.provider or "")
        return (f"This image's provider link expired ({hours} h after its task finished): "
                "the provider can no longer download it. Pick a newer image, or choose "
                "“Public URL” and give a link that works.")


def _expiry(provider: str | None, finished_at: float | None) -> float | None:
    hours = LINK_HOURS.get(provider or "")
    if hours is None or finished_at is None:
        return None
    return finished_at + hours * 3600


def archived_images(log: TaskLog, limit: int = 100) -> list[ImageSource]:
    """Images of finished image / cover tasks and songs' covers, newest first."""
    found: list[tuple[float, ImageSource]] = []
    names = [o for fam in IMAGE_FAMILIES for o in ops.of_family(fam)]
    for task in log.list_tasks(op=names, state="succeeded", limit=limit) if names else []:
        when = task.get("finished_at") or task["created_at"]
        title = first_line(task.get("title") or task.get("prompt") or "") or "Image"
        for asset in log.assets_for(task["id"]):
            if not _is_image(asset["kind"]) or not asset.get("url"):
                continue
            n = asset["kind"].partition(":")[2]
            what = f"{title[:40]}" + (f" · image {n}" if n else "")
            found.append((when, ImageSource(
                f"{task['id']}:{asset['kind']}", str(asset["url"]), what, task["id"],
                task["op"], task.get("provider"),
                asset["local_path"] if asset["status"] == "done" else None,
                task.get("finished_at"), _expiry(task.get("provider"),
                                                 task.get("finished_at")))))
    for track in log.list_tracks(state="succeeded", op=list(ops.of_family("music")),
                                 limit=limit):
        if not track.get("image_url") or track["id"].startswith("#"):
            continue
        parent = log.get_task(track["task_id"])
        finished = parent.get("finished_at") if parent else None
        provider = parent.get("provider") if parent else None
        found.append((finished or track["task_created_at"], ImageSource(
            f"track:{track['id']}", str(track["image_url"]),
            f"{track.get('title') or 'Untitled'} · song cover", track["task_id"],
            track["task_op"], provider, track.get("local_image_path"), finished,
            _expiry(provider, finished))))
    found.sort(key=lambda pair: pair[0], reverse=True)
    return [image for _when, image in found]
