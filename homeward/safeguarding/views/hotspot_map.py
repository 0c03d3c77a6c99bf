"""The hotspots' map, drawn on the server: each hotspot with coordinates a circle in a
box, placed by its latitude and longitude (an equirectangular projection, near enough
for one area), sized by its children and numbered by its rank in the table. No tiles, no
outside service, no JavaScript; the table beside it is the primary content."""

from __future__ import annotations

import math
from dataclasses import dataclass

from homeward.safeguarding.services.hotspots import Hotspot

WIDTH = 640
HEIGHT = 420
PAD = 36
MIN_RADIUS = 12.0
MAX_RADIUS = 30.0


@dataclass(frozen=True)
class Dot:
    rank: int
    x: float
    y: float
    r: float
    title: str
    area: bool


def _title(rank: int, h: Hotspot) -> str:
    children = f"{h.children} child{'ren' if h.children != 1 else ''}"
    episodes = f"{h.episodes} episode{'s' if h.episodes != 1 else ''}"
    return f"{rank}. {h.label}: {children}, {episodes}"


def dots(hotspots: list[Hotspot]) -> list[Dot]:
    """The circles of the hotspots that have coordinates, largest drawn first (so a small
    one is never hidden under a large one)."""
    placed = [
        (rank, h)
        for rank, h in enumerate(hotspots, 1)
        if h.latitude is not None and h.longitude is not None
    ]
    if not placed:
        return []
    lats = [h.latitude for _, h in placed if h.latitude is not None]
    lons = [h.longitude for _, h in placed if h.longitude is not None]
    squash = math.cos(math.radians(sum(lats) / len(lats)))
    span_x = max((max(lons) - min(lons)) * squash, 1e-6)
    span_y = max(max(lats) - min(lats), 1e-6)
    scale = min((WIDTH - 2 * PAD) / span_x, (HEIGHT - 2 * PAD) / span_y)
    off_x = (WIDTH - span_x * scale) / 2 if len(placed) > 1 else WIDTH / 2
    off_y = (HEIGHT - span_y * scale) / 2 if len(placed) > 1 else HEIGHT / 2
    most = max(h.children for _, h in placed)
    found = []
    for rank, h in placed:
        assert h.latitude is not None
        assert h.longitude is not None
        x = off_x + (h.longitude - min(lons)) * squash * scale if len(placed) > 1 else off_x
        y = off_y + (max(lats) - h.latitude) * scale if len(placed) > 1 else off_y
        r = MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * math.sqrt(h.children / most)
        found.append(
            Dot(rank, round(x, 1), round(y, 1), round(r, 1), _title(rank, h), h.kind == "area")
        )
    return sorted(found, key=lambda d: (-d.r, d.rank))
