from typing import Any

from django.http import HttpRequest


def service(request: HttpRequest) -> dict[str, Any]:
    membership = getattr(request, "membership", None)
    if membership is None and getattr(request, "user", None) and request.user.is_authenticated:
        membership = request.user.active_membership()
    unread = 0
    if membership is not None:
        from homeward.notifications.models import Notification

        unread = Notification.objects.filter(
            recipient=membership.user, read_at__isnull=True
        ).count()
    return {
        "service_name": "Homeward",
        "current_membership": membership,
        "unread_notifications": unread,
    }
