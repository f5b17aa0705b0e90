from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "vigil.people"
    label = "people"

    def ready(self) -> None:
        from . import contributions

        contributions.register()
