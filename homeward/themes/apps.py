from django.apps import AppConfig


class ThemesConfig(AppConfig):
    name = "homeward.themes"
    label = "themes"

    def ready(self) -> None:
        from homeward.themes import events  # noqa: F401  (registers its event types)
