from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "vigil.registry"
    label = "registry"

    def ready(self) -> None:
        from . import contributions

        contributions.register()

        from vigil.core.importing import register_import_kind

        from .importing import INSTITUTIONS

        register_import_kind(INSTITUTIONS)
