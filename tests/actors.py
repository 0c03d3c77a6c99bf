"""The user and organisation of an actor the tests made (a person, never the system)."""

from homeward.core.actor import Actor
from homeward.organisations.models import Organisation, User


def user_of(actor: Actor) -> User:
    assert actor.user is not None, actor
    return actor.user


def organisation_of(actor: Actor) -> Organisation:
    assert actor.organisation is not None, actor
    return actor.organisation
