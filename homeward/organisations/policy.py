"""The access policy: the one module that decides who may see and do what.

A user sees a child only through a relationship between their organisation and that
child; their role decides what they may do with it. The web UI and the API both call
this module, through the service functions, so there is a single answer everywhere.
"""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

from django.db.models import Exists, OuterRef, Q, QuerySet

from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, NotFound
from homeward.organisations.models import Organisation, OrganisationKind, Role


class Action(StrEnum):
    SEE_IDENTITY = "see_identity"
    SEE_EPISODES = "see_episodes"
    CREATE_CHILD = "create_child"
    UPDATE_CHILD = "update_child"
    REPORT = "report"
    UPDATE_EPISODE = "update_episode"
    REGRADE = "regrade"
    RECORD_RETURN = "record_return"
    CLOSE = "close"
    RECORD_CHECK = "record_check"
    RECORD_INTERVIEW = "record_interview"
    MANAGE_INTERVIEWS = "manage_interviews"
    EXPORT = "export"
    ADMINISTER = "administer"
    SEE_AGGREGATES = "see_aggregates"


_PRACTITIONER_READ = {Action.SEE_IDENTITY, Action.SEE_EPISODES}
_REPORTING = _PRACTITIONER_READ | {Action.REPORT, Action.UPDATE_EPISODE, Action.RECORD_RETURN}

ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.POLICE_CALL_HANDLER: frozenset(_REPORTING | {Action.REGRADE, Action.CREATE_CHILD}),
    Role.POLICE_OFFICER: frozenset(
        _REPORTING | {Action.REGRADE, Action.CLOSE, Action.CREATE_CHILD, Action.RECORD_CHECK}
    ),
    Role.POLICE_MISSING_COORDINATOR: frozenset(
        _REPORTING
        | {
            Action.REGRADE,
            Action.CLOSE,
            Action.CREATE_CHILD,
            Action.SEE_AGGREGATES,
            Action.RECORD_CHECK,
        }
    ),
    Role.SOCIAL_WORKER: frozenset(
        _REPORTING | {Action.CLOSE, Action.CREATE_CHILD, Action.UPDATE_CHILD}
    ),
    Role.COUNCIL_MISSING_COORDINATOR: frozenset(
        _REPORTING
        | {
            Action.RECORD_INTERVIEW,
            Action.MANAGE_INTERVIEWS,
            Action.CLOSE,
            Action.CREATE_CHILD,
            Action.UPDATE_CHILD,
            Action.EXPORT,
            Action.SEE_AGGREGATES,
        }
    ),
    Role.COUNCIL_MANAGER: frozenset(
        _REPORTING
        | {
            Action.RECORD_INTERVIEW,
            Action.MANAGE_INTERVIEWS,
            Action.CLOSE,
            Action.CREATE_CHILD,
            Action.UPDATE_CHILD,
            Action.EXPORT,
            Action.SEE_AGGREGATES,
        }
    ),
    Role.CARE_STAFF: frozenset(_REPORTING),
    Role.CARE_MANAGER: frozenset(_REPORTING | {Action.CLOSE}),
    Role.RHI_WORKER: frozenset(_PRACTITIONER_READ | {Action.RECORD_INTERVIEW}),
    Role.BOARD_MEMBER: frozenset({Action.SEE_AGGREGATES}),
    Role.NATIONAL_ANALYST: frozenset({Action.SEE_AGGREGATES}),
    Role.ORG_ADMIN: frozenset({Action.ADMINISTER}),
}

# Roles that never reach a child's identity, by any route.
AGGREGATE_ONLY_ROLES = frozenset({Role.BOARD_MEMBER, Role.NATIONAL_ANALYST})


def role_allows(actor: Actor, action: Action) -> bool:
    return actor.role is not None and action in ROLE_ACTIONS.get(actor.role, frozenset())


