"""What aftercare does when episodes change: a return opens (or extends) the child's
return interview, and an episode cannot close until its check and interview are recorded.
Registered in AftercareConfig.ready()."""

from __future__ import annotations

from homeward.aftercare import services
from homeward.core.actor import Actor
from homeward.episodes.events import EpisodeReturned
from homeward.episodes.models import Episode
from homeward.episodes.steps import CLOSING
from homeward.events.bus import on


@on(EpisodeReturned)
def open_interview_on_return(event: EpisodeReturned, actor: Actor | None) -> None:
    assert actor is not None, "a return is always recorded by someone"
    episode = Episode.objects.select_related("child__responsible_council").get(
        reference=event.aggregate
    )
    services.open_interview_for_return(actor, episode)


@CLOSING.register
def aftercare_recorded(episode: Episode) -> list[str]:
    return services.outstanding(episode).blocks_closing


def connect() -> None:
    """Importing this module registers its handlers; ready() calls this to say so."""
