"""The write side of linkage: queueing a likely pair, deciding it, linking and unlinking.

A link is an edge between two child records (``RecordLink``); the records joined by live
links are one person, and every one of them points at the lowest ``own_person`` among
them (``Child.person``). Nothing of either record is changed but that pointer, so ending
a link puts each record back exactly where it was, and its figures with it.

Who may decide: the council missing coordinators and managers of the councils
responsible for either record (``Action.LINK_RECORDS``). A linkage run links what it is
sure of as Homeward itself (``Actor.system()``). A pair decided "not the same" is never
linked again by a run; unlinking a record decides its pairs "not the same".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q

from homeward.children.models import Child
from homeward.children.visibility import visible_children
from homeward.core import clock
from homeward.core.actor import CHANNEL_SYSTEM, Actor
from homeward.core.errors import AccessDenied, NotFound, StaleEdit, ValidationFailed
from homeward.events import bus
from homeward.events.change import record_change
from homeward.linkage.events import MatchDecided, MatchQueued, RecordsLinked, RecordUnlinked
from homeward.linkage.groups import resolve
from homeward.linkage.models import MatchCandidate, RecordLink
from homeward.organisations.policy import Action, role_allows

Pair = tuple[int, int]
Evidence = list[dict[str, Any]]


def ordered(a: int, b: int) -> Pair:
    return (a, b) if a < b else (b, a)


def _is_system(actor: Actor) -> bool:
    return actor.user is None and actor.channel == CHANNEL_SYSTEM


def may_decide(actor: Actor, *records: Child) -> bool:
    """Whether the actor may decide about, link or unlink these records: their role
    allows it and their council is responsible for one of them."""
    org = actor.organisation
    if org is None or not role_allows(actor, Action.LINK_RECORDS):
        return False
    return any(record.responsible_council_id == org.pk for record in records)


def _require_decider(actor: Actor, *records: Child) -> None:
    if _is_system(actor):
        return
    if not role_allows(actor, Action.LINK_RECORDS):
        raise AccessDenied("Your role does not allow you to link or unlink records.")
    if not may_decide(actor, *records):
        raise NotFound("No record was found.")


def _group(person_ids: Iterable[int]) -> list[Child]:
    """Every record of these persons, locked, in id order."""
    return list(
        Child.objects.select_for_update().filter(person_id__in=set(person_ids)).order_by("pk")
    )


def _live_links(record_ids: Iterable[int]) -> list[RecordLink]:
    ids = list(record_ids)
    return list(
        RecordLink.objects.filter(unlinked_at__isnull=True)
        .filter(Q(left_id__in=ids) | Q(right_id__in=ids))
        .order_by("pk")
    )


def not_same_pairs(record_ids: Iterable[int] | None = None) -> set[Pair]:
    decided = MatchCandidate.objects.filter(status=MatchCandidate.Status.NOT_SAME)
    if record_ids is not None:
        ids = list(record_ids)
        decided = decided.filter(left_id__in=ids, right_id__in=ids)
    return set(decided.values_list("left_id", "right_id"))


def decided_pairs() -> tuple[set[Pair], set[Pair]]:
    """The pairs people (or earlier runs) decided: (same, not the same)."""
    rows = MatchCandidate.objects.exclude(status=MatchCandidate.Status.PENDING).values_list(
        "left_id", "right_id", "status"
    )
    same = {(a, b) for a, b, s in rows if s == MatchCandidate.Status.SAME}
    return same, {(a, b) for a, b, s in rows if s == MatchCandidate.Status.NOT_SAME}


@transaction.atomic
@bus.in_unit_of_work
def link_records(
    actor: Actor,
    left_id: int,
    right_id: int,
    *,
    reason: str,
    evidence: Evidence | None = None,
    probability: float | None = None,
    candidate_id: int | None = None,
    automatic: bool = False,
) -> RecordLink:
    """Link two records as one child. A person links only records they may decide
    about; a run (``automatic``) never links across a "not the same" decision."""
    left_id, right_id = ordered(int(left_id), int(right_id))
    pair = Child.objects.filter(pk__in=(left_id, right_id)).only(
        "pk", "person_id", "responsible_council_id"
    )
    found = {c.pk: c for c in pair}
    if left_id == right_id or len(found) != 2:
        raise NotFound("No record was found.")
    _require_decider(actor, *found.values())
    if not automatic:
        _require_grounds(actor, left_id, right_id, candidate_id)
    reason = reason.strip()
    if not reason:
        raise ValidationFailed({"reason": "Say why these records are the same child"})
    group = _group(c.person_id for c in found.values())
    by_id = {c.pk: c for c in group}
    if by_id[left_id].person_id == by_id[right_id].person_id:
        raise ValidationFailed({"reason": "These records are already linked as one child"})
    refused = not_same_pairs(by_id)
    if automatic and refused:
        raise ValidationFailed({"reason": "A person decided these records are not one child"})
    if not automatic and ordered(left_id, right_id) in refused:
        # A person deciding "same" now overrides an earlier "not the same" for this pair.
        MatchCandidate.objects.filter(left_id=left_id, right_id=right_id).update(
            status=MatchCandidate.Status.PENDING
        )
    now = clock.now()
    link = RecordLink.objects.create(
        left_id=left_id,
        right_id=right_id,
        candidate_id=candidate_id,
        automatic=automatic,
        probability=probability,
        evidence=evidence or [],
        reason=reason,
        linked_at=now,
        linked_by=actor.user,
        linked_by_organisation=actor.organisation,
    )
    resolve(group, _live_links(by_id))
    _mark_candidate(actor, left_id, right_id, MatchCandidate.Status.SAME, reason, candidate_id)
    person = by_id[left_id].person_id
    record_change(
        actor,
        RecordsLinked(
            aggregate_id=person,
            child_id=left_id,
            link=link.pk,
            records=sorted(by_id),
            automatic=automatic,
        ),
        action="link_records",
        details={
            "left": left_id,
            "right": right_id,
            "reason": reason,
            "probability": probability,
            "evidence": evidence or [],
        },
    )
    return link


def _require_grounds(actor: Actor, left_id: int, right_id: int, candidate_id: int | None) -> None:
    """A person links a pair a run or a search found (a candidate), or two records they
    may already see: never a record they could not see, which the link would open."""
    if candidate_id is not None:
        if not MatchCandidate.objects.filter(
            pk=candidate_id, left_id=left_id, right_id=right_id
        ).exists():
            raise NotFound("No match was found.")
        return
    if visible_children(actor).filter(pk__in=(left_id, right_id)).count() != 2:
        raise NotFound("No record was found.")


def _mark_candidate(
    actor: Actor, left_id: int, right_id: int, status: str, reason: str, candidate_id: int | None
) -> None:
    now = clock.now()
    values: dict[str, Any] = {
        "status": status,
        "decided_at": now,
        "decided_by": actor.user,
        "decided_by_organisation": actor.organisation,
        "reason": reason,
    }
    if candidate_id is not None or status == MatchCandidate.Status.NOT_SAME:
        MatchCandidate.objects.update_or_create(
            left_id=left_id,
            right_id=right_id,
            defaults=values,
            create_defaults={
                **values,
                "probability": 0.0,
                "match_weight": 0.0,
                "source": MatchCandidate.Source.RUN,
                "found_at": now,
            },
        )
    else:
        MatchCandidate.objects.filter(left_id=left_id, right_id=right_id).update(**values)


@transaction.atomic
@bus.in_unit_of_work
def unlink_record(actor: Actor, child_id: int, *, reason: str) -> list[int]:
    """Separate a record from the person it was linked into: its links end (kept, with
    who, when and why), its pairs are decided "not the same" so no run links them again,
    and every record goes back to the person its remaining links give it. Returns the
    records whose person changed."""
    record = Child.objects.filter(pk=int(child_id)).only("pk", "person_id", "own_person_id").first()
    if record is None:
        raise NotFound("No record was found.")
    group = _group([record.person_id])
    _require_decider(actor, *group)
    reason = reason.strip()
    if not reason:
        raise ValidationFailed({"reason": "Say why this record is not the same child"})
    ending = [
        link for link in _live_links([record.pk]) if record.pk in (link.left_id, link.right_id)
    ]
    if not ending:
        raise ValidationFailed({"reason": "This record is not linked with another"})
    now = clock.now()
    for link in ending:
        link.unlinked_at, link.unlinked_by, link.unlink_reason = now, actor.user, reason
        link.save(update_fields=["unlinked_at", "unlinked_by", "unlink_reason"])
        _mark_candidate(
            actor, link.left_id, link.right_id, MatchCandidate.Status.NOT_SAME, reason, None
        )
    changed = resolve(group, _live_links(r.pk for r in group))
    record_change(
        actor,
        RecordUnlinked(
            aggregate_id=record.own_person_id,
            child_id=record.pk,
            records=[r.pk for r in group],
        ),
        action="unlink_record",
        details={"reason": reason, "links": [link.pk for link in ending], "changed": changed},
    )
    return changed


@transaction.atomic
def queue_match(
    left_id: int,
    right_id: int,
    *,
    probability: float,
    match_weight: float,
    evidence: Evidence,
    source: str,
    run_id: int | None = None,
) -> MatchCandidate | None:
    """Put a likely pair in the review queue, as Homeward. Nothing is queued for a pair
    already decided or already one person; a pair waiting already gets the new scores."""
    left_id, right_id = ordered(int(left_id), int(right_id))
    persons = dict(Child.objects.filter(pk__in=(left_id, right_id)).values_list("pk", "person"))
    if left_id == right_id or len(persons) != 2 or persons[left_id] == persons[right_id]:
        return None
    existing = MatchCandidate.objects.select_for_update().filter(left_id=left_id, right_id=right_id)
    candidate = existing.first()
    if candidate is not None:
        if candidate.status != MatchCandidate.Status.PENDING:
            return None
        candidate.probability, candidate.match_weight = probability, match_weight
        candidate.evidence, candidate.run_id = evidence, run_id or candidate.run_id
        candidate.save(update_fields=["probability", "match_weight", "evidence", "run"])
        return candidate
    candidate = MatchCandidate.objects.create(
        left_id=left_id,
        right_id=right_id,
        probability=probability,
        match_weight=match_weight,
        evidence=evidence,
        source=source,
        run_id=run_id,
        found_at=clock.now(),
    )
    councils = sorted(
        set(
            Child.objects.filter(pk__in=(left_id, right_id)).values_list(
                "responsible_council_id", flat=True
            )
        )
    )
    with bus.unit_of_work():
        record_change(
            Actor.system(),
            MatchQueued(
                aggregate_id=candidate.pk,
                child_id=left_id,
                candidate=candidate.pk,
                councils=councils,
            ),
            action="queue_match",
            object_type="match",
            details={"left": left_id, "right": right_id, "source": source},
        )
    return candidate


@transaction.atomic
@bus.in_unit_of_work
def decide_match(
    actor: Actor, candidate_id: object, *, same: bool, reason: str, version: int | None = None
) -> MatchCandidate:
    """A coordinator of a council holding either record decides a pair in the queue."""
    try:
        pk = int(str(candidate_id))
    except ValueError:
        raise NotFound("No match was found.") from None
    candidate = (
        MatchCandidate.objects.select_for_update()
        .select_related("left", "right")
        .filter(pk=pk)
        .first()
    )
    if candidate is None or not may_decide(actor, candidate.left, candidate.right):
        if candidate is not None and not role_allows(actor, Action.LINK_RECORDS):
            raise AccessDenied("Your role does not allow you to link or unlink records.")
        raise NotFound("No match was found.")
    if version is not None and version != candidate.version:
        raise StaleEdit(
            "Someone else decided this pair since you opened it.", ["status"], candidate.version
        )
    if candidate.status != MatchCandidate.Status.PENDING:
        raise ValidationFailed({"decision": "This pair has already been decided"})
    reason = reason.strip()
    if not reason:
        raise ValidationFailed({"reason": "Say why you decided this"})
    if same:
        link_records(
            actor,
            candidate.left_id,
            candidate.right_id,
            reason=reason,
            evidence=candidate.evidence,
            probability=candidate.probability,
            candidate_id=candidate.pk,
        )
    else:
        _mark_candidate(
            actor,
            candidate.left_id,
            candidate.right_id,
            MatchCandidate.Status.NOT_SAME,
            reason,
            candidate.pk,
        )
    MatchCandidate.objects.filter(pk=candidate.pk).update(version=candidate.version + 1)
    candidate.refresh_from_db()
    record_change(
        actor,
        MatchDecided(
            aggregate_id=candidate.pk, child_id=candidate.left_id, candidate=pk, same=same
        ),
        action="decide_match",
        object_type="match",
        details={"same": same, "reason": reason},
    )
    return candidate
