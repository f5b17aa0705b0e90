from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "vigil.visits"
    label = "visits"

    def ready(self) -> None:
        from vigil.core.encrypted import register_encrypted_field
        from vigil.core.retention import register_retention_rule

        from . import contributions
        from .models import AttachmentCustody, Interview, SealedIdentity
        from .services.attachments import custody_associated_data
        from .services.interviews import (
            content_associated_data,
            identity_associated_data,
            present_associated_data,
        )
        from .services.retention import INTERVIEW_RULE, VISIT_FILE_RULE

        contributions.register()

        from vigil.core.importing import register_import_kind

        from .importing import CHECKLIST_SUBMISSIONS

        register_import_kind(CHECKLIST_SUBMISSIONS)
        register_encrypted_field(
            Interview,
            "content_ciphertext",
            associated_data=content_associated_data,
            version_field="content_key_version",
        )
        register_encrypted_field(
            Interview, "present_ciphertext", associated_data=present_associated_data
        )
        register_encrypted_field(
            SealedIdentity,
            "ciphertext",
            associated_data=lambda sealed: identity_associated_data(sealed.interview),
            version_field="key_version",
            related=("interview",),
        )
        register_encrypted_field(
            AttachmentCustody,
            "ciphertext",
            associated_data=lambda custody: custody_associated_data(custody.attachment),
            version_field="key_version",
            related=("attachment",),
        )
        register_retention_rule(INTERVIEW_RULE)
        register_retention_rule(VISIT_FILE_RULE)
