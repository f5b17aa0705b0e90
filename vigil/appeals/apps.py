from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "vigil.appeals"
    label = "appeals"

    def ready(self) -> None:
        from . import contributions

        contributions.register()
