"""/api/v1/children: search, read and create; emergency access and its review; a child's
audit trail. Thin: each endpoint builds the service input from its schema and calls the
service functions with the token's Actor."""

from datetime import datetime
from typing import Annotated

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query, Router, Schema
from pydantic import Field

from homeward.audit.schemas import AuditEventOut, AuditTrailOut, TrailFilters
from homeward.children import emergency, services
from homeward.children import trail as trails
from homeward.children.models import EmergencyAccess
from homeward.children.schemas import (
    ChildIn,
    ChildOut,
    ChildSearchIn,
    ChildSearchOut,
    ChildSummaryOut,
)
from homeward.children.visibility import visible_children
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.api import actor_of, respond, respond_page
from homeward.core.idempotency import idempotent
from homeward.core.inputs import service_arguments, service_input
from homeward.core.schemas import Id, InputSchema, OrganisationOut
from homeward.linkage import intake, search
from homeward.linkage.schemas import MatchesOut, MatchOut

router = Router(tags=["children"])


# --- emergency access --------------------------------------------------------------------
# Declared before /{child_id} so that "emergency-access" is never read as a child's id.


class EmergencyAccessIn(InputSchema):
    identifier: Annotated[str, Field(max_length=100)] = Field(
        description="Exactly one of: the child's NHS number, UPN, an agency's reference, a "
        "Homeward episode reference or a police reference. Never a name. Sent in the body "
        "so that it never appears in a URL or a server log."
    )
    reason: Annotated[str, Field(max_length=2000)] = Field(
        description=f"Why you need the record now (at least {emergency.MIN_REASON_LENGTH} "
        "characters). The child's council reads it."
    )


class ReviewIn(InputSchema):
    note: Annotated[str, Field(max_length=2000)] = Field(description="What the review found")


class EmergencyAccessOut(Schema):
    id: int
    child: ChildSummaryOut
    opened_by: str = Field(description="The name of the person who opened the record")
    username: str
    organisation: OrganisationOut
    role: str
    reason: str
    granted_at: datetime
    expires_at: datetime
    active: bool = Field(description="True until expires_at")
    reviewed_at: datetime | None
    reviewed_by: str | None
    review_note: str

    @classmethod
    def build(cls, access: EmergencyAccess) -> "EmergencyAccessOut":
        reviewer = access.reviewed_by
        return cls(
            id=access.pk,
            child=ChildSummaryOut.build(access.child),
            opened_by=access.user.get_full_name() or access.user.get_username(),
            username=access.user.get_username(),
            organisation=OrganisationOut.model_validate(access.organisation),
            role=access.role,
            reason=access.reason,
            granted_at=access.granted_at,
            expires_at=access.expires_at,
            active=access.expires_at > clock.now(),
            reviewed_at=access.reviewed_at,
            reviewed_by=(reviewer.get_full_name() or reviewer.get_username()) if reviewer else None,
            review_note=access.review_note,
        )


class EmergencyAccessFilters(Schema):
    awaiting_review: bool | None = Field(
        None, description="true: only those not yet reviewed; false: only those reviewed"
    )
    page: Annotated[int, Field(ge=1, le=1_000_000)] = 1
    page_size: Annotated[int, Field(ge=1, le=100)] = 25


class EmergencyAccessPageOut(Schema):
    count: int = Field(description="Accesses matching the filters, across all pages")
    page: int
    page_size: int
    items: list[EmergencyAccessOut]


@router.post(
    "/emergency-access",
    response={201: EmergencyAccessOut},
    summary="Open a child's record in an emergency",
    description="For a practitioner whose organisation has no relationship with the child: "
    "give an exact identifier and a reason. The record opens to you for 24 hours; the "
    "child's council's missing coordinator is told at once and reviews it. Read the record "
    "at the Location returned.",
)
@idempotent(atomic=False)  # every look-up stays audited, even when refused
def open_emergency_access(request: HttpRequest, payload: EmergencyAccessIn) -> HttpResponse:
    access = emergency.open_emergency_access(
        actor_of(request), **service_arguments(emergency.open_emergency_access, payload)
    )
    return respond(
        EmergencyAccessOut.build(access),
        201,
        location=reverse("api:read_child", kwargs={"child_id": access.child_id}),
    )


@router.get(
    "/emergency-access",
    response={200: EmergencyAccessPageOut},
    summary="Emergency accesses to your council's children",
    description="For the council's missing coordinator and managers: those awaiting review "
    "first, newest first within each. Each child shown is an audited read.",
)
def list_emergency_accesses(
    request: HttpRequest, filters: Query[EmergencyAccessFilters]
) -> HttpResponse:
    actor = actor_of(request)
    queryset = emergency.awaiting_review(actor)
    if filters.awaiting_review is not None:
        queryset = queryset.filter(reviewed_at__isnull=filters.awaiting_review)
    return respond_page(
        queryset,
        filters,
        EmergencyAccessPageOut,
        EmergencyAccessOut.build,
        audit=lambda rows: emergency.audit_listed(actor, rows),
    )


