"""The audited reads of children: search, the children placed with a home, one record."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Q, QuerySet

from homeward.audit import services as audit
from homeward.children import visibility
from homeward.children.models import Child
from homeward.core.actor import Actor
from homeward.core.errors import ValidationFailed
from homeward.organisations import policy
from homeward.organisations.models import OrganisationKind
from homeward.organisations.policy import Action

OBJECT = "child"

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
