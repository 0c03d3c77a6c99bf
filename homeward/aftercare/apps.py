from django.apps import AppConfig


class AftercareConfig(AppConfig):
    name = "homeward.aftercare"
    label = "aftercare"
    verbose_name = "Safe and well checks and return home interviews"
