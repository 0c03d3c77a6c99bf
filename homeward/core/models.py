from django.conf import settings
from django.db import models


class IdempotencyKey(models.Model):
    """A create request's Idempotency-Key, so a retried POST returns the first result.

    Written in the same transaction as the change it records (homeward.core.idempotency)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    method_path = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    # Headers that belong to the result (ETag, Location), replayed with it.
    response_headers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique_per_user")
        ]
        indexes = [models.Index(fields=["created_at"], name="idempotency_key_created")]
