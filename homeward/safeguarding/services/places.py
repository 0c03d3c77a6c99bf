"""Places as records: recording one (after "did you mean"), finding them, and the audited
read of one with its links.

A place itself (its name, address, postcode, coordinates) is not personal data: anyone
whose role records places or sees hotspots may list and search them. Its links are a
child's story, and are shown only through children the viewer may see
(``children.visibility``); reading them is audited. Recording needs
``Action.RECORD_PLACE``; linking needs sight of the child too (``place_links``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet

from homeward.audit import services as audit
from homeward.children.visibility import visible_children
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, NotFound, ServiceError, ValidationFailed
from homeward.core.validation import text_errors
from homeward.episodes.visibility import visible_episodes
from homeward.events import bus
from homeward.events.change import record_change
from homeward.organisations.models import Organisation, OrganisationKind
from homeward.organisations.policy import Action, role_allows
from homeward.safeguarding import access
from homeward.safeguarding.events import PlaceRecorded
from homeward.safeguarding.models import Place, PlaceKind, PlaceLink
from homeward.safeguarding.services import place_suggest
from homeward.safeguarding.services.place_suggest import Suggestion
from homeward.safeguarding.services.postcodes import normalise

NOT_FOUND = "No place was found."
# England, near enough: a point outside this box is a typing slip (or not in England).
LATITUDE_RANGE = (49.8, 55.9)
LONGITUDE_RANGE = (-6.5, 2.0)
LIST_LIMIT = 200
FIELD_NAMES = {"name": "The name or description", "address": "The address", "notes": "Notes"}


class PlaceMayExist(ServiceError):
    """Places like this one are recorded already: choose one, or say it is a new place."""

    status = 409
    title = "This place may already be recorded"

    def __init__(self, found: list[Suggestion]) -> None:
        super().__init__("This place may already be recorded: choose it, or say it is new.")
        self.suggestions = found


@dataclass
class PlaceInput:
    name: str
    kind: str = PlaceKind.OTHER
    address: str = ""
    postcode: str = ""
    latitude: float | None = None
    longitude: float | None = None
    council_id: int | None = None
    notes: str = ""


@dataclass
class PlaceRead:
    place: Place
    links: list[PlaceLink]  # through visible children only, newest first
    hidden_links: int  # links of children the viewer may not see: a count, nothing more
    may_record: bool


# --- who may ----------------------------------------------------------------------------------


def may_record(actor: Actor) -> bool:
    return role_allows(actor, Action.RECORD_PLACE)


def may_see_places(actor: Actor) -> bool:
    return access.may_see_places(actor)


def area_councils(actor: Actor) -> QuerySet[Organisation]:
    """The councils whose places are the actor's own: their council; a force's councils; a
    home's area council. A return-interview provider has no area of its own."""
    org = actor.organisation
    councils = Organisation.objects.filter(kind=OrganisationKind.COUNCIL)
    if org is None:
        return councils.none()
    if org.kind == OrganisationKind.COUNCIL:
        return councils.filter(pk=org.pk)
    if org.kind == OrganisationKind.POLICE:
        return councils.filter(police_force=org)
    if org.kind == OrganisationKind.CARE_PROVIDER and org.area_council_id:
        return councils.filter(pk=org.area_council_id)
    return councils.none()


def default_council(actor: Actor) -> Organisation | None:
    councils = list(area_councils(actor)[:2])
    return councils[0] if len(councils) == 1 else None


def council_choices() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=OrganisationKind.COUNCIL).order_by("name")


# --- validating and recording ---------------------------------------------------------------


def _coordinates(data: PlaceInput, errors: dict[str, list[str]]) -> None:
    lat, lon = data.latitude, data.longitude
    if (lat is None) != (lon is None):
        field = "longitude" if lon is None else "latitude"
        errors[field] = ["Enter both the latitude and the longitude, or neither"]
        return
    if lat is not None and not LATITUDE_RANGE[0] <= lat <= LATITUDE_RANGE[1]:
        errors["latitude"] = [
            f"Latitude must be between {LATITUDE_RANGE[0]} and {LATITUDE_RANGE[1]} (England)"
        ]
    if lon is not None and not LONGITUDE_RANGE[0] <= lon <= LONGITUDE_RANGE[1]:
        errors["longitude"] = [
            f"Longitude must be between {LONGITUDE_RANGE[0]} and {LONGITUDE_RANGE[1]} (England)"
        ]


