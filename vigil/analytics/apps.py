from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "vigil.analytics"
    label = "analytics"

    def ready(self) -> None:
        from . import contributions
        from .report_menu import register_report_menu

        contributions.register()
        register_report_menu()
