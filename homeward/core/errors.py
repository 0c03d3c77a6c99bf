"""Errors raised by service functions. Views and the API turn these into pages and
RFC 9457 problem documents; nothing below a service ever returns a 500 for bad input."""

from __future__ import annotations


class ServiceError(Exception):
    """Base class: carries a human message safe to show to the user who caused it."""

    status = 400
    title = "The request could not be completed"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationFailed(ServiceError):
    """One or more fields are wrong. ``errors`` maps field name to messages."""

    status = 422
    title = "There is a problem with what was entered"

    def __init__(self, errors: dict[str, list[str]] | dict[str, str], message: str = "") -> None:
        normalised = {k: [v] if isinstance(v, str) else list(v) for k, v in errors.items()}
        self.errors: dict[str, list[str]] = normalised
        first = next(iter(normalised.values()), [""])[0]
        super().__init__(message or first)


class AccessDenied(ServiceError):
    """The actor's role does not allow this action on a record they can see."""

    status = 403
    title = "You do not have permission to do this"


class NotFound(ServiceError):
    """The record does not exist, or the actor has no relationship that lets them see it.

    The two are deliberately indistinguishable so that nobody learns a child exists."""

    status = 404
    title = "Not found"


class StaleEdit(ServiceError):
    """Someone else changed the record since the actor loaded it."""

    status = 409
    title = "This record has changed since you opened it"

    def __init__(self, message: str, changed_fields: list[str], current_version: int) -> None:
        super().__init__(message)
        self.changed_fields = changed_fields
        self.current_version = current_version
