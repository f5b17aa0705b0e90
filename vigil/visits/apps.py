from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "vigil.visits"
    label = "visits"

    def ready(self) -> None:
        from vigil.core.retention import register_retention_rule

        from . import contributions
        from .services.retention import INTERVIEW_RULE, VISIT_FILE_RULE

        contributions.register()
        register_retention_rule(INTERVIEW_RULE)
        register_retention_rule(VISIT_FILE_RULE)
