from django.apps import AppConfig


class ThemesConfig(AppConfig):
    name = "homeward.themes"
    label = "themes"

    def ready(self) -> None:
        # Importing them registers the app's event types and its handler.
        from homeward.themes import events, handlers  # noqa: F401
