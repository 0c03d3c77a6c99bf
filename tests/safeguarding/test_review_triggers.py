"""What opens a review of the child's plan, who is told, and that one cause opens one task."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction

from homeward.core import clock
from homeward.episodes import services as episodes
from homeward.events import bus
from homeward.notifications.events import RepeatThresholdReached
from homeward.notifications.models import Notification
from homeward.organisations.models import User
from homeward.safeguarding import review_dates
from homeward.safeguarding.events import PlanReviewOpened
from homeward.safeguarding.models import PlanReview, ReviewTrigger, RiskPlan
from homeward.safeguarding.services import reviews
from tests import factories
from tests.actors import user_of
from tests.notifications.conftest import drain
from tests.safeguarding.factories_plan import PlanWorld, interviewed, returned, world, write_plan

pytestmark = pytest.mark.django_db


def told(*users: User) -> set[int]:
    """Who was told (in the inbox) that a review of the plan is due."""
    drain(fire_due_clocks=False)
    found = set(
        Notification.objects.filter(event__name=PlanReviewOpened.name).values_list(
            "recipient_id", flat=True
        )
    )
    return found & {u.pk for u in users} if users else found


def planned(w: PlanWorld) -> User:
    """A plan owned by the council manager (not the allocated worker), told apart."""
    owner = user_of(w.manager)
    write_plan(w.social_worker, w.child, owner)
    return owner


def test_the_repeat_threshold_opens_a_review_for_the_owner_and_worker() -> None:
    w = world()
    owner = planned(w)
    for hours in (200, 120, 40):
        returned(w.social_worker, w.child, hours_ago=hours)
    drain(fire_due_clocks=False)
    review = PlanReview.objects.get(child=w.child, trigger=ReviewTrigger.REPEAT)
    assert review.plan == RiskPlan.objects.get(child=w.child)
    assert review.detail == "3 episodes in 90 days"
    assert review.due_date == reviews.due_after(reviews.today())
    assert told(owner, w.worker, w.coordinator) == {owner.pk, w.worker.pk, w.coordinator.pk}
    notice = Notification.objects.filter(event__name=PlanReviewOpened.name).first()
    assert notice is not None
    assert notice.link == f"/children/{w.child.pk}/plan"
    # Told again (a fourth report in the window, or the same event twice): still one task.
    with transaction.atomic():
        bus.emit(
            RepeatThresholdReached(
                aggregate_id=w.child.pk, child_id=w.child.pk, episodes=3, days=90
            )
        )
    assert PlanReview.objects.filter(trigger=ReviewTrigger.REPEAT).count() == 1


def test_a_high_risk_report_or_regrading_opens_one_review() -> None:
    w = world()
    owner = planned(w)
    episode = factories.report(w.officer, w.child, grade="medium")
    assert not PlanReview.objects.exists()
    for grade in ("high", "medium", "high"):
        episode = episodes.regrade(
            w.officer, episode.reference, episode.version, episodes.Regrading(grade, "New word")
        )
    review = PlanReview.objects.get()
    assert (review.trigger, review.source_key) == ("high_risk", f"high_risk:{episode.reference}")
    assert told(owner, w.worker) == {owner.pk, w.worker.pk}


def test_a_child_with_no_plan_gets_a_task_to_write_one_told_to_the_coordinator() -> None:
    w = world()
    factories.report(w.officer, w.child, grade="high")
    review = PlanReview.objects.get()
    assert review.plan is None
    assert told(w.coordinator, w.worker) == {w.coordinator.pk, w.worker.pk}
    version = write_plan(w.social_worker, w.child, w.worker)
    review.refresh_from_db()
    assert review.plan == version.plan  # the first plan answers the task
    assert review.status == "open"


def test_an_interview_that_found_risks_opens_a_review_and_one_without_does_not() -> None:
    w = world()
    owner = planned(w)
    quiet = returned(w.social_worker, w.child, hours_ago=100)
    interviewed(w, quiet, risks=[])
    assert not PlanReview.objects.exists()
    worrying = returned(w.social_worker, w.child, hours_ago=50)
    interview = interviewed(w, worrying, risks=["criminal_exploitation"])
    review = PlanReview.objects.get()
    assert (review.trigger, review.source_key) == ("interview", f"interview:{interview.pk}")
    assert told(owner, w.worker) == {owner.pk, w.worker.pk}


def test_the_daily_sweep_opens_a_review_on_the_review_date_once() -> None:
    w = world()
    owner = planned(w)
    plan = RiskPlan.objects.get(child=w.child)
    assert review_dates.sweep() == 0
    assert review_dates.sweep(plan.review_date - timedelta(days=1)) == 0
    assert review_dates.sweep(plan.review_date) == 1
    assert review_dates.sweep(plan.review_date + timedelta(days=3)) == 0
    review = PlanReview.objects.get()
    assert review.trigger == ReviewTrigger.REVIEW_DATE
    assert told(owner, w.worker) == {owner.pk, w.worker.pk}


def test_the_worker_queues_the_sweep_once_a_day() -> None:
    assert review_dates.schedule() is True
    assert review_dates.schedule() is False


def test_due_in_five_working_days_over_a_weekend() -> None:
    friday = clock.now().date()
    while friday.weekday() != 4:
        friday += timedelta(days=1)
    assert reviews.due_after(friday) == friday + timedelta(days=7)
