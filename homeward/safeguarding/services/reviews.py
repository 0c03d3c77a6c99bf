"""Reviews of the child's plan: a task opened when something shows the plan may be out of
date, told to the plan's named owner, the child's allocated worker and the council's
missing coordinator; done by saving a new version or recorded as "reviewed, no change".

What opens one (``handlers_plans`` and ``review_dates``): the repeat-missing threshold, a
high-risk episode, a return interview that found risks or agreed actions, and the plan's
review date. Each cause opens one task however often it is told (``source_key``); a child
with no plan gets "Write a plan" instead (``plan`` is empty until one is written).

The task is due ``REVIEW_DUE_WORKING_DAYS`` working days (Monday to Friday; bank holidays
are not known to Homeward and count as working days) after it opens."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet

from homeward.audit import services as audit
from homeward.children.models import Child
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, NotFound, ValidationFailed
from homeward.core.validation import HIDDEN_CONTROL, LONG_TEXT, too_long
from homeward.events import bus
from homeward.events.change import record_change
from homeward.safeguarding import access
from homeward.safeguarding.events import PlanReviewOpened
from homeward.safeguarding.models import PlanReview, ReviewStatus, ReviewTrigger
from homeward.safeguarding.services.plan_rules import finish_review, may_keep, plan_of

REVIEW_DUE_WORKING_DAYS = 5


def due_after(start: date, working_days: int = REVIEW_DUE_WORKING_DAYS) -> date:
    """The date ``working_days`` working days (Monday to Friday) after ``start``."""
    day = start
    left = working_days
    while left:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


def today() -> date:
    return clock.now().astimezone(clock.UK).date()


def open_review(child: Child, trigger: ReviewTrigger, source_key: str, detail: str = "") -> bool:
    """Open the task a cause calls for, once per ``source_key``: False if it was already
    opened. Runs in the caller's transaction (a handler's, or the daily sweep's)."""
    if PlanReview.objects.filter(source_key=source_key).exists():
        return False
    plan = plan_of(child)
    now = clock.now()
    # Two tellings of one cause at once: the second's insert fails on the unique key and
    # its transaction (a delivery, retried by the worker) is rolled back and tried again.
    review = PlanReview.objects.create(
        child=child,
        plan=plan,
        trigger=trigger,
        detail=detail[:200],
        source_key=source_key[:120],
        due_date=due_after(today()),
        opened_at=now,
    )
    record_change(
        Actor.system(),
        PlanReviewOpened(
            aggregate_id=review.pk,
            child_id=child.pk,
            trigger=str(trigger),
            owner=plan.owner_id if plan else None,
            owner_organisation=plan.owner_organisation_id if plan else child.responsible_council_id,
            due_date=review.due_date.isoformat(),
        ),
        action="open_plan_review",
        details={"trigger": str(trigger), "plan": plan.pk if plan else None},
    )
    return True


def has_open(child: Child, trigger: ReviewTrigger) -> bool:
    return PlanReview.objects.filter(
        child__person_id=child.person_id, trigger=trigger, status=ReviewStatus.OPEN
    ).exists()


def _review_for(actor: Actor, review_id: object) -> PlanReview:
    """The review, locked, for someone who keeps the child's plan; NotFound for anyone who
    may not see it, AccessDenied for someone who sees the child but does not keep plans."""
    try:
        pk = int(str(review_id))
    except ValueError:
        raise NotFound("No review was found.") from None
    review = (
        PlanReview.objects.select_for_update(of=("self",))
        .select_related("child")
        .filter(pk=pk)
        .first()
        if 0 < pk < 2**63
        else None
    )
    if review is None or not access.may_see_plan_reviews(actor):
        raise NotFound("No review was found.")
    if not may_keep(actor, review.child):
        raise NotFound("No review was found.")
    return review


def read_review(actor: Actor, review_id: object) -> PlanReview:
    """One review, for its council's plan keepers: an audited read of the child."""
    with transaction.atomic():
        review = _review_for(actor, review_id)
    audit.record(actor, "view", "plan_review", review.pk, child_id=review.child_id)
    return review


@transaction.atomic
@bus.in_unit_of_work
def complete_review(actor: Actor, review_id: object, outcome: str) -> PlanReview:
    """Record "reviewed, no change" with what the review found. (A review done by changing
    the plan is completed by ``plans.save_plan(..., review_id=...)``.)"""
    review = _review_for(actor, review_id)
    if review.status != ReviewStatus.OPEN:
        raise ValidationFailed({"outcome": "This review is already done"})
    if review.plan_id is None or plan_of(review.child) is None:
        raise ValidationFailed({"outcome": "This child has no plan yet: write one"})
    text = outcome.strip()
    if not text:
        raise ValidationFailed({"outcome": "Enter what the review found and why nothing changed"})
    if "\x00" in text:
        raise ValidationFailed({"outcome": HIDDEN_CONTROL})
    if len(text) > LONG_TEXT:
        raise ValidationFailed({"outcome": too_long("What the review found", LONG_TEXT)})
    return finish_review(actor, review, text, None)


def reviews_for(actor: Actor, *, done: bool = False) -> QuerySet[PlanReview]:
    """The reviews of the children the actor's council is responsible for (on any of their
    records), soonest due first. Audit the children shown with ``audit_listed``."""
    org = actor.organisation
    if org is None or not access.may_see_plan_reviews(actor):
        raise AccessDenied("Your role does not allow you to see plan reviews.")
    ours = Child.objects.filter(person_id=OuterRef("child__person_id"), responsible_council=org)
    status = ReviewStatus.DONE if done else ReviewStatus.OPEN
    return (
        PlanReview.objects.filter(Exists(ours), status=status)
        .select_related("child", "plan__owner")
        .order_by("due_date", "pk")
    )


def audit_listed(actor: Actor, reviews: list[PlanReview]) -> None:
    """A list that names children is a read of each of them."""
    audit.record_many_reads(
        actor, "child", sorted({r.child_id for r in reviews}), action="list_result"
    )


def is_overdue(review: PlanReview) -> bool:
    return review.status == ReviewStatus.OPEN and review.due_date < today()
