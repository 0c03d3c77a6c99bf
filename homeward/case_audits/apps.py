from django.apps import AppConfig


class CaseAuditsConfig(AppConfig):
    name = "homeward.case_audits"
    label = "case_audits"

    def ready(self) -> None:
        # The grant that lets an audit's members see its sampled children, while it is open.
        from homeward.case_audits import visibility  # noqa: F401
