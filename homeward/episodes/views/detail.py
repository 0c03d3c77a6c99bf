"""The episode page: everything recorded about one episode, and the steps the user may
take next (homeward.episodes.steps)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from homeward.children.models import Placement
from homeward.core.views import actor_of, web_view
from homeward.episodes import services, steps
from homeward.episodes.models import Episode
from homeward.safeguarding.views import panels as safeguarding_panels


@web_view
@require_http_methods(["GET"])
def detail(request: HttpRequest, reference: str) -> HttpResponse:
    actor = actor_of(request)
    episode = services.read_episode(actor, reference)
    linked_ids = list(episode.went_missing_with.values_list("pk", flat=True))
    linked = list(services.list_episodes(actor).filter(pk__in=linked_ids))
    services.audit_listed(actor, linked)
    return render(
        request,
        "episodes/detail.html",
        {
            **safeguarding_panels.episode_panels(actor, episode),
            "episode": episode,
            "risk_history": list(
                episode.risk_history.select_related("decided_by", "decided_by_organisation")
            ),
            "classification_history": list(
                episode.classification_history.select_related("changed_by")
            ),
            "timeline": list(
                episode.timeline.select_related("recorded_by", "recorded_by_organisation")
            ),
            "linked": linked,
            "linked_hidden": len(linked_ids) - len(linked),
            "placement": _placement(episode),
            "actions": steps.for_episode(actor, episode),
            "age": episode.child.age_on(timezone.localtime(episode.last_seen_at).date()),
            "contacts": _contacts(episode),
        },
    )


def _contacts(episode: Episode) -> dict[str, Any]:
    """Who answers for the child now: their council, allocated worker and placement."""
    child = episode.child
    allocation = (
        child.allocations.filter(end_date__isnull=True)
        .select_related("worker", "organisation")
        .order_by("-start_date", "-pk")
        .first()
    )
    placement = (
        Placement.objects.select_related("provider", "host_council")
        .filter(pk=child.current_placement_id)
        .first()
        if child.current_placement_id is not None
        else None
    )
    return {
        "council": child.responsible_council,
        "provisional": child.responsible_council_provisional,
        "worker": allocation,
        "placement": placement,
    }


def _placement(episode: Episode) -> Placement | None:
    """The placement the child was in when they went missing."""
    if episode.placement_id is None:
        return None
    return (
        Placement.objects.select_related("provider", "host_council")
        .filter(pk=episode.placement_id)
        .first()
    )
