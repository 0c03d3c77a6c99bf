"""Which episodes an actor sees, in full or in outline: the visibility queries over the
episodes' records (docs/access.md).

An actor sees in full the episodes of the children they see (``homeward.children.
visibility``), narrowed for a children's home to what it looks after now. An organisation
whose part is narrower than the child's whole history may instead be given an episode
scope by the app whose records define it, with ``episode_scope(kind)``, registered when
that app's visibility module is imported (from its ``AppConfig.ready()``): aftercare gives
the return-interview provider only the episodes its interviews cover. Nothing here
imports that app.

Importing this module also registers episodes' own relationship with a child: a police
force an episode was reported to, or that found the child, sees the child.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Exists, OuterRef, Q, QuerySet

from homeward.children import visibility as children_visibility
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, NotFound
from homeward.episodes.models import Episode, EpisodeStatus, TimelineEntry, TimelineKind
from homeward.organisations.models import Organisation, OrganisationKind
from homeward.organisations.policy import OUTLINE_KINDS, Action, role_allows

# An episode scope: given an organisation, the condition (over Episode) for the only
# episodes it sees in full.
Scope = Callable[[Organisation], Q]

_scopes: dict[str, Scope] = {}


def register_episode_scope(kind: str, scope: Scope) -> Scope:
    """Give organisations of ``kind`` only the episodes ``scope`` gives for them, instead
    of every episode of the children they see. One scope for a kind."""
    registered = _scopes.setdefault(kind, scope)
    if registered is not scope:
        raise ValueError(f"An episode scope is already registered for {kind!r}")
    return scope


def episode_scope(kind: str) -> Callable[[Scope], Scope]:
    """``register_episode_scope`` as a decorator."""

    def register(scope: Scope) -> Scope:
        return register_episode_scope(kind, scope)

    return register


@children_visibility.relationship(OrganisationKind.POLICE)
def _force_of_an_episode(org: Organisation) -> Exists:
    """The force of the area the child went missing from, or was found in, and a force that
    reported the child while they were already missing (a further report on the open
    episode, as against a likely match it could not see): reporting is the relationship."""
    further = TimelineEntry.objects.filter(
        episode=OuterRef("pk"), kind=TimelineKind.FURTHER_REPORT, recorded_by_organisation=org
    )
    return Exists(
        Episode.objects.filter(child=OuterRef("pk")).filter(
            Q(police_force=org) | Q(found_police_force=org) | Exists(further)
        )
    )


def visible_episodes(actor: Actor) -> QuerySet[Episode]:
    """Episodes the actor sees in full: every field, the risk history and the timeline."""
    if not role_allows(actor, Action.SEE_EPISODES):
        return Episode.objects.none()
    org = actor.organisation
    scope = _scopes.get(org.kind) if org is not None else None
    if org is not None and scope is not None:
        # Only the episodes its part covers: what it needs, and nothing more.
        return Episode.objects.filter(scope(org)).distinct()
    visible = children_visibility.visible_children(actor)
    episodes = Episode.objects.filter(child__in=visible.values("pk"))
    if org is not None and org.kind == OrganisationKind.CARE_PROVIDER:
        # A home looks after the child now: the episodes from its own placements, and the
        # child's open episode. Earlier episodes (last seen at a family's address or
        # another home's) it knows only in outline: see episode_outlines().
        episodes = episodes.filter(Q(placement__provider=org) | Q(status=EpisodeStatus.MISSING))
    return episodes


def episode_outlines(actor: Actor, child: object) -> QuerySet[Episode]:
    """The child's other episodes, which the actor may know of only in outline (when last
    seen, when back, the risk grade and classification; never where, who or why): the
    missing history a children's home or an interviewer needs, without the addresses.

    Empty for everyone who sees all of a visible child's episodes in full."""
    org = actor.organisation
    if (
        org is None
        or org.kind not in OUTLINE_KINDS
        or not children_visibility.can(actor, Action.SEE_EPISODES, child)
    ):
        return Episode.objects.none()
    pk = int(str(getattr(child, "pk", child)))
    return (
        Episode.objects.filter(child_id=pk)
        .exclude(pk__in=visible_episodes(actor).filter(child_id=pk).values("pk"))
        .order_by("-last_seen_at")
    )


def get_episode(
    actor: Actor,
    reference: str,
    action: Action = Action.SEE_EPISODES,
    *,
    for_update: bool = False,
) -> Episode:
    """The episode, if the actor sees it in full; otherwise NotFound. Raises AccessDenied
    when they see it but their role cannot do ``action``. ``for_update`` locks the
    episode's row in the same read, for a change (inside the change's transaction)."""
    found = visible_episodes(actor)
    if for_update:
        # The visible set may be DISTINCT (an interviewer's), which cannot be locked: lock
        # the episode row it names, and only that row.
        found = Episode.objects.filter(pk__in=found.values("pk")).select_for_update(of=("self",))
    episode = (
        found.select_related("child", "police_force", "reporting_organisation")
        .filter(reference=reference)
        .first()
    )
    if episode is None:
        raise NotFound("No episode was found.")
    if not role_allows(actor, action):
        raise AccessDenied("Your role does not allow you to do this.")
    return episode
