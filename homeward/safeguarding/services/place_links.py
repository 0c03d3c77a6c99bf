"""A place in a child's story: linking it to an episode (last seen, found, stayed, goes
there), to a return interview ("where I stayed") or to the child's profile ("goes
there"), and unlinking it (soft: ``removed_at``; the link stays in the trail).

Who: ``Action.RECORD_PLACE``, and sight of the child: of the episode in full
(``get_episode``), of the interview (its council or provider: ``interviews_for``), or of
the child (``get_child``). An unlink is by anyone who could have made the link."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet

from homeward.aftercare.models import ReturnInterview
from homeward.aftercare.services.reads import interviews_for
from homeward.audit import services as audit
from homeward.children.models import Child
from homeward.children.visibility import get_child, visible_children
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, NotFound, ValidationFailed
from homeward.core.validation import LONG_TEXT, implausible_time, too_long
from homeward.episodes.models import Episode
from homeward.episodes.visibility import get_episode, visible_episodes
from homeward.events import bus
from homeward.events.change import record_change
from homeward.organisations.policy import Action, role_allows
from homeward.safeguarding.events import PlaceLinked, PlaceUnlinked
from homeward.safeguarding.models import Place, PlaceLink, PlaceRole
from homeward.safeguarding.services.places import get_place

NOT_FOUND = "No such link to a place was found."
EPISODE_ROLES = (PlaceRole.LAST_SEEN, PlaceRole.FOUND, PlaceRole.STAYED, PlaceRole.FREQUENTED)


def _when(at: datetime | None, default: datetime, episode: Episode | None) -> datetime:
    when = at or default
    if implausible_time(when) or clock.is_future(when):
        raise ValidationFailed({"occurred_at": "The date and time must not be in the future"})
    if episode is not None and at is not None and at < episode.last_seen_at:
        raise ValidationFailed(
            {"occurred_at": "The date and time must be after the child was last seen"}
        )
    return when


def _notes(notes: str) -> str:
    text = notes.strip()
    if "\x00" in text:
        raise ValidationFailed(
            {"notes": "Remove the invisible control characters from this answer"}
        )
    if len(text) > LONG_TEXT:
        raise ValidationFailed({"notes": too_long("Notes", LONG_TEXT)})
    return text


def _save(actor: Actor, link: PlaceLink) -> PlaceLink:
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError:
        role = link.get_role_display().lower()
        raise ValidationFailed(
            {"role": f"This place is already linked to this episode as {role}"}
        ) from None
    record_change(
        actor,
        PlaceLinked(
            aggregate_id=link.pk,
            child_id=link.child_id,
            place=link.place_id,
            role=link.role,
            episode=link.episode.reference if link.episode else None,
            interview=link.interview_id,
        ),
        action="link_place",
        details={"place": link.place_id, "role": link.role},
    )
    return link


def _new(
    actor: Actor, place: Place, child: Child, role: str, at: datetime, notes: str
) -> PlaceLink:
    return PlaceLink(
        place=place,
        child=child,
        role=role,
        occurred_at=at,
        notes=_notes(notes),
        recorded_at=clock.now(),
        recorded_by=actor.user,
        recorded_by_organisation=actor.organisation,
    )


def _place_for(actor: Actor, place_id: object) -> Place:
    if not role_allows(actor, Action.RECORD_PLACE):
        raise AccessDenied("Your role does not allow you to record places.")
    return get_place(actor, place_id)


@transaction.atomic
@bus.in_unit_of_work
def link_to_episode(
    actor: Actor,
    place_id: object,
    reference: str,
    role: str,
    *,
    occurred_at: datetime | None = None,
    notes: str = "",
) -> PlaceLink:
    """The place in an episode: last seen, found, stayed while missing, or goes there.
    When is the episode's (last seen; found at its return), unless given."""
    place = _place_for(actor, place_id)
    episode = get_episode(actor, reference, Action.RECORD_PLACE)
    if role not in EPISODE_ROLES:
        raise ValidationFailed({"role": "Select how the place is part of this episode"})
    default = episode.last_seen_at
    if role == PlaceRole.FOUND and episode.returned_at is not None:
        default = episode.returned_at
    at = _when(occurred_at, default, episode)
    link = _new(actor, place, episode.child, role, at, notes)
    link.episode = episode
    return _save(actor, link)


def interview_for(actor: Actor, interview_id: object) -> ReturnInterview:
    """An interview the actor's organisation does or commissions; NotFound otherwise."""
    try:
        pk = int(str(interview_id))
    except ValueError:
        raise NotFound("No return interview was found.") from None
    found = interviews_for(actor).filter(pk=pk).first() if 0 < pk < 2**31 else None
    if found is None:
        raise NotFound("No return interview was found.")
    return found


@transaction.atomic
@bus.in_unit_of_work
def link_to_interview(
    actor: Actor,
    place_id: object,
    interview_id: object,
    *,
    occurred_at: datetime | None = None,
    notes: str = "",
) -> PlaceLink:
    """Where the child stayed, as they said in their return interview. It is linked to
    the interview's latest episode too, so it counts once for that episode."""
    place = _place_for(actor, place_id)
    interview = interview_for(actor, interview_id)
    episode = interview.episodes.order_by("-last_seen_at").first()
    at = _when(occurred_at, episode.last_seen_at if episode else clock.now(), episode)
    link = _new(actor, place, interview.child, PlaceRole.STAYED, at, notes)
    link.interview = interview
    link.episode = episode
    return _save(actor, link)


