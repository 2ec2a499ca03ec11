"""Generated video clips for the DashScope and Kling routes: one or two still frames of exactly
width x height, moving for exactly `seconds` (a slow push-in on one frame, a cross-fade from the
first frame to the last with two), with an AAC soundtrack when one is given, encoded to H.264 MP4
(faststart) by the pip-shipped ffmpeg. Few frames per second keep the encoding fast: what a client
checks (container, codec, size, duration, sound) is what the real service delivers."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

from simulator.audio_io import encode_wav, run_ffmpeg
from simulator.synth import SR

FPS = 8


def fit(image: Image.Image, width: int, height: int) -> Image.Image:
    """`image` scaled and centre-cropped to exactly `width` x `height` (RGB)."""
    return ImageOps.fit(image.convert("RGB"), (width, height), Image.Resampling.LANCZOS)


def soundtrack(pcm: np.ndarray | None, seconds: float) -> np.ndarray | None:
    """Stereo PCM cut or padded with silence to exactly `seconds` (None stays None)."""
    if pcm is None:
        return None
    n = int(round(seconds * SR))
    pcm = np.asarray(pcm, np.float32)[:n]
    return np.concatenate([pcm, np.zeros((n - len(pcm), 2), np.float32)]) if len(pcm) < n else pcm


def make_clip(frames: list[Image.Image], width: int, height: int, seconds: float, out_path,
              audio: np.ndarray | None = None) -> Path:
    """Encode the clip; `frames` holds one or two images (fitted to the size), `audio` stereo
    PCM at `synth.SR` (cut or padded to the length) or None for a silent clip. The file appears
    whole (written beside it, then renamed into place)."""
    if not 1 <= len(frames) <= 2 or width % 2 or height % 2 or seconds <= 0:
        raise ValueError(f"bad clip: {len(frames)} frames, {width}x{height}, {seconds} s")
    out_path, n = Path(out_path), max(int(round(seconds * FPS)), 1)
    with tempfile.TemporaryDirectory() as tmp:
        inputs: list[str] = []
        for i, frame in enumerate(frames):
            still = Path(tmp) / f"frame{i}.png"
            fit(frame, width, height).save(still)
            inputs += ["-loop", "1", "-framerate", str(FPS), "-t", f"{seconds:.3f}", "-i", str(still)]
        if len(frames) == 1:
            graph = (f"[0:v]zoompan=z='1+0.12*on/{n}':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)'"
                     f":d=1:s={width}x{height}:fps={FPS},format=yuv420p[v]")
        else:
            graph = (f"[0:v][1:v]blend=all_expr='A*(1-min(T/{seconds:.3f},1))+B*min(T/{seconds:.3f},1)'"
                     ",format=yuv420p[v]")
        sound: list[str] = []
        track = soundtrack(audio, seconds)
        if track is not None:
            wav = encode_wav(track, Path(tmp) / "sound.wav")
            sound = ["-i", str(wav), "-map", f"{len(frames)}:a", "-c:a", "aac", "-b:a", "128k"]
        encoded = Path(tmp) / "clip.mp4"
        run_ffmpeg([*inputs, *(sound[:2]), "-filter_complex", graph, "-map", "[v]", *sound[2:],
                    "-c:v", "libx264", "-preset", "ultrafast", "-r", str(FPS), "-frames:v", str(n),
                    "-t", f"{seconds:.3f}", "-movflags", "+faststart", "-y", str(encoded)])
        out_path.parent.mkdir(parents=True, exist_ok=True)
        tmp_out = out_path.with_name(f".{out_path.name}.{threading.get_ident()}.tmp")
        shutil.copyfile(encoded, tmp_out)
        os.replace(tmp_out, out_path)  # a reader (or a second render after a restart) never sees half a file
    return out_path
