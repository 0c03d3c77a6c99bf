"""/api/v1: places, their links into children's stories, and hotspots. Thin: each endpoint
calls homeward.safeguarding.services with the token's Actor.

A place is not personal data (list, search, record); its links are shown only for the
children the caller may see. Hotspots are counts only."""

from datetime import datetime
from typing import Annotated, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from pydantic import Field

from homeward.core.api import actor_of, respond
from homeward.core.clock import now
from homeward.core.errors import ValidationFailed
from homeward.core.idempotency import idempotent
from homeward.core.schemas import EpisodeReference, Id, InputSchema, LongText, When
from homeward.safeguarding.models import Place, PlaceLink
from homeward.safeguarding.services import hotspots, place_links, places
from homeward.safeguarding.services.place_suggest import Suggestion

router = Router(tags=["places and hotspots"])

Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]


class PlaceOut(Schema):
    id: int
    name: str
    kind: str
    address: str
    postcode: str
    latitude: float | None
    longitude: float | None
    council_id: int | None
    council: str | None
    notes: str
    created_at: datetime

    @classmethod
    def build(cls, place: Place) -> "PlaceOut":
        return cls(
            id=place.pk,
            name=place.name,
            kind=place.kind,
            address=place.address,
            postcode=place.postcode,
            latitude=place.latitude,
            longitude=place.longitude,
            council_id=place.council_id,
            council=place.council.name if place.council else None,
            notes=place.notes,
            created_at=place.created_at,
        )


class PlaceListOut(Schema):
    count: int
    items: list[PlaceOut]


class PlaceSuggestionOut(Schema):
    place: PlaceOut
    reason: str

    @classmethod
    def build(cls, s: Suggestion) -> "PlaceSuggestionOut":
        return cls(place=PlaceOut.build(s.place), reason=s.reason)


class PlaceMayExistOut(Schema):
    detail: str
    suggestions: list[PlaceSuggestionOut]


class PlaceSuggestionsOut(Schema):
    suggestions: list[PlaceSuggestionOut]


class PlaceLinkOut(Schema):
    id: int
    place_id: int
    role: str
    child_id: int
    episode: str | None = Field(description="The episode's reference, if you see it in full")
    interview_id: int | None
    occurred_at: datetime
    notes: str
    removed_at: datetime | None

    @classmethod
    def build(cls, link: PlaceLink, episode_visible: bool = True) -> "PlaceLinkOut":
        return cls(
            id=link.pk,
            place_id=link.place_id,
            role=link.role,
            child_id=link.child_id,
            episode=link.episode.reference if link.episode and episode_visible else None,
            interview_id=link.interview_id,
            occurred_at=link.occurred_at,
            notes=link.notes,
            removed_at=link.removed_at,
        )


class PlaceDetailOut(Schema):
    place: PlaceOut
    links: list[PlaceLinkOut] = Field(description="Links of children you may see")
    hidden_links: int = Field(description="How many links are of children you may not see")


class PlaceIn(InputSchema):
    name: Annotated[str, Field(max_length=300)]
    kind: Annotated[str, Field(max_length=20)] = "other"
    address: LongText = ""
    postcode: Annotated[str, Field(max_length=10)] = ""
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    council_id: Id | None = Field(default=None, description="Default: your own council's")
    notes: LongText = ""
    confirm_new: bool = Field(
        default=False,
        description="Record it even though places like it exist (otherwise 409 with them)",
    )


class PlaceSearch(InputSchema):
    q: Annotated[str, Field(max_length=100)] = ""


class PlaceLikeQuery(InputSchema):
    name: Annotated[str, Field(max_length=300)] = ""
    postcode: Annotated[str, Field(max_length=10)] = ""
    latitude: Latitude | None = None
    longitude: Longitude | None = None


class PlaceLinkIn(InputSchema):
    episode: EpisodeReference | None = None
    interview_id: Id | None = None
    child_id: Id | None = None
    role: Annotated[str, Field(max_length=20)] = Field(
        default="", description="For an episode: last_seen, found, stayed or frequented"
    )
    occurred_at: When | None = None
    notes: LongText = ""


class HotspotQuery(Schema):
    scope: Literal["council", "force", "host"] | None = None
    since: When | None = Field(default=None, description="Default: 90 days before until")
    until: When | None = Field(default=None, description="Default: now")


class HotspotOut(Schema):
    key: str
    label: str
    kind: str
    place_id: int | None
    postcode_area: str
    children: int
    episodes: int
    last_at: datetime
    previous_children: int
    rising: bool
    latitude: float | None
    longitude: float | None


class HotspotsOut(Schema):
    scope: str
    organisation_id: int
    organisation: str
    since: datetime
    until: datetime
    min_children: int
    hotspots: list[HotspotOut]


def _place_list(found: list[Place]) -> HttpResponse:
    return respond(PlaceListOut(count=len(found), items=[PlaceOut.build(p) for p in found]))


@router.get("/places", response=PlaceListOut, summary="Places in your area")
def list_places(request: HttpRequest) -> HttpResponse:
    return _place_list(places.list_places(actor_of(request)))


