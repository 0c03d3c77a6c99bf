"""Persons of concern and the Child Abduction Warning Notices ("harbouring notices") the
police issue to them. Association is recorded as information, with where it came from
and how reliable it is graded; being linked to someone is not being what they are."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from homeward.children.models import Child
from homeward.episodes.models import Episode
from homeward.organisations.models import Organisation
from homeward.safeguarding.models.places import Place


class PersonOfConcern(models.Model):
    """An adult, or an older young person, linked to children, places and episodes.

    ``holding_force`` is the police force that holds them (it sees them whether or not
    it sees a linked child). ``police_notes`` is seen only by police forces."""

    name = models.CharField(max_length=200)
    other_names = models.JSONField(default=list, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    approximate_age = models.PositiveSmallIntegerField(null=True, blank=True)
    description = models.TextField(blank=True)
    police_notes = models.TextField(blank=True)
    holding_force = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Person of concern {self.pk}"


class SourceEvaluation(models.TextChoices):
    """How reliable the source is (the 3x5x2 intelligence grading's first part)."""

    RELIABLE = "1", "1: reliable"
    UNTESTED = "2", "2: untested"
    NOT_RELIABLE = "3", "3: not reliable"


class InformationAssessment(models.TextChoices):
    """How the source knows it (the 3x5x2 grading's second part)."""

    KNOWN_DIRECTLY = "A", "A: known directly to the source"
    CORROBORATED = "B", "B: known indirectly, corroborated"
    INDIRECT = "C", "C: known indirectly"
    NOT_KNOWN = "D", "D: not known"
    SUSPECTED_FALSE = "E", "E: suspected to be false"


class PersonLink(models.Model):
    """One piece of information linking a person of concern to a child, a place or an
    episode (at least one of them), with its source and grading. A police-only link is
    seen only by police forces."""

    person = models.ForeignKey(PersonOfConcern, on_delete=models.PROTECT, related_name="links")
    child = models.ForeignKey(
        Child, null=True, blank=True, on_delete=models.PROTECT, related_name="person_links"
    )
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.PROTECT, related_name="person_links"
    )
    episode = models.ForeignKey(
        Episode, null=True, blank=True, on_delete=models.PROTECT, related_name="person_links"
    )
    nature = models.CharField(max_length=300)  # "seen with her at the station", "gives lifts"
    source = models.CharField(max_length=300)  # where the information came from
    source_evaluation = models.CharField(max_length=1, choices=SourceEvaluation.choices)
    information_assessment = models.CharField(max_length=1, choices=InformationAssessment.choices)
    police_only = models.BooleanField(default=False)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Person link {self.pk}"


class HarbouringNotice(models.Model):
    """A Child Abduction Warning Notice, issued by a police force (with the council told)
    to an adult about one or more children. Live from issue until it expires or is
    withdrawn; reviewed on its review date (commonly six months)."""

    reference = models.CharField(max_length=20, unique=True)
    person = models.ForeignKey(PersonOfConcern, on_delete=models.PROTECT, related_name="notices")
    children = models.ManyToManyField(Child, related_name="harbouring_notices")
    force = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    issued_on = models.DateField()
    served_by = models.CharField(max_length=200, blank=True)
    review_on = models.DateField()
    expires_on = models.DateField()
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    # The last review (its date and what it found), the review date a reminder went to
    # the force for (so the sweep reminds once), and the day the sweep marked it expired.
    last_reviewed_on = models.DateField(null=True, blank=True)
    review_notes = models.TextField(blank=True)
    review_reminded_for = models.DateField(null=True, blank=True)
    expired_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    issued_at = models.DateTimeField()  # when it was recorded here
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"Harbouring notice {self.pk}"


class NoticeBreach(models.Model):
    """A breach of a notice: when, where and with which child. The child's council is told."""

    notice = models.ForeignKey(HarbouringNotice, on_delete=models.PROTECT, related_name="breaches")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    occurred_at = models.DateTimeField()
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    location = models.CharField(max_length=300, blank=True)
    episode = models.ForeignKey(
        Episode, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    details = models.TextField(blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"Notice breach {self.pk}"
