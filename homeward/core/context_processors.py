from typing import Any

from django.http import HttpRequest


def service(request: HttpRequest) -> dict[str, Any]:
    membership = getattr(request, "membership", None)
    if membership is None and getattr(request, "user", None) and request.user.is_authenticated:
        membership = request.user.active_membership()
    unread = 0
    if membership is not None:
        from homeward.core.actor import Actor
        from homeward.notifications.services import unread_count

        unread = unread_count(Actor(user=membership.user, membership=membership))
    return {
        "service_name": "Homeward",
        "current_membership": membership,
        "unread_notifications": unread,
    }
