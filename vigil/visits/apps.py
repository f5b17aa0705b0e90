from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "vigil.visits"
    label = "visits"

    def ready(self) -> None:
        from . import contributions

        contributions.register()
