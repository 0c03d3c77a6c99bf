"""The missing profile (Philomena Protocol part 1), its photographs, its disclosure to the
police at a report, and the public appeal a council agrees to for an open episode."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from homeward.children.models import Child
from homeward.episodes.models import Episode
from homeward.organisations.models import Organisation


class MissingProfile(models.Model):
    """Kept in advance for a child at risk of going missing, and kept current.

    ``associates`` is a list of ``{"name", "relationship", "phone", "notes"}`` and
    ``places`` a list of ``{"place", "postcode", "notes"}``: the people to ring and the
    places to look, in the order the owner put them."""

    child = models.OneToOneField(Child, on_delete=models.PROTECT, related_name="missing_profile")
    # The care provider or the council that keeps it current.
    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    review_date = models.DateField()

    height = models.CharField(max_length=60, blank=True)
    build = models.CharField(max_length=100, blank=True)
    hair = models.CharField(max_length=100, blank=True)
    eyes = models.CharField(max_length=100, blank=True)
    distinguishing_features = models.TextField(blank=True)

    vulnerabilities = models.TextField(blank=True)
    medical_needs = models.TextField(blank=True)
    medication = models.TextField(blank=True)

    associates = models.JSONField(default=list, blank=True)
    places = models.JSONField(default=list, blank=True)

    phone = models.CharField(max_length=60, blank=True)
    social_media = models.TextField(blank=True)
    transport = models.TextField(blank=True)
    money = models.TextField(blank=True)
    what_worked_before = models.TextField(blank=True)

    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_by_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"Missing profile {self.pk}"


class ProfilePhoto(models.Model):
    """A photograph of the child, checked, re-encoded without its metadata and kept in the
    private file store (``HOMEWARD_FILES_DIR``) under a random name: never under the web
    root, served only through an access check, never put in an email."""

    profile = models.ForeignKey(MissingProfile, on_delete=models.CASCADE, related_name="photos")
    file_name = models.CharField(max_length=80, unique=True)
    content_type = models.CharField(max_length=30)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size_bytes = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    taken_on = models.DateField(null=True, blank=True)  # when it was taken, as told
    current = models.BooleanField(default=True)
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_by_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-uploaded_at", "-pk"]


class ProfileDisclosure(models.Model):
    """The profile was given to a police force for an episode, when it was reported."""

    profile = models.ForeignKey(
        MissingProfile, on_delete=models.CASCADE, related_name="disclosures"
    )
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    profile_version = models.PositiveIntegerField()
    disclosed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "episode", "organisation"], name="profile_disclosed_once"
            )
        ]


# What a public appeal may carry, each only if the responsible council agreed to it.
APPEAL_FIELDS: dict[str, str] = {
    "first_name": "First name",
    "age": "Age",
    "photograph": "Photograph",
    "description": "Physical description",
    "clothing": "Clothing when last seen",
    "last_seen_area": "Area last seen (town or district, not an address)",
}


class PublicAppeal(models.Model):
    """What the responsible council agreed may be published about a child missing now.
    Withdrawn when the child is found, or by the council."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="public_appeals")
    fields = models.JSONField(default=list)  # keys of APPEAL_FIELDS
    wording = models.TextField(blank=True)  # "Anyone who sees her should call 101 ..."
    agreed_at = models.DateTimeField()
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    agreed_by_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-agreed_at", "-pk"]
