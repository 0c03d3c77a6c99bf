"""What the missing profile does when something happens elsewhere, in the same
transaction: it moves with the child to a new placement, and it is given to the police
force the moment the child is reported missing. Imported by ``handlers.connect()``."""

from __future__ import annotations

from homeward.children.events import PlacementStarted
from homeward.children.models import Child, Placement
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.episodes.events import EpisodeEvent, EpisodeReported, FurtherReport
from homeward.episodes.models import Episode
from homeward.events.bus import on
from homeward.events.change import record_change
from homeward.notifications import rules
from homeward.organisations.models import OrganisationKind
from homeward.safeguarding.events import ProfileGivenToPolice, ProfileMoved, ProfileNeedsAttention
from homeward.safeguarding.models import MissingProfile, ProfileDisclosure


@on(PlacementStarted)
def move_with_the_child(event: PlacementStarted, actor: Actor | None) -> None:
    """A profile kept by the home the child has left goes to the new home (or, with no
    home, to the responsible council): the new home sees and keeps it, the old does not."""
    placement = Placement.objects.select_related("provider").get(pk=event.placement)
    child = Child.objects.select_related("responsible_council").get(pk=placement.child_id)
    profile = (
        MissingProfile.objects.select_for_update()
        .select_related("owner")
        .filter(child__person_id=child.person_id)
        .order_by("pk")
        .first()
    )
    if profile is None or profile.owner.kind != OrganisationKind.CARE_PROVIDER:
        return  # a council's profile stays with the council
    new_owner = placement.provider or child.responsible_council
    if profile.owner_id == new_owner.pk:
        return
    moved_from = profile.owner_id
    profile.owner = new_owner
    profile.updated_at = clock.now()
    profile.save(update_fields=["owner", "updated_at"])
    record_change(
        actor or Actor.system(),
        ProfileMoved(
            aggregate_id=profile.pk,
            child_id=profile.child_id,
            from_owner=moved_from,
            owner=new_owner.pk,
        ),
        action="move",
        details={"from_owner": moved_from, "owner": new_owner.pk, "placement": placement.pk},
    )


@on(EpisodeReported, FurtherReport)
def give_to_the_police(event: EpisodeEvent, actor: Actor | None) -> None:
    """The profile, as it stands, is disclosed to the episode's force: once per version."""
    # One query when the child has no profile (a report's hot path): the profile of the
    # person the episode's child record belongs to.
    if event.child_id is None:
        return
    person = Child.objects.filter(pk=event.child_id).values("person_id")
    profile = MissingProfile.objects.filter(child__person_id__in=person).order_by("pk").first()
    if profile is None:
        return
    episode = Episode.objects.get(reference=event.aggregate)
    disclosure, created = ProfileDisclosure.objects.get_or_create(
        profile=profile,
        episode=episode,
        organisation_id=episode.police_force_id,
        defaults={"profile_version": profile.version, "disclosed_at": clock.now()},
    )
    if not created:
        if disclosure.profile_version == profile.version:
            return
        disclosure.profile_version = profile.version
        disclosure.disclosed_at = clock.now()
        disclosure.save(update_fields=["profile_version", "disclosed_at"])
    record_change(
        actor or Actor.system(),
        ProfileGivenToPolice(
            aggregate_id=profile.pk,
            child_id=profile.child_id,
            episode=episode.reference,
            force=episode.police_force_id,
        ),
        action="disclose",
        details={
            "episode": episode.reference,
            "force": episode.police_force_id,
            "version": profile.version,
        },
    )


def register_notifications() -> None:
    rules.register_event(
        ProfileNeedsAttention.name,
        {rules.OWNING_ORGANISATION},
        "Missing profile needs attention",
        "/children/{child}/profile",
    )
