"""The police briefing sheet: one page about a child missing now, for the force handling
the episode. It brings together the episode (where and when last seen, with whom, what
they wore, the risk grade and why), the child's missing profile (description,
photograph, medical needs, places, associates, what worked before) and their risk plan's
"if missing" steps.

Who: a role with ``Action.SEE_BRIEFING`` whose organisation is the force of the area the
child went missing from or was found in, or that sees the episode in full; only while the
episode is open. Every view and download is an audited read of the child.

The profile and plan are read from the models directly (by the child's ``person_id``, so a
record linked as the same child finds them), not through the profile or plan services."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone

from homeward.audit import services as audit
from homeward.children.models import Child
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, NotFound
from homeward.episodes.models import Episode, EpisodeStatus, RiskAssessment
from homeward.episodes.visibility import visible_episodes
from homeward.organisations.models import Membership, Organisation, OrganisationKind, Role, User
from homeward.organisations.policy import Action, role_allows
from homeward.safeguarding.models.plans import PlanVersion
from homeward.safeguarding.models.profiles import MissingProfile, ProfilePhoto
from homeward.safeguarding.services import photos, plan_rules

OBJECT = "briefing_sheet"


@dataclass
class Contact:
    """Someone at the child's council the force can ring."""

    role: str
    name: str
    email: str


@dataclass
class Briefing:
    """Everything on the sheet, read once."""

    episode: Episode
    child: Child
    age: int
    risk: RiskAssessment | None
    profile: MissingProfile | None
    photo: ProfilePhoto | None
    plan: PlanVersion | None
    council: Organisation
    contacts: list[Contact] = field(default_factory=list)
    printed_at: datetime | None = None

    @property
    def if_missing(self) -> list[str]:
        return [str(step) for step in (self.plan.if_missing if self.plan else []) if step]

    @property
    def associates(self) -> list[dict[str, Any]]:
        return [a for a in (self.profile.associates if self.profile else []) if isinstance(a, dict)]

    @property
    def places(self) -> list[dict[str, Any]]:
        return [p for p in (self.profile.places if self.profile else []) if isinstance(p, dict)]

    @property
    def place_lines(self) -> list[str]:
        return [joined(p, ("place", "postcode", "notes")) for p in self.places]

    @property
    def associate_lines(self) -> list[str]:
        return [joined(a, ("name", "relationship", "phone", "notes")) for a in self.associates]

    def photo_bytes(self) -> bytes | None:
        return photo_bytes(self.photo)


def joined(item: dict[str, Any], keys: tuple[str, ...]) -> str:
    """The answers of one entry in a list (a place, an associate), in order, as one line."""
    values = (" ".join(str(item.get(key) or "").split()) for key in keys)
    return ", ".join(value for value in values if value)


def photo_bytes(photo: ProfilePhoto | None) -> bytes | None:
    """The photograph's bytes from the private file store, or None if it is not there."""
    return None if photo is None else photos.stored_bytes(photo)


def handles(actor: Actor, episode: Episode) -> bool:
    """Whether the actor's organisation is the force handling the episode: the force of
    the area the child went missing from or was found in."""
    org = actor.organisation
    return (
        org is not None
        and org.kind == OrganisationKind.POLICE
        and org.pk in {episode.police_force_id, episode.found_police_force_id}
    )


def may_see_briefing(actor: Actor, episode: Episode) -> bool:
    """Whether the actor may print the sheet for this episode (no audit)."""
    if not role_allows(actor, Action.SEE_BRIEFING) or episode.status != EpisodeStatus.MISSING:
        return False
    if handles(actor, episode):
        return True
    return visible_episodes(actor).filter(pk=episode.pk).exists()


def _episode(reference: str) -> Episode:
    episode = (
        Episode.objects.select_related(
            "child", "child__responsible_council", "police_force", "found_police_force"
        )
        .filter(reference=str(reference).upper())
        .first()
    )
    if episode is None:
        raise NotFound("No episode was found.")
    return episode


