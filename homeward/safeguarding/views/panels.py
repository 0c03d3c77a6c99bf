"""The parts of other apps' pages that safeguarding draws: the child's page, the report
page and the episode's page each include ``safeguarding/panels/<part>.html`` with the
context these functions give. Each part belongs to its noun's module."""

from __future__ import annotations

from typing import Any

from homeward.children.models import Child
from homeward.core.actor import Actor
from homeward.episodes.models import Episode
from homeward.safeguarding.views import briefing, peers, persons, places, plans, profiles, protocols


def child_panels(actor: Actor, child: Child) -> dict[str, Any]:
    """Context for the child's page: the profile and the plan."""
    return {
        **profiles.child_panel(actor, child),
        **plans.child_panel(actor, child),
        **persons.child_panel(actor, child),
        **places.child_panel(actor, child),
        **peers.child_panel(actor, child),
    }


def report_panels(actor: Actor, child: Child) -> dict[str, Any]:
    """Context for the report page: the plan's "if missing" steps and the profile."""
    return {**profiles.report_panel(actor, child), **plans.report_panel(actor, child)}


def episode_panels(actor: Actor, episode: Episode) -> dict[str, Any]:
    """Context for the episode's page: briefing sheet, appeal and the home's protocol."""
    return {
        **briefing.episode_panel(actor, episode),
        **protocols.episode_panel(actor, episode),
        **places.episode_panel(actor, episode),
    }
