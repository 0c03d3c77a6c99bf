"""What safeguarding does, in the emitting transaction, when something happens elsewhere:
the profile follows the child to a new placement and reaches the police at a report; a
trigger opens a review of the plan; a return withdraws a public appeal; a report from a
home starts the home's protocol."""

from __future__ import annotations

# Each module registers its handlers on the bus when imported.
from homeward.safeguarding import (
    handlers_appeals,
    handlers_meetings,
    handlers_notices,
    handlers_plans,
    handlers_profiles,
    handlers_protocols,
)


def connect() -> None:
    """Who is told about each event of this app is registered with the notification
    rules here (the handlers registered themselves on import)."""
    handlers_plans.register()
    handlers_profiles.register_notifications()
    handlers_appeals.register_notifications()
    handlers_protocols.register()
    handlers_meetings.register()
    handlers_notices.register()
