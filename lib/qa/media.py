"""QA of archived images and videos (issue 16): is the file what was asked of it?

* `measure_image(path)` -> `Measures`: width and height in pixels and the format (Pillow reads
  the header only);
* `measure_video(path)` -> `Measures`: duration, width and height, frame rate and whether it has
  an audio stream (the ffmpeg that ``imageio-ffmpeg`` ships reads the container's header; no
  system ``ffprobe`` needed);
* `asked_for(op, request)` -> `Asked`: what the task's request asked (an exact ``W*H`` size, a
  DashScope ``480P/720P/1080P`` tier, a Kling ``std``/``pro`` mode or ``1k``/``2k`` image
  resolution, an aspect ratio, the seconds, sound or silence), the operation's defaults where
  the request left a field out;
* `judge(measures, asked)` -> `Verdict`: the flag (``ok``, ``warn`` on a mismatch, ``fail`` for
  a file that cannot be read) and one line for people, e.g. ``1328×1328 PNG (asked 1328*1328)
  ✓`` or ``5.0 s · 1280×720 · 24 fps · with sound (asked 5 s, 720P) ✓``;
* `MediaScorer` - the archiver's hook (`lib.tracking.assets.AssetArchiver(on_media=...)`):
  after a task-level ``image``/``image:N``/``video``/``video:N`` file is stored it measures and
  judges it and keeps the verdict in the task log (`TaskLog.save_media_qa`, m012).
"""

from __future__ import annotations

import json
import math
import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from lib import ops
from lib.contract.validation import value_or_default
from lib.log import AssetRow, TaskLog
from lib.ops import video_i2v, video_t2v
from lib.qa.flags import Flag

#: How far a video's length may be from the seconds asked (encoders round to whole frames).
SECONDS_TOLERANCE = 0.5
#: How far a shape may be from the aspect ratio asked (sides are rounded to multiples of 16).
RATIO_TOLERANCE = 0.03
#: DashScope's video tiers, by their landscape size (a tier's sizes have about its area).
TIERS = {"480P": (832, 480), "720P": (1280, 720), "1080P": (1920, 1080)}
#: Kling's video modes: std makes 720p, pro 1080p.
MODES = {"std": "720P", "pro": "1080P"}
#: Kling's image resolutions: about 1024² or 2048² pixels.
IMAGE_TIERS = {"1k": 1024 * 1024, "2k": 2048 * 2048}
#: The DashScope video operations' models that make video with sound (their other models are
#: silent), as the operation modules say.
SOUND_MODELS = {"video_t2v": video_t2v.WITH_SOUND, "video_i2v": video_i2v.WITH_SOUND}


def media_kind(asset_kind: str) -> str | None:
    """``image`` or ``video`` for a task-level media asset kind (``image:2``, ``video``...)."""
    base = asset_kind.split(":", 1)[0]
    return base if base in ("image", "video") else None


# -- what the file is ------------------------------------------------------------------------
@dataclass
class Measures:
    """What a file is (``error`` when it could not be read)."""

    kind: str
    width: int | None = None
    height: int | None = None
    format: str | None = None
    seconds: float | None = None
    fps: float | None = None
    sound: bool | None = None
    error: str | None = None


def measure_image(path: str | Path) -> Measures:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            return Measures("image", image.width, image.height, image.format)
    except (OSError, UnidentifiedImageError, ValueError) as exc:
        return Measures("image", error=f"not a readable image ({type(exc).__name__})")


def measure_video(path: str | Path) -> Measures:
    import imageio_ffmpeg

    frames = None
    try:
        frames = imageio_ffmpeg.read_frames(str(path))
        meta = next(frames)  # the first item is the header's metadata; no frame is decoded
    except (OSError, RuntimeError, StopIteration, IndexError, ValueError) as exc:
        return Measures("video", error=f"not a readable video ({type(exc).__name__})")
    finally:
        if frames is not None:
            frames.close()
    width, height = meta.get("source_size") or meta.get("size") or (None, None)
    fps = meta.get("fps") or None
    codec = str(meta.get("codec") or "").upper() or None
    return Measures("video", width, height, codec, float(meta.get("duration") or 0) or None,
                    float(fps) if fps else None, "audio_codec" in meta)


