from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """Who saw or changed which record, when, through which channel.

    Append-only: nothing in Homeward updates or deletes these rows."""

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

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]
