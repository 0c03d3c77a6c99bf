"""The audit log is append-only and hash-chained with a key kept outside the database;
`homeward audit verify` finds tampering, against signed checkpoints kept outside it too.

The attacks here are made as someone with full access to the database would make them:
raw SQL, with PostgreSQL's append-only triggers switched off as the tables' owner could."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from pytest_django import Settings

from homeward.audit import chain, verification
from homeward.audit import services as audit
from homeward.audit.models import AuditChainHead, AuditEvent
from homeward.children import services as children
from homeward.children import trail as trails
from homeward.children.models import Child
from homeward.core.actor import Actor
from tests.actors import user_of


@pytest.fixture
def logged(social_worker: Actor, child: Child) -> list[AuditEvent]:
    for _ in range(3):
        children.read_child(social_worker, child.pk)
    return list(AuditEvent.objects.order_by("sequence"))


def run_verify(*args: str) -> str:
    out = StringIO()
    call_command("audit", "verify", *args, stdout=out)
    return out.getvalue()


def checkpoint() -> str:
    out = StringIO()
    call_command("audit", "checkpoint", stdout=out)
    return out.getvalue()


@contextmanager
def as_table_owner() -> Iterator[None]:
    """A database superuser can switch PostgreSQL's append-only triggers off (here, for
    this session only)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = DEFAULT")


def sql(statement: str, params: list[str | int] | None = None) -> None:
    with as_table_owner(), connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def unkeyed(event: AuditEvent) -> str:
    """The chain's hash as it was before it was keyed, and as anyone could recompute it."""
    return hashlib.sha256(chain._canonical(event)).hexdigest()


def guessed_key(event: AuditEvent) -> str:
    return hmac.new(b"a guess at the key", chain._canonical(event), hashlib.sha256).hexdigest()


def with_the_key(event: AuditEvent) -> str:
    return chain.event_hash(event)


def rewrite(
    change: Callable[[list[AuditEvent]], list[AuditEvent]],
    hasher: Callable[[AuditEvent], str],
) -> None:
    """Rewrite the whole log, as an attacker with the database would: change the list of
    events, then renumber and rehash every event and reset the head to match."""
    events = change(list(AuditEvent.objects.order_by("sequence")))
    previous = chain.GENESIS
    for number, event in enumerate(events, start=1):
        event.sequence, event.prev_hash = number, previous
        event.hash = hasher(event)
        previous = event.hash
    with as_table_owner():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditevent")
        AuditEvent.objects.bulk_create(events)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE audit_auditchainhead SET sequence = %s, hash = %s", [len(events), previous]
            )


def remove_the_second(events: list[AuditEvent]) -> list[AuditEvent]:
    return [events[0], *events[2:]]


def forge_the_second(events: list[AuditEvent]) -> list[AuditEvent]:
    """Make the second read look like someone else's, of nothing in particular."""
    events[1].user, events[1].organisation, events[1].child_id = None, None, None
    events[1].action = "sign_in"
    return events


def test_intact_log_verifies(logged: list[AuditEvent]) -> None:
    assert [e.sequence for e in logged] == [1, 2, 3]
    assert logged[1].prev_hash == logged[0].hash
    assert "intact" in run_verify()


def test_an_edited_event_is_named(logged: list[AuditEvent]) -> None:
    sql("UPDATE audit_auditevent SET action = %s WHERE sequence = %s", ["nothing_to_see", 2])
    with pytest.raises(CommandError, match="event 2: content was altered"):
        run_verify()


def test_a_deleted_event_is_named(logged: list[AuditEvent]) -> None:
    sql("DELETE FROM audit_auditevent WHERE sequence = %s", [2])
    with pytest.raises(CommandError, match="event 2: event is missing"):
        run_verify()


def test_a_deleted_last_event_is_caught(logged: list[AuditEvent]) -> None:
    sql("DELETE FROM audit_auditevent WHERE sequence = %s", [3])
    with pytest.raises(CommandError, match="event 3: event is missing"):
        run_verify()


def test_each_hash_is_keyed_with_the_audit_key(
    logged: list[AuditEvent], settings: Settings
) -> None:
    event = logged[0]
    assert (
        event.hash
        == hmac.new(
            settings.HOMEWARD_AUDIT_KEY.encode(), chain._canonical(event), hashlib.sha256
        ).hexdigest()
    )
    assert event.hash != unkeyed(event)
    settings.HOMEWARD_AUDIT_KEY = "another key altogether"
    with pytest.raises(CommandError, match=r"event 1: content was altered .* not keyed"):
        run_verify()


# --- rewriting the log (issue 11, point 3) --------------------------------------------------


