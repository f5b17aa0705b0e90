from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "vigil.core"
    label = "core"

    def ready(self) -> None:
        from . import (
            checks,  # noqa: F401
            collation,
            search,
        )

        search.connect_signals()
        collation.connect_signals()
