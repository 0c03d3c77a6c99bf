"""/api/v1: finding a child before adding them (/children/matches), the review queue of
possible duplicate records, linking and unlinking. Thin: each endpoint calls the search
(search.py), the services (services.py) or the reads (reads.py) with the token's Actor."""

from datetime import date, datetime
from typing import Annotated

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from pydantic import Field

from homeward.children.models import Child
from homeward.children.visibility import visible_children
from homeward.core.api import actor_of, respond, respond_page
from homeward.core.idempotency import idempotent
from homeward.core.inputs import service_input
from homeward.core.schemas import Id, InputSchema
from homeward.linkage import reads, search, services
from homeward.linkage.models import MatchCandidate, RecordLink
from homeward.linkage.schemas import MatchesOut, MatchOut, MatchQueryIn

router = Router(tags=["linkage"])
# /api/v1/children/matches: find before create (mounted under /v1/children).
matches_router = Router(tags=["children"])

Reason = Annotated[str, Field(max_length=2000)]


class EvidenceOut(Schema):
    field: str
    label: str
    level: str = Field(description="How the two records compare on this field")
    weight: float = Field(description="Match weight in bits: positive for, negative against")


class CandidateOut(Schema):
    id: int
    probability: float
    match_weight: float
    source: str
    status: str
    found_at: datetime
    held_by: list[str] = Field(description="The councils responsible for the two records")
    evidence: list[EvidenceOut]
    version: int

    @classmethod
    def build(cls, candidate: MatchCandidate) -> "CandidateOut":
        return cls(
            id=candidate.pk,
            probability=candidate.probability,
            match_weight=candidate.match_weight,
            source=candidate.source,
            status=candidate.status,
            found_at=candidate.found_at,
            held_by=[
                candidate.left.responsible_council.name,
                candidate.right.responsible_council.name,
            ],
            evidence=[EvidenceOut(**item) for item in candidate.evidence],
            version=candidate.version,
        )


class SideOut(Schema):
    child_id: int
    held_by: str
    added_by: str
    first_name: str
    last_name: str
    other_names: list[str]
    date_of_birth: date
    sex: str
    nhs_number: str
    upn: str
    postcode_district: str
    references: list[str]


class PairOut(Schema):
    candidate: CandidateOut
    records: list[SideOut]


class QueuePaging(Schema):
    page: Annotated[int, Field(ge=1, le=1_000_000)] = 1
    page_size: Annotated[int, Field(ge=1, le=100)] = 25


class QueueOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[CandidateOut]


class DecisionIn(InputSchema):
    same: bool = Field(description="true: the same child (the records are linked)")
    reason: Reason
    version: int | None = Field(None, description="The version you read; a stale one is 409")


class RecordLinkIn(InputSchema):
    left: Id = Field(description="A child record you may see")
    right: Id = Field(description="Another child record you may see")
    reason: Reason


class UnlinkIn(InputSchema):
    reason: Reason


class RecordLinkOut(Schema):
    id: int
    left: int
    right: int
    automatic: bool
    reason: str
    linked_at: datetime
    unlinked_at: datetime | None

    @classmethod
    def build(cls, link: RecordLink) -> "RecordLinkOut":
        return cls(
            id=link.pk,
            left=link.left_id,
            right=link.right_id,
            automatic=link.automatic,
            reason=link.reason,
            linked_at=link.linked_at,
            unlinked_at=link.unlinked_at,
        )


class UnlinkOut(Schema):
    changed: list[int] = Field(description="The records whose resolved person changed")


@router.get(
    "/possible-duplicates",
    response={200: QueueOut},
    summary="Pairs of records waiting for your council's decision",
    description="For council missing coordinators and managers: pairs that may be the same "
    "child, where your council is responsible for either record, most likely first. Holds "
    "no names: read a pair to compare the records.",
)
def list_possible_duplicates(request: HttpRequest, paging: Query[QueuePaging]) -> HttpResponse:
    return respond_page(reads.review_queue(actor_of(request)), paging, QueueOut, CandidateOut.build)


@router.get(
    "/possible-duplicates/{candidate_id}",
    response={200: PairOut},
    summary="Compare a pair of records",
    description="Both records side by side with the evidence by field. Each record read "
    "is audited.",
)
def read_possible_duplicate(request: HttpRequest, candidate_id: Id) -> HttpResponse:
    candidate, left, right = reads.read_pair(actor_of(request), candidate_id)
    return respond(
        PairOut(
            candidate=CandidateOut.build(candidate),
            records=[SideOut(**vars(side)) for side in (left, right)],
        )
    )


@router.post(
    "/possible-duplicates/{candidate_id}/decision",
    response={200: CandidateOut},
    summary="Decide whether a pair is the same child",
    description="same=true links the records (each keeps its own data and history; the "
    "child is counted once); same=false keeps them apart, and no later run links them.",
)
@idempotent
def decide(request: HttpRequest, candidate_id: Id, payload: DecisionIn) -> HttpResponse:
    candidate = services.decide_match(
        actor_of(request),
        candidate_id,
        same=payload.same,
        reason=payload.reason,
        version=payload.version,
    )
    return respond(CandidateOut.build(candidate))


@router.post(
    "/links",
    response={201: RecordLinkOut},
    summary="Link two records you may see as one child",
)
@idempotent
def link(request: HttpRequest, payload: RecordLinkIn) -> HttpResponse:
    made = services.link_records(
        actor_of(request), payload.left, payload.right, reason=payload.reason
    )
    return respond(RecordLinkOut.build(made), 201)


@router.post(
    "/records/{child_id}/unlink",
    response={200: UnlinkOut},
    summary="Unlink a record from the other records of the same child",
    description="Its links end (kept, with who, when and why); every record goes back to "
    "the person it was before, and the figures with it.",
)
@idempotent
def unlink(request: HttpRequest, child_id: Id, payload: UnlinkIn) -> HttpResponse:
    changed = services.unlink_record(actor_of(request), child_id, reason=payload.reason)
    return respond(UnlinkOut(changed=changed))


# --- find before create ----------------------------------------------------------------


@matches_router.post(
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
