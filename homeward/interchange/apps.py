from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    name = "homeward.interchange"
    label = "interchange"
    verbose_name = "Interchange (imports and data standards)"