def measure(kind: str, path: str | Path) -> Measures:
    return measure_video(path) if kind == "video" else measure_image(path)


# -- what was asked --------------------------------------------------------------------------
@dataclass
class Asked:
    """What a task asked of its images or videos (None: not asked)."""

    size: str | None = None     # an exact "W*H"
    tier: str | None = None     # "720P" (video), "1k" (image)
    ratio: str | None = None    # "16:9"
    seconds: float | None = None
    sound: bool | None = None

    def words(self) -> str:
        parts = [self.size or "", self.tier or "", self.ratio or "",
                 f"{_num(self.seconds)} s" if self.seconds else ""]
        if self.sound is not None:
            parts.append("with sound" if self.sound else "silent")
        return ", ".join(p for p in parts if p)


def _size(value: Any) -> tuple[int, int] | None:
    match = re.fullmatch(r"\s*(\d+)\s*[*x×]\s*(\d+)\s*", str(value or ""))
    return (int(match[1]), int(match[2])) if match else None


def _ratio(value: Any) -> float | None:
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*:\s*(\d+(?:\.\d+)?)\s*", str(value or ""))
    return float(match[1]) / float(match[2]) if match and float(match[2]) else None


def asked_for(op: str, request: dict[str, Any]) -> Asked:
    """What ``request`` (the flat body as logged) asked of the files of ``op``."""
    if op not in ops.OPERATIONS:
        return Asked()
    operation = ops.get(op)

    def value(name: str) -> Any:
        return value_or_default(operation, request, name) if name in operation.names \
            else request.get(name)

    asked = Asked()
    if _size(value("size")):
        asked.size = str(value("size"))
    resolution = value("resolution")
    if isinstance(resolution, str) and (resolution.upper() in TIERS or resolution in
                                        IMAGE_TIERS):
        asked.tier = resolution.upper() if resolution.upper() in TIERS else resolution
    elif operation.family == "kling_video" and value("mode") in MODES:
        asked.tier = MODES[value("mode")]
    if _ratio(value("aspect_ratio")):
        asked.ratio = str(value("aspect_ratio"))
    seconds = value("duration")
    if isinstance(seconds, str) and seconds.strip().isdigit():
        seconds = int(seconds)
    if isinstance(seconds, (int, float)) and not isinstance(seconds, bool) and seconds > 0:
        asked.seconds = float(seconds)
    if operation.family == "kling_video":
        asked.sound = bool(value("generate_audio")) or value("sound") == "on"
    elif op in SOUND_MODELS:
        asked.sound = (value("model") in SOUND_MODELS[op] and request.get("audio") is not False) \
            or bool(request.get("audio_url"))
    return asked


# -- the verdict -----------------------------------------------------------------------------
@dataclass
class Verdict:
    """One file's QA: its flag, the mismatches in words and the line shown on the task."""

    flag: Flag
    line: str
    mismatches: list[str] = field(default_factory=list)
    measures: Measures | None = None
    asked: Asked | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"flag": self.flag.value, "line": self.line, "mismatches": self.mismatches,
                "measures": asdict(self.measures) if self.measures else None,
                "asked": asdict(self.asked) if self.asked else None}


def _num(value: float | None) -> str:
    if value is None:
        return "?"
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def tier_of(width: int, height: int) -> str:
    """The DashScope tier whose area is nearest this size's (in ratio)."""
    area = width * height
    return min(TIERS, key=lambda t: abs(math.log(area / (TIERS[t][0] * TIERS[t][1]))))


