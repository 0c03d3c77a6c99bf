from django.apps import AppConfig


class AftercareConfig(AppConfig):
    name = "homeward.aftercare"
    label = "aftercare"
    verbose_name = "Safe and well checks and return home interviews"

    def ready(self) -> None:
        from homeward.aftercare import events, handlers  # noqa: F401

        handlers.connect()
