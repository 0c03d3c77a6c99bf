"""Places that matter to missing children: where they were last seen, where they were
found, where they stayed and where they go. A place is a record, entered once and linked
many times; hotspots are derived from the links, never typed in."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from homeward.aftercare.models import ReturnInterview
from homeward.children.models import Child
from homeward.episodes.models import Episode
from homeward.organisations.models import Organisation


class PlaceKind(models.TextChoices):
    ADDRESS = "address", "A home or other address"
    PARK = "park", "Park or open space"
    TRANSPORT = "transport", "Station, bus stop or transport hub"
    SHOP = "shop", "Shop, takeaway or shopping centre"
    ESTATE = "estate", "Estate or block"
    SHORT_LET = "short_let", "Hotel or short-let flat"
    SCHOOL = "school", "School or college"
    OTHER = "other", "Somewhere else"


class Place(models.Model):
    """An address or a described place ("the bandstand in Riverside Park"), with its
    postcode and coordinates where known. ``council`` is the council whose area it lies
    in (its police force follows from the council); it decides whose hotspot it is."""

    name = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=PlaceKind.choices, default=PlaceKind.OTHER)
    address = models.TextField(blank=True)
    # Upper case, one space before the inward code ("AB1 2CD"); blank when not known.
    postcode = models.CharField(max_length=10, blank=True, db_index=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    council = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["council", "postcode"], name="place_council_postcode")]

    def __str__(self) -> str:
        return f"Place {self.pk}"


class PlaceRole(models.TextChoices):
    LAST_SEEN = "last_seen", "Last seen"
    FOUND = "found", "Found"
    STAYED = "stayed", "Stayed while missing"
    FREQUENTED = "frequented", "Goes there"


class PlaceLink(models.Model):
    """A place in a child's story: last seen or found there in an episode, stayed there
    (the child's return interview), or known to go there (their missing profile, or said
    by anyone who may record it). ``child`` is always set; ``occurred_at`` is when the
    child was there (or when it was recorded, for a place they go)."""

    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="links")
    role = models.CharField(max_length=20, choices=PlaceRole.choices)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="place_links")
    episode = models.ForeignKey(
        Episode, null=True, blank=True, on_delete=models.PROTECT, related_name="place_links"
    )
    interview = models.ForeignKey(
        ReturnInterview, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    occurred_at = models.DateTimeField(db_index=True)
    notes = models.TextField(blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["place", "role", "occurred_at"], name="placelink_hot")]
        constraints = [
            models.UniqueConstraint(
                fields=["place", "role", "episode"],
                condition=models.Q(episode__isnull=False, removed_at__isnull=True),
                name="placelink_once_per_episode",
            )
        ]

    def __str__(self) -> str:
        return f"Place link {self.pk}"
