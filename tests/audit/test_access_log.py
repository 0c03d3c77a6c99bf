"""Reads and attempted accesses stay in the audit log whatever goes wrong afterwards
(issue 11, point 1): they are committed in a transaction of their own, and code that
would wrap them in a transaction it could roll back is refused at once."""

from __future__ import annotations

import pytest
from django.db import transaction

from homeward.audit import services as audit
from homeward.audit import verification
from homeward.audit.models import AuditEvent
from homeward.children import services as children
from homeward.children.models import Child
from homeward.core.actor import Actor


def test_an_access_is_committed_before_the_helper_returns(
    social_worker: Actor, child: Child
) -> None:
    event = audit.record_access(social_worker, "view", "child", child.pk, child_id=child.pk)
    assert AuditEvent.objects.get(pk=event.pk).action == "view"
    assert verification.verify_chain() is None


@pytest.mark.parametrize("action", sorted(audit.ACCESS_ACTIONS))
def test_no_transaction_may_wrap_a_read_or_an_attempt(
    social_worker: Actor, child: Child, action: str
) -> None:
    """Wrapped, it could be rolled back by a later error: so it refuses, loudly."""
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        audit.record(social_worker, action, "child", child.pk, child_id=child.pk)
    assert not AuditEvent.objects.exists()


def test_reading_a_record_inside_a_transaction_is_refused(
    social_worker: Actor, child: Child
) -> None:
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        children.read_child(social_worker, child.pk)
    assert not AuditEvent.objects.exists()


def test_a_change_still_joins_the_callers_transaction(social_worker: Actor, child: Child) -> None:
    def failed_change() -> None:
        with transaction.atomic():
            audit.record(social_worker, "allocate_worker", "child", child.pk, child_id=child.pk)
            raise ValueError("the change failed")

    with pytest.raises(ValueError, match="the change failed"):
        failed_change()
    assert not AuditEvent.objects.exists()


def test_an_error_inside_the_access_log_does_not_take_its_events_with_it(
    social_worker: Actor, child: Child
) -> None:
    def failed_look_up() -> None:
        with audit.access_log(social_worker) as log:
            log.record("emergency_lookup", "child", details={"matches": 0})
            raise ValueError("something failed after the look-up")

    with pytest.raises(ValueError, match="after the look-up"):
        failed_look_up()
    [event] = AuditEvent.objects.all()
    assert (event.action, event.details, event.user) == (
        "emergency_lookup",
        {"matches": 0},
        social_worker.user,
    )
    assert verification.verify_chain() is None


def test_many_reads_are_committed_together(social_worker: Actor, child: Child) -> None:
    audit.record_many_reads(social_worker, "child", [child.pk, child.pk], action="list_result")
    assert AuditEvent.objects.filter(action="list_result").count() == 2
    audit.record_many_reads(social_worker, "child", [], action="list_result")
    assert AuditEvent.objects.count() == 2
