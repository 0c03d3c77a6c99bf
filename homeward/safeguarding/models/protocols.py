"""A children's home's missing-child procedure (Children's Homes Regulations 2015, reg 34)
as steps, each time it was followed for an episode, and the reg 40 notifications made."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from homeward.episodes.models import Episode
from homeward.organisations.models import Organisation


class StepKind(models.TextChoices):
    SEARCH = "search", "Search the home and grounds"
    RING_CHILD = "ring_child", "Ring the child"
    RING_CONTACTS = "ring_contacts", "Ring the people in the child's profile"
    TELL_POLICE = "tell_police", "Tell the police"
    TELL_COUNCIL = "tell_council", "Tell the placing council"
    OTHER = "other", "Another step"


class HomeProtocol(models.Model):
    """The home's written procedure: its steps, in order, and how soon a manager signs off
    each time it is followed."""

    home = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="missing_protocol"
    )
    sign_off_hours = models.PositiveSmallIntegerField(default=24)
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)


class ProtocolStep(models.Model):
    protocol = models.ForeignKey(HomeProtocol, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=StepKind.choices)
    text = models.CharField(max_length=300)
    # Done within this many minutes of noticing the child was missing (blank: no limit).
    within_minutes = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["position"]


class ProtocolRun(models.Model):
    """The home's steps, followed once: for one episode reported from the home."""

    episode = models.OneToOneField(Episode, on_delete=models.CASCADE, related_name="protocol_run")
    home = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    protocol_version = models.PositiveIntegerField()
    noticed_at = models.DateTimeField()  # when staff noticed the child was not there
    started_at = models.DateTimeField()
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    police_told_at = models.DateTimeField(null=True, blank=True)
    # Tell the police within this many minutes of noticing: the child's plan, else the home's.
    police_due_minutes = models.PositiveIntegerField(null=True, blank=True)
    sign_off_due_at = models.DateTimeField()
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sign_off_note = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-noticed_at", "-pk"]


class StepRecord(models.Model):
    """One step of a run: copied from the home's steps when the run began, then recorded."""

    run = models.ForeignKey(ProtocolRun, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=StepKind.choices)
    text = models.CharField(max_length=300)
    within_minutes = models.PositiveIntegerField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    not_done_reason = models.TextField(blank=True)
    note = models.TextField(blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["position"]


class Regulation40Recipient(models.TextChoices):
    OFSTED = "ofsted", "Ofsted"
    PLACING_COUNCIL = "placing_council", "The placing council"


class Regulation40Notice(models.Model):
    """A notification under regulation 40 made about the episode, and to whom."""

    run = models.ForeignKey(ProtocolRun, on_delete=models.CASCADE, related_name="notices")
    recipient = models.CharField(max_length=20, choices=Regulation40Recipient.choices)
    reason = models.TextField()
    notified_at = models.DateTimeField()
    reference = models.CharField(max_length=60, blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["notified_at", "pk"]
