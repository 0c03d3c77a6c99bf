"""Doing a review: by saving a new version, or "reviewed, no change"; the council's list of
plans to review, and who may see it."""

from __future__ import annotations

import html

import pytest
from django.test import Client

from homeward.core.errors import NotFound, ValidationFailed
from homeward.episodes import services as episodes
from homeward.events.models import DomainEvent
from homeward.organisations.models import Role, User
from homeward.safeguarding.events import PlanReviewDone
from homeward.safeguarding.models import PlanReview, ReviewStatus
from homeward.safeguarding.services import plans, reviews
from tests import factories
from tests.actors import user_of
from tests.safeguarding.factories_plan import PlanWorld, plan_input, world, write_plan

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def high_risk_review(w: PlanWorld) -> PlanReview:
    episode = factories.report(w.officer, w.child, grade="medium")
    episodes.regrade(
        w.officer, episode.reference, episode.version, episodes.Regrading("high", "Seen with men")
    )
    return PlanReview.objects.get()


def test_a_new_version_saved_from_the_review_completes_it() -> None:
    w = world()
    write_plan(w.social_worker, w.child, w.worker)
    review = high_risk_review(w)
    saved = plans.save_plan(
        w.manager,
        w.child.pk,
        plan_input(w.worker, change_note="Added the men's flat to the steps"),
        1,
        review_id=review.pk,
    )
    review.refresh_from_db()
    assert review.status == ReviewStatus.DONE
    assert review.plan_version_after == saved.number == 2
    assert review.done_by == user_of(w.manager)
    done = DomainEvent.objects.get(name=PlanReviewDone.name)
    assert done.payload == {"plan_version": 2}


def test_reviewed_no_change_needs_a_reason_and_is_done_once() -> None:
    w = world()
    write_plan(w.social_worker, w.child, w.worker)
    review = high_risk_review(w)
    with pytest.raises(ValidationFailed):
        reviews.complete_review(w.social_worker, review.pk, "  ")
    reviews.complete_review(w.social_worker, review.pk, "The plan already covers the station")
    review.refresh_from_db()
    assert (review.status, review.plan_version_after) == (ReviewStatus.DONE, None)
    with pytest.raises(ValidationFailed):
        reviews.complete_review(w.social_worker, review.pk, "Again")
    with pytest.raises(NotFound):
        reviews.complete_review(w.care_staff, review.pk, "A home cannot")


def test_the_work_list_shows_the_councils_reviews_with_overdue_tags() -> None:
    w = world()
    write_plan(w.social_worker, w.child, w.worker)
    review = high_risk_review(w)
    PlanReview.objects.filter(pk=review.pk).update(due_date=reviews.today().replace(year=2020))
    page = html.unescape(signed_in(w.coordinator).get("/plans/reviews").content.decode())
    assert w.child.full_name in page
    assert "High-risk episode" in page
    assert "Overdue" in page
    home = signed_in(w.worker).get("/")
    assert "Plans to review" in home.content.decode()
    other = signed_in(factories.member(Role.COUNCIL_MANAGER, factories.CouncilFactory()))
    assert w.child.full_name not in other.get("/plans/reviews").content.decode()
    assert other.get(f"/plans/reviews/{review.pk}").status_code == 404
    assert signed_in(user_of(w.care_staff)).get("/plans/reviews").status_code == 403


def test_reviewed_no_change_on_the_web() -> None:
    w = world()
    write_plan(w.social_worker, w.child, w.worker)
    review = high_risk_review(w)
    client = signed_in(w.worker)
    page = client.get(f"/plans/reviews/{review.pk}").content.decode()
    assert f"/children/{w.child.pk}/plan/edit?review={review.pk}" in page
    empty = client.post(f"/plans/reviews/{review.pk}", {"outcome": ""})
    assert empty.status_code == 200
    assert "Enter what the review found" in html.unescape(empty.content.decode())
    done = client.post(f"/plans/reviews/{review.pk}", {"outcome": "Still right"})
    assert done.status_code == 302
    review.refresh_from_db()
    assert review.outcome == "Still right"


def test_writing_the_first_plan_from_a_write_a_plan_task_completes_it() -> None:
    w = world()
    review = high_risk_review(w)
    assert review.plan is None
    with pytest.raises(ValidationFailed):  # nothing to keep unchanged
        reviews.complete_review(w.social_worker, review.pk, "Nothing to change")
    plans.save_plan(w.social_worker, w.child.pk, plan_input(w.worker), None, review_id=review.pk)
    review.refresh_from_db()
    assert review.status == ReviewStatus.DONE
    assert review.plan_version_after == 1
    assert review.plan is not None