class TestRewritesWithoutTheKey:
    """Someone with the database but not the key cannot rehash a rewritten chain."""

    @pytest.mark.parametrize("hasher", [unkeyed, guessed_key])
    def test_removing_a_middle_event_and_rehashing_is_caught(
        self, logged: list[AuditEvent], hasher: Callable[[AuditEvent], str]
    ) -> None:
        rewrite(remove_the_second, hasher)
        assert AuditEvent.objects.count() == 2
        with pytest.raises(CommandError, match="event 1: content was altered"):
            run_verify()

    @pytest.mark.parametrize("hasher", [unkeyed, guessed_key])
    def test_forging_a_middle_event_and_rehashing_is_caught(
        self, logged: list[AuditEvent], hasher: Callable[[AuditEvent], str]
    ) -> None:
        rewrite(forge_the_second, hasher)
        with pytest.raises(CommandError, match="event 1: content was altered"):
            run_verify()

    def test_a_forged_checkpoint_is_caught(
        self, logged: list[AuditEvent], audit_checkpoints: Path
    ) -> None:
        checkpoint()
        rewrite(remove_the_second, unkeyed)
        forged = verification.Checkpoint(sequence=2, hash=AuditChainHead.objects.get().hash, at="x")
        line = forged.as_line().replace(forged.signature(), "0" * 64)
        with audit_checkpoints.open("a") as handle:
            handle.write(line)
        with pytest.raises(CommandError, match="line 2: not signed with this audit key"):
            run_verify()


class TestRewritesWithTheKeyAreCaughtByCheckpoints:
    """Even with the key and the database, what a checkpoint has seen cannot be cut or
    rewritten: the checkpoints are signed, and kept outside the database."""

    @pytest.fixture
    def checkpointed(
        self, logged: list[AuditEvent], social_worker: Actor, child: Child
    ) -> list[AuditEvent]:
        """Three events, a checkpoint, two more events, another checkpoint."""
        assert "Checkpoint at event 3 written" in checkpoint()
        children.read_child(social_worker, child.pk)
        children.read_child(social_worker, child.pk)
        assert "Checkpoint at event 5 written" in checkpoint()
        assert "matching 2 checkpoints (the latest at event 5" in run_verify()
        return list(AuditEvent.objects.order_by("sequence"))

    def test_cutting_the_last_event_and_resetting_the_head_is_caught(
        self, checkpointed: list[AuditEvent]
    ) -> None:
        sql("DELETE FROM audit_auditevent WHERE sequence = 5")
        sql("UPDATE audit_auditchainhead SET sequence = 4, hash = %s", [checkpointed[3].hash])
        with pytest.raises(
            CommandError,
            match=r"event 5: event is missing: the checkpoint written at .* saw "
            r"the log reach event 5, and it now ends at event 4",
        ):
            run_verify()

    def test_removing_a_middle_event_and_rehashing_is_caught(
        self, checkpointed: list[AuditEvent]
    ) -> None:
        rewrite(remove_the_second, with_the_key)
        with pytest.raises(
            CommandError, match=r"event 3: differs from the checkpoint written at .*rewritten"
        ):
            run_verify()

    def test_forging_a_middle_event_and_rehashing_is_caught(
        self, checkpointed: list[AuditEvent]
    ) -> None:
        rewrite(forge_the_second, with_the_key)
        with pytest.raises(
            CommandError, match=r"event 3: differs from the checkpoint written at .*rewritten"
        ):
            run_verify()


