from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "homeward.linkage"
    label = "linkage"

    def ready(self) -> None:
        from homeward.linkage import (
            events,  # noqa: F401  (registers its event types)
            handlers,
        )

        handlers.connect()
