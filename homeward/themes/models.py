"""Themes in what children say: the free text of their return interviews grouped into
themes per council (``Theme``, ``ThemeItem``), each run of the grouping (``ThemeRun``), and
"You said, we did": a theme linked to what answered it (``ThemeLink``).

A theme belongs to one council and is only ever shown with that council's children's
words. The item keeps the words' source (which field of which interview), never a copy
of the words: the text is read from the interview when a coordinator looks."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from homeward.aftercare.models import ReturnInterview
from homeward.organisations.models import Organisation
from homeward.safeguarding.models import MeetingAction, MeetingDecision, PlanVersion


class Theme(models.Model):
    council = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    # The coordinator's name for it; blank until named (then shown by its key terms).
    name = models.CharField(max_length=80, blank=True)
    terms = models.JSONField(default=list, blank=True)  # its most telling words
    # Merged into another theme: kept so links and the history still resolve.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    named_at = models.DateTimeField(null=True, blank=True)
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["council", "merged_into"], name="theme_council")]

    @property
    def label(self) -> str:
        if self.name:
            return self.name
        return "Not yet named: " + ", ".join(self.terms[:4]) if self.terms else "Not yet named"

    @property
    def kept(self) -> bool:
        """Named, or holding a coordinator's correction: a run keeps it."""
        return bool(self.name)


class ThemeItem(models.Model):
    """One piece of a child's free text (one field of one interview) and its theme."""

    council = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    interview = models.ForeignKey(ReturnInterview, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=30)  # sources.SOURCES key: "child_account", ...
    # The first episode the interview covers: its period and characteristics count it.
    episode_id = models.BigIntegerField(null=True)
    theme = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )
    # A coordinator put it in this theme: runs keep it there and learn from it.
    confirmed = models.BooleanField(default=False)
    confidence = models.FloatField(null=True, blank=True)
    text_hash = models.CharField(max_length=64)
    assigned_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["interview", "source"], name="theme_item_source")
        ]
        indexes = [models.Index(fields=["council", "theme"], name="theme_item_council")]


class ThemeRun(models.Model):
    council = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    items = models.PositiveIntegerField(default=0)
    learned_from = models.PositiveIntegerField(default=0)  # items a coordinator labelled
    themes = models.PositiveIntegerField(default=0)
    new_themes = models.PositiveIntegerField(default=0)
    method = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]


class LinkKind(models.TextChoices):
    DECISION = "decision", "Meeting decision"
    ACTION = "action", "Meeting action"
    PLAN = "plan", "Plan action"


class ThemeLink(models.Model):
    """A theme (free-text, or a standard code such as push factor "conflict") linked to a
    meeting decision, a meeting action or an action of a child's plan that answers it.
    ``summary`` is what the board reads: written for it, without names."""

    council = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    theme = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.PROTECT, related_name="links"
    )
    coded_kind = models.CharField(max_length=4, blank=True)  # insights ReasonKind value
    coded_code = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=10, choices=LinkKind.choices)
    decision = models.ForeignKey(
        MeetingDecision, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.ForeignKey(
        MeetingAction, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    plan_version = models.ForeignKey(
        PlanVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    plan_action = models.PositiveSmallIntegerField(null=True, blank=True)
    summary = models.CharField(max_length=300)
    answered_on = models.DateField()
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-answered_on", "-pk"]
