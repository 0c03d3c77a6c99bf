"""/api/v1/children/matches: find before create. Thin: builds the search from the body and
calls ``search.find`` with the token's Actor."""

from django.http import HttpRequest, HttpResponse
from ninja import Router

from homeward.children.models import Child
from homeward.children.visibility import visible_children
from homeward.core.api import actor_of, respond
from homeward.core.inputs import service_input
from homeward.linkage import search
from homeward.linkage.schemas import MatchesOut, MatchOut, MatchQueryIn

router = Router(tags=["children"])


@router.post(
    "/matches",
    response={200: MatchesOut},
    summary="Find a child before adding them",
    description="Looks across every council's records for the child you are about to add, "
    "by name (typos, short forms, sound-alikes, hyphenated and other names), date of birth "
    "(also with day and month swapped), sex, NHS number, UPN, an agency's reference and "
    "postcode. For a child you may already see, the match gives their record; for any "
    "other, only which council holds the record, how strong the match is, on what grounds "
    "and a token to report against that record. Every search is audited (never what you "
    "typed); each child shown is an audited read.",
)
def find_matches(request: HttpRequest, payload: MatchQueryIn) -> HttpResponse:
    actor = actor_of(request)
    query = service_input(search.Query, payload, besides=("limit",))
    matches = search.find(actor, query, limit=payload.limit)
    shown = [m.child_id for m in matches if m.visible]
    children: dict[int, Child] = {}
    if shown:
        children = visible_children(actor).select_related("responsible_council").in_bulk(shown)
    items = [MatchOut.build(m, children.get(m.child_id)) for m in matches]
    return respond(MatchesOut(count=len(items), items=items))
