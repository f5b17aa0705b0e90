from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "vigil.visits"
    label = "visits"

    def ready(self) -> None:
        from vigil.core.encrypted import register_encrypted_field

        from . import contributions
        from .models import Interview, SealedIdentity
        from .services.interviews import content_associated_data, identity_associated_data

        contributions.register()
        register_encrypted_field(
            Interview,
            "content_ciphertext",
            associated_data=content_associated_data,
            version_field="content_key_version",
        )
        register_encrypted_field(
            SealedIdentity,
            "ciphertext",
            associated_data=lambda sealed: identity_associated_data(sealed.interview),
            version_field="key_version",
            related=("interview",),
        )
