from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "homeward.core"
    label = "core"
