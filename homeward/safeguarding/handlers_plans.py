"""What opens a review of the child's plan, in the transaction of what happened: the
repeat-missing threshold (emitted when a report is delivered), a high-risk episode (reported
high, or re-graded to high), and a return interview done that found risks or agreed
actions. The review date is the daily sweep's (``review_dates``). Who is told is registered
here too (``register``), from ``handlers.connect()``."""

from __future__ import annotations

from homeward.aftercare.events import InterviewUpdated
from homeward.aftercare.models import InterviewStatus, ReturnInterview
from homeward.children.models import Child
from homeward.core.actor import Actor
from homeward.episodes.events import EpisodeEvent, EpisodeRegraded, EpisodeReported
from homeward.episodes.models import Episode, RiskGrade
from homeward.events import bus
from homeward.notifications import rules
from homeward.notifications.events import RepeatThresholdReached
from homeward.safeguarding.events import PlanReviewOpened
from homeward.safeguarding.models import ReviewTrigger
from homeward.safeguarding.services import reviews

REVIEW_TITLE = "Review the child's plan"


def register() -> None:
    """The plan's named owner, the child's allocated worker, and the responsible council's
    missing coordinator (who hears of every review, and is the one told to write a plan
    when the child has none, so no named owner)."""
    rules.register_event(
        PlanReviewOpened.name,
        {rules.NAMED_OWNER, rules.WORKER, rules.COORDINATOR},
        REVIEW_TITLE,
        "/children/{child}/plan",
    )


def _child(child_id: int | None) -> Child | None:
    if child_id is None:
        return None
    return Child.objects.filter(pk=child_id).first()


@bus.on(RepeatThresholdReached)
def repeat_missing(event: RepeatThresholdReached, actor: Actor | None) -> None:  # noqa: ARG001
    """One review per episode that reached the threshold, and none while one is open."""
    child = _child(event.child_id)
    if child is None or reviews.has_open(child, ReviewTrigger.REPEAT):
        return
    latest = (
        Episode.objects.filter(child_id=child.pk)
        .order_by("-last_seen_at", "-pk")
        .values_list("reference", flat=True)
        .first()
    )
    reviews.open_review(
        child,
        ReviewTrigger.REPEAT,
        f"repeat:{child.pk}:{latest or event.episodes}",
        f"{event.episodes} episodes in {event.days} days",
    )


@bus.on(EpisodeReported, EpisodeRegraded)
def high_risk(event: EpisodeEvent, actor: Actor | None) -> None:  # noqa: ARG001
    grade = getattr(event, "risk_grade", None) or getattr(event, "to", None)
    if grade != RiskGrade.HIGH:
        return
    child = _child(event.child_id)
    if child is None:
        return
    reviews.open_review(
        child,
        ReviewTrigger.HIGH_RISK,
        f"high_risk:{event.aggregate}",
        f"Episode {event.aggregate} graded high risk",
    )


@bus.on(InterviewUpdated)
def interview_findings(event: InterviewUpdated, actor: Actor | None) -> None:  # noqa: ARG001
    if event.status != InterviewStatus.DONE:
        return
    interview = (
        ReturnInterview.objects.select_related("child").filter(pk=event.aggregate_id).first()
    )
    if interview is None or not (interview.risks_found or interview.actions.strip()):
        return
    found = "risks found" if interview.risks_found else "actions agreed"
    reviews.open_review(
        interview.child,
        ReviewTrigger.INTERVIEW,
        f"interview:{interview.pk}",
        f"Return interview: {found}",
    )
