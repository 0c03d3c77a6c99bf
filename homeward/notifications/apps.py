from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "homeward.notifications"
    label = "notifications"

    def ready(self) -> None:
        # Its event types, and the deliverer every outbox row is handed to.
        from homeward.notifications import delivery, events  # noqa: F401
