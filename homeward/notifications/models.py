from django.conf import settings
from django.db import models

from homeward.events.models import DomainEvent


class Notification(models.Model):
    """One person told about one event, in the in-app inbox."""

    event = models.ForeignKey(DomainEvent, on_delete=models.PROTECT, related_name="notifications")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=100)  # why this person: "responsible council", ...
    # Reference-only text: no child's name or details, so it is safe in email too.
    title = models.CharField(max_length=200)
    link = models.CharField(max_length=200)
    child_id = models.BigIntegerField(null=True, blank=True)
    episode_reference = models.CharField(max_length=20, blank=True, db_index=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "recipient"], name="notification_once")
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]


class EmailStatus(models.TextChoices):
    PENDING = "pending", "Queued, not sent yet"
    SENDING = "sending", "Being sent"  # handed to the worker; if it died, sent again
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed, will retry"
    GAVE_UP = "gave_up", "Failed, gave up"


class EmailDelivery(models.Model):
    notification = models.OneToOneField(
        Notification, on_delete=models.CASCADE, related_name="email"
    )
    to_address = models.EmailField()
    status = models.CharField(
        max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Fixed when the email is first queued: a resend after a crash carries the same
    # Message-ID, so the recipient's mail system (and anyone reading it) can see it is one.
    message_id = models.CharField(max_length=200, blank=True)
    task_id = models.UUIDField(null=True, blank=True)


class Clock(models.Model):
    """Something that must happen at a time: fires once, even across worker restarts."""

    key = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=40)
    due_at = models.DateTimeField(db_index=True)
    child_id = models.BigIntegerField(null=True, blank=True)
    subject = models.JSONField(default=dict, blank=True)
    fired_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, blank=True)  # "fired" or "not_needed"
    task_id = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ["due_at"]


class CouncilRules(models.Model):
    """Each council's own thresholds (defaults are the service's)."""

    council = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="notification_rules"
    )
    repeat_count = models.PositiveSmallIntegerField(default=3)
    repeat_days = models.PositiveSmallIntegerField(default=90)
    high_risk_review_hours = models.JSONField(default=list)
    long_episode_hours = models.JSONField(default=list)


class WorkerHeartbeat(models.Model):
    """One row per running ``homeward worker``: it beats every few seconds, idle or busy.
    /healthz reads it to say whether a worker is alive, and recovery reads it to tell a
    task whose worker died from one that is still being worked on."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    last_seen = models.DateTimeField(db_index=True)
    stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_seen"]
