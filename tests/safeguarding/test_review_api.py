"""The plan reviews through the API: the council's work list, one review, and "reviewed,
no change" — the same service as the page, the same refusals, every child shown audited."""

from __future__ import annotations

import pytest

from homeward.audit.models import AuditEvent
from homeward.safeguarding.models import PlanReview, ReviewStatus, ReviewTrigger
from homeward.safeguarding.services import reviews
from tests import factories
from tests.apiclient import ApiClient, token_for
from tests.safeguarding.factories_plan import PlanWorld, world, write_plan

pytestmark = pytest.mark.django_db


def a_review(plan: bool = True) -> tuple[PlanWorld, PlanReview]:
    w = world()
    if plan:
        write_plan(w.social_worker, w.child, w.worker)
    reviews.open_review(w.child, ReviewTrigger.HIGH_RISK, f"high_risk:api-{w.child.pk}", "High")
    return w, PlanReview.objects.get(child=w.child)


def test_the_council_lists_its_reviews_and_each_child_shown_is_an_audited_read(
    api: ApiClient,
) -> None:
    w, review = a_review()
    coordinator = api.as_(token_for(w.coordinator))
    listed = coordinator.get("/api/v1/plan-reviews")
    assert listed.status == 200, listed.body
    assert [item["id"] for item in listed.body["items"]] == [review.pk]
    item = listed.body["items"][0]
    assert (item["trigger"], item["write_a_plan"], item["status"]) == ("high_risk", False, "open")
    assert AuditEvent.objects.filter(
        action="list_result", child_id=review.child_id, user=w.coordinator
    ).exists()
    assert coordinator.get("/api/v1/plan-reviews", query={"done": "true"}).body["items"] == []


def test_reviewed_no_change_completes_it_once(api: ApiClient) -> None:
    w, review = a_review()
    worker = api.as_(token_for(w.social_worker))
    done = worker.post(
        f"/api/v1/plan-reviews/{review.pk}/complete", {"outcome": "Plan still right"}
    )
    assert done.status == 200, done.body
    assert (done.body["status"], done.body["outcome"]) == ("done", "Plan still right")
    review.refresh_from_db()
    assert review.status == ReviewStatus.DONE
    again = worker.post(f"/api/v1/plan-reviews/{review.pk}/complete", {"outcome": "Twice"})
    assert again.status == 422
    assert again.problem["errors"]["outcome"] == ["This review is already done"]


def test_a_child_with_no_plan_needs_one_written_not_a_no_change(api: ApiClient) -> None:
    w, review = a_review(plan=False)
    worker = api.as_(token_for(w.social_worker))
    assert worker.get(f"/api/v1/plan-reviews/{review.pk}").body["write_a_plan"] is True
    refused = worker.post(f"/api/v1/plan-reviews/{review.pk}/complete", {"outcome": "Fine"})
    assert refused.status == 422
    assert "write one" in refused.problem["errors"]["outcome"][0]


def test_another_council_and_a_home_never_see_the_review(api: ApiClient) -> None:
    w, review = a_review()
    stranger = factories.actor("council_missing_coordinator", factories.CouncilFactory())
    other = api.as_(token_for(stranger))
    assert other.get(f"/api/v1/plan-reviews/{review.pk}").status == 404
    assert other.get("/api/v1/plan-reviews").body["items"] == []
    home = api.as_(token_for(w.care_staff))
    assert home.get(f"/api/v1/plan-reviews/{review.pk}").status == 404
    assert home.get("/api/v1/plan-reviews").status == 403
