"""When a child withdraws their consent, the items of their own account leave the
council's themes at once, in the same transaction (the next grouping would drop them too:
the words are gone). Registered in ThemesConfig.ready()."""

from __future__ import annotations

from homeward.aftercare.events import OwnAccountConsentWithdrawn
from homeward.core.actor import Actor
from homeward.events.bus import on
from homeward.themes.models import ThemeItem
from homeward.themes.sources import OWN_ACCOUNT_FIELDS


@on(OwnAccountConsentWithdrawn)
def drop_withdrawn_words(event: OwnAccountConsentWithdrawn, _actor: Actor | None) -> None:
    ThemeItem.objects.filter(
        interview_id=int(event.aggregate_id), source__in=list(OWN_ACCOUNT_FIELDS)
    ).delete()
