"""When a child withdraws their consent to their own words being used, the council's
stored board reports for the quarter the words were given in are made again, in the same
transaction, so the words leave the stored figures, HTML and PDF at once (and a report
made later never had them: ``board.quotes`` reads the consent). Registered in
InsightsConfig.ready()."""

from __future__ import annotations

from datetime import datetime

from homeward.aftercare.events import OwnAccountConsentWithdrawn
from homeward.core.actor import Actor
from homeward.events.bus import on
from homeward.insights import board
from homeward.insights import counting as c
from homeward.insights.models import BoardReport
from homeward.organisations.models import Organisation


@on(OwnAccountConsentWithdrawn)
def remake_board_reports(event: OwnAccountConsentWithdrawn, actor: Actor | None) -> None:
    year, quarter = c.quarter_of(c.local_date(datetime.fromisoformat(event.given_at)))
    stored = BoardReport.objects.filter(council_id=event.council, year=year, quarter=quarter)
    if not stored.exists():
        return
    council = Organisation.objects.get(pk=event.council)
    board.generate(council, year, quarter, actor)


def connect() -> None:
    """Importing this module registers its handler; ready() calls this to say so."""
