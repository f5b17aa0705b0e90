from django.apps import AppConfig


class InternationalConfig(AppConfig):
    name = "vigil.international"
    label = "international"

    def ready(self) -> None:
        from . import contributions

        contributions.register()
