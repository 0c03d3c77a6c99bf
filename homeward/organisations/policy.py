"""The access policy: the one module that decides who may see and do what.

A user sees a child only through a relationship between their organisation and that
child; their role decides what they may do with it. The web UI and the API both call
this module, through the service functions, so there is a single answer everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet

from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, NotFound
from homeward.organisations.models import Organisation, OrganisationKind, Role

if TYPE_CHECKING:  # annotations only: these models' modules import this one
    from homeward.aftercare.models import ReturnInterview
    from homeward.children.models import Child
    from homeward.episodes.models import Episode


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


# The organisation that adds a child keeps a relationship with them this long: enough to
# report them missing (after which the report is the relationship), not a standing access.
ADDED_CHILD_ACCESS = timedelta(hours=24)


def visible_children(actor: Actor) -> QuerySet[Child]:
    """Children the actor's organisation has a current relationship with, and any child
    the actor personally opened under emergency access that has not yet expired.

    Adding a child is a relationship too, for ADDED_CHILD_ACCESS: a police call handler
    who adds a child the service did not know can then report them missing. It is
    recorded on the child (``added_by_organisation``) and so is auditable."""
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
    added = Q(added_by_organisation=org, created_at__gt=clock.now() - ADDED_CHILD_ACCESS)
    return Child.objects.filter(relationship | added | emergency)


# A return-interview provider keeps access this long after its interview closes.
INTERVIEW_ACCESS_AFTER_CLOSE = timedelta(days=30)


def _assigned_interviews(org: Organisation) -> QuerySet[ReturnInterview]:
    from homeward.aftercare.models import ReturnInterview

    return ReturnInterview.objects.filter(provider=org).filter(
        Q(closed_at__isnull=True) | Q(closed_at__gt=clock.now() - INTERVIEW_ACCESS_AFTER_CLOSE)
    )


def visible_episodes(actor: Actor) -> QuerySet[Episode]:
    """Episodes the actor sees in full: every field, the risk history and the timeline."""
    from homeward.episodes.models import Episode, EpisodeStatus

    if not role_allows(actor, Action.SEE_EPISODES):
        return Episode.objects.none()
    org = actor.organisation
    if org is not None and org.kind == OrganisationKind.RHI_PROVIDER:
        # Only the episodes its interviews cover: what it needs, and nothing more.
        return Episode.objects.filter(
            return_interviews__in=_assigned_interviews(org).values("pk")
        ).distinct()
    episodes = Episode.objects.filter(child__in=visible_children(actor).values("pk"))
    if org is not None and org.kind == OrganisationKind.CARE_PROVIDER:
        # A home looks after the child now: the episodes from its own placements, and the
        # child's open episode. Earlier episodes (last seen at a family's address or
        # another home's) it knows only in outline: see episode_outlines().
        episodes = episodes.filter(Q(placement__provider=org) | Q(status=EpisodeStatus.MISSING))
    return episodes


def episode_outlines(actor: Actor, child: object) -> QuerySet[Episode]:
    """The child's other episodes, which the actor may know of only in outline (when last
    seen, when back, the risk grade and classification; never where, who or why): the
    missing history a children's home or an interviewer needs, without the addresses.

    Empty for everyone who sees all of a visible child's episodes in full."""
    from homeward.episodes.models import Episode

    org = actor.organisation
    if org is None or org.kind not in OUTLINE_KINDS or not can(actor, Action.SEE_EPISODES, child):
        return Episode.objects.none()
    pk = int(str(getattr(child, "pk", child)))
    return (
        Episode.objects.filter(child_id=pk)
        .exclude(pk__in=visible_episodes(actor).filter(child_id=pk).values("pk"))
        .order_by("-last_seen_at")
    )


OUTLINE_KINDS = frozenset({OrganisationKind.CARE_PROVIDER, OrganisationKind.RHI_PROVIDER})


@dataclass(frozen=True)
class ChildView:
    """Which parts of a child's record an actor sees, beyond the identity every
    relationship sees (names, other names, date of birth, sex, ethnicity, responsible
    council). docs/access.md gives the reasons, field by field."""

    # NHS number and unique pupil number.
    health_and_school_numbers: bool
    # Every agency's reference for the child; otherwise only the actor's organisation's.
    all_references: bool
    # Past placements, past allocated workers and past legal statuses; otherwise only the
    # current ones.
    history: bool


FULL_VIEW = ChildView(health_and_school_numbers=True, all_references=True, history=True)
_VIEWS: dict[str, ChildView] = {
    OrganisationKind.COUNCIL: FULL_VIEW,
    OrganisationKind.POLICE: FULL_VIEW,
    # The home looks after the child's health and schooling now; not their past.
    OrganisationKind.CARE_PROVIDER: ChildView(
        health_and_school_numbers=True, all_references=False, history=False
    ),
    # An interviewer needs to know who the child is and where to find them, no more.
    OrganisationKind.RHI_PROVIDER: ChildView(
        health_and_school_numbers=False, all_references=False, history=False
    ),
}
NO_VIEW = ChildView(health_and_school_numbers=False, all_references=False, history=False)


def child_view(actor: Actor) -> ChildView:
    """What of a visible child's record this actor sees (the same for every child they
    see: it follows the kind of organisation, whichever relationship lets them in)."""
    org = actor.organisation
    if org is None or not role_allows(actor, Action.SEE_IDENTITY):
        return NO_VIEW
    return _VIEWS.get(org.kind, NO_VIEW)


@dataclass(frozen=True)
class Step:
    """Whether an actor can take one step now and, when their role allows it but the
    record's state does not yet, why not, in words to show them. Pages offer a step only
    when it is ``available``; the service refuses it with the same words."""

    allowed: bool  # the role allows it
    reason: str = ""  # why not now, when the role allows it; blank when it can be done

    @property
    def available(self) -> bool:
        return self.allowed and not self.reason

    @property
    def waiting(self) -> bool:
        """Allowed, but not yet: show the reason instead of the button."""
        return self.allowed and bool(self.reason)

    def __bool__(self) -> bool:
        return self.available


def step(actor: Actor, action: Action, *reasons_not_yet: str) -> Step:
    """The step for ``action``: refused by role, waiting for the first reason given, or
    available. Pass the reasons the record's state gives, most fundamental first."""
    if not role_allows(actor, action):
        return Step(allowed=False)
    for reason in reasons_not_yet:
        if reason:
            return Step(allowed=True, reason=reason)
    return Step(allowed=True)


def can(actor: Actor, action: Action, child: object | None = None) -> bool:
    if not role_allows(actor, action):
        return False
    if child is None:
        return True
    return visible_children(actor).filter(pk=getattr(child, "pk", child)).exists()


def require_role(actor: Actor, action: Action) -> None:
    if not role_allows(actor, action):
        raise AccessDenied("Your role does not allow you to do this.")


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


def get_episode(actor: Actor, reference: str, action: Action = Action.SEE_EPISODES) -> Episode:
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
