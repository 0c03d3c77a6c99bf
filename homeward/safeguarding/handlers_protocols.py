"""A report from a children's home about a child who lives there starts the home's missing
protocol for the episode, in the report's own transaction; and who hears that a sign-off
is due."""

from __future__ import annotations

from homeward.core.actor import Actor
from homeward.episodes.events import EpisodeReported
from homeward.episodes.models import Episode
from homeward.events.bus import on
from homeward.notifications import rules
from homeward.organisations.models import OrganisationKind
from homeward.safeguarding.events import SignOffDue
from homeward.safeguarding.models.protocols import HomeProtocol, ProtocolRun
from homeward.safeguarding.services import runs


@on(EpisodeReported)
def start_protocol_on_report(event: EpisodeReported, actor: Actor | None) -> None:
    org = actor.organisation if actor is not None else None
    if org is None or org.kind != OrganisationKind.CARE_PROVIDER:
        return  # only a home's own report starts its protocol: no query for the others
    episode = (
        Episode.objects.select_related("reporting_organisation", "child__current_placement")
        .filter(reference=event.aggregate)
        .first()
    )
    if episode is None or actor is None:
        return
    home = episode.reporting_organisation
    if home.kind != OrganisationKind.CARE_PROVIDER or runs.current_home_id(episode) != home.pk:
        return
    protocol = HomeProtocol.objects.filter(home=home).prefetch_related("steps").first()
    if protocol is None or ProtocolRun.objects.filter(episode=episode).exists():
        return
    runs.begin(actor, episode, protocol)


def register() -> None:
    rules.register_event(
        SignOffDue.name,
        {rules.HOME_MANAGER},
        "Protocol sign-off due",
        "/episodes/{episode}/protocol",
    )
