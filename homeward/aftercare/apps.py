from django.apps import AppConfig


class AftercareConfig(AppConfig):
    name = "homeward.aftercare"
    label = "aftercare"
    verbose_name = "Safe and well checks and return home interviews"

    def ready(self) -> None:
        # Its event types, its handlers and guards, and what an interview provider sees.
        from homeward.aftercare import events, handlers, visibility  # noqa: F401

        handlers.connect()
