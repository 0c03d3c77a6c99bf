"""The demo's places and where its children were: last seen, found and stayed.

About thirty places in the three councils' towns, with postcodes in the demo's invented
districts (no real UK postcode area begins with Q) and coordinates invented inside a box
(``BOX``): a middle per council, places scattered a few kilometres around it. Each
returned episode is linked to where the child was last seen (a place in the area they
went missing from) and where they were found; a few to where they stayed, as their
return interview said. Four places draw more than their share, so the hotspots page has
something to show:

- Quayside retail park (Marlhaven): found there all year, a hotspot throughout;
- Fenwick House, Northgate (Marlhaven): only in the last two months, a rising hotspot;
- Brindle bus station (Eastwold): where Marlhaven's children placed in Eastwold's homes
  turn up, a hotspot of Marlhaven's host area (and of Eastwold's, for children placed in);
- Colwater riverside park (Sedgecombe).

Rows are written directly, as the rest of the demo is (``demo.py``; docs/decisions/0005),
keeping the services' rules: postcodes written the one way (``postcodes.normalise``),
coordinates inside the service's bounds, a link's time the episode's (last seen at the
start, found at the return), never two live links of one role to one episode."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from homeward.episodes.models import Episode
from homeward.safeguarding.models import Place, PlaceKind, PlaceLink, PlaceRole
from homeward.safeguarding.services.places import LATITUDE_RANGE, LONGITUDE_RANGE
from homeward.safeguarding.services.postcodes import normalise
from homeward.seed.plan import Area

# The invented box the demo's places lie in (south-west and north-east corners).
BOX = ((52.30, -1.30), (52.70, -0.60))
assert LATITUDE_RANGE[0] <= BOX[0][0] < BOX[1][0] <= LATITUDE_RANGE[1]
assert LONGITUDE_RANGE[0] <= BOX[0][1] < BOX[1][1] <= LONGITUDE_RANGE[1]

# Each council's middle inside the box, as fractions of it (west to east, south to north).
MIDDLES = {"marlhaven": (0.30, 0.70), "eastwold": (0.75, 0.55), "sedgecombe": (0.40, 0.20)}
# (council, name, kind, district, hotspot key). Hotspot places are chosen more often.
PLACES: tuple[tuple[str, str, str, str, str], ...] = (
    ("marlhaven", "Quayside retail park", PlaceKind.SHOP, "QM2", "throughout"),
    ("marlhaven", "Fenwick House, Northgate estate", PlaceKind.ESTATE, "QM4", "rising"),
    ("marlhaven", "Marlhaven Central station", PlaceKind.TRANSPORT, "QM1", ""),
    ("marlhaven", "Hillcrest skate park", PlaceKind.PARK, "QM7", ""),
    ("marlhaven", "Chicken shop, Dock Street", PlaceKind.SHOP, "QM2", ""),
    ("marlhaven", "Northgate library", PlaceKind.OTHER, "QM4", ""),
    ("marlhaven", "Harbour Lane flats", PlaceKind.ADDRESS, "QM1", ""),
    ("marlhaven", "Quayside bus interchange", PlaceKind.TRANSPORT, "QM2", ""),
    ("marlhaven", "Marlhaven Academy playing fields", PlaceKind.SCHOOL, "QM1", ""),
    ("marlhaven", "Canalside Hotel", PlaceKind.SHORT_LET, "QM7", ""),
    ("marlhaven", "St Aldric's churchyard", PlaceKind.OTHER, "QM4", ""),
    ("eastwold", "Brindle bus station", PlaceKind.TRANSPORT, "QE3", "host"),
    ("eastwold", "Eastwold Market square", PlaceKind.OTHER, "QE2", ""),
    ("eastwold", "Southmere recreation ground", PlaceKind.PARK, "QE5", ""),
    ("eastwold", "Cradley Wold garage shop", PlaceKind.SHOP, "QE9", ""),
    ("eastwold", "Brindle Community College", PlaceKind.SCHOOL, "QE3", ""),
    ("eastwold", "Flat above the launderette, Brindle", PlaceKind.ADDRESS, "QE3", ""),
    ("eastwold", "Southmere railway halt", PlaceKind.TRANSPORT, "QE5", ""),
    ("eastwold", "Eastwold Market takeaway", PlaceKind.SHOP, "QE2", ""),
    ("eastwold", "Short-let flats, Mill Road", PlaceKind.SHORT_LET, "QE2", ""),
    ("sedgecombe", "Colwater riverside park", PlaceKind.PARK, "QS3", "steady"),
    ("sedgecombe", "Sedgecombe shopping centre", PlaceKind.SHOP, "QS1", ""),
    ("sedgecombe", "Tarrow End bus shelter", PlaceKind.TRANSPORT, "QS6", ""),
    ("sedgecombe", "Sedgecombe High School gates", PlaceKind.SCHOOL, "QS1", ""),
    ("sedgecombe", "Colwater towpath", PlaceKind.OTHER, "QS3", ""),
    ("sedgecombe", "Tarrow End caravan site", PlaceKind.ADDRESS, "QS6", ""),
    ("sedgecombe", "Sedgecombe station car park", PlaceKind.TRANSPORT, "QS1", ""),
    ("sedgecombe", "Guest house, Colwater Road", PlaceKind.SHORT_LET, "QS3", ""),
)
RISING_DAYS = 60  # the rising hotspot's links are all this recent
LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters an inward code uses


def _point(rng: random.Random, council: str) -> tuple[float, float]:
    (south, west), (north, east) = BOX
    fx, fy = MIDDLES[council]
    lat = south + fy * (north - south) + rng.uniform(-0.06, 0.06)
    lon = west + fx * (east - west) + rng.uniform(-0.09, 0.09)
    return round(lat, 5), round(lon, 5)


def _postcode(rng: random.Random, district: str) -> str:
    code = normalise(f"{district}{rng.randint(1, 9)}{rng.choice(LETTERS)}{rng.choice(LETTERS)}")
    assert code, district
    return code


def _places(area: Area, rng: random.Random) -> dict[str, list[tuple[Place, str]]]:
    by_council: dict[str, list[tuple[Place, str]]] = {key: [] for key in MIDDLES}
    for council, name, kind, district, hot in PLACES:
        lat, lon = _point(rng, council)
        place = Place.objects.create(
            name=name,
            kind=kind,
            postcode=_postcode(rng, district),
            latitude=lat,
            longitude=lon,
            council=area.orgs[council],
            created_at=area.clock.now - timedelta(days=rng.randint(200, 400)),
        )
        by_council[council].append((place, hot))
    return by_council


def _found_place(
    rng: random.Random, choices: list[tuple[Place, str]], *, host_area: bool, recent: bool
) -> Place:
    """Where a child was found: a hotspot more often than its share."""
    hot = {key: place for place, key in choices if key}
    if host_area and "host" in hot and rng.random() < 0.6:
        return hot["host"]
    if recent and "rising" in hot and rng.random() < 0.5:
        return hot["rising"]
    for key in ("throughout", "steady"):
        if key in hot and rng.random() < 0.3:
            return hot[key]
    return rng.choice([place for place, key in choices if not key])


def write_places(area: Area) -> None:
    rng = area.rng("places")
    by_council = _places(area, rng)
    key_of = {org.pk: key for key, org in area.orgs.items() if key in MIDDLES}
    links: list[PlaceLink] = []
    returned = Episode.objects.filter(returned_at__isnull=False).select_related(
        "placement", "child"
    )
    for episode in returned.order_by("last_seen_at", "pk"):
        assert episode.returned_at is not None
        responsible = key_of.get(episode.child.responsible_council_id)
        host_id = episode.placement.host_council_id if episode.placement else None
        where = key_of.get(host_id or 0) or responsible
        if where is None:
            continue
        recent = episode.returned_at >= area.clock.now - timedelta(days=RISING_DAYS)
        choices = [(p, k) for p, k in by_council[where] if k != "rising" or recent]
        found = _found_place(rng, choices, host_area=where != responsible, recent=recent)
        seen = rng.choice([p for p, k in choices if not k and p != found])
        for place, role, at in ((seen, PlaceRole.LAST_SEEN, episode.last_seen_at),
                                (found, PlaceRole.FOUND, episode.returned_at)):  # fmt: skip
            links.append(_link(area, episode, place, role, at))
        if rng.random() < 0.15:
            stay = [p for p, _ in by_council[where] if p.kind == PlaceKind.SHORT_LET]
            links.append(_link(area, episode, stay[0], PlaceRole.STAYED, episode.last_seen_at))
    PlaceLink.objects.bulk_create(links)


def _link(area: Area, episode: Episode, place: Place, role: str, at: datetime) -> PlaceLink:
    assert episode.returned_at is not None
    return PlaceLink(
        place=place,
        role=role,
        child=episode.child,
        episode=episode,
        occurred_at=at,
        recorded_at=episode.returned_at,
        recorded_by_organisation=area.orgs["force"],
    )


def counts() -> dict[str, int]:
    return {
        "places": Place.objects.count(),
        "place links": PlaceLink.objects.filter(removed_at__isnull=True).count(),
    }
