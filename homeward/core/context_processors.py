from typing import Any

from django.http import HttpRequest

from homeward import navigation
from homeward.core.actor import Actor
from homeward.notifications.services import unread_count


def _membership(request: HttpRequest) -> Any:
    membership = getattr(request, "membership", None)
    if membership is None and getattr(request, "user", None) and request.user.is_authenticated:
        membership = request.user.active_membership()
    return membership


def service(request: HttpRequest) -> dict[str, Any]:
    membership = _membership(request)
    unread = 0
    if membership is not None:
        unread = unread_count(Actor(user=membership.user, membership=membership))
    return {
        "service_name": "Homeward",
        "current_membership": membership,
        "unread_notifications": unread,
    }


def may(request: HttpRequest) -> dict[str, Any]:
    """``may``: what the signed-in user may do (homeward.navigation.May), for the menu
    and every page's links; a page tests these flags, never a role."""
    membership = _membership(request)
    if membership is None:
        return {"may": navigation.NOTHING}
    return {"may": navigation.may(Actor(user=membership.user, membership=membership))}
