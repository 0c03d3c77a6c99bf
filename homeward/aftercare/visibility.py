"""What a return-interview provider sees, registered with the visibility queries below
(docs/access.md): a provider with an assigned interview sees the child, and in full only
the episodes its interviews cover, while the interview is open and for
INTERVIEW_ACCESS_AFTER_CLOSE after it closes. Imported in AftercareConfig.ready()."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from homeward.aftercare.models import ReturnInterview
from homeward.children.visibility import relationship
from homeward.core import clock
from homeward.episodes.visibility import episode_scope
from homeward.organisations.models import Organisation, OrganisationKind
from homeward.organisations.policy import INTERVIEW_ACCESS_AFTER_CLOSE


def assigned_interviews(org: Organisation) -> QuerySet[ReturnInterview]:
    """The interviews assigned to a provider that still give it access."""
    return ReturnInterview.objects.filter(provider=org).filter(
        Q(closed_at__isnull=True) | Q(closed_at__gt=clock.now() - INTERVIEW_ACCESS_AFTER_CLOSE)
    )


@relationship(OrganisationKind.RHI_PROVIDER)
def _child_of_an_assigned_interview(org: Organisation) -> Exists:
    return Exists(assigned_interviews(org).filter(child=OuterRef("pk")))


@episode_scope(OrganisationKind.RHI_PROVIDER)
def _episodes_of_its_interviews(org: Organisation) -> Q:
    return Q(return_interviews__in=assigned_interviews(org).values("pk"))
