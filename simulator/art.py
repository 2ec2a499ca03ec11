"""Cover art for the simulator: a per-seed gradient and geometric artwork with the title drawn on it."""
from __future__ import annotations

import colorsys
import hashlib
import io
import random
import textwrap

import numpy as np
from PIL import Image, ImageDraw, ImageFont

FORMATS = {"png": "PNG", "jpeg": "JPEG", "jpg": "JPEG"}


def _rng(seed) -> random.Random:
    """A private RNG for an int or str seed (str seeds hashed stably, e.g. task ids)."""
    if not isinstance(seed, int):
        seed = int.from_bytes(hashlib.sha256(str(seed).encode()).digest()[:8], "big")
    return random.Random(seed)


def _colour(hue: float, sat: float, val: float, alpha: int | None = None) -> tuple[int, ...]:
    """An RGB(A) tuple from HSV components in 0..1."""
    rgb = tuple(int(255 * c) for c in colorsys.hsv_to_rgb(hue % 1.0, sat, val))
    return rgb if alpha is None else (*rgb, alpha)


def _gradient(rng: random.Random, size: int, hue: float) -> Image.Image:
    """A linear two-colour gradient at a random angle."""
    a, b = np.array(_colour(hue, .7, .95)), np.array(_colour(hue + rng.uniform(.15, .5), .8, .35))
    angle = rng.uniform(0, 2 * np.pi)
    y, x = np.mgrid[0:size, 0:size] / max(size - 1, 1)
    t = (x - .5) * np.cos(angle) + (y - .5) * np.sin(angle)
    t = ((t - t.min()) / (np.ptp(t) or 1))[..., None]
    return Image.fromarray((a * (1 - t) + b * t).astype(np.uint8), "RGB")


def _shapes(rng: random.Random, size: int, hue: float) -> Image.Image:
    """A transparent layer of translucent circles, rectangles and polygons."""
    layer = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for _ in range(rng.randint(5, 12)):
        fill = _colour(hue + rng.uniform(-.25, .25), rng.uniform(.3, 1), rng.uniform(.4, 1), rng.randint(60, 170))
        x, y, r = rng.uniform(0, size), rng.uniform(0, size), rng.uniform(size * .05, size * .35)
        kind = rng.choice(("circle", "rect", "poly"))
        if kind == "circle":
            draw.ellipse((x - r, y - r, x + r, y + r), fill=fill)
        elif kind == "rect":
            draw.rectangle((x - r, y - r / 2, x + r, y + r / 2), fill=fill)
        else:
            pts = [(x + r * np.cos(a), y + r * np.sin(a))
                   for a in sorted(rng.uniform(0, 2 * np.pi) for _ in range(rng.randint(3, 6)))]
            draw.polygon(pts, fill=fill)
    return layer


def font(size: int) -> ImageFont.ImageFont:
    """Pillow's bundled default font at `size` px (scalable since Pillow 10.1)."""
    return ImageFont.load_default(size=max(int(size), 8))


def draw_text_block(image: Image.Image, lines: list[str], xy, size: int, anchor: str = "la") -> None:
    """Draw lines of white text with a dark shadow, the first line's anchor at `xy`."""
    draw = ImageDraw.Draw(image)
    f, (x, y), shadow = font(size), xy, max(size // 16, 1)
    step = int(size * 1.2) * (-1 if anchor[1] == "d" else 1)     # bottom anchors stack upwards
    for line in (reversed(lines) if step < 0 else lines):
        draw.text((x + shadow, y + shadow), line, font=f, fill=(0, 0, 0), anchor=anchor)
        draw.text((x, y), line, font=f, fill=(255, 255, 255), anchor=anchor)
        y += step


def cover_image(seed, title: str, style: str, fmt: str = "png", size: int = 512) -> bytes:
    """PNG or JPEG bytes of a `size` x `size` artwork; the same seed gives the same picture."""
    if fmt.lower() not in FORMATS:
        raise ValueError(f"fmt must be one of {sorted(FORMATS)}, got {fmt!r}")
    rng = _rng(seed)
    hue = rng.random()
    image = Image.alpha_composite(_gradient(rng, size, hue).convert("RGBA"), _shapes(rng, size, hue)).convert("RGB")
    margin = size // 16
    title_lines = textwrap.wrap(title or "Untitled", width=18)[:3]
    style_lines = textwrap.wrap(style or "", width=40)[:2]
    title_bottom = size - margin - len(style_lines) * int(size // 28 * 1.2) - size // 40
    draw_text_block(image, title_lines, (margin, title_bottom), size // 11, "ld")
    draw_text_block(image, style_lines, (margin, size - margin), size // 28, "ld")
    out = io.BytesIO()
    image.save(out, format=FORMATS[fmt.lower()], **({"quality": 90} if FORMATS[fmt.lower()] == "JPEG" else {}))
    return out.getvalue()
