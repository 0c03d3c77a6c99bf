from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "homeward.notifications"
    label = "notifications"
