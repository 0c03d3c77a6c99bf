"""The audited reads of episodes."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet

from homeward.audit import services as audit
from homeward.core.actor import Actor
from homeward.episodes import visibility
from homeward.episodes.models import (
    Episode,
)
from homeward.episodes.services.rules import OBJECT
from homeward.organisations import policy
from homeward.organisations.policy import Action

# --- reads -------------------------------------------------------------------------------


def read_episode(actor: Actor, reference: str) -> Episode:
    episode = visibility.get_episode(actor, reference, Action.SEE_EPISODES)
    audit.record(actor, "view", OBJECT, episode.reference, child_id=episode.child_id)
    return episode


def list_episodes(
    actor: Actor,
    *,
    status: str | None = None,
    child_id: int | None = None,
    risk_grade: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[Episode]:
    policy.require_role(actor, Action.SEE_EPISODES)
    qs = visibility.visible_episodes(actor).select_related("child", "police_force")
    if status:
        qs = qs.filter(status=status)
    if child_id:
        qs = qs.filter(child_id=child_id)
    if risk_grade:
        qs = qs.filter(risk_grade=risk_grade)
    if since:
        qs = qs.filter(last_seen_at__gte=since)
    if until:
        qs = qs.filter(last_seen_at__lt=until)
    return qs.order_by("-last_seen_at")


def audit_listed(actor: Actor, episodes: list[Episode]) -> None:
    """Lists that show children's names are reads of those children: audit each."""
    audit.record_many_reads(
        actor, "child", sorted({e.child_id for e in episodes}), action="list_result"
    )
