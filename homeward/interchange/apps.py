from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    name = "homeward.interchange"
    label = "interchange"
    verbose_name = "Interchange (imports and data standards)"

    def ready(self) -> None:
        from homeward.interchange import events  # noqa: F401  (registers its event types)
