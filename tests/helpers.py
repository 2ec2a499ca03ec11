"""Small helpers shared by the test modules (not fixtures)."""

from __future__ import annotations

import io
import math
import struct
import time
import wave

from lib import ops


def wav_bytes(seconds: float = 1.0, rate: int = 8000) -> bytes:
    """A real PCM WAV (a quiet sine) the simulator can decode."""
    frames = b"".join(struct.pack("<h", int(3000 * math.sin(i / 8))) for i in
                      range(int(seconds * rate)))
    out = io.BytesIO()
    write_wav16(out, frames, rate)
    return out.getvalue()


def write_wav16(target, frames: bytes, rate: int, channels: int = 1) -> None:
    """Write 16-bit PCM ``frames`` (little-endian, interleaved) as a WAV to a path or file."""
    with wave.open(str(target) if not hasattr(target, "write") else target, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(frames)


def finished_song(rt, model: str = "V5") -> dict:
    """Submit a simple-mode song through the runtime's tracker and drive it to success."""
    body = ops.build_body("generate", {"customMode": False, "instrumental": False,
                                         "model": model, "prompt": "calm piano"}, rt.callback_url)
    return drive_to_success(rt, rt.tracker.submit("generate", body), "song", timeout=30)


def drive_to_success(rt, task_id: str, what: str, timeout: float = 60) -> dict:
    """Run the runtime's tracker (clock pushed ahead) until the task finishes; it must succeed."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        rt.tracker.run_once(now=time.time() + 10_000)
        task = rt.log.get_task(task_id)
        if task["state"] in ("succeeded", "failed"):
            assert task["state"] == "succeeded", task
            return task
        time.sleep(0.05)
    raise AssertionError(f"{what} never finished")


def drive_run(rt, run_id: str, until=None, timeout: float = 60.0):
    """Tick the runtime's tracker (clock pushed ahead, so polls are due at once) and its recipe
    runner (steps started in this thread) until the run is no longer running, or until
    ``until(view)``; returns the run's `lib.recipes.progress.RunView`."""
    from lib.recipes import progress

    deadline = time.time() + timeout
    view = None
    while time.time() < deadline:
        rt.tracker.run_once(now=time.time() + 10_000)
        rt.recipes.run_once(wait=True)
        view = progress.load(rt.log, run_id)
        if (until(view) if until is not None else view.status != "running"):
            return view
        time.sleep(0.02)
    raise AssertionError(f"run {run_id} did not end: {view and progress.describe(view)}")