@router.post(
    "/places/search",
    response=PlaceListOut,
    summary="Search places",
    description="Any place whose name, address or postcode holds the words (at most 200).",
)
def search_places(request: HttpRequest, payload: PlaceSearch) -> HttpResponse:
    return _place_list(places.list_places(actor_of(request), payload.q))


@router.post(
    "/places/search/suggestions",
    response=PlaceSuggestionsOut,
    summary="Places already recorded that a new one may be",
    description="Same postcode or sector, within about 200 metres, or a similar name.",
)
def suggest_places(request: HttpRequest, payload: PlaceLikeQuery) -> HttpResponse:
    found = places.suggest(
        actor_of(request), payload.name, payload.postcode, payload.latitude, payload.longitude
    )
    return respond(PlaceSuggestionsOut(suggestions=[PlaceSuggestionOut.build(s) for s in found]))


@router.post(
    "/places",
    response={201: PlaceOut, 409: PlaceMayExistOut},
    summary="Record a place",
    description="Refused with 409 and the places like it, unless confirm_new is true.",
)
@idempotent
def record_place(request: HttpRequest, payload: PlaceIn) -> HttpResponse:
    data = places.PlaceInput(
        name=payload.name,
        kind=payload.kind,
        address=payload.address,
        postcode=payload.postcode,
        latitude=payload.latitude,
        longitude=payload.longitude,
        council_id=payload.council_id,
        notes=payload.notes,
    )
    try:
        place = places.record_place(actor_of(request), data, confirmed_new=payload.confirm_new)
    except places.PlaceMayExist as exc:
        return respond(
            PlaceMayExistOut(
                detail=exc.message,
                suggestions=[PlaceSuggestionOut.build(s) for s in exc.suggestions],
            ),
            409,
        )
    return respond(PlaceOut.build(place), 201, location=f"/api/v1/places/{place.pk}")


@router.get("/places/{place_id}", response=PlaceDetailOut, summary="A place and its links")
def read_place(request: HttpRequest, place_id: Id) -> HttpResponse:
    read = places.read_place(actor_of(request), place_id)
    return respond(
        PlaceDetailOut(
            place=PlaceOut.build(read.place),
            links=[
                PlaceLinkOut.build(ln, getattr(ln, "episode_visible", False)) for ln in read.links
            ],
            hidden_links=read.hidden_links,
        )
    )


@router.post(
    "/places/{place_id}/links",
    response={201: PlaceLinkOut},
    summary="Link a place to an episode, a return interview or a child",
    description="One of episode (with role), interview_id (where they stayed) or child_id "
    "(a place they go).",
)
@idempotent
def link_place(request: HttpRequest, place_id: Id, payload: PlaceLinkIn) -> HttpResponse:
    actor = actor_of(request)
    named = [x for x in (payload.episode, payload.interview_id, payload.child_id) if x]
    if len(named) != 1:
        raise ValidationFailed({"episode": "Give one of episode, interview_id or child_id"})
    if payload.episode:
        link = place_links.link_to_episode(
            actor,
            place_id,
            payload.episode,
            payload.role,
            occurred_at=payload.occurred_at,
            notes=payload.notes,
        )
    elif payload.interview_id:
        link = place_links.link_to_interview(
            actor,
            place_id,
            payload.interview_id,
            occurred_at=payload.occurred_at,
            notes=payload.notes,
        )
    else:
        link = place_links.link_to_child(actor, place_id, payload.child_id, notes=payload.notes)
    return respond(PlaceLinkOut.build(link), 201)


@router.delete(
    "/place-links/{place_link_id}",
    response=PlaceLinkOut,
    summary="Take a link to a place away",
    description="The link is kept, marked removed; it no longer counts towards hotspots.",
)
def unlink_place(request: HttpRequest, place_link_id: Id) -> HttpResponse:
    return respond(PlaceLinkOut.build(place_links.unlink(actor_of(request), place_link_id)))


@router.get(
    "/hotspots",
    response=HotspotsOut,
    summary="Hotspots: places and areas where several children were found or stayed",
    description="Counts only. scope: council, force or host (your host area); period "
    "[since, until), by default the last 90 days.",
)
def list_hotspots(request: HttpRequest, filters: Query[HotspotQuery]) -> HttpResponse:
    until = filters.until or now()
    since = filters.since or until - hotspots.DEFAULT_PERIOD
    read = hotspots.read_hotspots(actor_of(request), filters.scope, since=since, until=until)
    return respond(
        HotspotsOut(
            scope=read.scope,
            organisation_id=read.organisation.pk,
            organisation=read.organisation.name,
            since=read.since,
            until=read.until,
            min_children=hotspots.MIN_CHILDREN,
            hotspots=[
                HotspotOut(
                    key=h.key,
                    label=h.label,
                    kind=h.kind,
                    place_id=h.place_id,
                    postcode_area=h.postcode_area,
                    children=h.children,
                    episodes=h.episodes,
                    last_at=h.last_at,
                    previous_children=h.previous_children,
                    rising=h.rising,
                    latitude=h.latitude,
                    longitude=h.longitude,
                )
                for h in read.hotspots
            ],
        )
    )
