from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "vigil.appeals"
    label = "appeals"

    def ready(self) -> None:
        from vigil.core.importing import register_import_kind

        from . import contributions
        from .importing.accountability import ACCOUNTABILITY
        from .importing.appeals import APPEALS
        from .importing.cases import CRIMINAL_CASES

        contributions.register()
        register_import_kind(CRIMINAL_CASES)
        register_import_kind(ACCOUNTABILITY)
        register_import_kind(APPEALS)
