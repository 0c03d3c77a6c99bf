"""The audit log is append-only and hash-chained; `homeward audit verify` finds tampering."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from homeward.audit import services as audit
from homeward.audit.models import AuditEvent
from homeward.children import services as children


@pytest.fixture
def logged(social_worker, child):
    for _ in range(3):
        children.read_child(social_worker, child.pk)
    return list(AuditEvent.objects.order_by("sequence"))


def run_verify() -> str:
    from io import StringIO

    out = StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def test_intact_log_verifies(logged):
    assert [e.sequence for e in logged] == [1, 2, 3]
    assert logged[1].prev_hash == logged[0].hash
    assert "intact" in run_verify()


def test_an_edited_event_is_named(logged):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET action = %s WHERE sequence = %s",
            ["nothing_to_see", 2],
        )
    with pytest.raises(CommandError, match="event 2: content was altered"):
        run_verify()


def test_a_deleted_event_is_named(logged):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE sequence = %s", [2])
    with pytest.raises(CommandError, match="event 2: event is missing"):
        run_verify()


def test_a_deleted_last_event_is_caught(logged):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE sequence = %s", [3])
    with pytest.raises(CommandError, match="event 3: event is missing"):
        run_verify()


def test_the_orm_refuses_to_change_or_delete_events(logged):
    event = logged[0]
    event.action = "changed"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()


def test_batched_reads_continue_the_chain(social_worker, child, logged):
    audit.record_many_reads(social_worker, "child", [child.pk, child.pk], action="search_result")
    assert AuditEvent.objects.count() == 5
    assert "intact" in run_verify()


def test_verify_walks_past_one_batch(logged):
    assert audit.verify_chain(batch_size=2) is None


def test_coordinator_sees_who_looked_at_their_child(social_worker, child):
    from homeward.core.errors import AccessDenied
    from homeward.organisations.models import Role
    from tests import factories

    children.read_child(social_worker, child.pk)
    coordinator = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, child.responsible_council)
    trail = list(audit.child_audit_trail(coordinator, child.pk))
    assert [(e.user, e.action) for e in trail] == [
        (social_worker.user, "view"),
        (coordinator.user, "view_audit_trail"),
    ]
    with pytest.raises(AccessDenied):
        audit.child_audit_trail(social_worker, child.pk)


def test_subject_access_export_lists_every_event_for_the_child(social_worker, child, tmp_path):
    children.read_child(social_worker, child.pk)
    out = tmp_path / "trail.csv"
    call_command("audit", "export", "--child", str(child.pk), "--out", str(out))
    lines = out.read_text().splitlines()
    assert lines[0].startswith("when,username,name,organisation")
    assert social_worker.user.username in lines[1] and ",view," in lines[1]
    assert len(lines) == 3  # header, the read, the export itself
