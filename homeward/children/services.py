"""The write side for children, and their audited reads.

Every change goes through a function here: permission, validation, save, audit event and
domain event, in one transaction."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from homeward.audit import services as audit
from homeward.children import visibility
from homeward.children.codes import (
    Ethnicity,
    LegalStatusKind,
    PlacementType,
    Sex,
    nhs_number_is_valid,
    upn_is_valid,
)
from homeward.children.events import ChildCreated, ChildUpdated, PlacementStarted
from homeward.children.models import (
    Child,
    ChildAlias,
    ChildIdentifier,
    LegalStatus,
    Placement,
    WorkerAllocation,
)
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, ValidationFailed
from homeward.core.validation import name_problem, person_name, text_errors
from homeward.events.change import record_change
from homeward.organisations import policy
from homeward.organisations.models import Organisation, OrganisationKind, User
from homeward.organisations.policy import Action

OBJECT = "child"


def eighteenth_birthday(dob: date) -> date:
    """The day a child turns 18 (a 29 February birthday counts from 1 March)."""
    try:
        return dob.replace(year=dob.year + 18)
    except ValueError:
        return date(dob.year + 18, 3, 1)


@dataclass
class ChildDetails:
    first_name: str
    last_name: str
    date_of_birth: date | None
    sex: str
    ethnicity: str = Ethnicity.NOBT
    upn: str = ""
    nhs_number: str = ""
    responsible_council_id: int | None = None
    aliases: list[str] = field(default_factory=list)
    agency_reference: str = ""
    # Whoever adds the child may not know their council (a child found at night who gives
    # no address): say so, and name the council whose area the child is in now.
    responsible_council_not_known: bool = False
    area_council_id: int | None = None


def _validate_details(details: ChildDetails) -> dict[str, list[str]]:
    # NHS number and UPN have their own format checks below (written with spaces or not).
    errors: dict[str, list[str]] = text_errors(
        Child, {k: v for k, v in vars(details).items() if k not in {"nhs_number", "upn"}}
    )
    alias_problems = sorted({p for a in details.aliases if (p := name_problem(a, "Other names"))})
    if alias_problems:
        errors["aliases"] = alias_problems
    if errors:
        return errors
    if not details.first_name.strip():
        errors["first_name"] = ["Enter the child's first name"]
    if not details.last_name.strip():
        errors["last_name"] = ["Enter the child's last name"]
    today = clock.now().date()
    if details.date_of_birth is None:
        errors["date_of_birth"] = ["Enter the child's date of birth"]
    elif details.date_of_birth > today:
        errors["date_of_birth"] = ["Date of birth must be today or in the past"]
    elif eighteenth_birthday(details.date_of_birth) <= today:
        errors["date_of_birth"] = ["Homeward records children: the child must be under 18"]
    if details.sex not in Sex.values:
        errors["sex"] = ["Select the child's sex"]
    if details.ethnicity not in Ethnicity.values:
        errors["ethnicity"] = ["Select an ethnicity from the DfE list"]
    if details.upn and not upn_is_valid(details.upn):
        errors["upn"] = ["Unique pupil number must be 13 characters with a valid check letter"]
    nhs = details.nhs_number.replace(" ", "")
    if nhs and not nhs_number_is_valid(nhs):
        errors["nhs_number"] = [
            "NHS number must be 10 digits and its last digit must match the check digit"
        ]
    return errors


def area_councils(org: Organisation | None) -> list[Organisation]:
    """The councils in a police force's area (for anyone else, none)."""
    if org is None or org.kind != OrganisationKind.POLICE:
        return []
    return list(org.council_areas.filter(kind=OrganisationKind.COUNCIL).order_by("name"))


def _responsible_council(
    org: Organisation | None, details: ChildDetails, errors: dict[str, list[str]]
) -> tuple[Organisation | None, bool]:
    """The council to record as responsible, and whether that is provisional.

    A council adds only children it is responsible for. Anyone else names the council, or
    says it is not known: then the council for the area the child is in now holds the
    record provisionally (its missing coordinator is shown it to confirm or pass on)."""
    is_council = org is not None and org.kind == OrganisationKind.COUNCIL
    if details.responsible_council_not_known:
        if details.responsible_council_id is not None:
            errors["responsible_council"] = [
                "Select the council responsible for the child, or Not known, not both"
            ]
            return None, False
        if is_council:
            errors["responsible_council"] = [
                "A council can only add children it is responsible for"
            ]
            return None, False
        local = area_councils(org)
        if details.area_council_id is not None:
            chosen = next((c for c in local if c.pk == details.area_council_id), None)
            if chosen is None:
                where = f"{org.name}'s area" if local and org is not None else "your area"
                errors["area_council"] = [f"Select a council in {where}"]
            return chosen, True
        if len(local) == 1:
            return local[0], True
        if local:
            errors["area_council"] = [
                "Select the council whose area the child is in now: the responsible "
                "council is not known"
            ]
        else:
            errors["responsible_council"] = [
                "Select the council responsible for the child: no council area is "
                "recorded for your organisation to hold the record provisionally"
            ]
        return None, True
    if details.responsible_council_id is None:
        if is_council:
            return org, False
        errors["responsible_council"] = [
            "Select the council responsible for the child, or Not known"
        ]
        return None, False
    council = Organisation.objects.filter(
        pk=details.responsible_council_id, kind=OrganisationKind.COUNCIL
    ).first()
    if council is None:
        errors["responsible_council"] = ["Select the council responsible for the child"]
    elif is_council and council != org:
        errors["responsible_council"] = ["A council can only add children it is responsible for"]
    return council, False


