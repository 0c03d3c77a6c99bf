from typing import Any

from django.conf import settings
from django.db import models


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("Audit events are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("Audit events are append-only")


class AuditEvent(models.Model):
    """Who saw or changed which record, when, through which channel.

    Append-only (the ORM refuses changes; on PostgreSQL, a trigger too) and chained: each
    event's hash is an HMAC, keyed with HOMEWARD_AUDIT_KEY, of its content and the previous
    event's hash, so an edited, removed or forged event breaks the chain, and signed
    checkpoints outside the database catch a rewritten one (`homeward audit verify`).
    """

    sequence = models.BigIntegerField(unique=True)
    at = models.DateTimeField(db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(max_length=40, blank=True)
    channel = models.CharField(max_length=10)
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=40, blank=True)
    # The child the record is about, so "who looked at this child" is one query.
    child_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    # Field names and versions only: no personal data is copied into the audit log.
    details = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["sequence"]
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("Audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("Audit events are append-only")


class AuditChainHead(models.Model):
    """The last event's sequence and hash: one row, locked while an event is appended,
    so the chain never forks and a removed tail is detected."""

    sequence = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)
