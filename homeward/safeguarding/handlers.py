"""What safeguarding does, in the emitting transaction, when something happens elsewhere:
the profile follows the child to a new placement and reaches the police at a report; a
trigger opens a review of the plan; a report from a home starts the home's protocol."""

from __future__ import annotations

from homeward.safeguarding import handlers_profiles


def connect() -> None:
    """Importing the handler modules registers them on the bus."""
    handlers_profiles.register_notifications()
