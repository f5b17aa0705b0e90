from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "vigil.analytics"
    label = "analytics"

    def ready(self) -> None:
        from . import contributions

        contributions.register()
