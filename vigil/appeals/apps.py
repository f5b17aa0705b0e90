from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "vigil.appeals"
    label = "appeals"

    def ready(self) -> None:
        from vigil.core.encrypted import register_encrypted_field
        from vigil.core.importing import register_import_kind
        from vigil.core.retention import register_retention_rule

        from . import contributions
        from .importing.accountability import ACCOUNTABILITY
        from .importing.appeals import APPEALS
        from .importing.cases import CRIMINAL_CASES
        from .models import Appeal, AppealIdentity, CriminalCase, FollowUpContact, Incident
        from .services.appeals import content_associated_data, identity_associated_data
        from .services.follow_ups import note_associated_data
        from .services.incidents import summary_associated_data
        from .services.retention import APPEAL_FILE_RULE, APPEAL_RULE
        from .services.victim_protection import victim_protection_associated_data

        contributions.register()
        register_import_kind(CRIMINAL_CASES)
        register_import_kind(ACCOUNTABILITY)
        register_import_kind(APPEALS)
        register_encrypted_field(
            Appeal,
            "content_ciphertext",
            associated_data=content_associated_data,
            version_field="content_key_version",
        )
        register_encrypted_field(
            AppealIdentity,
            "ciphertext",
            associated_data=lambda sealed: identity_associated_data(sealed.appeal),
            version_field="key_version",
            related=("appeal",),
        )
        register_encrypted_field(
            FollowUpContact, "note_ciphertext", associated_data=note_associated_data
        )
        register_encrypted_field(
            Incident, "summary_ciphertext", associated_data=summary_associated_data
        )
        register_encrypted_field(
            CriminalCase,
            "victim_protection_ciphertext",
            associated_data=victim_protection_associated_data,
        )
        register_retention_rule(APPEAL_RULE)
        register_retention_rule(APPEAL_FILE_RULE)
