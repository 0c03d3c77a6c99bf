"""The demo's photographs: drawn, never taken. A head-and-shoulders silhouette in one of a
few skin and hair tones on a plain ground, from the seed, so that a profile shows how a
photograph sits on the page without any image of a real person in the demo."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw

GROUNDS = ((214, 222, 230), (230, 224, 210), (220, 230, 220), (232, 220, 226))
SKIN = ((241, 205, 178), (224, 172, 140), (176, 123, 89), (118, 79, 55), (86, 57, 40))
HAIR = ((40, 30, 25), (95, 60, 35), (200, 160, 90), (150, 60, 30), (20, 20, 20))
TOPS = ((40, 60, 110), (120, 30, 40), (60, 90, 60), (70, 70, 70), (20, 20, 30))


def silhouette(rng: random.Random, size: tuple[int, int] = (360, 450)) -> bytes:
    """A JPEG of a drawn figure, different for each draw of ``rng``."""
    width, height = size
    image = Image.new("RGB", size, rng.choice(GROUNDS))
    draw = ImageDraw.Draw(image)
    cx = width // 2 + rng.randint(-12, 12)
    head_w, head_h = int(width * 0.36), int(height * 0.36)
    top = int(height * 0.16)
    draw.rounded_rectangle(
        (cx - width * 0.42, height * 0.66, cx + width * 0.42, height * 1.1),
        radius=60,
        fill=rng.choice(TOPS),
    )
    skin = rng.choice(SKIN)
    draw.rectangle((cx - 26, top + head_h - 10, cx + 26, height * 0.7), fill=skin)
    hair = rng.choice(HAIR)
    long_hair = rng.random() < 0.5
    if long_hair:
        draw.rounded_rectangle(
            (cx - head_w / 2 - 14, top - 8, cx + head_w / 2 + 14, top + head_h * 1.25),
            radius=50,
            fill=hair,
        )
    draw.ellipse((cx - head_w / 2, top, cx + head_w / 2, top + head_h), fill=skin)
    draw.chord(
        (cx - head_w / 2 - 4, top - 12, cx + head_w / 2 + 4, top + head_h * 0.7),
        180,
        360,
        fill=hair,
    )
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()
