from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "homeward.organisations"
    label = "organisations"
    verbose_name = "Organisations, users and roles"

    def ready(self) -> None:
        from homeward.organisations import events  # noqa: F401  (registers its event types)
