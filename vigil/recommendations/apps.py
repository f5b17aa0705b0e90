from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "vigil.recommendations"
    label = "recommendations"

    def ready(self) -> None:
        from . import contributions

        contributions.register()

        from vigil.core.importing import register_import_kind

        from .importing import RECOMMENDATIONS

        register_import_kind(RECOMMENDATIONS)