def _check(actor: Actor, episode: Episode) -> None:
    """NotFound unless the actor sees the episode or handles it; AccessDenied when they
    see it but may not print its sheet; NotFound once the child is back."""
    sees = handles(actor, episode) or visible_episodes(actor).filter(pk=episode.pk).exists()
    if not sees:
        raise NotFound("No episode was found.")
    if not role_allows(actor, Action.SEE_BRIEFING):
        raise AccessDenied("Only the police force handling the episode can print its briefing.")
    if episode.status != EpisodeStatus.MISSING:
        raise NotFound("The briefing sheet is only for a child missing now.")


def read_briefing(actor: Actor, reference: str, *, download: bool = False) -> Briefing:
    """The sheet for an open episode, if the actor may print it: an audited read of the
    child (``download`` for the PDF)."""
    episode = _episode(reference)
    _check(actor, episode)
    briefing = _gather(episode)
    audit.record(
        actor,
        "download" if download else "view",
        OBJECT,
        episode.reference,
        child_id=episode.child_id,
        details={"format": "pdf" if download else "html"},
    )
    return briefing


def _gather(episode: Episode) -> Briefing:
    child = episode.child
    profile = MissingProfile.objects.filter(child__person_id=child.person_id).order_by("pk").first()
    photo = profile.photos.filter(current=True).first() if profile else None
    return Briefing(
        episode=episode,
        child=child,
        age=child.age_on(timezone.localtime(episode.last_seen_at).date()),
        risk=episode.risk_history.order_by("-decided_at", "-pk").first(),
        profile=profile,
        photo=photo,
        plan=plan_rules.current_version(child),
        council=child.responsible_council,
        contacts=council_contacts(child),
        printed_at=clock.now(),
    )


def _contact(role: str, user: User) -> Contact:
    return Contact(role=role, name=user.get_full_name() or user.get_username(), email=user.email)


def council_contacts(child: Child) -> list[Contact]:
    """Who at the responsible council to ring: the allocated worker, then the council's
    missing children coordinators."""
    contacts = []
    allocation = (
        child.allocations.filter(end_date__isnull=True)
        .select_related("worker")
        .order_by("-start_date", "-pk")
        .first()
    )
    if allocation is not None and allocation.worker is not None:
        contacts.append(_contact("Allocated worker", allocation.worker))
    coordinators = (
        Membership.objects.filter(
            organisation_id=child.responsible_council_id,
            role=Role.COUNCIL_MISSING_COORDINATOR,
            is_active=True,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("pk")[:2]
    )
    contacts += [_contact("Missing children coordinator", m.user) for m in coordinators]
    return contacts


def as_data(briefing: Briefing) -> dict[str, Any]:
    """The sheet as plain data (the API's JSON), in the order the sheet reads."""
    episode, profile = briefing.episode, briefing.profile
    return {
        "reference": episode.reference,
        "police_reference": episode.police_reference,
        "police_force": episode.police_force.name,
        "child": {
            "name": briefing.child.full_name,
            "age": briefing.age,
            "sex": briefing.child.get_sex_display(),
        },
        "has_photo": briefing.photo is not None,
        "description": {
            name: getattr(profile, name, "") if profile else ""
            for name in ("height", "build", "hair", "eyes", "distinguishing_features")
        },
        "clothing": episode.clothing,
        "last_seen_at": episode.last_seen_at,
        "last_seen_location": episode.last_seen_location,
        "last_seen_with": episode.last_seen_with,
        "risk_grade": episode.risk_grade,
        "risk_rationale": briefing.risk.rationale if briefing.risk else "",
        "medical_needs": profile.medical_needs if profile else "",
        "medication": profile.medication if profile else "",
        "vulnerabilities": profile.vulnerabilities if profile else "",
        "places": briefing.places,
        "associates": briefing.associates,
        "phone": profile.phone if profile else "",
        "social_media": profile.social_media if profile else "",
        "what_worked_before": profile.what_worked_before if profile else "",
        "if_missing": briefing.if_missing,
        "council": briefing.council.name,
        "contacts": [c.__dict__ for c in briefing.contacts],
        "generated_at": clock.now(),
    }
