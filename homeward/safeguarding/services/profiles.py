"""The child's missing profile (Philomena Protocol part 1): who sees it, who keeps it, the
audited read and the one write.

A profile is written on one child record and belongs to the resolved child: it is found
on any record linked as the same person (``child__person_id``). It is seen by whoever
sees the child, if their kind of organisation and role reach profiles at all
(``access.may_see_profiles``: never a return interview provider; a home only while it is
the current home, which the child's own visibility gives). It is kept by its owner, the
responsible council and the current home, in roles that keep profiles."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from homeward.audit import services as audit
from homeward.children import visibility
from homeward.children.models import Child
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, NotFound, StaleEdit, ValidationFailed
from homeward.core.validation import LONG_TEXT, text_errors
from homeward.episodes.models import Episode
from homeward.events import bus
from homeward.events.change import record_change
from homeward.organisations.models import Organisation, OrganisationKind
from homeward.organisations.policy import Action, role_allows
from homeward.safeguarding import access
from homeward.safeguarding.events import ProfileSaved
from homeward.safeguarding.models import MissingProfile, ProfilePhoto

OBJECT = "missing_profile"
NOT_FOUND = "No child was found."
REVIEW_MONTHS = 3

TEXT_FIELDS = (
    "height",
    "build",
    "hair",
    "eyes",
    "distinguishing_features",
    "vulnerabilities",
    "medical_needs",
    "medication",
    "phone",
    "social_media",
    "transport",
    "money",
    "what_worked_before",
)
ASSOCIATE_KEYS = ("name", "relationship", "phone", "notes")
PLACE_KEYS = ("place", "postcode", "notes")
LIST_ITEM_LIMIT = 300
LIST_LIMIT = 30
# What each field is called in a message.
FIELD_NAMES = {
    "height": "Height",
    "build": "Build",
    "hair": "Hair",
    "eyes": "Eyes",
    "distinguishing_features": "Distinguishing features",
    "vulnerabilities": "Vulnerabilities",
    "medical_needs": "Medical needs",
    "medication": "Medication",
    "phone": "Phone",
    "social_media": "Social media",
    "transport": "Transport",
    "money": "Money",
    "what_worked_before": "What worked before",
}
# Flags a profile carries for its owner (``needs_attention``).
PAST_REVIEW = "past_review_date"
NO_PHOTO = "no_photograph"
FLAG_TEXT = {PAST_REVIEW: "Past its review date", NO_PHOTO: "No photograph"}

_CHILD_RELATED = ("current_placement__provider", "responsible_council")


def default_review_date(today: date | None = None) -> date:
    """Three months from today (the same day of the month, or the month's last day)."""
    day = today or clock.now().astimezone(clock.UK).date()
    month = day.month - 1 + REVIEW_MONTHS
    year, month = day.year + month // 12, month % 12 + 1
    for last in (day.day, 30, 29, 28):
        try:
            return date(year, month, last)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def today() -> date:
    return clock.now().astimezone(clock.UK).date()


# --- who sees and who keeps ---------------------------------------------------------------


def profile_of(child: Child) -> MissingProfile | None:
    """The profile of the person this record belongs to, on whichever of their records."""
    return (
        MissingProfile.objects.filter(child__person_id=child.person_id)
        .select_related("owner")
        .order_by("pk")
        .first()
    )


def visible_child(actor: Actor, child_id: object) -> Child:
    """The child, if the actor sees them and may see profiles; otherwise NotFound."""
    if not access.may_see_profiles(actor):
        raise NotFound(NOT_FOUND)
    return visibility.get_child(actor, child_id, Action.SEE_IDENTITY, related=_CHILD_RELATED)


def may_keep(actor: Actor, child: Child, profile: MissingProfile | None) -> bool:
    """The role keeps profiles, and the actor's organisation owns it, is the responsible
    council or is the child's current home (the child's placement is read only for a
    home, and kept on the child for the page)."""
    org = actor.organisation
    if org is None or not role_allows(actor, Action.KEEP_PROFILE):
        return False
    if org.pk == child.responsible_council_id or (
        profile is not None and org.pk == profile.owner_id
    ):
        return True
    if child.current_placement_id is None:
        return False
    placement = child.current_placement  # loaded once, and kept for the page
    return placement is not None and placement.provider_id == org.pk


def may_keep_profiles(actor: Actor) -> bool:
    """Whether the actor keeps profiles at all: a council's or a home's role that keeps
    them (no query). Its organisation's own are on the list of those needing attention."""
    org = actor.organisation
    return (
        org is not None
        and org.kind in {OrganisationKind.COUNCIL, OrganisationKind.CARE_PROVIDER}
        and role_allows(actor, Action.KEEP_PROFILE)
        and access.may_see_profiles(actor)
    )


def default_owner(child: Child) -> Organisation:
    placement = child.current_placement
    if placement is not None and placement.provider is not None:
        return placement.provider
    return child.responsible_council


def needs_attention(profile: MissingProfile, has_photo: bool, on: date | None = None) -> list[str]:
    """The reasons a profile is flagged to its owner, in the order they are shown."""
    reasons = []
    if profile.review_date < (on or today()):
        reasons.append(PAST_REVIEW)
    if not has_photo:
        reasons.append(NO_PHOTO)
    return reasons


def current_photo(profile: MissingProfile) -> ProfilePhoto | None:
    return profile.photos.filter(current=True).first()


def profile_summary(child: Child) -> MissingProfile | None:
    """The profile with its current photograph's id as ``photo_id`` (or None), in one
    query: for the panels of the child's and the report's pages, which are read already."""
    photo = ProfilePhoto.objects.filter(profile=OuterRef("pk"), current=True).values("pk")[:1]
    return (
        MissingProfile.objects.filter(child__person_id=child.person_id)
        .select_related("owner")
        .annotate(photo_id=Subquery(photo))
        .order_by("pk")
        .first()
    )


# --- reading ------------------------------------------------------------------------------


@dataclass
class ProfileRead:
    child: Child
    profile: MissingProfile | None
    photo: ProfilePhoto | None
    may_keep: bool

    @property
    def flags(self) -> list[str]:
        if self.profile is None:
            return []
        return needs_attention(self.profile, self.photo is not None)


def read_profile(actor: Actor, child_id: object) -> ProfileRead:
    """The child's profile (None if none was written) with its current photograph: an
    audited read. NotFound for anyone who may not see it, whether or not it exists."""
    child = visible_child(actor, child_id)
    profile = profile_of(child)
    photo = current_photo(profile) if profile is not None else None
    audit.record(
        actor,
        "view",
        OBJECT,
        profile.pk if profile is not None else "",
        child_id=child.pk,
    )
    return ProfileRead(child, profile, photo, may_keep(actor, child, profile))


def profile_for_report(actor: Actor, episode: Episode) -> tuple[MissingProfile, int | None] | None:
    """The profile a report gave the episode's force, with its photograph's id, for the
    reporter's answer: only if they may see it (an audited read), else None."""
    if not access.may_see_profiles(actor):
        return None
    child = episode.child
    profile = profile_summary(child)
    if profile is None:
        return None
    if not visibility.visible_children(actor).filter(pk=episode.child_id).exists():
        return None
    audit.record(actor, "view", OBJECT, profile.pk, child_id=child.pk)
    return profile, getattr(profile, "photo_id", None)


def attention_for(actor: Actor) -> list[tuple[MissingProfile, list[str]]]:
    """The profiles the actor's organisation owns that are past their review date or have
    no current photograph, most overdue first. Each child listed is an audited read."""
    org = actor.organisation
    if org is None or not may_keep_profiles(actor):
        raise AccessDenied("Your role does not allow you to keep missing profiles.")
    found = list(_attention(MissingProfile.objects.filter(owner=org)).select_related("child"))
    audit.record_many_reads(
        actor, "child", sorted({p.child_id for p in found}), action="list_result"
    )
    return [(p, needs_attention(p, bool(getattr(p, "has_photo", False)))) for p in found]


def _attention(profiles: QuerySet[MissingProfile]) -> QuerySet[MissingProfile]:
    """Profiles past review or without a photograph, annotated ``has_photo``."""
    photo = Exists(ProfilePhoto.objects.filter(profile=OuterRef("pk"), current=True))
    return (
        profiles.annotate(has_photo=photo)
        .filter(Q(review_date__lt=today()) | Q(has_photo=False))
        .order_by("review_date", "pk")
    )


def needing_attention() -> QuerySet[MissingProfile]:
    """Every profile past its review date or without a photograph (the worker's sweep)."""
    return _attention(MissingProfile.objects.all())


# --- writing ------------------------------------------------------------------------------


def _rows(
    value: object, keys: tuple[str, ...], noun: str, required: str, message: str
) -> tuple[list[dict[str, str]], list[str]]:
    """The rows given, without wholly blank ones; errors name the row ("Associate 2: ...")."""
    rows: list[dict[str, str]] = []
    errors: list[str] = []
    if not isinstance(value, list):
        return rows, [f"{noun}s must be a list"] if value not in (None, "") else []
    for index, raw in enumerate(value, start=1):
        if not isinstance(raw, Mapping):
            errors.append(f"{noun} {index}: send the {noun.lower()}'s details")
            continue
        row = {key: str(raw.get(key) or "").strip() for key in keys}
        if not any(row.values()):
            continue
        if not row[required]:
            errors.append(f"{noun} {index}: {message}")
        if any(len(text) > LIST_ITEM_LIMIT or "\x00" in text for text in row.values()):
            errors.append(
                f"{noun} {index}: each answer must be {LIST_ITEM_LIMIT} characters or fewer"
            )
        rows.append(row)
    if len(rows) > LIST_LIMIT:
        errors.append(f"Give at most {LIST_LIMIT} {noun.lower()}s")
    return rows, errors


def _review_date_errors(value: object) -> list[str]:
    if value is None or value == "":
        return ["Enter the date the profile is next to be reviewed"]
    if not isinstance(value, date):
        return ["The review date must be a real date"]
    if value < today():
        return ["The review date must be today or in the future"]
    return []


def clean(data: Mapping[str, Any]) -> dict[str, Any]:
    """The profile's fields from ``data``, or ValidationFailed naming each wrong one."""
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        text = data.get(name) or ""
        values[name] = text.strip() if isinstance(text, str) else text
        if not isinstance(text, str):
            errors[name] = [f"{FIELD_NAMES[name]} must be text"]
        elif len(text) > LONG_TEXT:
            errors[name] = [f"{FIELD_NAMES[name]} must be {LONG_TEXT} characters or fewer"]
    errors.update(text_errors(MissingProfile, {k: v for k, v in values.items() if k not in errors}))
    review = _review_date_errors(data.get("review_date"))
    if review:
        errors["review_date"] = review
    values["review_date"] = data.get("review_date")
    values["associates"], wrong = _rows(
        data.get("associates"), ASSOCIATE_KEYS, "Associate", "name", "enter a name"
    )
    if wrong:
        errors["associates"] = wrong
    values["places"], wrong = _rows(
        data.get("places"), PLACE_KEYS, "Place", "place", "enter the place or address"
    )
    if wrong:
        errors["places"] = wrong
    if errors:
        raise ValidationFailed(errors)
    return values


@transaction.atomic
@bus.in_unit_of_work
def save_profile(
    actor: Actor, child_id: object, data: Mapping[str, Any], version: int | None
) -> MissingProfile:
    """Write the child's profile, or change it (``version``: the one the actor saw; None
    or 0 to write the first). Owned by the current home, or else the responsible council."""
    child = visible_child(actor, child_id)
    existing = profile_of(child)
    if not may_keep(actor, child, existing):
        raise AccessDenied("Your role does not allow you to keep this child's missing profile.")
    values = clean(data)
    now = clock.now()
    if existing is None:
        if version:
            raise StaleEdit("The profile you were editing no longer exists.", [], 0)
        profile = MissingProfile(
            child=child, owner=default_owner(child), created_at=now, version=1, **values
        )
    else:
        profile = MissingProfile.objects.select_for_update().get(pk=existing.pk)
        if version != profile.version:
            changed = [k for k, v in values.items() if getattr(profile, k) != v]
            raise StaleEdit(
                "Someone else changed this profile since you opened it. Check their "
                "changes, then make yours again.",
                changed,
                profile.version,
            )
        for name, value in values.items():
            setattr(profile, name, value)
        profile.version += 1
    profile.updated_at = now
    profile.updated_by = actor.user
    profile.updated_by_organisation = actor.organisation
    profile.save()
    record_change(
        actor,
        ProfileSaved(
            aggregate_id=profile.pk,
            child_id=profile.child_id,
            version=profile.version,
            created=existing is None,
            owner=profile.owner_id,
        ),
        action="create" if existing is None else "update",
        details={"version": profile.version},
    )
    return profile


def review_date_offered(profile: MissingProfile | None) -> date:
    """What the form offers: the profile's own date, or three months ahead."""
    if profile is not None and profile.review_date >= today():
        return profile.review_date
    return default_review_date()
