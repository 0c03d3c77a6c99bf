"""The child's individual risk management plan: versioned, with the reviews it is due."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from homeward.children.models import Child
from homeward.organisations.models import Organisation


class RiskPlan(models.Model):
    """One plan per child (on the record it was written on; read through any linked
    record). What it says is in its versions; the plan row holds what is current."""

    child = models.OneToOneField(Child, on_delete=models.PROTECT, related_name="risk_plan")
    owner_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    # The named owner: the person answerable for the plan and told when it needs review.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    review_date = models.DateField()
    current_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Plan {self.pk}"


class PlanVersion(models.Model):
    """Everything the plan said at one version; earlier versions are never changed.

    ``agencies``: ``[{"agency", "will_do", "owner"}]``; ``actions``: ``[{"action",
    "owner", "due" (ISO date), "done" (bool)}]``; ``if_missing``: the steps, in order, to
    take if this child goes missing ("Ring her aunt first", "Check the station")."""

    plan = models.ForeignKey(RiskPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    risks = models.TextField()
    agencies = models.JSONField(default=list, blank=True)
    actions = models.JSONField(default=list, blank=True)
    if_missing = models.JSONField(default=list, blank=True)
    # Tell the police once the child has been missing this long (the plan's own time).
    report_after_minutes = models.PositiveIntegerField(null=True, blank=True)
    review_date = models.DateField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    change_note = models.TextField(blank=True)
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_by_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique")
        ]


class ReviewTrigger(models.TextChoices):
    REPEAT = "repeat", "Repeat missing threshold reached"
    HIGH_RISK = "high_risk", "High-risk episode"
    INTERVIEW = "interview", "Return interview findings"
    REVIEW_DATE = "review_date", "Review date reached"


class ReviewStatus(models.TextChoices):
    OPEN = "open", "To do"
    DONE = "done", "Done"


class PlanReview(models.Model):
    """A task: review this child's plan (or write one, if they have none), and why."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="plan_reviews")
    plan = models.ForeignKey(
        RiskPlan, null=True, blank=True, on_delete=models.CASCADE, related_name="reviews"
    )
    trigger = models.CharField(max_length=20, choices=ReviewTrigger.choices)
    detail = models.CharField(max_length=200, blank=True)  # "3 episodes in 90 days", ...
    # What made it, so the same cause never makes two tasks ("high_risk:HW-...").
    source_key = models.CharField(max_length=120, unique=True)
    due_date = models.DateField()
    status = models.CharField(max_length=10, choices=ReviewStatus.choices, default="open")
    opened_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.TextField(blank=True)
    plan_version_after = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["status", "due_date"])]
