from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models

from homeward.children.codes import Ethnicity, LegalStatusKind, PlacementType, Sex
from homeward.organisations.models import Organisation


class Person(models.Model):
    """One child, however many records agencies hold of them.

    Every child record is made with a person of its own (``Child.own_person``, never
    changed). Linking records (homeward.linkage) points them all at one person
    (``Child.person``): the lowest ``own_person`` of the linked group, so that unlinking a
    record returns it, and its figures, exactly to where they were. Persons are never
    deleted; statistics count persons, not records."""

    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Person {self.pk}"


class Child(models.Model):
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=1, choices=Sex.choices)
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices, default=Ethnicity.NOBT)
    upn = models.CharField("Unique pupil number", max_length=13, blank=True)
    nhs_number = models.CharField("NHS number", max_length=10, blank=True)
    responsible_council = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="responsible_for"
    )
    # True while the responsible council is a provisional choice: whoever added the child
    # did not know it, so the council for the area holds the record until its missing
    # coordinator confirms who is responsible.
    responsible_council_provisional = models.BooleanField(default=False)
    # The organisation that added the record. It keeps a relationship with the child for a
    # short time (policy.ADDED_CHILD_ACCESS), long enough to report them missing.
    added_by_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Denormalised from the current placement so that access checks are one join.
    current_placement = models.ForeignKey(
        "Placement", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The person this record resolves to (its own until linked with another record).
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="records")
    own_person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "children"
        indexes = [
            models.Index(fields=["last_name", "first_name"]),
            models.Index(fields=["date_of_birth"]),
            models.Index(fields=["upn"]),
            models.Index(fields=["nhs_number"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A new record is its own person: every path that makes one (a service, an import,
        # a factory) gets one without having to remember. Bulk writers call new_persons().
        if self.own_person_id is None:
            self.own_person = Person.objects.create()
        if self.person_id is None:
            self.person_id = self.own_person_id
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def age_on(self, day: date) -> int:
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))

    def legal_status_on(self, day: date) -> str:
        for status in self.legal_statuses.all():
            if status.start_date <= day and (status.end_date is None or status.end_date >= day):
                return status.status
        return LegalStatusKind.NONE


class ChildAlias(models.Model):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.name


class ChildIdentifier(models.Model):
    """An agency's own reference for the child (case number, police nominal id...)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="identifiers")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    value = models.CharField(max_length=60)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "value"], name="child_identifier_unique_per_org"
            )
        ]
        indexes = [models.Index(fields=["value"])]


class LegalStatus(models.Model):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="legal_statuses")
    status = models.CharField(max_length=20, choices=LegalStatusKind.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-start_date"]
        verbose_name_plural = "legal statuses"


class Placement(models.Model):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="placements")
    placement_type = models.CharField(max_length=2, choices=PlacementType.choices)
    provider = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="placements"
    )
    host_council = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="hosted_placements"
    )
    postcode_district = models.CharField(max_length=4, blank=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-start_date"]

    @property
    def out_of_area(self) -> bool:
        return self.host_council_id != self.child.responsible_council_id


class WorkerAllocation(models.Model):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="allocations")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="allocations"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-start_date"]


class EmergencyAccess(models.Model):
    """A practitioner opening a child's record outside their relationships, with a reason.

    Lasts 24 hours, is told to the responsible council's missing coordinator and waits in
    their review list until someone there reviews it."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="emergency_accesses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="emergency_accesses"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=40)
    reason = models.TextField()
    granted_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-granted_at"]
        verbose_name_plural = "emergency accesses"


def new_persons(children: list[Child]) -> None:
    """Give each of ``children`` (not yet saved) a person of its own, in one insert: for
    bulk writers, which bypass ``Child.save``."""
    persons = Person.objects.bulk_create([Person() for _ in children])
    for child, person in zip(children, persons, strict=True):
        child.own_person = person
        child.person = person
