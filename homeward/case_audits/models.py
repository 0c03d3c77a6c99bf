"""A case audit, the inspectors' method: a reproducible random sample of a council's
episodes or children in a period, each case judged against the written standard
(``homeward.case_audits.standard``) beside the evidence the records give.

Not to be confused with ``homeward.audit``, the audit trail of who saw or changed what."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from homeward.children.models import Child
from homeward.episodes.models import Episode
from homeward.organisations.models import Organisation


class Unit(models.TextChoices):
    EPISODES = "episodes", "Episodes"
    CHILDREN = "children", "Children"


class Stratum(models.TextChoices):
    LOOKED_AFTER = "looked_after", "Looked after or not"
    OUT_OF_AREA = "out_of_area", "Placed in or out of area"
    REPEAT = "repeat", "Repeat missing or not"


class AuditStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Judgement(models.TextChoices):
    MET = "met", "Met"
    PARTLY = "partly", "Partly met"
    NOT_MET = "not_met", "Not met"
    NOT_APPLICABLE = "na", "Not applicable"


class CaseAudit(models.Model):
    """One audit of one council's cases. ``seed`` and the parameters are kept, so the same
    seed over the same records draws the same sample again."""

    council = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    unit = models.CharField(max_length=10, choices=Unit.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    size = models.PositiveIntegerField()
    strata = models.JSONField(default=list, blank=True)  # Stratum values, in order
    seed = models.BigIntegerField()
    population = models.PositiveIntegerField(default=0)  # how many cases it was drawn from
    status = models.CharField(max_length=10, choices=AuditStatus.choices, default="open")
    ends_on = models.DateField(null=True, blank=True)  # members' access ends after this day
    opened_at = models.DateTimeField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-opened_at", "-pk"]

    def __str__(self) -> str:
        return f"Case audit {self.pk}"


class AuditMember(models.Model):
    """An auditor: sees the audit's sampled cases while it is open, and judges them."""

    audit = models.ForeignKey(CaseAudit, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["audit", "user"], name="case_audit_member_unique")
        ]


class SampledCase(models.Model):
    """One case drawn: a child and, for a sample of episodes, the episode."""

    audit = models.ForeignKey(CaseAudit, on_delete=models.CASCADE, related_name="cases")
    position = models.PositiveIntegerField()  # 1, 2, ... in the order drawn
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    episode = models.ForeignKey(
        Episode, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    stratum = models.CharField(max_length=120, blank=True)  # "looked_after=yes|repeat=no"
    version = models.PositiveIntegerField(default=1)
    judged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["audit", "position"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "position"], name="sampled_case_position")
        ]

    def __str__(self) -> str:
        return f"Case {self.position}"

    @property
    def stratum_label(self) -> str:
        """ "Looked after: yes; repeat: no" from "looked_after=yes|repeat=no"."""
        parts = [p.partition("=") for p in self.stratum.split("|") if p]
        return "; ".join(f"{k.replace('_', ' ')}: {v}" for k, _, v in parts).capitalize()


class CaseJudgement(models.Model):
    """The auditor's judgement on one question of the standard for one case."""

    case = models.ForeignKey(SampledCase, on_delete=models.CASCADE, related_name="judgements")
    question = models.CharField(max_length=20)
    judgement = models.CharField(max_length=10, choices=Judgement.choices)
    note = models.TextField(blank=True)
    judged_at = models.DateTimeField()
    judged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "question"], name="case_judgement_unique")
        ]
