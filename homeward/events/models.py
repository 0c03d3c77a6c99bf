"""The outbox: one row per domain event, written in the transaction of the change."""

from django.db import models


class DomainEvent(models.Model):
    """Outbox: each event is written in the same transaction as the change it describes,
    and delivered afterwards by the worker (at least once; handlers are idempotent)."""

    name = models.CharField(max_length=60, db_index=True)
    occurred_at = models.DateTimeField()
    aggregate_type = models.CharField(max_length=40)
    aggregate_id = models.CharField(max_length=40)
    child_id = models.BigIntegerField(null=True, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    # The one background task meant to deliver it: recovery re-queues only when that task
    # is gone, failed or was running on a worker that died, so work never multiplies.
    task_id = models.UUIDField(null=True, blank=True)

    class Meta:
        # The table keeps the name it had when the outbox lived in notifications.
        db_table = "notifications_domainevent"
        ordering = ["occurred_at", "pk"]
