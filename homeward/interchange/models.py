from __future__ import annotations

from django.db import models

from homeward.children.models import Child, LegalStatus, Placement
from homeward.organisations.models import Organisation


class Ssda903Episode(models.Model):
    """One row of a council's SSDA903 Episodes table, as imported.

    Homeward keeps its own legal statuses and placements (made from these rows); the row
    itself is kept too, so the codes Homeward has no field for (RNE, LS, CIN, REC, reason
    for a placement change) go back out unchanged in the council's next export, and so a
    second import of the same file changes nothing."""

    council = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="ssda903_episodes")
    decom = models.DateField("DECOM")
    rne = models.CharField("RNE", max_length=2, blank=True)
    ls = models.CharField("LS", max_length=2, blank=True)
    cin = models.CharField("CIN", max_length=2, blank=True)
    place = models.CharField("PLACE", max_length=2)
    place_provider = models.CharField("PLACE_PROVIDER", max_length=4, blank=True)
    dec = models.DateField("DEC", null=True, blank=True)
    rec = models.CharField("REC", max_length=4, blank=True)
    reason_place_change = models.CharField("REASON_PLACE_CHANGE", max_length=6, blank=True)
    home_post = models.CharField("HOME_POST", max_length=8, blank=True)
    pl_post = models.CharField("PL_POST", max_length=8, blank=True)
    urn = models.CharField("URN", max_length=10, blank=True)
    legal_status = models.ForeignKey(
        LegalStatus, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    placement = models.ForeignKey(
        Placement, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField()

    class Meta:
        ordering = ["child", "decom"]
        constraints = [
            models.UniqueConstraint(fields=["child", "decom"], name="ssda903_episode_one_per_decom")
        ]
