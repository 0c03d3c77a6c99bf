"""Changes to a child's record: the responsible council confirmed, placements, legal status
and the allocated worker."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from homeward.children import visibility
from homeward.children.codes import LegalStatusKind, PlacementType
from homeward.children.events import ChildUpdated, PlacementStarted
from homeward.children.models import Child, LegalStatus, Placement, WorkerAllocation
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, ValidationFailed
from homeward.events.change import record_change
from homeward.organisations import policy
from homeward.organisations.models import Organisation, OrganisationKind, User
from homeward.organisations.policy import Action


def access_from_adding_ends(child: Child) -> datetime | None:
    """When the adding organisation's relationship with the child ends."""
    if child.added_by_organisation_id is None:
        return None
    return child.created_at + policy.ADDED_CHILD_ACCESS


def awaiting_confirmation(actor: Actor) -> QuerySet[Child]:
    """Children this council holds provisionally (added with their council not known),
    for its staff who may change a child's record to confirm or pass on."""
    org = actor.organisation
    if org is None or org.kind != OrganisationKind.COUNCIL:
        return Child.objects.none()
    if not policy.role_allows(actor, Action.UPDATE_CHILD):
        return Child.objects.none()
    return Child.objects.filter(
        responsible_council=org, responsible_council_provisional=True
    ).order_by("created_at")


@transaction.atomic
def confirm_responsible_council(actor: Actor, child_id: object, council_id: object) -> Child:
    """The council holding a child's record provisionally confirms who is responsible:
    itself, or another council, which then holds the record (and this one, unless it has
    another relationship with the child, no longer sees it)."""
    found = visibility.get_child(actor, child_id, Action.UPDATE_CHILD)
    child = Child.objects.select_for_update().select_related("responsible_council").get(pk=found.pk)
    org = actor.organisation
    if not child.responsible_council_provisional:
        raise ValidationFailed(
            {"responsible_council": "The responsible council is already confirmed"}
        )
    if org is None or org.pk != child.responsible_council_id:
        raise AccessDenied(
            f"Only {child.responsible_council.name}, which holds the record provisionally, "
            "can confirm who is responsible."
        )
    try:
        pk = int(str(council_id))
    except ValueError:
        pk = 0
    council = Organisation.objects.filter(pk=pk, kind=OrganisationKind.COUNCIL).first()
    if council is None:
        raise ValidationFailed(
            {"responsible_council": "Select the council responsible for the child"}
        )
    previous = child.responsible_council_id
    child.responsible_council = council
    child.responsible_council_provisional = False
    child.version += 1
    child.save(
        update_fields=[
            "responsible_council",
            "responsible_council_provisional",
            "version",
            "updated_at",
        ]
    )
    record_change(
        actor,
        ChildUpdated(
            aggregate_id=child.pk,
            child_id=child.pk,
            fields=["responsible_council"],
            from_=previous,
            to=council.pk,
        ),
        action="confirm_responsible_council",
        details={"from": previous, "to": council.pk},
    )
    return child


@transaction.atomic
def start_placement(
    actor: Actor,
    child: Child,
    *,
    placement_type: str,
    host_council: Organisation,
    start_date: date,
    provider: Organisation | None = None,
    postcode_district: str = "",
) -> Placement:
    """Start a new placement, ending the current one the day before."""
    visibility.get_child(actor, child.pk, Action.UPDATE_CHILD)
    errors: dict[str, list[str]] = {}
    if placement_type not in PlacementType.values:
        errors["placement_type"] = ["Select a placement type from the SSDA903 list"]
    if host_council.kind != OrganisationKind.COUNCIL:
        errors["host_council"] = ["The host must be a council"]
    if provider is not None and provider.kind != OrganisationKind.CARE_PROVIDER:
        errors["provider"] = ["The provider must be a care provider"]
    if start_date > clock.now().date():
        errors["start_date"] = ["Placement start date must be today or in the past"]
    if start_date < child.date_of_birth:
        errors["start_date"] = ["Placement cannot start before the child's date of birth"]
    current = child.current_placement
    if current is not None and start_date <= current.start_date:
        errors["start_date"] = [
            f"Placement must start after the current placement began "
            f"({current.start_date:%d/%m/%Y})"
        ]
    district = postcode_district.strip().upper()
    if district and not re.fullmatch(r"[A-Z]{1,2}[0-9][0-9A-Z]?", district):
        errors["postcode_district"] = ["Enter the first half of a postcode, like LS6 or M1"]
    if errors:
        raise ValidationFailed(errors)
    if current is not None:
        current.end_date = start_date
        current.save(update_fields=["end_date"])
    placement = Placement.objects.create(
        child=child,
        placement_type=placement_type,
        provider=provider,
        host_council=host_council,
        postcode_district=district,
        start_date=start_date,
    )
    child.current_placement = placement
    child.version += 1
    child.save(update_fields=["current_placement", "version", "updated_at"])
    record_change(
        actor,
        PlacementStarted(aggregate_id=child.pk, child_id=child.pk, placement=placement.pk),
        action="start_placement",
        details={"placement": placement.pk},
    )
    return placement


