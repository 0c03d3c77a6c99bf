"""Emitting domain events into the outbox (same transaction as the change)."""

from __future__ import annotations

from typing import Any

from homeward.core import clock
from homeward.notifications.models import DomainEvent

EPISODE_REPORTED = "episode.reported"
EPISODE_UPDATED = "episode.updated"
EPISODE_FURTHER_REPORT = "episode.further_report"
EPISODE_REGRADED = "episode.regraded"
EPISODE_CLASSIFICATION_CHANGED = "episode.classification_changed"
EPISODE_RETURNED = "episode.returned"
EPISODE_CLOSED = "episode.closed"
EPISODE_TIMELINE_ADDED = "episode.timeline_added"
EPISODES_LINKED = "episode.linked"
CHILD_CREATED = "child.created"
CHILD_UPDATED = "child.updated"
PLACEMENT_STARTED = "child.placement_started"
EMERGENCY_ACCESS_USED = "child.emergency_access_used"
CHECK_RECORDED = "aftercare.check_recorded"
INTERVIEW_OPENED = "aftercare.interview_opened"
INTERVIEW_UPDATED = "aftercare.interview_updated"
INTERVIEW_DUE = "aftercare.interview_due"
INTERVIEW_OVERDUE = "aftercare.interview_overdue"
CHECK_OVERDUE = "aftercare.check_overdue"
HIGH_RISK_REVIEW_DUE = "episode.high_risk_review_due"
LONG_EPISODE = "episode.long_running"
REPEAT_THRESHOLD_REACHED = "child.repeat_threshold_reached"
USER_ADDED = "account.user_added"
USER_ROLE_CHANGED = "account.role_changed"
USER_DEACTIVATED = "account.user_deactivated"
USER_MFA_RESET = "account.mfa_reset"
USER_PASSWORD_LINK = "account.password_link_issued"  # noqa: S105 - an event name
API_TOKEN_REVOKED = "account.api_token_revoked"  # noqa: S105 - an event name
COUNCIL_RULES_CHANGED = "organisation.notification_rules_changed"


def emit(
    name: str,
    aggregate_type: str,
    aggregate_id: object,
    *,
    child_id: int | None = None,
    payload: dict[str, Any] | None = None,
) -> DomainEvent:
    event = DomainEvent.objects.create(
        name=name,
        occurred_at=clock.now(),
        aggregate_type=aggregate_type,
        aggregate_id=str(aggregate_id),
        child_id=child_id,
        payload=payload or {},
    )
    # The task row is written in this same transaction: if the change rolls back, so does
    # its delivery; if it commits, the worker will deliver it.
    from homeward.notifications.tasks import deliver_event

    event.task_id = deliver_event.enqueue(event.pk).id
    DomainEvent.objects.filter(pk=event.pk).update(task_id=event.task_id)
    return event