def visible_children(actor: Actor) -> QuerySet:
    """Children the actor's organisation has a current relationship with, and any child
    the actor personally opened under emergency access that has not yet expired."""
    from homeward.children.models import Child, EmergencyAccess
    from homeward.episodes.models import Episode

    org = actor.organisation
    if org is None or actor.user is None or not role_allows(actor, Action.SEE_IDENTITY):
        return Child.objects.none()
    relationship: Q | Exists
    if org.kind == OrganisationKind.COUNCIL:
        relationship = Q(responsible_council=org) | Q(current_placement__host_council=org)
    elif org.kind == OrganisationKind.CARE_PROVIDER:
        relationship = Q(current_placement__provider=org)
    elif org.kind == OrganisationKind.POLICE:
        # The force of the area the child went missing from or was found in; for a child
        # in placement, the area they would go missing from is the placement's.
        relationship = Q(current_placement__host_council__police_force=org) | Q(
            Exists(
                Episode.objects.filter(child=OuterRef("pk")).filter(
                    Q(police_force=org) | Q(found_police_force=org)
                )
            )
        )
    elif org.kind == OrganisationKind.RHI_PROVIDER:
        relationship = Exists(_assigned_interviews(org).filter(child=OuterRef("pk")))
    else:
        relationship = Q(pk__in=[])
    emergency = Exists(
        EmergencyAccess.objects.filter(
            child=OuterRef("pk"), user=actor.user, organisation=org, expires_at__gt=clock.now()
        )
    )
    return Child.objects.filter(relationship | emergency)


# A return-interview provider keeps access this long after its interview closes.
INTERVIEW_ACCESS_AFTER_CLOSE = timedelta(days=30)


def _assigned_interviews(org: Organisation) -> QuerySet:
    from homeward.aftercare.models import ReturnInterview

    return ReturnInterview.objects.filter(provider=org).filter(
        Q(closed_at__isnull=True) | Q(closed_at__gt=clock.now() - INTERVIEW_ACCESS_AFTER_CLOSE)
    )


def visible_episodes(actor: Actor) -> QuerySet:
    from homeward.episodes.models import Episode

    if not role_allows(actor, Action.SEE_EPISODES):
        return Episode.objects.none()
    org = actor.organisation
    if org is not None and org.kind == OrganisationKind.RHI_PROVIDER:
        # Only the episodes its interviews cover: what it needs, and nothing more.
        return Episode.objects.filter(
            return_interviews__in=_assigned_interviews(org).values("pk")
        ).distinct()
    return Episode.objects.filter(child__in=visible_children(actor).values("pk"))


def can(actor: Actor, action: Action, child: object | None = None) -> bool:
    if not role_allows(actor, action):
        return False
    if child is None:
        return True
    return visible_children(actor).filter(pk=getattr(child, "pk", child)).exists()


def require_role(actor: Actor, action: Action) -> None:
    if not role_allows(actor, action):
        raise AccessDenied("Your role does not allow you to do this.")


def get_child(actor: Actor, child_id: object, action: Action = Action.SEE_IDENTITY):
    """The child, if the actor may see them; otherwise NotFound (never revealing existence).
    Raises AccessDenied when they can see the child but their role cannot do ``action``."""

    try:
        pk = int(str(child_id))
    except ValueError:
        raise NotFound("No child was found.") from None
    child = visible_children(actor).filter(pk=pk).first()
    if child is None:
        raise NotFound("No child was found.")
    if not role_allows(actor, action):
        raise AccessDenied("Your role does not allow you to do this.")
    return child


def get_episode(actor: Actor, reference: str, action: Action = Action.SEE_EPISODES):
    episode = (
        visible_episodes(actor)
        .select_related("child", "police_force", "reporting_organisation")
        .filter(reference=reference)
        .first()
    )
    if episode is None:
        raise NotFound("No episode was found.")
    if not role_allows(actor, action):
        raise AccessDenied("Your role does not allow you to do this.")
    return episode
