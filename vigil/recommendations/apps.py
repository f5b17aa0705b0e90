from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "vigil.recommendations"
    label = "recommendations"

    def ready(self) -> None:
        from . import contributions

        contributions.register()
