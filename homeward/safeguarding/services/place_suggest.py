"""Did you mean: the places already recorded that a new one may be, so one address is not
typed five ways. A place is suggested when it has the same postcode, is in the same
postcode sector, lies within ``NEAR_METRES`` of the coordinates given, or has a name or
address that reads nearly the same (Jaro-Winkler, on words written one way)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import jellyfish
from django.db.models import Q

from homeward.safeguarding.models import Place
from homeward.safeguarding.services.postcodes import normalise, sector

NEAR_METRES = 200
# How alike two names must read (Jaro-Winkler, 0 to 1) to be offered.
SIMILAR_NAME = 0.88
MAX_SUGGESTIONS = 5
# Places read for name likeness at most: the newest in the searcher's area first.
NAME_SCAN = 2000
_METRES_PER_DEGREE = 111_320.0
_WORDS = re.compile(r"[a-z0-9]+")
# Words that say nothing about which place it is.
_FILLER = frozenset({"the", "a", "an", "of", "and", "at", "in", "near", "by"})
_SAME = {"rd": "road", "st": "street", "ave": "avenue", "ln": "lane", "stn": "station"}


@dataclass(frozen=True)
class Suggestion:
    place: Place
    reason: str  # "Same postcode", "Same postcode sector", "About 120 metres away", ...


def plain(text: str) -> str:
    """Words written one way: lower case, no punctuation, common abbreviations spelt
    out, filler words dropped ("The Bandstand, Riverside Pk." -> "bandstand riverside pk")."""
    words = [_SAME.get(w, w) for w in _WORDS.findall((text or "").lower())]
    return " ".join(w for w in words if w not in _FILLER)


def metres_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance on the ground, near enough for a few hundred metres (equirectangular)."""
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return math.hypot(x, y) * 6_371_000


def _alike(a: str, b: str) -> bool:
    return bool(a and b) and jellyfish.jaro_winkler_similarity(a, b) >= SIMILAR_NAME


def _near_box(lat: float, lon: float) -> Q:
    dlat = NEAR_METRES / _METRES_PER_DEGREE
    dlon = dlat / max(math.cos(math.radians(lat)), 0.1)
    return Q(
        latitude__gte=lat - dlat,
        latitude__lte=lat + dlat,
        longitude__gte=lon - dlon,
        longitude__lte=lon + dlon,
    )


def _reason(
    place: Place, name: str, postcode: str, lat: float | None, lon: float | None
) -> tuple[int, str] | None:
    """How strong the likeness is (lower is stronger) and why, or None if it is not."""
    if postcode and place.postcode == postcode:
        return 0, "Same postcode"
    if lat is not None and lon is not None and place.latitude is not None:
        assert place.longitude is not None
        metres = metres_between(lat, lon, place.latitude, place.longitude)
        if metres <= NEAR_METRES:
            return 1, f"About {max(10, round(metres, -1)):.0f} metres away"
    wanted = plain(name)
    if _alike(wanted, plain(place.name)) or _alike(wanted, plain(place.address)):
        return 2, "A similar name"
    if postcode and sector(place.postcode) == sector(postcode):
        return 3, f"Same postcode sector ({sector(postcode)})"
    return None


def suggestions(
    name: str,
    postcode: str,
    lat: float | None,
    lon: float | None,
    *,
    area: Q | None = None,
    exclude: int | None = None,
) -> list[Suggestion]:
    """Existing places a new one (these details) may be, strongest first. Postcode and
    coordinate matches are looked for everywhere; name likeness among the places of
    ``area`` (the searcher's councils) and of the postcode sector."""
    code = normalise(postcode) or ""
    where = Q(pk__in=[])
    if code:
        where |= Q(postcode__startswith=sector(code) + " ") | Q(postcode=code)
    if lat is not None and lon is not None:
        where |= _near_box(lat, lon)
    found = {p.pk: p for p in Place.objects.filter(where).order_by("-pk")[:NAME_SCAN]}
    if plain(name):
        scan = Place.objects.filter(area) if area is not None else Place.objects.all()
        for place in scan.order_by("-pk")[:NAME_SCAN]:
            found.setdefault(place.pk, place)
    ranked = []
    for place in found.values():
        if place.pk == exclude:
            continue
        why = _reason(place, name, code, lat, lon)
        if why is not None:
            ranked.append((why[0], place.name.lower(), place.pk, Suggestion(place, why[1])))
    ranked.sort(key=lambda r: r[:3])
    return [r[3] for r in ranked[:MAX_SUGGESTIONS]]
