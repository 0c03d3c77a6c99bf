"""A public appeal ends when the child is found: a return withdraws the episode's live
appeal, as Homeward, in the return's own transaction."""

from __future__ import annotations

from homeward.core.actor import Actor
from homeward.episodes.events import EpisodeReturned
from homeward.events.bus import on
from homeward.notifications import rules
from homeward.safeguarding.events import AppealAgreed, AppealWithdrawn
from homeward.safeguarding.models.profiles import PublicAppeal
from homeward.safeguarding.services import appeals


@on(EpisodeReturned)
def withdraw_appeal_on_return(event: EpisodeReturned, actor: Actor | None) -> None:  # noqa: ARG001
    # One query for the usual return, with no appeal to withdraw.
    live = PublicAppeal.objects.filter(
        episode__reference=event.aggregate, withdrawn_at__isnull=True
    ).exists()
    if live:
        appeals.withdraw_on_return(Actor.system(), event.aggregate)


def register_notifications() -> None:
    """The child's council's missing coordinators hear of an appeal agreed and withdrawn:
    once withdrawn, any copy published is to be taken down."""
    rules.register_event(
        AppealAgreed.name, {rules.COORDINATOR}, "Public appeal agreed", "/episodes/{episode}/"
    )
    rules.register_event(
        AppealWithdrawn.name,
        {rules.COORDINATOR},
        "Public appeal withdrawn: take down any copy published",
        "/episodes/{episode}/",
    )
