"""What a user can do next with children: add one, confirm who is responsible.
Reporting a child missing is an episode's step (homeward.episodes.steps.report). Pages
offer a step only when it is available; the services refuse it when it is not."""

from __future__ import annotations

from homeward.children.models import Child
from homeward.core.actor import Actor
from homeward.organisations.policy import Action, Step, step

ALREADY_CONFIRMED = "The responsible council is already confirmed"


def add(actor: Actor) -> Step:
    return step(actor, Action.CREATE_CHILD)


def confirm_council(actor: Actor, child: Child) -> Step:
    """The council holding a record provisionally says who is responsible."""
    org = actor.organisation
    if org is None or org.pk != child.responsible_council_id:
        return Step(allowed=False)
    return step(
        actor,
        Action.UPDATE_CHILD,
        "" if child.responsible_council_provisional else ALREADY_CONFIRMED,
    )
