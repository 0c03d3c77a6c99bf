"""What a reader sees of linked records and of the review queue.

A record linked with others shows each of them: in full (a link to it) where the reader
may see that record, otherwise only who holds it. A reviewer sees both records of a pair
side by side, field by field, though one is another council's: deciding needs it, and
each look is audited as a read of that record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q, QuerySet

from homeward.audit import services as audit
from homeward.children.models import Child
from homeward.children.visibility import visible_children
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, NotFound
from homeward.linkage import access
from homeward.linkage.models import MatchCandidate, RecordLink
from homeward.linkage.services import may_decide


@dataclass(frozen=True)
class LinkedRecord:
    child_id: int
    visible: bool
    responsible_council_id: int
    held_by: str
    added_by: str
    linked_at: datetime | None
    automatic: bool
    reason: str


def linked_records(actor: Actor, child: Child) -> list[LinkedRecord]:
    """The other records of the child's person, as this reader may see them."""
    others = list(
        Child.objects.filter(person_id=child.person_id)
        .exclude(pk=child.pk)
        .select_related("responsible_council", "added_by_organisation")
        .order_by("pk")
    )
    if not others:
        return []
    ids = [o.pk for o in others]
    seen = set(visible_children(actor).filter(pk__in=ids).values_list("pk", flat=True))
    links = {
        (link.left_id, link.right_id): link
        for link in RecordLink.objects.filter(unlinked_at__isnull=True).filter(
            Q(left_id__in=[*ids, child.pk]) | Q(right_id__in=[*ids, child.pk])
        )
    }
    rows = []
    for other in others:
        link = links.get((min(child.pk, other.pk), max(child.pk, other.pk)))
        rows.append(
            LinkedRecord(
                child_id=other.pk,
                visible=other.pk in seen,
                responsible_council_id=other.responsible_council_id,
                held_by=other.responsible_council.name,
                added_by=other.added_by_organisation.name if other.added_by_organisation else "",
                linked_at=link.linked_at if link else None,
                automatic=link.automatic if link else False,
                reason=link.reason if link and other.pk in seen else "",
            )
        )
    return rows


def review_queue(actor: Actor) -> QuerySet[MatchCandidate]:
    """The pairs waiting for this council's decision: either record is its child."""
    if not access.may_review_matches(actor) or actor.organisation is None:
        return MatchCandidate.objects.none()
    org = actor.organisation
    return (
        MatchCandidate.objects.filter(status=MatchCandidate.Status.PENDING)
        .filter(Q(left__responsible_council=org) | Q(right__responsible_council=org))
        .select_related("left__responsible_council", "right__responsible_council")
        .order_by("-probability", "pk")
    )


@dataclass(frozen=True)
class Side:
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
    created_at: datetime


def _side(child: Child) -> Side:
    placement = child.current_placement
    return Side(
        child_id=child.pk,
        held_by=child.responsible_council.name,
        added_by=child.added_by_organisation.name if child.added_by_organisation else "",
        first_name=child.first_name,
        last_name=child.last_name,
        other_names=[a.name for a in child.aliases.all()],
        date_of_birth=child.date_of_birth,
        sex=child.get_sex_display(),
        nhs_number=child.nhs_number,
        upn=child.upn,
        postcode_district=placement.postcode_district if placement else "",
        references=[f"{i.organisation.name}: {i.value}" for i in child.identifiers.all()],
        created_at=child.created_at,
    )


def read_pair(actor: Actor, candidate_id: object) -> tuple[MatchCandidate, Side, Side]:
    """A pair for review: both records side by side. Audited as a read of each."""
    if not access.may_review_matches(actor):
        raise AccessDenied("Your role does not allow you to review possible duplicates.")
    try:
        pk = int(str(candidate_id))
    except ValueError:
        raise NotFound("No match was found.") from None
    related = ("responsible_council", "added_by_organisation", "current_placement")
    candidate = (
        MatchCandidate.objects.select_related(
            *(f"{side}__{r}" for side in ("left", "right") for r in related)
        )
        .prefetch_related(
            "left__aliases",
            "right__aliases",
            "left__identifiers__organisation",
            "right__identifiers__organisation",
        )
        .filter(pk=pk)
        .first()
    )
    if candidate is None or not may_decide(actor, candidate.left, candidate.right):
        raise NotFound("No match was found.")
    for record in (candidate.left, candidate.right):
        audit.record(
            actor,
            "view",
            "child",
            record.pk,
            child_id=record.pk,
            details={"as": "possible duplicate", "match": candidate.pk},
        )
    return candidate, _side(candidate.left), _side(candidate.right)


def may_unlink(actor: Actor, child: Child, linked: list[LinkedRecord]) -> bool:
    """Whether the reader may unlink this record from the others (services.may_decide)."""
    org = actor.organisation
    if not linked or org is None or not access.may_review_matches(actor):
        return False
    councils = {child.responsible_council_id, *(r.responsible_council_id for r in linked)}
    return org.pk in councils
