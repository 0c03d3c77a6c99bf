"""/api/v1/children: search, read and create. Thin: each endpoint builds the service input
from its schema and calls homeward.children.services with the token's Actor."""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Router

from homeward.children import services
from homeward.children.schemas import (
    ChildIn,
    ChildOut,
    ChildSearchIn,
    ChildSearchOut,
    ChildSummaryOut,
)
from homeward.core.api import actor_of, respond
from homeward.core.idempotency import idempotent
from homeward.core.schemas import Id

router = Router(tags=["children"])


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
    child = services.read_child(actor_of(request), child_id)
    return respond(ChildOut.build(child))


@router.post("", response={201: ChildOut}, summary="Add a child")
@idempotent
def create_child(request: HttpRequest, payload: ChildIn) -> HttpResponse:
    details = services.ChildDetails(
        first_name=payload.first_name,
        last_name=payload.last_name,
        date_of_birth=payload.date_of_birth,
        sex=payload.sex.value,
        ethnicity=payload.ethnicity.value,
        upn=payload.upn,
        nhs_number=payload.nhs_number,
        responsible_council_id=payload.responsible_council_id,
        aliases=list(payload.aliases),
        agency_reference=payload.agency_reference,
    )
    child = services.create_child(actor_of(request), details)
    return respond(
        ChildOut.build(child),
        201,
        location=reverse("api:read_child", kwargs={"child_id": child.pk}),
    )
