from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "vigil.accounts"
    label = "accounts"

    def ready(self) -> None:
        from . import contributions, signals  # noqa: F401

        contributions.register()
