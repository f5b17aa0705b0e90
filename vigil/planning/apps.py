from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "vigil.planning"
    label = "planning"

    def ready(self) -> None:
        from . import contributions

        contributions.register()
