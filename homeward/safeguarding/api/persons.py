"""/api/v1/persons: persons of concern, the same services as the pages. Whoever may not
see a person gets 404, whether or not there is one; police-only links and notes are in
the answer only for police forces. Every read is audited."""

from datetime import date, datetime
from typing import Annotated

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from homeward.core.api import actor_of, respond
from homeward.core.idempotency import idempotent
from homeward.core.responses import respond_page
from homeward.core.schemas import Day, EpisodeReference, Id, InputSchema, LongText
from homeward.safeguarding.models import PersonLink, PersonOfConcern
from homeward.safeguarding.services import persons
from homeward.safeguarding.services.person_rules import is_police

router = Router(tags=["persons of concern"])


class PersonPaging(Schema):
    page: Annotated[int, Field(ge=1, le=1_000_000)] = 1
    page_size: Annotated[int, Field(ge=1, le=100)] = 25


class PersonLinkOut(Schema):
    id: int
    child_id: int | None
    place_id: int | None
    episode: str | None = Field(description="The episode's reference")
    nature: str
    source: str
    source_evaluation: str = Field(description="1 reliable, 2 untested, 3 not reliable")
    information_assessment: str = Field(description="A to E: how the source knows it")
    police_only: bool
    recorded_at: datetime

    @classmethod
    def build(cls, link: PersonLink) -> "PersonLinkOut":
        return cls(
            id=link.pk,
            child_id=link.child_id,
            place_id=link.place_id,
            episode=link.episode.reference if link.episode is not None else None,
            nature=link.nature,
            source=link.source,
            source_evaluation=link.source_evaluation,
            information_assessment=link.information_assessment,
            police_only=link.police_only,
            recorded_at=link.recorded_at,
        )


class PersonSummaryOut(Schema):
    id: int
    name: str
    other_names: list[str]
    date_of_birth: date | None
    approximate_age: int | None

    @classmethod
    def build(cls, person: PersonOfConcern) -> "PersonSummaryOut":
        return cls(
            id=person.pk,
            name=person.name,
            other_names=person.other_names,
            date_of_birth=person.date_of_birth,
            approximate_age=person.approximate_age,
        )


class PersonOut(PersonSummaryOut):
    description: str
    holding_force_id: int | None
    police_notes: str | None = Field(description="Police forces only; null for anyone else")
    links: list[PersonLinkOut]
    notice_ids: list[int]


def _out(
    person: PersonOfConcern, links: list[PersonLink], notices: list[int], police: bool
) -> PersonOut:
    base = PersonSummaryOut.build(person).model_dump()
    return PersonOut(
        **base,
        description=person.description,
        holding_force_id=person.holding_force_id,
        police_notes=person.police_notes if police else None,
        links=[PersonLinkOut.build(lk) for lk in links],
        notice_ids=notices,
    )


def _written(request: HttpRequest, person: PersonOfConcern, status: int = 200) -> HttpResponse:
    """The answer to a write: the person as the writer sees them (their own change, not a
    read of anyone else's)."""
    actor = actor_of(request)
    links = list(
        persons.visible_links(actor)
        .filter(person=person)
        .select_related("episode")
        .order_by("-recorded_at", "-pk")
    )
    return respond(_out(person, links, [], is_police(actor)), status)


class PersonPageOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[PersonSummaryOut]


class PersonLinkIn(InputSchema):
    child_id: Id | None = None
    episode: EpisodeReference | None = None
    place_id: Id | None = None
    nature: Annotated[str, Field(max_length=300)]
    source: Annotated[str, Field(max_length=300)]
    source_evaluation: str = Field(description="1, 2 or 3")
    information_assessment: str = Field(description="A, B, C, D or E")
    police_only: bool = False


class PersonIn(InputSchema):
    name: Annotated[str, Field(max_length=200)]
    other_names: Annotated[list[Annotated[str, Field(max_length=200)]], Field(max_length=10)] = []
    date_of_birth: Day | None = None
    approximate_age: Annotated[int, Field(ge=10, le=120)] | None = None
    description: LongText = ""
    police_notes: LongText = Field("", description="Police forces only")


class PersonRecordIn(PersonIn):
    link: PersonLinkIn | None = Field(
        None, description="The first link: required (with child_id) for anyone but the police"
    )


class PersonUnlinkIn(InputSchema):
    reason: LongText = ""


@router.get(
    "/persons",
    response={200: PersonPageOut},
    summary="The persons of concern you may see",
    description="Those linked to the children you see (police-only links count only for "
    "the police), and those your force holds. Each person listed is an audited read.",
)
def list_persons(request: HttpRequest, paging: Query[PersonPaging]) -> HttpResponse:
    actor = actor_of(request)
    return respond_page(
        persons.list_persons(actor),
        paging,
        PersonPageOut,
        PersonSummaryOut.build,
        audit=lambda rows: persons.audit_listed(actor, rows),
    )


@router.get(
    "/persons/{person_id}",
    response={200: PersonOut},
    summary="Read a person of concern",
    description="With the links and notices you may see. An audited read.",
)
def read_person(request: HttpRequest, person_id: Id) -> HttpResponse:
    read = persons.read_person(actor_of(request), person_id)
    return respond(_out(read.person, read.links, [n.pk for n in read.notices], read.police))


@router.post(
    "/persons",
    response={201: PersonOut},
    summary="Record a person of concern",
    description="Kept by police officers and coordinators (their force holds the person) "
    "and councils' missing coordinators and managers, who record a person through a child.",
)
@idempotent
def record_person(request: HttpRequest, payload: PersonRecordIn) -> HttpResponse:
    data = payload.for_service()
    link = data.pop("link", None)
    person = persons.record_person(actor_of(request), data, link)
    return _written(request, person, 201)


@router.patch(
    "/persons/{person_id}",
    response={200: PersonOut},
    summary="Change a person's details",
    description="The whole of the person's details; the police notes only from the police.",
)
def update_person(request: HttpRequest, person_id: Id, payload: PersonIn) -> HttpResponse:
    person = persons.update_person(actor_of(request), person_id, payload.for_service())
    return _written(request, person)


@router.post(
    "/persons/{person_id}/links",
    response={201: PersonLinkOut},
    summary="Link a person to a child, an episode or a place",
    description="With the nature of the link, its source and its grading. A police-only "
    "link only from the police.",
)
@idempotent
def link_person(request: HttpRequest, person_id: Id, payload: PersonLinkIn) -> HttpResponse:
    link = persons.link_person(actor_of(request), person_id, payload.for_service())
    return respond(PersonLinkOut.build(link), 201)


@router.post(
    "/persons/{person_id}/links/{link_id}/remove",
    response={200: PersonLinkOut},
    summary="Remove a link",
    description="The link is kept, marked removed: it no longer shows, or counts.",
)
@idempotent
def remove_link(
    request: HttpRequest, person_id: Id, link_id: Id, payload: PersonUnlinkIn
) -> HttpResponse:
    link = persons.unlink(actor_of(request), link_id, payload.reason, person_id=person_id)
    return respond(PersonLinkOut.build(link))
