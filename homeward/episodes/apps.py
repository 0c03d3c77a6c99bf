from django.apps import AppConfig


class EpisodesConfig(AppConfig):
    name = "homeward.episodes"
    label = "episodes"

    def ready(self) -> None:
        # Its event types, and its relationship with a child (the force an episode was
        # reported to or found by) on the children's visibility queries.
        from homeward.episodes import events, visibility  # noqa: F401
