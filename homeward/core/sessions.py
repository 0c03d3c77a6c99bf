"""Sessions in the database, written only when something is to be written.

Django saves every session on every request (SESSION_SAVE_EVERY_REQUEST), so that each
request restarts the inactivity clock (SESSION_COOKIE_AGE). This store keeps that rule but
skips the write when the session's data did not change and its expiry was restarted less
than ``HOMEWARD_SESSION_RENEW_SECONDS`` ago (60 by default): an idle session still ends
SESSION_COOKIE_AGE after the request that last restarted its clock, at most that many
seconds sooner than after the very last request. A page view costs no write."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

from homeward.core import clock

# Sessions from before homeward.organisations.backends took over from Django's backend.
DJANGO_BACKEND = "django.contrib.auth.backends.ModelBackend"
SUCCESSOR_BACKEND = "homeward.organisations.backends.MembershipBackend"


def renew_after() -> timedelta:
    return timedelta(seconds=getattr(settings, "HOMEWARD_SESSION_RENEW_SECONDS", 60))


class SessionStore(DatabaseSessionStore):
    loaded_expiry: datetime | None = None

    def _get_session_from_db(self) -> Any:
        stored = super()._get_session_from_db()  # type: ignore[misc]  # not in the stubs
        self.loaded_expiry = stored.expire_date if stored is not None else None
        return stored

    def load(self) -> dict[str, Any]:
        data: dict[str, Any] = super().load()
        # A session signed in through Django's own backend is now its successor's, which
        # reads the user the same way (homeward.organisations.backends).
        if data.get(BACKEND_SESSION_KEY) == DJANGO_BACKEND:
            data[BACKEND_SESSION_KEY] = SUCCESSOR_BACKEND
        return data

    def fresh(self) -> bool:
        """Saved, unchanged since, and its expiry restarted within the renewal interval."""
        if self.modified or self.session_key is None or self.loaded_expiry is None:
            return False
        restarted = self.loaded_expiry - timedelta(seconds=self.get_expiry_age())
        return clock.now() - restarted < renew_after()

    def save(self, must_create: bool = False) -> None:
        if not must_create and self.fresh():
            return
        super().save(must_create=must_create)
        self.loaded_expiry = None
