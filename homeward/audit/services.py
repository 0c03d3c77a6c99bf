"""Writing and checking the audit log. Every service function and read path calls
``record`` (or ``record_access``); nothing else writes audit events.

Two kinds of event, two transactions:

- A change (a child added, an episode re-graded) is recorded in the caller's transaction:
  if the change rolls back, so does its event, because nothing happened.
- A read or an attempted access (a record opened, a search result, an emergency look-up,
  refused or not) is recorded by ``record_access`` in a transaction of its own, committed
  before it returns, so no error raised afterwards can take it back. It refuses to run
  inside another transaction (Django's ``atomic(durable=True)``), so code that would wrap
  it, and so could roll it back, fails at once instead of losing events quietly.
  ``record`` sends the actions in ``ACCESS_ACTIONS`` there by itself.

The log is a chain keyed with ``HOMEWARD_AUDIT_KEY`` (kept outside the database): each
event's hash is an HMAC of its content and the previous event's hash, so without the key
no event can be edited or forged, nor a removed one hidden by rehashing the chain. Signed
checkpoints of the chain's head (``write_checkpoint``) go to a file outside the database:
cutting events off the end, or any rewrite even with the key, of what a checkpoint has
seen is caught by ``verify``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet

from homeward.audit.models import AuditChainHead, AuditEvent
from homeward.core import clock
from homeward.core.actor import Actor

GENESIS = "0" * 64

# Reads and attempted accesses: recorded durably, whatever happens after (see above).
ACCESS_ACTIONS = frozenset(
    {
        "view",
        "search_result",
        "list_result",
        "view_notifications",
        "view_audit_trail",
        "export_audit_trail",
        "export_903",
        "download",
        "emergency_lookup",
        "emergency_lookup_refused",
        "sign_in_failed",
    }
)


def audit_key() -> bytes:
    return str(settings.HOMEWARD_AUDIT_KEY).encode()


def _canonical(event: AuditEvent) -> bytes:
    content = {
        "sequence": event.sequence,
        "at": event.at.astimezone(UTC).isoformat(),
        "user": event.user_id,
        "organisation": event.organisation_id,
        "role": event.role,
        "channel": event.channel,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "child_id": event.child_id,
        "details": event.details,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), default=str).encode()


def event_hash(event: AuditEvent, key: bytes | None = None) -> str:
    """HMAC-SHA256 of the event's content and the previous event's hash."""
    return hmac.new(key or audit_key(), _canonical(event), hashlib.sha256).hexdigest()


# The chain's head as this process last wrote or read it: (sequence, hash). Only a hint:
# an append moves the head with ``UPDATE ... WHERE sequence = s AND hash = h``, which
# changes nothing unless the stored head is still exactly that, and reads the head (locking
# it) only then. So a run of appends costs two statements each (move the head, insert the
# events), not five, and a stale hint (another process appended, or a rollback undid an
# append) only costs the read it saves.
_head_hint: list[tuple[int, str]] = []


def _move_head(sequence: int, old_hash: str, new_sequence: int, new_hash: str) -> bool:
    """Move the head from (sequence, old_hash) to (new_sequence, new_hash), if that is where
    it is. On PostgreSQL the update also locks the row until the transaction ends."""
    moved = AuditChainHead.objects.filter(pk=1, sequence=sequence, hash=old_hash).update(
        sequence=new_sequence, hash=new_hash
    )
    return moved == 1


def _chain(
    actor: Actor, rows: list[dict[str, Any]], sequence: int, prev_hash: str
) -> list[AuditEvent]:
    now = clock.now()
    key = audit_key()
    created = []
    for row in rows:
        event = AuditEvent(
            sequence=sequence + 1,
            at=now,
            user=actor.user,
            organisation=actor.organisation,
            role=actor.role or "",
            channel=actor.channel,
            prev_hash=prev_hash,
            **row,
        )
        event.hash = event_hash(event, key)
        sequence, prev_hash = event.sequence, event.hash
        created.append(event)
    return created


def _append(actor: Actor, rows: Iterable[dict[str, Any]]) -> list[AuditEvent]:
    rows = list(rows)
    if not rows:
        return []
    # No savepoint of its own inside a caller's transaction: if anything here fails, the
    # caller's transaction cannot commit anyway (Django marks it for rollback).
    with transaction.atomic(savepoint=False):
        created: list[AuditEvent] = []
        if _head_hint:
            sequence, prev_hash = _head_hint[0]
            created = _chain(actor, rows, sequence, prev_hash)
            if not _move_head(sequence, prev_hash, created[-1].sequence, created[-1].hash):
                created = []
        if not created:
            head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
            created = _chain(actor, rows, head.sequence, head.hash)
            if not _move_head(head.sequence, head.hash, created[-1].sequence, created[-1].hash):
                raise RuntimeError("The audit chain head moved while it was locked")
        AuditEvent.objects.bulk_create(created)
        _head_hint[:] = [(created[-1].sequence, created[-1].hash)]
        return created


def _row(
    action: str,
    object_type: str,
    object_id: object = "",
    child_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id),
        "child_id": child_id,
        "details": details or {},
    }


class AccessLog:
    """Records reads and attempted accesses inside ``access_log``."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor
        self.rows: list[dict[str, Any]] = []

    def record(
        self,
        action: str,
        object_type: str,
        object_id: object = "",
        *,
        child_id: int | None = None,
        details: dict[str, Any] | None = None,
    ) -> AuditEvent:
        return self.record_rows([_row(action, object_type, object_id, child_id, details)])[0]

    def record_rows(self, rows: list[dict[str, Any]]) -> list[AuditEvent]:
        self.rows.extend(rows)
        return _append(self.actor, rows)


