"""Artwork for the simulator: a per-seed gradient and geometric picture with text drawn on it.

`cover_image` makes the square music covers; `artwork` any width x height (the DashScope and Kling
images, and the frames of their videos), optionally marked "AI Generated" like a watermarked result."""
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


def _gradient(rng: random.Random, width: int, height: int, hue: float) -> Image.Image:
    """A linear two-colour gradient at a random angle."""
    a, b = np.array(_colour(hue, .7, .95)), np.array(_colour(hue + rng.uniform(.15, .5), .8, .35))
    angle = rng.uniform(0, 2 * np.pi)
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    y, x = y / max(height - 1, 1), x / max(width - 1, 1)
    t = (x - .5) * np.cos(angle) + (y - .5) * np.sin(angle)
    t = ((t - t.min()) / (np.ptp(t) or 1))[..., None]
    return Image.fromarray((a * (1 - t) + b * t).astype(np.uint8), "RGB")


def _shapes(rng: random.Random, width: int, height: int, hue: float) -> Image.Image:
    """A transparent layer of translucent circles, rectangles and polygons."""
    layer = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    size = min(width, height)
    draw = ImageDraw.Draw(layer)
    for _ in range(rng.randint(5, 12)):
        fill = _colour(hue + rng.uniform(-.25, .25), rng.uniform(.3, 1), rng.uniform(.4, 1), rng.randint(60, 170))
        x, y, r = rng.uniform(0, width), rng.uniform(0, height), rng.uniform(size * .05, size * .35)
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
    image = _picture(seed, size, size)
    margin = size // 16
    title_lines = textwrap.wrap(title or "Untitled", width=18)[:3]
    style_lines = textwrap.wrap(style or "", width=40)[:2]
    title_bottom = size - margin - len(style_lines) * int(size // 28 * 1.2) - size // 40
    draw_text_block(image, title_lines, (margin, title_bottom), size // 11, "ld")
    draw_text_block(image, style_lines, (margin, size - margin), size // 28, "ld")
    return encode(image, fmt)


def _picture(seed, width: int, height: int) -> Image.Image:
    """The seed's gradient with its shapes, `width` x `height`, no text."""
    rng = _rng(seed)
    hue = rng.random()
    layers = _gradient(rng, width, height, hue).convert("RGBA"), _shapes(rng, width, height, hue)
    return Image.alpha_composite(*layers).convert("RGB")


def encode(image: Image.Image, fmt: str = "png") -> bytes:
    """PNG or JPEG bytes of an image."""
    if fmt.lower() not in FORMATS:
        raise ValueError(f"fmt must be one of {sorted(FORMATS)}, got {fmt!r}")
    out = io.BytesIO()
    image.save(out, format=FORMATS[fmt.lower()], **({"quality": 90} if FORMATS[fmt.lower()] == "JPEG" else {}))
    return out.getvalue()


def artwork(seed, width: int, height: int, caption: str = "", note: str = "",
            watermark: bool = False) -> Image.Image:
    """A `width` x `height` picture for the seed (the same seed gives the same picture) with
    `caption` (wrapped, at most 4 lines) and a smaller `note` line at the bottom left, and, with
    `watermark`, "AI Generated" at the bottom right."""
    image = _picture(seed, width, height)
    side = min(width, height)
    margin, big, small = max(side // 16, 4), max(side // 14, 8), max(side // 32, 8)
    chars = max(int(width / (big * .55)), 8)
    lines = textwrap.wrap(caption or "", width=chars)[:4]
    notes = textwrap.wrap(note or "", width=max(int(width * (.5 if watermark else 1) / (small * .55)), 8))[:1]
    bottom = height - margin - len(notes) * int(small * 1.2) - side // 40
    draw_text_block(image, lines, (margin, bottom), big, "ld")
    draw_text_block(image, notes, (margin, height - margin), small, "ld")
    if watermark:
        draw_text_block(image, ["AI Generated"], (width - margin, height - margin), small, "rd")
    return image
