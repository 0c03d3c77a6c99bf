"""Writing the audit log. Every service function and read path calls ``record`` (or
``record_access``); nothing else writes audit events.

Two kinds of event, two transactions:

- A change (a child added, an episode re-graded) is recorded in the caller's transaction:
  if the change rolls back, so does its event, because nothing happened.
- A read or an attempted access (a record opened, a search result, an emergency look-up,
  refused or not) is recorded by ``record_access`` in a transaction of its own, committed
  before it returns, so no error raised afterwards can take it back. It refuses to run
  inside another transaction (Django's ``atomic(durable=True)``), so code that would wrap
  it, and so could roll it back, fails at once instead of losing events quietly.
  ``record`` sends the actions in ``ACCESS_ACTIONS`` there by itself.

The events go on a keyed hash chain (``homeward.audit.chain``); ``homeward.audit.
verification`` checks it and writes its signed checkpoints; ``homeward.audit.reads`` says
what an event means to a reader, and ``homeward.children.trail`` reads a child's trail.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction

from homeward.audit.chain import append
from homeward.audit.models import AuditEvent
from homeward.core.actor import Actor

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
        return append(self.actor, rows)


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
                append(actor, log.rows)
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
    return append(actor, [_row(action, object_type, object_id, child_id, details)])[0]


def record_many_reads(actor: Actor, object_type: str, child_ids: list[int], action: str) -> None:
    """One event per child shown in a list or search result, committed at once (as
    ``record_access``)."""
    if not child_ids:
        return
    with access_log(actor) as log:
        log.record_rows(
            [_row(action, object_type, child_id, child_id=child_id) for child_id in child_ids]
        )
