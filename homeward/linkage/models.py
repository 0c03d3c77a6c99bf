"""Linking child records that are one child: search keys, links, the review queue, runs.

No record is ever merged into another: a link is an edge between two records, and the
records joined by live links resolve to one ``children.Person`` (see ``Child.person``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from homeward.children.models import Child
from homeward.organisations.models import Organisation


class SearchKey(models.Model):
    """A blocking key of one child record, for finding the child before adding them
    (search.py): a phonetic name key, a date of birth, an identifier, a postcode."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=80)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "child"], name="search_key_unique"),
        ]


class LinkRun(models.Model):
    """One run of the probabilistic linkage over the whole record set (engine.py)."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    trigger = models.CharField(max_length=20)  # "schedule", "command"
    backend = models.CharField(max_length=20)  # "duckdb", "spark"
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    records = models.PositiveIntegerField(default=0)
    pairs = models.PositiveIntegerField(default=0)
    linked = models.PositiveIntegerField(default=0)
    queued = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]


class MatchCandidate(models.Model):
    """A pair of child records that may be one child, as a run or a search scored them,
    and what was decided about it. The pending ones are the review queue; the decided
    ones are kept, and later runs respect them. ``left`` is the lower id."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        SAME = "same", "Same child"
        NOT_SAME = "not_same", "Not the same child"

    class Source(models.TextChoices):
        RUN = "run", "Linkage run"
        ADDED = "added", "Added despite a likely match"
        IMPORT = "import", "Import"

    left = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    probability = models.FloatField()
    match_weight = models.FloatField()
    # [{"field": "nhs_number", "label": "NHS number", "level": "Exact match",
    #   "weight": 7.9}, ...] : the evidence, field by field, that reviewers see.
    evidence = models.JSONField(default=list)
    source = models.CharField(max_length=10, choices=Source.choices)
    run = models.ForeignKey(LinkRun, null=True, blank=True, on_delete=models.SET_NULL)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    found_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-probability", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["left", "right"], name="match_candidate_pair"),
            models.CheckConstraint(
                condition=models.Q(left__lt=models.F("right")), name="match_candidate_ordered"
            ),
        ]
        indexes = [models.Index(fields=["status", "-probability"])]


class RecordLink(models.Model):
    """A live or ended link between two records: the edges whose connected records are
    one person. Ending a link (unlinking) keeps the row, with who, when and why."""

    left = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    candidate = models.ForeignKey(
        MatchCandidate, null=True, blank=True, on_delete=models.SET_NULL, related_name="links"
    )
    automatic = models.BooleanField(default=False)
    probability = models.FloatField(null=True, blank=True)
    evidence = models.JSONField(default=list)
    reason = models.TextField()
    linked_at = models.DateTimeField()
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    linked_by_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unlinked_at = models.DateTimeField(null=True, blank=True)
    unlinked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unlink_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-linked_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["left", "right"],
                condition=models.Q(unlinked_at__isnull=True),
                name="record_link_live_pair",
            ),
            models.CheckConstraint(
                condition=models.Q(left__lt=models.F("right")), name="record_link_ordered"
            ),
        ]