class TestCheckpoints:
    def test_a_checkpoint_is_a_signed_line_appended_to_the_file(
        self, logged: list[AuditEvent], audit_checkpoints: Path
    ) -> None:
        assert not audit_checkpoints.exists()
        assert "no checkpoints to check against yet" in run_verify()
        checkpoint()
        assert "No new audit events since the last checkpoint" in checkpoint()
        first = audit_checkpoints.read_text()
        [saved] = verification.read_checkpoints()
        head = AuditChainHead.objects.get()
        assert (saved.sequence, saved.hash) == (head.sequence, head.hash) == (3, logged[2].hash)
        audit.record(Actor(user=None, membership=None, channel="cli"), "load_demo", "demo")
        checkpoint()
        text = audit_checkpoints.read_text()
        assert text.startswith(first)  # appended, not rewritten
        assert [c.sequence for c in verification.read_checkpoints()] == [3, 4]

    def test_no_checkpoint_vouches_for_a_broken_chain(
        self, logged: list[AuditEvent], audit_checkpoints: Path
    ) -> None:
        sql("UPDATE audit_auditevent SET action = %s WHERE sequence = %s", ["nothing", 3])
        with pytest.raises(CommandError, match="broken at event 3"):
            checkpoint()
        assert not audit_checkpoints.exists()

    def test_a_checkpoint_refuses_a_log_cut_below_the_last_one(
        self, logged: list[AuditEvent]
    ) -> None:
        checkpoint()
        sql("DELETE FROM audit_auditevent WHERE sequence = 3")
        sql("UPDATE audit_auditchainhead SET sequence = 2, hash = %s", [logged[1].hash])
        with pytest.raises(CommandError, match="ends at event 2 but the checkpoint"):
            checkpoint()

    def test_verify_reads_a_copy_of_the_checkpoints_from_elsewhere(
        self, logged: list[AuditEvent], audit_checkpoints: Path, tmp_path: Path
    ) -> None:
        checkpoint()
        copy = tmp_path / "fetched.jsonl"
        copy.write_text(audit_checkpoints.read_text())
        audit_checkpoints.unlink()
        sql("DELETE FROM audit_auditevent WHERE sequence = 3")
        sql("UPDATE audit_auditchainhead SET sequence = 2, hash = %s", [logged[1].hash])
        assert "no checkpoints" in run_verify()  # the local file is gone
        with pytest.raises(CommandError, match="now ends at event 2"):
            run_verify("--checkpoints", str(copy))

    def test_the_worker_writes_checkpoints_on_a_schedule(
        self, logged: list[AuditEvent], audit_checkpoints: Path
    ) -> None:
        from django_tasks_db.models import DBTaskResult

        from homeward.audit import tasks

        out = StringIO()
        call_command("audit", "checkpoint", "--schedule", stdout=out)
        assert "Audit checkpoints scheduled" in out.getvalue()
        call_command("audit", "checkpoint", "--schedule", stdout=out)
        assert "already scheduled" in out.getvalue()
        waiting = DBTaskResult.objects.get(task_path="homeward.audit.tasks.audit_checkpoint")
        assert waiting.status == "READY"
        # The worker picks the run up (it is RUNNING now): it writes the checkpoint and
        # queues the next one, so exactly one run waits again.
        DBTaskResult.objects.filter(pk=waiting.pk).update(status="RUNNING")
        assert tasks.audit_checkpoint.call(True) == 3
        assert [c.sequence for c in verification.read_checkpoints()] == [3]
        ready = DBTaskResult.objects.filter(
            task_path="homeward.audit.tasks.audit_checkpoint", status="READY"
        )
        assert ready.count() == 1
        # Two runs at once (two workers scheduled together) fold back into one waiting run.
        assert tasks.audit_checkpoint.call(True) == 0
        assert ready.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own triggers")
class TestPostgresqlRefusesChanges:
    """The database itself refuses, whatever the application does."""

    @pytest.mark.parametrize(
        "statement",
        [
            "UPDATE audit_auditevent SET action = 'nothing' WHERE sequence = 2",
            "DELETE FROM audit_auditevent WHERE sequence = 3",
            "DELETE FROM audit_auditevent",
            "UPDATE audit_auditchainhead SET sequence = sequence - 1",
            "UPDATE audit_auditchainhead SET hash = '0'",
            "DELETE FROM audit_auditchainhead",
        ],
    )
    def test_update_and_delete_are_refused(self, logged: list[AuditEvent], statement: str) -> None:
        from django.db import DatabaseError, transaction

        with (
            pytest.raises(DatabaseError, match=r"append-only|only moves forwards"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
        assert AuditEvent.objects.count() == 3
        assert "intact" in run_verify()


def test_the_orm_refuses_to_change_or_delete_events(logged: list[AuditEvent]) -> None:
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


def test_batched_reads_continue_the_chain(
    social_worker: Actor, child: Child, logged: list[AuditEvent]
) -> None:
    audit.record_many_reads(social_worker, "child", [child.pk, child.pk], action="search_result")
    assert AuditEvent.objects.count() == 5
    assert "intact" in run_verify()


def test_verify_walks_past_one_batch(logged: list[AuditEvent]) -> None:
    assert verification.verify_chain(batch_size=2) is None


def test_coordinator_sees_who_looked_at_their_child(social_worker: Actor, child: Child) -> None:
    from homeward.core.errors import AccessDenied
    from homeward.organisations.models import Role
    from tests import factories

    children.read_child(social_worker, child.pk)
    coordinator = factories.actor(Role.COUNCIL_MISSING_COORDINATOR, child.responsible_council)
    trail = list(trails.child_audit_trail(coordinator, child.pk))
    assert [(e.user, e.action) for e in trail] == [
        (social_worker.user, "view"),
        (coordinator.user, "view_audit_trail"),
    ]
    with pytest.raises(AccessDenied):
        trails.child_audit_trail(social_worker, child.pk)


def test_subject_access_export_lists_every_event_for_the_child(
    social_worker: Actor, child: Child, tmp_path: Path
) -> None:
    children.read_child(social_worker, child.pk)
    out = tmp_path / "trail.csv"
    call_command("audit", "export", "--child", str(child.pk), "--out", str(out))
    lines = out.read_text().splitlines()
    assert lines[0].startswith("when,username,name,organisation")
    assert user_of(social_worker).username in lines[1]
    assert ",view," in lines[1]
    assert len(lines) == 3  # header, the read, the export itself
