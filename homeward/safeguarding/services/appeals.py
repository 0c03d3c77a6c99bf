"""The public appeal: what the child's responsible council agrees may be published while
the child is missing, and its withdrawal.

Agreed by the responsible council's missing coordinators and managers
(``Action.AGREE_APPEAL``) for an open episode: which of ``APPEAL_FIELDS`` may be
published, and the wording. A new agreement withdraws the one before it. Withdrawn by the
council with a reason, or by Homeward when the child is found (handlers_appeals).

The public version carries only the agreed fields, and never names an associate, a
medical need or a place: age, not date of birth; the area last seen (the town or district
of ``last_seen_location``, see ``last_seen_area``), not an address. It is seen by the
force handling the episode and by the responsible council while it is live; after it is
withdrawn they are told when and why."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from homeward.audit import services as audit
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, NotFound, ValidationFailed
from homeward.episodes.models import Episode, EpisodeStatus
from homeward.events import bus
from homeward.events.change import record_change
from homeward.organisations.models import OrganisationKind
from homeward.organisations.policy import Action, role_allows
from homeward.safeguarding.events import AppealAgreed, AppealWithdrawn
from homeward.safeguarding.models.profiles import (
    APPEAL_FIELDS,
    MissingProfile,
    ProfilePhoto,
    PublicAppeal,
)
from homeward.safeguarding.services.briefing import handles, photo_bytes

OBJECT = "public_appeal"
WORDING_MAX = 600
REASON_MAX = 300
FOUND_REASON = "The child was found"

# A postcode (or its first half) is an address, not an area.
_POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?(\s*\d[A-Z]{2})?$", re.IGNORECASE)


def last_seen_area(location: str) -> str:
    """The town or district part of where the child was last seen, never an address.

    In a location of several comma-separated parts, the last part after the first that
    is neither a postcode nor has a number in it: "12 Acacia Road, Marlhaven, MH1 2AB" is
    "Marlhaven". A location of one part is taken as written unless it starts with a
    number ("12 Acacia Road" gives ""). Locations meant for an appeal must therefore be
    written with the town or district as a part of their own (docs/briefing.md)."""
    parts = [p.strip() for p in location.split(",") if p.strip()]
    if len(parts) == 1:
        return "" if parts[0][:1].isdigit() or _POSTCODE.match(parts[0]) else parts[0]
    areas = [p for p in parts[1:] if not _POSTCODE.match(p) and not any(c.isdigit() for c in p)]
    return areas[-1] if areas else ""


def may_agree(actor: Actor, episode: Episode) -> bool:
    org = actor.organisation
    return (
        org is not None
        and org.kind == OrganisationKind.COUNCIL
        and org.pk == episode.child.responsible_council_id
        and role_allows(actor, Action.AGREE_APPEAL)
    )


def may_see_appeal(actor: Actor, episode: Episode) -> bool:
    """The force handling the episode and the responsible council see its appeal."""
    org = actor.organisation
    if org is None or not role_allows(actor, Action.SEE_EPISODES):
        return False
    return handles(actor, episode) or org.pk == episode.child.responsible_council_id


def _episode(reference: str, *, lock: bool = False) -> Episode:
    found = Episode.objects.select_related("child", "police_force")
    if lock:
        found = found.select_for_update(of=("self",))
    episode = found.filter(reference=str(reference).upper()).first()
    if episode is None:
        raise NotFound("No episode was found.")
    return episode


def live_appeal(episode: Episode) -> PublicAppeal | None:
    return episode.public_appeals.filter(withdrawn_at__isnull=True).first()


def latest_appeal(episode: Episode) -> PublicAppeal | None:
    return episode.public_appeals.select_related("withdrawn_by").first()


def _require_agreer(actor: Actor, episode: Episode) -> None:
    if may_agree(actor, episode):
        return
    if may_see_appeal(actor, episode):
        raise AccessDenied("Only the child's council's missing coordinators and managers can.")
    raise NotFound("No episode was found.")


def episode_for_agreer(actor: Actor, reference: str) -> Episode:
    """An open episode, for the pages only its council's leads use: an audited read of
    the child. NotFound for anyone else, or once the child is back."""
    episode = _episode(reference)
    _require_agreer(actor, episode)
    if episode.status != EpisodeStatus.MISSING:
        raise NotFound("An appeal is only for a child missing now.")
    audit.record(actor, "view", "episode", episode.reference, child_id=episode.child_id)
    return episode


def _validate(fields: list[str], wording: str) -> list[str]:
    errors: dict[str, str] = {}
    chosen = [name for name in APPEAL_FIELDS if name in set(fields)]
    if not chosen:
        errors["fields"] = "Select what may be published"
    elif len(chosen) != len(set(fields)):
        errors["fields"] = "Select only the details listed"
    if len(wording) > WORDING_MAX:
        errors["wording"] = f"The wording must be {WORDING_MAX} characters or fewer"
    if errors:
        raise ValidationFailed(errors)
    return chosen


def _withdraw(actor: Actor, appeal: PublicAppeal, reason: str, *, found: bool) -> None:
    appeal.withdrawn_at = clock.now()
    appeal.withdrawn_by = actor.user
    appeal.withdrawn_reason = reason[:REASON_MAX]
    appeal.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason"])
    episode = appeal.episode
    record_change(
        actor,
        AppealWithdrawn(
            aggregate_id=appeal.pk,
            child_id=episode.child_id,
            episode=episode.reference,
            found=found,
        ),
        action="withdraw_appeal",
        details={"episode": episode.reference, "found": found},
    )


@transaction.atomic
@bus.in_unit_of_work
def agree_appeal(
    actor: Actor, reference: str, *, fields: list[str], wording: str = ""
) -> PublicAppeal:
    """Record what may be published about a child missing now; the appeal agreed before
    it, if any, is withdrawn."""
    episode = _episode(reference, lock=True)
    _require_agreer(actor, episode)
    if episode.status != EpisodeStatus.MISSING:
        raise ValidationFailed(
            {"episode": "An appeal can only be agreed while the child is missing"}
        )
    wording = wording.strip()
    chosen = _validate(list(fields), wording)
    previous = live_appeal(episode)
    if previous is not None:
        _withdraw(actor, previous, "Replaced by a new agreement", found=False)
    assert actor.user is not None
    assert actor.organisation is not None
    appeal = PublicAppeal.objects.create(
        episode=episode,
        fields=chosen,
        wording=wording,
        agreed_at=clock.now(),
        agreed_by=actor.user,
        agreed_by_organisation=actor.organisation,
    )
    record_change(
        actor,
        AppealAgreed(
            aggregate_id=appeal.pk,
            child_id=episode.child_id,
            episode=episode.reference,
            fields=chosen,
        ),
        action="agree_appeal",
        details={"episode": episode.reference, "fields": chosen},
    )
    return appeal


@transaction.atomic
@bus.in_unit_of_work
def withdraw_appeal(actor: Actor, reference: str, *, reason: str) -> PublicAppeal:
    """The council withdraws the live appeal, saying why."""
    episode = _episode(reference, lock=True)
    _require_agreer(actor, episode)
    reason = reason.strip()
    if not reason:
        raise ValidationFailed({"reason": "Enter why the appeal is withdrawn"})
    if len(reason) > REASON_MAX:
        raise ValidationFailed({"reason": f"The reason must be {REASON_MAX} characters or fewer"})
    appeal = live_appeal(episode)
    if appeal is None:
        raise ValidationFailed({"reason": "There is no appeal to withdraw"})
    _withdraw(actor, appeal, reason, found=False)
    return appeal


@transaction.atomic
@bus.in_unit_of_work
def withdraw_on_return(actor: Actor, reference: str) -> PublicAppeal | None:
    """The child was found: their live appeal, if any, is withdrawn by Homeward."""
    episode = _episode(reference, lock=True)
    appeal = live_appeal(episode)
    if appeal is not None:
        _withdraw(actor, appeal, FOUND_REASON, found=True)
    return appeal


@dataclass
class AppealPage:
    """The public version, or why there is none any more."""

    episode: Episode
    appeal: PublicAppeal
    content: dict[str, Any]

    @property
    def live(self) -> bool:
        return self.appeal.withdrawn_at is None


def read_appeal(actor: Actor, reference: str, *, download: bool = False) -> AppealPage:
    """The latest appeal of the episode, for the handling force and the responsible
    council: the public content while live (an audited read of the child); after it is
    withdrawn, only when and why (the caller answers 404)."""
    episode = _episode(reference)
    if not may_see_appeal(actor, episode):
        raise NotFound("No appeal was found.")
    appeal = latest_appeal(episode)
    if appeal is None:
        raise NotFound("No appeal has been agreed for this episode.")
    if appeal.withdrawn_at is not None:
        return AppealPage(episode=episode, appeal=appeal, content={})
    page = AppealPage(episode=episode, appeal=appeal, content=public_content(episode, appeal))
    audit.record(
        actor,
        "download" if download else "view",
        OBJECT,
        appeal.pk,
        child_id=episode.child_id,
        details={"episode": episode.reference, "fields": list(appeal.fields)},
    )
    return page


def _photo(episode: Episode) -> ProfilePhoto | None:
    profile = MissingProfile.objects.filter(child__person_id=episode.child.person_id).first()
    return profile.photos.filter(current=True).first() if profile else None


def _description(episode: Episode) -> dict[str, str]:
    profile = MissingProfile.objects.filter(child__person_id=episode.child.person_id).first()
    if profile is None:
        return {}
    parts = {
        "Height": profile.height,
        "Build": profile.build,
        "Hair": profile.hair,
        "Eyes": profile.eyes,
        "Distinguishing features": profile.distinguishing_features,
    }
    return {label: value for label, value in parts.items() if value}


def public_content(episode: Episode, appeal: PublicAppeal) -> dict[str, Any]:
    """Only what was agreed: each key of ``APPEAL_FIELDS`` in ``appeal.fields``."""
    agreed = set(appeal.fields)
    content: dict[str, Any] = {"wording": appeal.wording, "police_force": episode.police_force.name}
    content["police_reference"] = episode.police_reference
    if "first_name" in agreed:
        content["first_name"] = episode.child.first_name
    if "age" in agreed:
        content["age"] = episode.child.age_on(clock.now().date())
    if "photograph" in agreed:
        photo = _photo(episode)
        content["photo"] = photo_bytes(photo)
        content["photo_type"] = photo.content_type if photo else ""
    if "description" in agreed:
        content["description"] = _description(episode)
    if "clothing" in agreed:
        content["clothing"] = episode.clothing
    if "last_seen_area" in agreed:
        content["last_seen_area"] = last_seen_area(episode.last_seen_location)
        content["last_seen_at"] = episode.last_seen_at
    return content
