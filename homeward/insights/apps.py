from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "homeward.insights"
    label = "insights"

    def ready(self) -> None:
        from homeward.insights import consent, handlers

        handlers.connect()
        consent.connect()
