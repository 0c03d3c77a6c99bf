from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "homeward.events"
    label = "events"
    verbose_name = "Domain events"
