from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from homeward.children.models import Child
from homeward.organisations.models import Organisation


class Classification(models.TextChoices):
    """SSDA903 MISSING codes."""

    MISSING = "M", "Missing"
    AWAY = "A", "Away from placement without authorisation"


class RiskGrade(models.TextChoices):
    VERY_LOW = "very_low", "Very low"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


# Older police records used other words for the lowest grade (APP 2013, 2016-17).
LEGACY_RISK_GRADES: dict[str, str] = {
    "absent": RiskGrade.VERY_LOW,
    "no apparent risk": RiskGrade.VERY_LOW,
    "no apparent risk (absent)": RiskGrade.VERY_LOW,
    "very low": RiskGrade.VERY_LOW,
    "very_low": RiskGrade.VERY_LOW,
    "low": RiskGrade.LOW,
    "medium": RiskGrade.MEDIUM,
    "high": RiskGrade.HIGH,
}


class MissingFrom(models.TextChoices):
    HOME = "home", "Home"
    PLACEMENT = "placement", "Placement"
    SCHOOL = "school", "School"
    OTHER = "other", "Somewhere else"


class ReporterType(models.TextChoices):
    PARENT = "parent", "Parent or family member"
    CARER = "carer", "Foster carer"
    HOME_STAFF = "home_staff", "Children's home staff"
    SCHOOL = "school", "School"
    SOCIAL_WORKER = "social_worker", "Social worker"
    POLICE = "police", "Police"
    OTHER = "other", "Someone else"


class EpisodeStatus(models.TextChoices):
    MISSING = "missing", "Missing"
    RETURNED = "returned", "Returned"
    CLOSED = "closed", "Closed"


class ReturnMethod(models.TextChoices):
    RETURNED_SELF = "returned_self", "Returned by themselves"
    FOUND_BY_POLICE = "found_by_police", "Found by police"
    FOUND_BY_CARER = "found_by_carer", "Found by carer or family"
    BROUGHT_BACK = "brought_back", "Brought back by someone else"
    OTHER = "other", "Other"


class Episode(models.Model):
    """One period from last seen to return, shared by every agency involved."""

    reference = models.CharField(max_length=20, unique=True)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="episodes")
    status = models.CharField(
        max_length=10, choices=EpisodeStatus.choices, default=EpisodeStatus.MISSING
    )
    classification = models.CharField(max_length=1, choices=Classification.choices)

    reported_at = models.DateTimeField()
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    reporting_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="reported_episodes"
    )
    reporter_type = models.CharField(max_length=20, choices=ReporterType.choices)
    reporter_name = models.CharField(max_length=200, blank=True)

    last_seen_at = models.DateTimeField()
    last_seen_location = models.CharField(max_length=300)
    # Missing profile part 2 (with clothing and where last seen): who the child was with.
    last_seen_with = models.CharField(max_length=300, blank=True)
    missing_from = models.CharField(max_length=10, choices=MissingFrom.choices)
    circumstances = models.TextField(blank=True)
    clothing = models.TextField(blank=True)
    police_reference = models.CharField(max_length=40, blank=True)
    # The force for the area the child went missing from, and where found.
    police_force = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="episodes_policed"
    )
    found_police_force = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The placement at the time (kept so host council and provider are known later).
    placement = models.ForeignKey(
        "children.Placement", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    risk_grade = models.CharField(max_length=10, choices=RiskGrade.choices)

    returned_at = models.DateTimeField(null=True, blank=True)
    return_method = models.CharField(max_length=20, choices=ReturnMethod.choices, blank=True)
    found_location = models.CharField(max_length=300, blank=True)
    found_with = models.CharField(max_length=300, blank=True)
    harm_indicators = models.TextField(blank=True)

    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    went_missing_with = models.ManyToManyField("self", blank=True, symmetrical=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-last_seen_at"]
        constraints = [
            # Never two open episodes for one child: a second report is an update.
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(status="missing"),
                name="episode_one_open_per_child",
            ),
            models.CheckConstraint(
                condition=Q(returned_at__isnull=True)
                | Q(returned_at__gte=models.F("last_seen_at")),
                name="episode_return_not_before_last_seen",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "last_seen_at"]),
            models.Index(fields=["child", "last_seen_at"]),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status == EpisodeStatus.MISSING


class ClassificationChange(models.Model):
    episode = models.ForeignKey(
        Episode, on_delete=models.CASCADE, related_name="classification_history"
    )
    classification = models.CharField(max_length=1, choices=Classification.choices)
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["changed_at", "pk"]


class RiskAssessment(models.Model):
    """Every police risk grading, with what it rests on and who decided."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="risk_history")
    grade = models.CharField(max_length=10, choices=RiskGrade.choices)
    legacy_grade = models.CharField(max_length=40, blank=True)
    rationale = models.TextField()
    information_used = models.TextField(blank=True)
    information_source = models.CharField(max_length=200, blank=True)
    information_obtained_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by_organisation = models.ForeignKey(
        Organisation, null=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["decided_at", "pk"]


class TimelineKind(models.TextChoices):
    REPORT = "report", "Report"
    FURTHER_REPORT = "further_report", "Further report"
    SIGHTING = "sighting", "Sighting"
    CALL = "call", "Call"
    ACTION = "action", "Action"
    NOTE = "note", "Note"
    REGRADE = "regrade", "Risk re-graded"
    CLASSIFICATION = "classification", "Classification changed"
    RETURN = "return", "Returned or found"
    CLOSE = "close", "Closed"


class TimelineEntry(models.Model):
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(max_length=20, choices=TimelineKind.choices)
    occurred_at = models.DateTimeField()
    summary = models.TextField()
    location = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by_organisation = models.ForeignKey(
        Organisation, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_at", "pk"]
        verbose_name_plural = "timeline entries"
