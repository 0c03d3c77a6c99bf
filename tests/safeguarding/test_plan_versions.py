"""Writing the child's plan: version 1, then the next version, each kept as it was."""

from __future__ import annotations

import pytest

from homeward.audit.models import AuditEvent
from homeward.core.errors import AccessDenied, NotFound, StaleEdit, ValidationFailed
from homeward.organisations.models import Role
from homeward.safeguarding.models import PlanVersion
from homeward.safeguarding.services import plans
from tests import factories
from tests.actors import user_of
from tests.safeguarding.factories_plan import (
    STEPS,
    in_weeks,
    interview_provider,
    plan_input,
    returned,
    world,
    write_plan,
)

pytestmark = pytest.mark.django_db


def test_a_second_version_by_another_user_keeps_the_first_as_it_was() -> None:
    w = world()
    first = write_plan(w.social_worker, w.child, w.worker)
    second = write_plan(
        w.manager,
        w.child,
        w.coordinator,
        if_missing=[*STEPS, "Ring the aunt's neighbour"],
        review_date=in_weeks(3),
        change_note="She was found at the neighbour's twice",
    )
    assert (first.number, second.number) == (1, 2)
    assert second.changed_by == user_of(w.manager)
    kept = PlanVersion.objects.get(pk=first.pk)
    assert kept.if_missing == STEPS
    assert kept.owner == w.worker
    assert kept.changed_by == user_of(w.social_worker)

    read, changes = plans.read_versions(w.care_staff, w.child.pk)
    assert read.plan is not None
    assert read.plan.current_version == 2
    assert [c.version.number for c in changes] == [2, 1]
    assert changes[0].changed == [
        "What to do if this child goes missing",
        "Review date",
        "Named owner",
    ]
    _, old = plans.read_version(w.officer, w.child.pk, 1)
    assert old.if_missing == STEPS
    assert old.change_note == ""


def test_a_stale_save_is_refused_and_changes_nothing() -> None:
    w = world()
    write_plan(w.social_worker, w.child, w.worker)
    with pytest.raises(StaleEdit):
        plans.save_plan(
            w.manager, w.child.pk, plan_input(w.worker, change_note="Again"), version=None
        )
    write_plan(w.manager, w.child, w.worker, change_note="New school")
    with pytest.raises(StaleEdit):
        plans.save_plan(w.social_worker, w.child.pk, plan_input(w.worker, change_note="x"), 1)
    assert PlanVersion.objects.filter(plan__child=w.child).count() == 2


def test_what_a_plan_must_say() -> None:
    w = world()
    stranger = factories.member(Role.SOCIAL_WORKER, factories.CouncilFactory())
    with pytest.raises(ValidationFailed) as caught:
        plans.save_plan(
            w.social_worker,
            w.child.pk,
            plan_input(
                stranger,
                risks=" ",
                if_missing=["", " "],
                review_date=in_weeks(-1),
                agencies=[
                    {"agency": "", "will_do": "", "owner": ""},
                    {"agency": "School", "will_do": "", "owner": "Head"},
                ],
                actions=[{"action": "Visit", "owner": "", "due": None, "done": False}],
            ),
            None,
        )
    errors = caught.value.errors
    assert errors["risks"] == ["Enter the risks to this child"]
    assert "if_missing" in errors
    assert errors["review_date"] == ["The review date must be today or in the future"]
    assert errors["owner"][0].startswith("Select the plan's named owner")
    assert errors["agencies-1-will_do"] == ["Agency 2: enter what they will do"]
    assert errors["actions-0-owner"] == ["Action 1: enter who owns it"]
    assert errors["actions-0-due"] == ["Action 1: enter the date it is due"]
    assert "agencies-0-agency" not in errors  # a blank row is no row
    write_plan(w.social_worker, w.child, w.worker)
    with pytest.raises(ValidationFailed) as caught:
        write_plan(w.social_worker, w.child, w.worker)
    assert caught.value.errors == {"change_note": ["Enter what changed and why"]}


def test_a_home_reads_the_plan_but_cannot_change_it_and_reads_are_audited() -> None:
    w = world()
    write_plan(w.social_worker, w.child, w.worker)
    read = plans.read_plan(w.care_staff, w.child.pk)
    assert read.version is not None
    assert read.version.if_missing == STEPS
    assert not read.may_edit
    assert AuditEvent.objects.filter(
        action="view", object_type="risk_plan", child_id=w.child.pk, user=user_of(w.care_staff)
    ).exists()
    with pytest.raises(AccessDenied):
        write_plan(w.care_staff, w.child, w.worker, change_note="Home's view")
    with pytest.raises(AccessDenied):
        write_plan(w.officer, w.child, w.worker, change_note="Police view")


def test_an_unrelated_council_and_an_interview_provider_do_not_find_the_plan() -> None:
    w = world()
    write_plan(w.social_worker, w.child, w.worker)
    other = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, factories.CouncilFactory())
    provider = interview_provider(w, returned(w.social_worker, w.child))
    assert plans.read_plan(w.care_staff, w.child.pk).plan is not None
    for actor in (other, provider):
        with pytest.raises(NotFound):
            plans.read_plan(actor, w.child.pk)
        with pytest.raises(NotFound):
            write_plan(actor, w.child, w.worker, change_note="x")


def test_a_plan_belongs_to_the_child_on_every_linked_record() -> None:
    """Written on one record, read and changed through another record of the same child,
    by the council responsible for that record."""
    from homeward.core.actor import Actor
    from homeward.linkage import services as linkage

    w = world()
    write_plan(w.social_worker, w.child, w.worker)
    other_council = factories.CouncilFactory()
    second = factories.ChildFactory(responsible_council=other_council)
    other_worker = factories.actor(Role.SOCIAL_WORKER, other_council)
    with pytest.raises(NotFound):
        plans.read_plan(other_worker, w.child.pk)
    linkage.link_records(Actor.system(), w.child.pk, second.pk, reason="Run", automatic=True)
    second.refresh_from_db()
    read = plans.read_plan(other_worker, second.pk)
    assert read.version is not None
    assert read.version.if_missing == STEPS
    assert read.may_edit
    saved = write_plan(other_worker, second, user_of(other_worker), change_note="Moved to us")
    assert saved.number == 2
    assert saved.plan.child_id == w.child.pk  # still the one plan, on the record it began on
