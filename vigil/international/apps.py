from django.apps import AppConfig


class InternationalConfig(AppConfig):
    name = "vigil.international"
    label = "international"

    def ready(self) -> None:
        from . import contributions

        contributions.register()

        from vigil.core.importing import register_import_kind

        from .importing.kind import UN_RECOMMENDATIONS

        register_import_kind(UN_RECOMMENDATIONS)
