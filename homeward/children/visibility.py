"""Which children an actor sees: the visibility queries over the children's records.

A user sees a child only through a relationship between their organisation and that child
(docs/access.md). The relationships children knows of itself (a council responsible for the
child or hosting their placement, the home they are placed with, the police of the area
they are placed in) are registered here; a relationship that comes from a higher app's
records is registered by that app, with ``relationship(kind)``, when its own visibility
module is imported (from its ``AppConfig.ready()``): episodes registers the forces an
episode was reported to or found by, aftercare the interview provider with an assigned
interview. Nothing here imports them: the same pattern as the event bus's handlers and
the guards of ``homeward.events``.

The role rules (which action a role may take, what of the record a kind of organisation
sees) are in ``homeward.organisations.policy``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Exists, OuterRef, Q, QuerySet

from homeward.children.models import Child, EmergencyAccess
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, NotFound
from homeward.organisations.models import Organisation, OrganisationKind
from homeward.organisations.policy import (
    ADDED_CHILD_ACCESS,
    AGGREGATE_ONLY_ROLES,
    Action,
    role_allows,
)

# A relationship: given an organisation, the condition (over Child) for the children it is
# related to.
Relationship = Callable[[Organisation], Q | Exists]

_relationships: dict[str, list[Relationship]] = {}


def register_relationship(kind: str, condition: Relationship) -> Relationship:
    """Let organisations of ``kind`` see the children ``condition`` gives for them, as
    well as those of every relationship registered before. Registering twice is once."""
    listed = _relationships.setdefault(kind, [])
    if condition not in listed:
        listed.append(condition)
    return condition


def relationship(kind: str) -> Callable[[Relationship], Relationship]:
    """``register_relationship`` as a decorator."""

    def register(condition: Relationship) -> Relationship:
        return register_relationship(kind, condition)

    return register


def relationships(kind: str) -> tuple[Relationship, ...]:
    """The relationships registered for a kind of organisation, in registration order."""
    return tuple(_relationships.get(kind, ()))


@relationship(OrganisationKind.COUNCIL)
def _responsible_or_host_council(org: Organisation) -> Q:
    return Q(responsible_council=org) | Q(current_placement__host_council=org)


@relationship(OrganisationKind.COUNCIL)
def _responsible_for_a_linked_record(org: Organisation) -> Exists:
    # Records linked as one child (homeward.linkage): the council responsible for any of
    # them is responsible for the child, and sees every record of theirs.
    return Exists(
        Child.objects.filter(person_id=OuterRef("person_id"), responsible_council=org).exclude(
            pk=OuterRef("pk")
        )
    )


@relationship(OrganisationKind.CARE_PROVIDER)
def _current_home(org: Organisation) -> Q:
    return Q(current_placement__provider=org)


@relationship(OrganisationKind.POLICE)
def _police_of_the_placement_area(org: Organisation) -> Q:
    # For a child in placement, the area they would go missing from is the placement's.
    return Q(current_placement__host_council__police_force=org)


# A grant: given an actor, the condition (over Child) for the children that actor alone
# may see through a higher app's records (a case audit they are a member of), or None.
# Unlike a relationship it is personal, like emergency access, and time-limited by the
# records that make it.
Grant = Callable[[Actor], Q | Exists | None]

_grants: list[Grant] = []


def register_grant(condition: Grant) -> Grant:
    """Let an actor see the children ``condition`` gives for them, read-only unless their
    role allows more. Registering twice is once."""
    if condition not in _grants:
        _grants.append(condition)
    return condition


def grant(condition: Grant) -> Grant:
    """``register_grant`` as a decorator."""
    return register_grant(condition)


def grants() -> tuple[Grant, ...]:
    return tuple(_grants)


def _granted(actor: Actor) -> Q | None:
    """Any of the grants registered, for this actor (None when none applies)."""
    if actor.role in AGGREGATE_ONLY_ROLES:
        return None
    conditions = [c for c in (condition(actor) for condition in _grants) if c is not None]
    if not conditions:
        return None
    return Q(*conditions, _connector=Q.OR)


def _related(org: Organisation) -> Q:
    """Any of the relationships registered for the organisation's kind."""
    conditions = [condition(org) for condition in relationships(org.kind)]
    if not conditions:
        return Q(pk__in=[])
    return Q(*conditions, _connector=Q.OR)


def visible_children(actor: Actor) -> QuerySet[Child]:
    """Children the actor's organisation has a current relationship with, and any child
    the actor personally opened under emergency access that has not yet expired.

    Adding a child is a relationship too, for ADDED_CHILD_ACCESS: a police call handler
    who adds a child the service did not know can then report them missing. It is
    recorded on the child (``added_by_organisation``) and so is auditable.

    A grant registered by a higher app (``grant``) adds the children it gives this actor,
    even to a role that sees no child otherwise (an inspector: a case audit's sample)."""
    org = actor.organisation
    if org is None or actor.user is None:
        return Child.objects.none()
    granted = _granted(actor)
    if not role_allows(actor, Action.SEE_IDENTITY):
        return Child.objects.none() if granted is None else Child.objects.filter(granted)
    emergency = Exists(
        EmergencyAccess.objects.filter(
            child=OuterRef("pk"), user=actor.user, organisation=org, expires_at__gt=clock.now()
        )
    )
    added = Q(added_by_organisation=org, created_at__gt=clock.now() - ADDED_CHILD_ACCESS)
    seen = _related(org) | added | emergency
    return Child.objects.filter(seen if granted is None else seen | granted)


def can(actor: Actor, action: Action, child: object | None = None) -> bool:
    """Whether the actor's role allows ``action`` and, given a child, they see the child."""
    if not role_allows(actor, action):
        return False
    if child is None:
        return True
    return visible_children(actor).filter(pk=getattr(child, "pk", child)).exists()


def get_child(
    actor: Actor,
    child_id: object,
    action: Action = Action.SEE_IDENTITY,
    *,
    related: tuple[str, ...] = (),
    prefetch: tuple[str, ...] = (),
) -> Child:
    """The child, if the actor may see them; otherwise NotFound (never revealing existence).
    Raises AccessDenied when they can see the child but their role cannot do ``action``.
    ``related`` and ``prefetch`` load what the caller needs with the same read."""

    try:
        pk = int(str(child_id))
    except ValueError:
        raise NotFound("No child was found.") from None
    found = visible_children(actor).filter(pk=pk)
    if related:
        found = found.select_related(*related)
    if prefetch:
        found = found.prefetch_related(*prefetch)
    child = found.first()
    if child is None:
        raise NotFound("No child was found.")
    if not role_allows(actor, action):
        raise AccessDenied("Your role does not allow you to do this.")
    return child
