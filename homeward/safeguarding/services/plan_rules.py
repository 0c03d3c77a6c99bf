"""What the plan's write and its reviews share: which plan is the child's, who keeps it,
who may own it, its current version, and finishing a review (by a new version or
"reviewed, no change")."""

from __future__ import annotations

from django.db.models import F

from homeward.audit import services as audit
from homeward.children.models import Child
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.events.change import record_change
from homeward.organisations.models import Membership, Organisation, OrganisationKind, User
from homeward.organisations.policy import Action, role_allows
from homeward.safeguarding import access
from homeward.safeguarding.events import PlanReviewDone
from homeward.safeguarding.models import PlanReview, PlanVersion, ReviewStatus, RiskPlan


def plan_of(child: Child) -> RiskPlan | None:
    """The plan of the resolved child, whichever of their records it was written on."""
    return (
        RiskPlan.objects.filter(child__person_id=child.person_id)
        .select_related("owner", "owner_organisation")
        .order_by("-updated_at", "-pk")
        .first()
    )


def responsible_councils(child: Child) -> set[int]:
    """The councils responsible for the child or for a record linked as the child."""
    ids = Child.objects.filter(person_id=child.person_id).values_list(
        "responsible_council_id", flat=True
    )
    return {*ids, child.responsible_council_id}


def may_keep(actor: Actor, child: Child) -> bool:
    """``Action.KEEP_PLAN`` at the council responsible for the child or for a record linked
    as the child (no query when it is this record's council)."""
    org = actor.organisation
    if org is None or org.kind != OrganisationKind.COUNCIL:
        return False
    if not role_allows(actor, Action.KEEP_PLAN):
        return False
    return org.pk == child.responsible_council_id or org.pk in responsible_councils(child)


def owner_choices(council: Organisation | None) -> list[User]:
    """Who may be the plan's named owner: people with an active membership at the council."""
    if council is None:
        return []
    ids = Membership.objects.filter(
        organisation=council, is_active=True, user__is_active=True
    ).values_list("user_id", flat=True)
    return list(User.objects.filter(pk__in=ids).order_by("first_name", "last_name", "pk"))


def open_reviews_of(child: Child) -> list[PlanReview]:
    """The child's reviews still to do, on any of their records, soonest due first."""
    return list(
        PlanReview.objects.filter(child__person_id=child.person_id, status=ReviewStatus.OPEN)
        .select_related("child")
        .order_by("due_date", "pk")
    )


def finish_review(
    actor: Actor, review: PlanReview, outcome: str, plan_version: int | None
) -> PlanReview:
    """Mark a review done (by a new version, or "reviewed, no change" with the outcome)."""
    review.status = ReviewStatus.DONE
    review.done_at = clock.now()
    review.done_by = actor.user
    review.outcome = outcome
    review.plan_version_after = plan_version
    review.save(
        update_fields=["status", "done_at", "done_by", "outcome", "plan_version_after", "plan"]
    )
    record_change(
        actor,
        PlanReviewDone(aggregate_id=review.pk, child_id=review.child_id, plan_version=plan_version),
        action="complete_plan_review",
        details={"plan_version": plan_version, "trigger": review.trigger},
    )
    return review


def current_version(child: Child) -> PlanVersion | None:
    """The current version of the child's plan (on any linked record), with the plan and
    its owner: one query. Not audited: for pages already reading the child."""
    return current_version_of(child.person_id)


def current_version_of(person_id: int) -> PlanVersion | None:
    """The current version of the plan of the child resolved to ``person_id``: one query.
    Should two linked records each hold a plan, the one changed last."""
    return (
        PlanVersion.objects.filter(
            plan__child__person_id=person_id, number=F("plan__current_version")
        )
        .select_related("plan__owner")
        .order_by("-plan__updated_at", "-plan_id")
        .first()
    )


def plan_for_report(actor: Actor, child: Child) -> PlanVersion | None:
    """What the plan says to do if the child goes missing, for the answer to a report (the
    reporter sees the child: the report needed it): an audited read, or None."""
    if not access.may_see_profiles(actor):
        return None
    found = current_version(child)
    if found is not None:
        audit.record(actor, "view", "risk_plan", found.plan_id, child_id=child.pk)
    return found