@transaction.atomic
def create_child(actor: Actor, details: ChildDetails) -> Child:
    """Add a child. The adding organisation keeps a relationship with the child for
    policy.ADDED_CHILD_ACCESS, so that whoever adds a child can report them missing."""
    policy.require_role(actor, Action.CREATE_CHILD)
    errors = _validate_details(details)
    org = actor.organisation
    council, provisional = _responsible_council(org, details, errors)
    if errors:
        raise ValidationFailed(errors)
    assert council is not None
    assert details.date_of_birth is not None
    child = Child.objects.create(
        first_name=person_name(details.first_name),
        last_name=person_name(details.last_name),
        date_of_birth=details.date_of_birth,
        sex=details.sex,
        ethnicity=details.ethnicity,
        upn=details.upn.strip().upper(),
        nhs_number=details.nhs_number.replace(" ", ""),
        responsible_council=council,
        responsible_council_provisional=provisional,
        added_by_organisation=org,
    )
    for alias in details.aliases:
        if alias.strip():
            ChildAlias.objects.create(child=child, name=person_name(alias))
    if details.agency_reference.strip() and org is not None:
        ChildIdentifier.objects.create(
            child=child, organisation=org, value=details.agency_reference.strip()
        )
    record_change(
        actor,
        ChildCreated(
            aggregate_id=child.pk,
            child_id=child.pk,
            responsible_council=council.pk,
            provisional=provisional,
        ),
        action="create",
        details={"responsible_council": council.pk, "provisional": provisional},
    )
    return child


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


# --- reads (each audited) ---------------------------------------------------------------

_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d %m %Y")


def _parse_date(text: str) -> date | None:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a date, no time)
        except ValueError:
            continue
    return None


def search_children(actor: Actor, query: str, limit: int = 50) -> list[Child]:
    """Find children by name, alias, date of birth or identifier, among those the actor
    may see. Every child returned is an audited read."""
    policy.require_role(actor, Action.SEE_IDENTITY)
    text = query.strip()
    if not text:
        raise ValidationFailed({"q": "Enter a name, date of birth or identifier to search for"})
    qs: QuerySet[Child] = visibility.visible_children(actor)
    day = _parse_date(text)
    if day is not None:
        qs = qs.filter(date_of_birth=day)
    else:
        compact = text.replace(" ", "")
        condition = (
            Q(upn__iexact=compact) | Q(nhs_number=compact) | Q(identifiers__value__iexact=text)
        )
        name_condition = Q()
        for word in text.split():
            name_condition &= (
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(aliases__name__icontains=word)
            )
        qs = qs.filter(condition | name_condition)
    children = list(
        qs.distinct()
        .select_related("responsible_council")
        .order_by("last_name", "first_name")[:limit]
    )
    audit.record_many_reads(actor, OBJECT, [c.pk for c in children], action="search_result")
    return children


def placed_with(actor: Actor, limit: int = 200) -> list[Child]:
    """The children placed now with the actor's care provider (a children's home's
    staff: whom they look after tonight). Each child listed is an audited read."""
    policy.require_role(actor, Action.SEE_IDENTITY)
    org = actor.organisation
    if org is None or org.kind != OrganisationKind.CARE_PROVIDER:
        return []
    children = list(
        visibility.visible_children(actor)
        .filter(current_placement__provider=org)
        .select_related("responsible_council", "current_placement")
        .order_by("last_name", "first_name", "pk")[:limit]
    )
    audit.record_many_reads(actor, OBJECT, [c.pk for c in children], action="list_result")
    return children


def read_child(actor: Actor, child_id: object) -> Child:
    """The child's record, for display. Writes the audit event for the read."""
    child = visibility.get_child(actor, child_id, Action.SEE_IDENTITY)
    audit.record(actor, "view", OBJECT, child.pk, child_id=child.pk)
    return child
