from django.apps import AppConfig


class ChildrenConfig(AppConfig):
    name = "homeward.children"
    label = "children"

    def ready(self) -> None:
        from homeward.children import events  # noqa: F401  (registers its event types)