def _mismatches(m: Measures, asked: Asked) -> list[str]:
    out: list[str] = []
    w, h = m.width, m.height
    if w and h:
        want = _size(asked.size)
        if want and want != (w, h):
            out.append(f"{w}×{h}, not {asked.size}")
        if asked.tier in TIERS and tier_of(w, h) != asked.tier:
            out.append(f"{w}×{h} is {tier_of(w, h)}, not {asked.tier}")
        if asked.tier in IMAGE_TIERS:
            area, goal = w * h, IMAGE_TIERS[asked.tier]
            if not 0.5 <= area / goal <= 2:
                out.append(f"{w}×{h} is not about {asked.tier} "
                           f"({int(math.sqrt(goal))}² pixels)")
        ratio = _ratio(asked.ratio)
        if ratio and abs(w / h - ratio) / ratio > RATIO_TOLERANCE:
            out.append(f"shape {w}×{h}, not {asked.ratio}")
    if m.kind == "video":
        if asked.seconds and (m.seconds is None
                              or abs(m.seconds - asked.seconds) > SECONDS_TOLERANCE):
            out.append(f"{_num(round(m.seconds, 1)) if m.seconds else '?'} s long, not "
                       f"{_num(asked.seconds)} s")
        if asked.sound is True and m.sound is False:
            out.append("silent, sound was asked")
        elif asked.sound is False and m.sound is True:
            out.append("has sound, silence was asked")
    return out


def judge(m: Measures, asked: Asked) -> Verdict:
    """The flag and the line for one measured file."""
    what = "Image" if m.kind == "image" else "Video"
    if m.error:
        return Verdict(Flag.FAIL, f"{what}: {m.error} ✖", [m.error], m, asked)
    size = f"{m.width}×{m.height}" if m.width and m.height else "size unknown"
    if m.kind == "image":
        shown = f"{size} {m.format or 'image'}"
    else:
        seconds = f"{m.seconds:.1f} s" if m.seconds else "length unknown"
        fps = f"{_num(round(m.fps, 2))} fps" if m.fps else "fps unknown"
        shown = " · ".join((seconds, size, fps, "with sound" if m.sound else "silent"))
    wanted = asked.words()
    line = shown + (f" (asked {wanted})" if wanted else "")
    problems = _mismatches(m, asked)
    if problems:
        return Verdict(Flag.WARN, f"{line} ⚠ {'; '.join(problems)}", problems, m, asked)
    return Verdict(Flag.OK, f"{line} ✓", [], m, asked)


def check_file(kind: str, path: str | Path, op: str, request: dict[str, Any]) -> Verdict:
    """Measure one archived file of a task of ``op`` and judge it against ``request``."""
    return judge(measure(kind, path), asked_for(op, request))


# -- in the task log ---------------------------------------------------------------------------
def _request(task: Any) -> dict[str, Any]:
    try:
        body = json.loads((task["request_json"] if task else None) or "{}")
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def check_asset(log: TaskLog, asset: AssetRow, path: str | Path,
                now: float | None = None) -> Verdict | None:
    """Measure, judge and keep the QA of one archived media asset (None: not an image or a
    video of a task)."""
    kind = media_kind(asset["kind"])
    if kind is None or asset["track_id"]:
        return None
    task = log.get_task(asset["task_id"])
    verdict = check_file(kind, path, task["op"] if task else "", _request(task))
    log.save_media_qa(asset["id"], asset["task_id"], asset["kind"], worst=verdict.flag.value,
                      summary=verdict.line, measures=verdict.to_dict(), source=str(path),
                      computed_at=time.time() if now is None else now)
    return verdict


class MediaScorer:
    """The archiver's hook: the QA of every task image and video it stores (`check_asset`)."""

    def __init__(self, log: TaskLog) -> None:
        self.log = log
        #: seconds spent and files checked (for figures)
        self.seconds = 0.0
        self.count = 0

    def __call__(self, asset: AssetRow, path: Path) -> None:
        started = time.perf_counter()
        try:
            check_asset(self.log, asset, path)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1
