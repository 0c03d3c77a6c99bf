"""Adding a child: the details asked for, their checks, and the council responsible."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction

from homeward.children.codes import Ethnicity, Sex, nhs_number_is_valid, upn_is_valid
from homeward.children.events import ChildCreated
from homeward.children.models import Child, ChildAlias, ChildIdentifier
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import ValidationFailed
from homeward.core.validation import name_problem, person_name, text_errors
from homeward.events.change import record_change
from homeward.organisations import policy
from homeward.organisations.models import Organisation, OrganisationKind
from homeward.organisations.policy import Action


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


# An organisation's reference names one child. Saying so reveals only that the actor's own
# organisation holds the reference, which it gave.
REFERENCE_TAKEN = (
    "Your organisation already uses this reference for another child. Check the reference, "
    "or find the child and report them missing from their record"
)


def _reference_taken(org: Organisation, reference: str) -> bool:
    return ChildIdentifier.objects.filter(organisation=org, value=reference).exists()


def _checked(actor: Actor, details: ChildDetails) -> tuple[Organisation, bool]:
    policy.require_role(actor, Action.CREATE_CHILD)
    errors = _validate_details(details)
    org = actor.organisation
    council, provisional = _responsible_council(org, details, errors)
    reference = details.agency_reference.strip()
    if reference and org is not None and _reference_taken(org, reference):
        errors["agency_reference"] = [REFERENCE_TAKEN]
    if errors:
        raise ValidationFailed(errors)
    assert council is not None
    return council, provisional


def check_child(actor: Actor, details: ChildDetails) -> None:
    """The checks of create_child, saving nothing: so that find before create looks for
    a child only once the details would be accepted."""
    _checked(actor, details)


@transaction.atomic
def create_child(actor: Actor, details: ChildDetails) -> Child:
    """Add a child. The adding organisation keeps a relationship with the child for
    policy.ADDED_CHILD_ACCESS, so that whoever adds a child can report them missing."""
    council, provisional = _checked(actor, details)
    org = actor.organisation
    reference = details.agency_reference.strip()
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
    if reference and org is not None:
        try:
            with transaction.atomic():
                ChildIdentifier.objects.create(child=child, organisation=org, value=reference)
        except IntegrityError:  # taken by a request that committed after the check above
            raise ValidationFailed({"agency_reference": [REFERENCE_TAKEN]}) from None
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
