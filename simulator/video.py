"""Music videos for the simulator: a still image (with author and domain drawn by Pillow) plus audio,
encoded to H.264/AAC MP4 by the pip-shipped ffmpeg."""
from __future__ import annotations

import tempfile
from pathlib import Path

from PIL import Image, ImageDraw

from simulator.art import font
from simulator.audio_io import duration_of, run_ffmpeg

FPS = 2   # a still image needs few frames; keeps encoding fast


def frame(image_path, author: str | None = None, domain: str | None = None, max_side: int = 720) -> Image.Image:
    """The video frame: the image scaled to at most `max_side`, even-sized, with `author` on a
    translucent lower-third band and `domain` as a translucent watermark at the top right."""
    image = Image.open(image_path).convert("RGB")
    image.thumbnail((max_side, max_side))
    w, h = max(image.width // 2 * 2, 2), max(image.height // 2 * 2, 2)
    image = image.resize((w, h)).convert("RGBA")
    overlay = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw, margin = ImageDraw.Draw(overlay), max(h // 24, 4)
    if author:
        band = max(h // 8, 12)
        draw.rectangle((0, h - band, w, h), fill=(0, 0, 0, 215))
        draw.text((margin, h - band // 2), author, font=font(band // 2), fill=(255, 255, 255, 255), anchor="lm")
    if domain:
        draw.text((w - margin, margin), domain, font=font(max(h // 28, 9)), fill=(255, 255, 255, 150), anchor="ra")
    return Image.alpha_composite(image, overlay).convert("RGB")


def make_mp4(image_path, audio_path, out_path, author: str | None = None, domain: str | None = None) -> Path:
    """Encode the still frame for the length of the audio into an MP4 (H.264 + AAC, faststart).

    The length is cut with `-t` as well as `-shortest`: with a looped image `-shortest` alone
    leaves the video track up to a couple of seconds longer than the audio."""
    out_path, seconds = Path(out_path), duration_of(audio_path)
    with tempfile.TemporaryDirectory() as tmp:
        still = Path(tmp) / "frame.png"
        frame(image_path, author, domain).save(still)
        run_ffmpeg(["-loop", "1", "-framerate", str(FPS), "-i", str(still), "-i", str(audio_path),
                    "-map", "0:v", "-map", "1:a", "-c:v", "libx264", "-preset", "ultrafast",
                    "-tune", "stillimage", "-pix_fmt", "yuv420p", "-r", str(FPS),
                    "-c:a", "aac", "-b:a", "128k", "-shortest", "-t", f"{seconds:.3f}", "-movflags", "+faststart",
                    "-y", str(out_path)])
    return out_path
