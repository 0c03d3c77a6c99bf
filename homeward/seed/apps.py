from django.apps import AppConfig


class SeedConfig(AppConfig):
    """Demo and synthetic data: the top of the layers, imported by nothing in homeward but
    its own commands and ``homeward serve``."""

    name = "homeward.seed"
    label = "seed"
    verbose_name = "Demo and synthetic data"
