from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "homeward.safeguarding"
    label = "safeguarding"

    def ready(self) -> None:
        from homeward.safeguarding import (
            events,  # noqa: F401  (registers its event types)
            handlers,
        )

        handlers.connect()
