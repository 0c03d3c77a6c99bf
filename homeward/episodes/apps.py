from django.apps import AppConfig


class EpisodesConfig(AppConfig):
    name = "homeward.episodes"
    label = "episodes"

    def ready(self) -> None:
        from homeward.episodes import events  # noqa: F401  (registers its event types)
