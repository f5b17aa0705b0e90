from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "vigil.accounts"
    label = "accounts"

    def ready(self) -> None:
        from vigil.core.encrypted import register_encrypted_field

        from . import contributions, signals  # noqa: F401
        from .models import AuthenticatorDevice, device_binding

        contributions.register()
        register_encrypted_field(
            AuthenticatorDevice,
            "encrypted_key",
            associated_data=lambda device: device_binding(device.user_id),
        )
