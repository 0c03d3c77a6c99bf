from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "homeward.core"
    label = "core"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from homeward.core.middleware import stamp_sign_in

        # Session bookkeeping, not domain behaviour: the absolute session lifetime.
        user_logged_in.connect(stamp_sign_in, dispatch_uid="homeward-session-lifetime")
