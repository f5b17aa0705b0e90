"""Audit action names: validated in code, not as `choices=` on the column."""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(StrEnum):
    USER_LOGGED_IN = "user.logged_in"
    USER_LOGIN_FAILED = "user.login_failed"
    USER_LOGGED_OUT = "user.logged_out"
    USER_CREATED = "user.created"
    USER_UPDATED = "user.updated"
    PASSWORD_CHANGED = "user.password_changed"  # noqa: S105
    PASSWORD_RESET_REQUESTED = "user.password_reset_requested"  # noqa: S105
    PASSWORD_RESET_COMPLETED = "user.password_reset_completed"  # noqa: S105
    API_TOKEN_ISSUED = "user.api_token_issued"  # noqa: S105
    INSTITUTION_CREATED = "institution.created"
    INSTITUTION_UPDATED = "institution.updated"
    INSTITUTIONS_IMPORTED = "institution.imported"
    INSTITUTIONS_EXPORTED = "institution.exported"
    REFERENCE_DATA_SEEDED = "reference_data.seeded"
    DEMO_DATA_GENERATED = "demo_data.generated"


class AccessKind(models.TextChoices):
    """Reads of sensitive data, written as AccessEvents by later features."""

    INTERVIEW_READ = "interview_read", _("Interview content read")
    IDENTITY_UNSEALED = "identity_unsealed", _("Sealed identity unsealed")
    ATTACHMENT_DOWNLOADED = "attachment_downloaded", _("Attachment downloaded")
    AUDIT_EXPORTED = "audit_exported", _("Audit log exported")
