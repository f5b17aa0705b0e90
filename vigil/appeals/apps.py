from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "vigil.appeals"
    label = "appeals"

    def ready(self) -> None:
        from vigil.core.importing import register_import_kind
        from vigil.core.retention import register_retention_rule

        from . import contributions
        from .importing.accountability import ACCOUNTABILITY
        from .importing.appeals import APPEALS
        from .importing.cases import CRIMINAL_CASES
        from .services.retention import APPEAL_FILE_RULE, APPEAL_RULE

        contributions.register()
        register_import_kind(CRIMINAL_CASES)
        register_import_kind(ACCOUNTABILITY)
        register_import_kind(APPEALS)
        register_retention_rule(APPEAL_RULE)
        register_retention_rule(APPEAL_FILE_RULE)
