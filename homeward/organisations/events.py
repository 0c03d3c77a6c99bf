"""The domain events of accounts and organisations."""

from __future__ import annotations

from typing import ClassVar

from pydantic import AliasChoices, Field

from homeward.events.types import Event


class UserEvent(Event):
    aggregate_type: ClassVar[str] = "user"
    organisation: int


class UserAdded(UserEvent):
    name: ClassVar[str] = "account.user_added"
    role: str
    by: int | None


class UserRoleChanged(UserEvent):
    name: ClassVar[str] = "account.role_changed"
    from_: str = Field(validation_alias=AliasChoices("from_", "from"), serialization_alias="from")
    to: str


class UserDeactivated(UserEvent):
    name: ClassVar[str] = "account.user_deactivated"


class UserMfaReset(UserEvent):
    name: ClassVar[str] = "account.mfa_reset"


class PasswordLinkIssued(UserEvent):
    name: ClassVar[str] = "account.password_link_issued"


class ApiTokenRevoked(Event):
    name: ClassVar[str] = "account.api_token_revoked"
    aggregate_type: ClassVar[str] = "api_token"
    user: int