def validate(actor: Actor, data: PlaceInput) -> tuple[dict[str, object], dict[str, list[str]]]:
    """The place's values written one way, and messages naming each wrong field."""
    values = {
        "name": data.name.strip(),
        "address": data.address.strip(),
        "notes": data.notes.strip(),
    }
    errors = text_errors(Place, values, FIELD_NAMES)
    if not values["name"] and "name" not in errors:
        errors["name"] = ["Enter the place's name or a description of it"]
    if data.kind not in PlaceKind.values:
        errors["kind"] = ["Select what kind of place it is"]
    postcode = normalise(data.postcode)
    if postcode is None:
        errors["postcode"] = ["Enter a real postcode, like AB1 2CD, or leave it blank"]
    _coordinates(data, errors)
    council = (
        council_choices().filter(pk=data.council_id).first()
        if data.council_id is not None
        else default_council(actor)
    )
    if council is None:
        errors["council"] = ["Select the council whose area the place is in"]
    clean: dict[str, object] = {
        **values,
        "kind": data.kind,
        "postcode": postcode or "",
        "latitude": data.latitude,
        "longitude": data.longitude,
        "council": council,
    }
    return clean, errors


def suggest(
    actor: Actor, name: str, postcode: str, lat: float | None, lon: float | None
) -> list[Suggestion]:
    """Places already recorded that these details may be: same postcode or sector, within
    about 200 metres, or a similar name (place_suggest). Places are not personal data."""
    if not may_see_places(actor):
        raise AccessDenied("Your role does not allow you to record places.")
    return place_suggest.suggestions(
        name, postcode, lat, lon, area=Q(council__in=area_councils(actor))
    )


@transaction.atomic
@bus.in_unit_of_work
def record_place(actor: Actor, data: PlaceInput, *, confirmed_new: bool = False) -> Place:
    """Record a place. Unless ``confirmed_new``, raises PlaceMayExist when places like it
    are recorded already, so the recorder can choose one of those instead."""
    if not may_record(actor):
        raise AccessDenied("Your role does not allow you to record places.")
    clean, errors = validate(actor, data)
    if errors:
        raise ValidationFailed(errors)
    if not confirmed_new:
        found = suggest(actor, data.name, data.postcode, data.latitude, data.longitude)
        if found:
            raise PlaceMayExist(found)
    place = Place.objects.create(
        **clean,
        created_at=clock.now(),
        created_by=actor.user,
        created_by_organisation=actor.organisation,
    )
    record_change(
        actor,
        PlaceRecorded(aggregate_id=place.pk, council=place.council_id),
        action="record_place",
    )
    return place


# --- reading --------------------------------------------------------------------------------


def list_places(actor: Actor, query: str = "") -> list[Place]:
    """Places in the actor's area, or, with a search, any place whose name, address or
    postcode holds it. Not personal data: not audited."""
    if not may_see_places(actor):
        raise AccessDenied("Your role does not allow you to see places.")
    found = Place.objects.select_related("council")
    words = query.strip()[:100]
    if words:
        code = normalise(words)
        match = Q(name__icontains=words) | Q(address__icontains=words)
        match |= Q(postcode__startswith=code) if code else Q(postcode__icontains=words)
        found = found.filter(match)
    else:
        found = found.filter(council__in=area_councils(actor))
    return list(found.order_by("name", "pk")[:LIST_LIMIT])


def get_place(actor: Actor, place_id: object) -> Place:
    if not may_see_places(actor):
        raise NotFound(NOT_FOUND)
    try:
        pk = int(str(place_id))
    except ValueError:
        raise NotFound(NOT_FOUND) from None
    place = (
        Place.objects.select_related("council").filter(pk=pk).first() if 0 < pk < 2**31 else None
    )
    if place is None:
        raise NotFound(NOT_FOUND)
    return place


def read_place(actor: Actor, place_id: object) -> PlaceRead:
    """The place and its live links through the children the viewer may see (an audited
    read: the place, and each child shown)."""
    place = get_place(actor, place_id)
    live = PlaceLink.objects.filter(place=place, removed_at__isnull=True)
    links = list(
        live.filter(child__in=visible_children(actor))
        .select_related("child", "episode", "recorded_by_organisation")
        .order_by("-occurred_at", "-pk")
    )
    seen = set(visible_episodes(actor).filter(place_links__in=links).values_list("pk", flat=True))
    for link in links:
        link.episode_visible = link.episode_id in seen  # type: ignore[attr-defined]
    hidden = live.count() - len(links)
    audit.record(actor, "view", "place", place.pk, details={"links": len(links)})
    audit.record_many_reads(actor, "child", sorted({ln.child_id for ln in links}), "list_result")
    return PlaceRead(place=place, links=links, hidden_links=hidden, may_record=may_record(actor))
