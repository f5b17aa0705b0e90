from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "vigil.core"
    label = "core"

    def ready(self) -> None:
        from . import checks  # noqa: F401
        from .search import connect_signals

        connect_signals()
