"""Multi-agency meetings: the missing-children panel, the exploitation meeting (MACE) and
the strategy meeting about one child. The agenda builds itself from the records for the
period since the council's last meeting of the kind; the meeting records who came, its
minutes, its decisions and its actions, each action with an owner and a due date."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from homeward.children.models import Child
from homeward.organisations.models import Organisation


class MeetingKind(models.TextChoices):
    PANEL = "panel", "Missing children panel"
    EXPLOITATION = "exploitation", "Exploitation meeting (MACE)"
    STRATEGY = "strategy", "Strategy meeting"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class Meeting(models.Model):
    """One meeting of a council's. A strategy meeting is about one ``child``; when the
    service's escalation rules open it, ``source_key`` names the cause so the same cause
    never opens two. ``agenda`` is the list of items built from the records for
    ``period_start``..``period_end`` (ids, never names: each reader sees the identities
    their organisation may)."""

    council = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=MeetingKind.choices)
    child = models.ForeignKey(
        Child, null=True, blank=True, on_delete=models.PROTECT, related_name="meetings"
    )
    status = models.CharField(
        max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    scheduled_for = models.DateTimeField()
    location = models.CharField(max_length=300, blank=True)
    chair = models.CharField(max_length=200, blank=True)
    period_start = models.DateTimeField()
    period_end = models.DateTimeField()
    agenda = models.JSONField(default=list, blank=True)
    agenda_built_at = models.DateTimeField(null=True, blank=True)
    minutes = models.TextField(blank=True)
    source_key = models.CharField(max_length=120, null=True, blank=True, unique=True)
    reason = models.TextField(blank=True)  # why it was called (the rule, for a strategy meeting)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    held_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["council", "kind", "scheduled_for"], name="meeting_council_kind")
        ]

    def __str__(self) -> str:
        return f"Meeting {self.pk}"


class MeetingMember(models.Model):
    """Someone invited from an agency, and whether they came."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200, blank=True)
    # None until attendance is taken; then whether they came. Apologies when they did not.
    attended = models.BooleanField(null=True, blank=True)
    apologies = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"Meeting member {self.pk}"


class MeetingDecision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    child = models.ForeignKey(
        Child, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agenda_item = models.CharField(max_length=120, blank=True)  # the item's key, if on one
    text = models.TextField()
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"Meeting decision {self.pk}"


class MeetingAction(models.Model):
    """An action agreed at a meeting: tracked until done, flagged when past its due date."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    decision = models.ForeignKey(
        MeetingDecision, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    child = models.ForeignKey(
        Child, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    owner_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(db_index=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_note = models.TextField(blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    overdue_flagged_at = models.DateTimeField(null=True, blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"Meeting action {self.pk}"
