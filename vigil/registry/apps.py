from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "vigil.registry"
    label = "registry"

    def ready(self) -> None:
        from . import contributions

        contributions.register()