def _refuse_ending_care_while_missing(child: Child, end: date) -> None:
    """Care cannot end while the child is missing (SSDA903 rule 577): an episode that began
    before the day care ends must have ended by that day."""
    day_starts = timezone.make_aware(datetime.combine(end, time.min))
    next_day = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))
    episode = (
        child.episodes.filter(last_seen_at__lt=day_starts)
        .filter(Q(returned_at__isnull=True) | Q(returned_at__gte=next_day))
        .order_by("last_seen_at")
        .first()
    )
    if episode is None:
        return
    seen = timezone.localtime(episode.last_seen_at)
    if episode.returned_at is None:
        message = (
            f"{child.full_name} has been missing since {seen:%-d %B %Y} (episode "
            f"{episode.reference}): record their return before ending their care"
        )
    else:
        back = timezone.localtime(episode.returned_at)
        message = (
            f"{child.full_name} was missing from {seen:%-d %B %Y} to {back:%-d %B %Y} (episode "
            f"{episode.reference}): care cannot end while a child is missing, so give a date "
            f"on or after {back:%d/%m/%Y}"
        )
    raise ValidationFailed({"start_date": message})


@transaction.atomic
def set_legal_status(actor: Actor, child: Child, status: str, start_date: date) -> LegalStatus:
    visibility.get_child(actor, child.pk, Action.UPDATE_CHILD)
    if status not in LegalStatusKind.values:
        raise ValidationFailed({"status": "Select a legal status"})
    if start_date > clock.now().date():
        raise ValidationFailed({"start_date": "Legal status start date must be today or earlier"})
    current = child.legal_statuses.filter(end_date__isnull=True).first()
    if current is not None:
        if start_date < current.start_date:
            raise ValidationFailed(
                {
                    "start_date": f"Must be on or after the current status began "
                    f"({current.start_date:%d/%m/%Y})"
                }
            )
        if (
            current.status == LegalStatusKind.LOOKED_AFTER
            and status != LegalStatusKind.LOOKED_AFTER
        ):
            _refuse_ending_care_while_missing(child, start_date)
        current.end_date = start_date
        current.save(update_fields=["end_date"])
    record = LegalStatus.objects.create(child=child, status=status, start_date=start_date)
    child.version += 1
    child.save(update_fields=["version", "updated_at"])
    record_change(
        actor,
        ChildUpdated(aggregate_id=child.pk, child_id=child.pk, fields=["legal_status"]),
        action="set_legal_status",
    )
    return record


@transaction.atomic
def allocate_worker(actor: Actor, child: Child, worker: User, start_date: date) -> WorkerAllocation:
    visibility.get_child(actor, child.pk, Action.UPDATE_CHILD)
    membership = worker.active_membership()
    if membership is None or membership.organisation_id != child.responsible_council_id:
        raise ValidationFailed(
            {"worker": "The allocated worker must work for the child's responsible council"}
        )
    current = child.allocations.filter(end_date__isnull=True).first()
    if current is not None:
        if start_date < current.start_date:
            raise ValidationFailed({"start_date": "Must be on or after the current allocation"})
        current.end_date = start_date
        current.save(update_fields=["end_date"])
    allocation = WorkerAllocation.objects.create(
        child=child, worker=worker, organisation=membership.organisation, start_date=start_date
    )
    record_change(
        actor,
        ChildUpdated(aggregate_id=child.pk, child_id=child.pk, fields=["allocated_worker"]),
        action="allocate_worker",
    )
    return allocation