@router.post(
    "/emergency-access/{access_id}/review",
    response={200: EmergencyAccessOut},
    summary="Review an emergency access",
    description="Record what the council's review found. Each access is reviewed once.",
)
@idempotent
def review_emergency_access(request: HttpRequest, access_id: Id, payload: ReviewIn) -> HttpResponse:
    access = emergency.review(
        actor_of(request),
        access_id,
        **service_arguments(emergency.review, payload, given=("actor", "access_id")),
    )
    return respond(EmergencyAccessOut.build(access))


# --- children ------------------------------------------------------------------------------


@router.post(
    "/search",
    response={200: ChildSearchOut},
    summary="Find children you may see",
    description="Searches by name, alias, date of birth or identifier among the children "
    "your organisation has a relationship with (at most 50). Each child returned is an "
    "audited read.",
)
def search_children(request: HttpRequest, payload: ChildSearchIn) -> HttpResponse:
    children = services.search_children(actor_of(request), payload.q)
    return respond(
        ChildSearchOut(count=len(children), items=[ChildSummaryOut.build(c) for c in children])
    )


@router.get("/{child_id}", response={200: ChildOut}, summary="Read a child's record")
def read_child(request: HttpRequest, child_id: Id) -> HttpResponse:
    actor = actor_of(request)
    child = services.read_child(actor, child_id)
    return respond(ChildOut.build(actor, child))


@router.post(
    "",
    response={201: ChildOut, 409: MatchesOut},
    summary="Add a child",
    description="Your organisation keeps a link with the child for 24 hours, so that you "
    "can report them missing (POST /api/v1/episodes with the id returned); the report is "
    "then the link. If nobody knows the child's responsible council, send "
    "responsible_council_not_known: the council for the area holds the record "
    "provisionally until its missing coordinator confirms who is responsible. The child is "
    "first looked for across the country: if a likely match is held, the answer is 409 with "
    "the matches (as POST /api/v1/children/matches: a record you may not see only as its "
    "council, strength, grounds and a token to report against it, match_token on POST "
    "/api/v1/episodes). Send confirm_new: true to add a new record all the same: the "
    "matches are then queued for review.",
)
@idempotent
def create_child(request: HttpRequest, payload: ChildIn) -> HttpResponse:
    details = service_input(services.ChildDetails, payload, besides=("confirm_new",))
    actor = actor_of(request)
    services.check_child(actor, details)  # a 422 before anything is looked for
    # A search is audited in its own durable transaction, which cannot run inside the
    # replayable one of an Idempotency-Key: such a client searches first
    # (POST /api/v1/children/matches). Unfinished: see the h4-find report.
    replayable = "Idempotency-Key" in request.headers
    matches = (
        []
        if replayable
        else search.find(
            actor,
            search.Query(
                first_name=details.first_name,
                last_name=details.last_name,
                other_names=list(details.aliases),
                date_of_birth=details.date_of_birth,
                sex=details.sex,
                nhs_number=details.nhs_number,
                upn=details.upn,
                agency_reference=details.agency_reference,
            ),
        )
    )
    if matches and not payload.confirm_new:
        return respond(_matches_out(actor, matches), 409)
    child = services.create_child(actor, details)
    if matches:
        intake.queue_matches_of([child.pk], source="added")
    return respond(
        ChildOut.build(actor, child),
        201,
        location=reverse("api:read_child", kwargs={"child_id": child.pk}),
    )


def _matches_out(actor: Actor, matches: list[search.Match]) -> MatchesOut:
    shown = [m.child_id for m in matches if m.visible]
    children = (
        visible_children(actor).select_related("responsible_council").in_bulk(shown)
        if shown
        else {}
    )
    items = [MatchOut.build(m, children.get(m.child_id)) for m in matches]
    return MatchesOut(count=len(items), items=items)


@router.get(
    "/{child_id}/audit-trail",
    response={200: AuditTrailOut},
    summary="Who has seen or changed a child's records",
    description="For the child's responsible council's missing coordinator and managers, "
    "for example to answer a subject access request. Oldest first, so pages stay put as "
    "the log grows. Each request is itself recorded in the trail.",
)
def read_audit_trail(
    request: HttpRequest, child_id: Id, filters: Query[TrailFilters]
) -> HttpResponse:
    trail = trails.child_trail(actor_of(request), child_id)
    return respond_page(
        trail.events.order_by("sequence"),
        filters,
        AuditTrailOut,
        AuditEventOut.build,
        child_id=trail.child.pk,
    )