@contextmanager
def access_log(actor: Actor) -> Iterator[AccessLog]:
    """A transaction of its own for reads and attempted accesses, committed when the block
    ends, for checks that must see the log and add to it in one step (a limit on
    look-ups). Raise refusals after the block, not inside it. Should anything raise inside
    it all the same, the events recorded so far are written again, after the rollback,
    before the error goes on. Refuses to open inside another transaction (RuntimeError):
    whatever wraps an access must not be able to roll its audit back."""
    log = AccessLog(actor)
    try:
        with transaction.atomic(durable=True):
            yield log
    except Exception:
        if log.rows:
            with transaction.atomic(durable=True):
                _append(actor, log.rows)
        raise


def record_access(
    actor: Actor,
    action: str,
    object_type: str,
    object_id: object = "",
    *,
    child_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record a read or an attempted access, committed before this returns."""
    with access_log(actor) as log:
        return log.record(action, object_type, object_id, child_id=child_id, details=details)


def record(
    actor: Actor,
    action: str,
    object_type: str,
    object_id: object = "",
    *,
    child_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record an event. A change joins the caller's transaction; a read or an attempted
    access (``ACCESS_ACTIONS``) goes to ``record_access``, committed at once."""
    if action in ACCESS_ACTIONS:
        return record_access(
            actor, action, object_type, object_id, child_id=child_id, details=details
        )
    return _append(actor, [_row(action, object_type, object_id, child_id, details)])[0]


def record_many_reads(actor: Actor, object_type: str, child_ids: list[int], action: str) -> None:
    """One event per child shown in a list or search result, committed at once (as
    ``record_access``)."""
    if not child_ids:
        return
    with access_log(actor) as log:
        log.record_rows(
            [_row(action, object_type, child_id, child_id=child_id) for child_id in child_ids]
        )


@dataclass
class ChainProblem:
    sequence: int
    reason: str


# --- checkpoints: the chain's head, signed, kept outside the database ------------------------

CHECKPOINT_CONTEXT = b"homeward-audit-checkpoint-v1\n"


@dataclass(frozen=True)
class Checkpoint:
    sequence: int
    hash: str
    at: str  # when it was written, ISO 8601 in UTC
    line: int = 0  # its line in the file (1 is the first), when read from one

    def payload(self) -> bytes:
        content = {"sequence": self.sequence, "hash": self.hash, "at": self.at}
        return json.dumps(content, sort_keys=True, separators=(",", ":")).encode()

    def signature(self, key: bytes | None = None) -> str:
        signed = CHECKPOINT_CONTEXT + self.payload()
        return hmac.new(key or audit_key(), signed, hashlib.sha256).hexdigest()

    def as_line(self) -> str:
        content = {"sequence": self.sequence, "hash": self.hash, "at": self.at}
        return json.dumps({**content, "signature": self.signature()}, sort_keys=True) + "\n"


class CheckpointError(Exception):
    """The checkpoint file cannot be trusted, or a checkpoint cannot be written."""


def checkpoint_path() -> Path:
    return Path(settings.HOMEWARD_AUDIT_CHECKPOINTS)


def read_checkpoints(path: Path | None = None) -> list[Checkpoint]:
    """Every checkpoint in the file, each with its signature checked: a line that is not
    a checkpoint signed with this key is an error, not something to skip."""
    path = path or checkpoint_path()
    if not path.exists():
        return []
    checkpoints = []
    key = audit_key()
    with path.open(encoding="utf-8") as handle:
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                data = json.loads(text)
                checkpoint = Checkpoint(
                    sequence=int(data["sequence"]),
                    hash=str(data["hash"]),
                    at=str(data["at"]),
                    line=number,
                )
                signature = str(data["signature"])
            except (ValueError, KeyError, TypeError):
                raise CheckpointError(
                    f"Checkpoint file {path}, line {number}: not a checkpoint"
                ) from None
            if not hmac.compare_digest(signature, checkpoint.signature(key)):
                raise CheckpointError(
                    f"Checkpoint file {path}, line {number}: not signed with this audit key "
                    "(forged, altered, or written with another HOMEWARD_AUDIT_KEY)"
                )
            checkpoints.append(checkpoint)
    return checkpoints


@dataclass
class Verification:
    events: int = 0
    checkpoints: list[Checkpoint] = field(default_factory=list)
    problem: ChainProblem | None = None

    @property
    def latest(self) -> Checkpoint | None:
        return max(self.checkpoints, key=lambda c: c.sequence, default=None)


def _walk(
    after: int,
    previous: str,
    upto: int | None,
    checkpoints: dict[int, Checkpoint],
    batch_size: int,
) -> tuple[int, str, int, ChainProblem | None]:
    """Check events after sequence ``after`` (whose hash is ``previous``), up to ``upto``
    or the end: returns the last sequence and hash seen, how many, and the first break."""
    key = audit_key()
    expected = after + 1
    last_seen, count = after, 0
    queryset = AuditEvent.objects.order_by("sequence")
    if upto is not None:
        queryset = queryset.filter(sequence__lte=upto)
    while True:
        batch = list(queryset.filter(sequence__gt=last_seen)[:batch_size])
        if not batch:
            return last_seen, previous, count, None
        for event in batch:
            if event.sequence != expected:
                problem = ChainProblem(expected, "event is missing (removed from the log)")
                return last_seen, previous, count, problem
            if event.prev_hash != previous:
                problem = ChainProblem(event.sequence, "does not follow the previous event's hash")
                return last_seen, previous, count, problem
            if not hmac.compare_digest(event_hash(event, key), event.hash):
                problem = ChainProblem(
                    event.sequence,
                    "content was altered after it was written (or the event was forged: its "
                    "hash is not keyed with this audit key)",
                )
                return last_seen, previous, count, problem
            seen = checkpoints.get(event.sequence)
            if seen is not None and seen.hash != event.hash:
                problem = ChainProblem(
                    event.sequence,
                    f"differs from the checkpoint written at {seen.at}: the log was rewritten",
                )
                return last_seen, previous, count, problem
            previous, last_seen, count = event.hash, event.sequence, count + 1
            expected += 1


def verify(batch_size: int = 5000, checkpoints_from: Path | None = None) -> Verification:
    """Walk the whole log in order, checking each event's keyed hash and link, the chain's
    head, and every checkpoint; the result names the first break, if any."""
    result = Verification()
    try:
        result.checkpoints = read_checkpoints(checkpoints_from)
    except CheckpointError as error:
        result.problem = ChainProblem(0, str(error))
        return result
    by_sequence = {c.sequence: c for c in result.checkpoints}
    last_seen, previous, result.events, result.problem = _walk(
        0, GENESIS, None, by_sequence, batch_size
    )
    if result.problem is not None:
        return result
    latest = result.latest
    if latest is not None and latest.sequence > last_seen:
        result.problem = ChainProblem(
            last_seen + 1,
            f"event is missing: the checkpoint written at {latest.at} saw the log reach "
            f"event {latest.sequence}, and it now ends at event {last_seen} (events were "
            "removed from the end)",
        )
        return result
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.sequence != last_seen or head.hash != previous):
        result.problem = ChainProblem(
            last_seen + 1, "event is missing (removed from the end of the log)"
        )
    return result


