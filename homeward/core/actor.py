"""Who is acting: a user, in one organisation, with one role, through one channel."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from homeward.organisations.models import Membership, Organisation, User


CHANNEL_UI = "ui"
CHANNEL_API = "api"
CHANNEL_CLI = "cli"
CHANNEL_SYSTEM = "system"


@dataclass(frozen=True)
class Actor:
    user: User | None
    membership: Membership | None
    channel: str = CHANNEL_UI

    @property
    def organisation(self) -> Organisation | None:
        return self.membership.organisation if self.membership else None

    @property
    def role(self) -> str | None:
        return self.membership.role if self.membership else None

    @property
    def label(self) -> str:
        if self.user is None:
            return "Homeward"
        return self.user.get_full_name() or self.user.get_username()

    @classmethod
    def for_user(cls, user: User, channel: str = CHANNEL_UI) -> Actor:
        return cls(user=user, membership=user.active_membership(), channel=channel)

    @classmethod
    def system(cls) -> Actor:
        return cls(user=None, membership=None, channel=CHANNEL_SYSTEM)
