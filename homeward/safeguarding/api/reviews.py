"""/api/v1/plan-reviews: the reviews of children's plans a council has to do (or plans to
write), the same work list as the page, and completing one as "reviewed, no change".
A review done by changing the plan is completed by saving the plan with its
``review_id`` (PUT /api/v1/children/{child_id}/plan)."""

from datetime import date, datetime
from typing import Annotated

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from homeward.core.api import actor_of, respond
from homeward.core.idempotency import idempotent
from homeward.core.responses import respond_page
from homeward.core.schemas import Id, InputSchema, LongText
from homeward.safeguarding.models import PlanReview
from homeward.safeguarding.services import reviews

router = Router()
REVIEWS = ["risk management plans"]


class PlanReviewPaging(Schema):
    done: bool = Field(False, description="true: the reviews already done, newest due first")
    page: Annotated[int, Field(ge=1, le=1_000_000)] = 1
    page_size: Annotated[int, Field(ge=1, le=100)] = 25


class PlanReviewOut(Schema):
    id: int
    child_id: int
    trigger: str = Field(description="repeat, high_risk, interview or review_date")
    trigger_label: str
    detail: str
    write_a_plan: bool = Field(description="true: the child has no plan yet; write one")
    due_date: date
    overdue: bool
    status: str
    opened_at: datetime
    done_at: datetime | None
    outcome: str
    plan_version_after: int | None

    @classmethod
    def build(cls, review: PlanReview) -> "PlanReviewOut":
        return cls(
            id=review.pk,
            child_id=review.child_id,
            trigger=review.trigger,
            trigger_label=review.get_trigger_display(),
            detail=review.detail,
            write_a_plan=review.plan_id is None,
            due_date=review.due_date,
            overdue=reviews.is_overdue(review),
            status=review.status,
            opened_at=review.opened_at,
            done_at=review.done_at,
            outcome=review.outcome,
            plan_version_after=review.plan_version_after,
        )


class PlanReviewPageOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[PlanReviewOut]


class PlanReviewDoneIn(InputSchema):
    outcome: LongText = Field(description="What the review found, and why nothing changed.")


@router.get(
    "/plan-reviews",
    response={200: PlanReviewPageOut},
    tags=REVIEWS,
    summary="The reviews of children's plans your council has to do",
    description="For the council's social workers, missing coordinators and managers: the "
    "children it is responsible for (on any of their records) whose plan is due a review, "
    "or who need one written, soonest due first. Each child listed is an audited read.",
)
def list_plan_reviews(request: HttpRequest, paging: Query[PlanReviewPaging]) -> HttpResponse:
    actor = actor_of(request)
    found = reviews.reviews_for(actor, done=paging.done)
    if paging.done:
        found = found.order_by("-due_date", "-pk")
    return respond_page(
        found,
        paging,
        PlanReviewPageOut,
        PlanReviewOut.build,
        audit=lambda rows: reviews.audit_listed(actor, rows),
    )


@router.get(
    "/plan-reviews/{review_id}",
    response={200: PlanReviewOut},
    tags=REVIEWS,
    summary="Read one review of a child's plan",
    description="An audited read of the child. 404 for a review of a child your council "
    "does not keep the plan of.",
)
def read_plan_review(request: HttpRequest, review_id: Id) -> HttpResponse:
    return respond(PlanReviewOut.build(reviews.read_review(actor_of(request), review_id)))


@router.post(
    "/plan-reviews/{review_id}/complete",
    response={200: PlanReviewOut},
    tags=REVIEWS,
    summary="Complete a review: reviewed, no change",
    description="Records what the review found and that the plan stays as it is. To change "
    "the plan instead, save its next version with this `review_id`. A review already done, "
    "or a child with no plan yet, is refused (422).",
)
@idempotent
def complete_plan_review(
    request: HttpRequest, review_id: Id, payload: PlanReviewDoneIn
) -> HttpResponse:
    done = reviews.complete_review(actor_of(request), review_id, payload.outcome)
    return respond(PlanReviewOut.build(done))