def verify_chain(batch_size: int = 5000) -> ChainProblem | None:
    """The first break in the log, or None if it is intact (see ``verify``)."""
    return verify(batch_size).problem


def write_checkpoint(path: Path | None = None, batch_size: int = 5000) -> Checkpoint | None:
    """Append the chain's head, signed with the audit key, to the checkpoint file; None if
    the log has not grown since the last checkpoint. The events since the last checkpoint
    are checked first, so a checkpoint never vouches for a broken chain."""
    path = path or checkpoint_path()
    checkpoints = read_checkpoints(path)
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None or head.sequence == 0:
        return None
    latest = max(checkpoints, key=lambda c: c.sequence, default=None)
    if latest is not None and latest.sequence >= head.sequence:
        if latest.sequence > head.sequence:
            raise CheckpointError(
                f"The log ends at event {head.sequence} but the checkpoint written at "
                f"{latest.at} saw event {latest.sequence}: run homeward audit verify"
            )
        if latest.hash != head.hash:
            raise CheckpointError(
                f"Event {head.sequence} differs from the checkpoint written at {latest.at}: "
                "run homeward audit verify"
            )
        return None
    after, previous = 0, GENESIS
    if latest is not None:
        at_latest = AuditEvent.objects.filter(sequence=latest.sequence).first()
        if at_latest is None or at_latest.hash != latest.hash:
            raise CheckpointError(
                f"Event {latest.sequence} is missing or differs from the checkpoint written "
                f"at {latest.at}: run homeward audit verify"
            )
        after, previous = latest.sequence, latest.hash
    last_seen, last_hash, _count, problem = _walk(after, previous, head.sequence, {}, batch_size)
    if problem is not None:
        raise CheckpointError(f"Audit log broken at event {problem.sequence}: {problem.reason}")
    if last_seen != head.sequence or last_hash != head.hash:
        raise CheckpointError(
            f"The log's head says event {head.sequence} but the events end at {last_seen}: "
            "run homeward audit verify"
        )
    checkpoint = Checkpoint(
        sequence=head.sequence,
        hash=head.hash,
        at=clock.now().astimezone(UTC).isoformat(timespec="seconds"),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    # One write to a file opened for appending: lines are added, never rewritten.
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(descriptor, checkpoint.as_line().encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    return checkpoint


TRAIL_ROLES = {"council_missing_coordinator", "council_manager"}
VIEW_TRAIL = "view_audit_trail"
EXPORT_TRAIL = "export_audit_trail"


def may_see_trail(actor: Actor, child: Any) -> bool:
    """Need to know: the child's responsible council answers for its record (and for a
    subject access request), so its missing coordinator and managers see who looked."""
    return (
        actor.user is not None
        and actor.role in TRAIL_ROLES
        and actor.organisation is not None
        and getattr(child, "responsible_council_id", None) == actor.organisation.pk
    )


def _trail_child(actor: Actor, child_id: object) -> Any:
    from homeward.children.models import Child
    from homeward.core.errors import AccessDenied, NotFound

    if actor.user is not None and actor.role not in TRAIL_ROLES:
        raise AccessDenied("Only the council's missing coordinator or manager can see this.")
    try:
        pk = int(str(child_id))
    except ValueError:
        raise NotFound("No child was found.") from None
    children = Child.objects.select_related("responsible_council").filter(pk=pk)
    if actor.user is not None:
        children = children.filter(responsible_council=actor.organisation)
    child = children.first()
    if child is None:
        raise NotFound("No child was found.")
    return child


def child_audit_trail(
    actor: Actor, child_id: int, action: str = VIEW_TRAIL
) -> QuerySet[AuditEvent]:
    """Who saw or changed this child's records. For the responsible council's missing
    coordinator or manager (and, as the system actor, for a subject access request).
    Looking at the trail, or exporting it (``action``), is itself an audited read."""
    return child_trail(actor, child_id, action).events


@dataclass
class Trail:
    child: Any  # homeward.children.models.Child
    events: QuerySet[AuditEvent]


def child_trail(actor: Actor, child_id: object, action: str = VIEW_TRAIL) -> Trail:
    """The child and their audit trail (oldest first), after checking the actor may see
    it and recording that they did."""
    child = _trail_child(actor, child_id)
    record(actor, action, "child", child.pk, child_id=child.pk)
    events = AuditEvent.objects.filter(child_id=child.pk).select_related("user", "organisation")
    return Trail(child=child, events=events)


# What each action means, in words for the "who has looked at this record" page.
ACTION_LABELS = {
    "view": "Opened the record",
    "search_result": "Shown in search results",
    "list_result": "Shown in a list",
    "view_notifications": "Looked at who was told",
    "view_audit_trail": "Looked at who has seen the record",
    "export_audit_trail": "Downloaded who has seen the record",
    "export_903": "Included in an SSDA903 export",
    "emergency_access": "Opened under emergency access",
    "review_emergency_access": "Reviewed an emergency access",
    "create": "Added the child",
    "start_placement": "Started a placement",
    "set_legal_status": "Changed the legal status",
    "allocate_worker": "Allocated a worker",
    "report": "Reported missing",
    "further_report": "Made a further report",
    "update": "Changed episode details",
    "regrade": "Re-graded the risk",
    "change_classification": "Changed the classification",
    "add_timeline": "Added to the timeline",
    "record_return": "Recorded the return",
    "close": "Closed the episode",
    "link": "Linked episodes",
    "record_check": "Recorded the safe and well check",
    "open_interview": "Opened a return interview",
    "extend_interview": "Added an episode to a return interview",
    "assign_interview": "Assigned the return interview",
    "record_offer": "Recorded the interview offer",
    "record_outcome": "Recorded the interview outcome",
    "record_interview": "Recorded the return interview",
}
OBJECT_LABELS = {
    "child": "Child's record",
    "episode": "Episode",
    "return_interview": "Return interview",
}


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action.replace("_", " ").capitalize())


def object_label(event: AuditEvent) -> str:
    """The record an event was about: "Episode HW-7Q2K9M4P", "Child's record"."""
    kind = OBJECT_LABELS.get(event.object_type, event.object_type.replace("_", " ").capitalize())
    if event.object_type == "child":
        return kind
    return f"{kind} {event.object_id}".strip()


TRAIL_COLUMNS = [
    "when",
    "username",
    "name",
    "organisation",
    "role",
    "channel",
    "action",
    "record_type",
    "record",
]


def trail_rows(events: Iterable[AuditEvent]) -> Iterable[list[str]]:
    for event in events:
        user = event.user
        yield [
            event.at.astimezone(UTC).isoformat(),
            user.get_username() if user else "system",
            (user.get_full_name() if user else "Homeward"),
            event.organisation.name if event.organisation else "",
            event.role,
            event.channel,
            event.action,
            event.object_type,
            event.object_id,
        ]