@transaction.atomic
@bus.in_unit_of_work
def link_to_child(
    actor: Actor, place_id: object, child_id: object, *, notes: str = ""
) -> PlaceLink:
    """A place the child is known to go (their missing profile): dated when recorded."""
    place = _place_for(actor, place_id)
    child = get_child(actor, child_id, Action.RECORD_PLACE)
    link = _new(actor, place, child, PlaceRole.FREQUENTED, clock.now(), notes)
    return _save(actor, link)


@transaction.atomic
@bus.in_unit_of_work
def unlink(actor: Actor, link_id: object) -> PlaceLink:
    """Take a link away (it is kept, marked removed). For anyone who records places and
    sees the child."""
    if not role_allows(actor, Action.RECORD_PLACE):
        raise AccessDenied("Your role does not allow you to record places.")
    try:
        pk = int(str(link_id))
    except ValueError:
        raise NotFound(NOT_FOUND) from None
    link = (
        PlaceLink.objects.select_for_update(of=("self",))
        .select_related("episode")
        .filter(pk=pk, removed_at__isnull=True, child__in=visible_children(actor))
        .first()
        if 0 < pk < 2**31
        else None
    )
    if link is None:
        raise NotFound(NOT_FOUND)
    link.removed_at = clock.now()
    link.save(update_fields=["removed_at"])
    record_change(
        actor,
        PlaceUnlinked(
            aggregate_id=link.pk,
            child_id=link.child_id,
            place=link.place_id,
            role=link.role,
            episode=link.episode.reference if link.episode else None,
            interview=link.interview_id,
        ),
        action="unlink_place",
        details={"place": link.place_id, "role": link.role},
    )
    return link


# --- the links beside an episode or a child --------------------------------------------------


def live_links() -> QuerySet[PlaceLink]:
    return PlaceLink.objects.filter(removed_at__isnull=True).select_related("place")


def links_of_episode(episode: Episode) -> list[PlaceLink]:
    """The episode's places (the caller has read the episode, audited)."""
    return list(live_links().filter(episode=episode).order_by("occurred_at", "pk"))


def links_of_child(child: Child) -> list[PlaceLink]:
    """The places the child (any record linked as them) is known to go, and where they
    were (the caller has read the child, audited)."""
    return list(
        live_links()
        .filter(child__person_id=child.person_id)
        .select_related("episode")
        .order_by("-occurred_at", "-pk")
    )


@dataclass(frozen=True)
class LinkTarget:
    """What a new or chosen place is to be linked to: an episode, an interview or a child
    (at most one), each found through the actor's own sight of it."""

    episode: Episode | None = None
    interview: ReturnInterview | None = None
    child: Child | None = None

    @property
    def any(self) -> bool:
        return bool(self.episode or self.interview or self.child)


def target(actor: Actor, *, episode: str = "", interview: str = "", child: str = "") -> LinkTarget:
    """The link target named by a page's query, checked: NotFound for one not seen."""
    if not (episode or interview or child):
        return LinkTarget()
    if not role_allows(actor, Action.RECORD_PLACE):
        raise AccessDenied("Your role does not allow you to record places.")
    if episode:
        found = LinkTarget(episode=get_episode(actor, episode[:40], Action.RECORD_PLACE))
    elif interview:
        found = LinkTarget(interview=interview_for(actor, interview))
    else:
        found = LinkTarget(child=get_child(actor, child, Action.RECORD_PLACE))
    # The page names the child: a read of them.
    named = found.episode or found.interview or found.child
    assert named is not None
    child_id = named.pk if isinstance(named, Child) else named.child_id
    audit.record(actor, "view", "place_target", named.pk, child_id=child_id)
    return found


def link_to(
    actor: Actor, place_id: object, to: LinkTarget, *, role: str = "", notes: str = ""
) -> PlaceLink:
    """Link the place to the target: the episode in ``role``, the interview as stayed, the
    child as goes there."""
    if to.episode is not None:
        return link_to_episode(actor, place_id, to.episode.reference, role, notes=notes)
    if to.interview is not None:
        return link_to_interview(actor, place_id, to.interview.pk, notes=notes)
    assert to.child is not None
    return link_to_child(actor, place_id, to.child.pk, notes=notes)


def visible_links_of_child(actor: Actor, child: Child) -> list[PlaceLink]:
    """The child's places for the child's page: a place of an episode the actor knows only
    in outline (a home's, an interviewer's view of other episodes) is left out. One query."""
    seen = visible_episodes(actor).filter(child__person_id=child.person_id).values("pk")
    return list(
        live_links()
        .filter(child__person_id=child.person_id)
        .filter(Q(episode__isnull=True) | Q(episode__in=seen))
        .select_related("episode")
        .order_by("-occurred_at", "-pk")
    )


def visible_link(actor: Actor, link_id: object) -> PlaceLink:
    """A live link of a child the actor sees, for the page that takes it away."""
    if not role_allows(actor, Action.RECORD_PLACE):
        raise AccessDenied("Your role does not allow you to record places.")
    try:
        pk = int(str(link_id))
    except ValueError:
        raise NotFound(NOT_FOUND) from None
    found = (
        live_links()
        .select_related("child", "episode")
        .filter(pk=pk, child__in=visible_children(actor))
        .first()
        if 0 < pk < 2**31
        else None
    )
    if found is None:
        raise NotFound(NOT_FOUND)
    audit.record(actor, "view", "place_link", found.pk, child_id=found.child_id)
    return found
