"""The hotspots' map: points projected into the box, worked out by hand."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from homeward.safeguarding.services.hotspots import Hotspot
from homeward.safeguarding.views import hotspot_map

AT = datetime(2026, 11, 1, tzinfo=UTC)


def spot(key: str, children: int, lat: float | None, lon: float | None) -> Hotspot:
    return Hotspot(key, key.title(), "place", 1, "AB1 2", children, children, AT, 0, lat, lon)


def test_two_hotspots_fill_the_box_and_the_bigger_is_drawn_first() -> None:
    # Spans: 0.1 degrees of longitude x cos(52.05 degrees) = 0.06149 across, 0.1 up.
    # Scale: min(568 / 0.06149, 348 / 0.1) = 3480 pixels a degree (the height decides).
    # Across, 0.06149 x 3480 = 214 of 640: 213 either side. Up, 348 of 420: 36 above.
    # A (south-west) is at (213, 36 + 348) = (213, 384); B (north-east) at (427, 36).
    # Radii: 12 + 18 x sqrt(children / most): A 30, B 12 + 18 x 0.5 = 21.
    found = hotspot_map.dots(
        [spot("a", 4, 52.0, -1.0), spot("b", 1, 52.1, -0.9), spot("c", 3, None, None)]
    )
    assert [(d.rank, d.r) for d in found] == [(1, 30.0), (2, 21.0)]
    a, b = found
    assert a.x == pytest.approx(213.0, abs=0.2)
    assert a.y == 384.0
    assert b.x == pytest.approx(427.0, abs=0.2)
    assert b.y == 36.0
    assert a.title == "1. A: 4 children, 4 episodes"
    assert b.title == "2. B: 1 child, 1 episode"


def test_one_hotspot_is_in_the_middle_and_none_without_coordinates() -> None:
    [only] = hotspot_map.dots([spot("a", 3, 52.0, -1.0)])
    assert (only.x, only.y) == (320.0, 210.0)
    assert hotspot_map.dots([spot("a", 3, None, None)]) == []
