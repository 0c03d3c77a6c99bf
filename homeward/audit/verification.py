"""Checking the audit log, and its signed checkpoints.

``verify`` walks the chain (``homeward.audit.chain``) in order, checking each event's keyed
hash and link. Signed checkpoints of the chain's head (``write_checkpoint``) go to a file
outside the database: cutting events off the end, or any rewrite even with the key, of
what a checkpoint has seen is caught by ``verify``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path

from django.conf import settings

from homeward.audit.chain import GENESIS, audit_key, event_hash
from homeward.audit.models import AuditChainHead, AuditEvent
from homeward.core import clock


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
    _append_line(path, checkpoint.as_line())
    return checkpoint


def _append_line(path: Path, line: str) -> None:
    """One write to a file opened for appending: lines are added, never rewritten."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(descriptor, line.encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
