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
    LIST_EXPORTED = "list.exported"
    REFERENCE_DATA_SEEDED = "reference_data.seeded"
    DEMO_DATA_GENERATED = "demo_data.generated"

    PARTICIPANT_CREATED = "participant.created"
    PARTICIPANT_UPDATED = "participant.updated"
    TRAINING_RECORDED = "participant.training_recorded"
    CONFLICT_DECLARED = "participant.conflict_declared"
    CONFLICT_UPDATED = "participant.conflict_updated"
    PLAN_CREATED = "plan.created"
    PLAN_UPDATED = "plan.updated"
    VISIT_CREATED = "visit.created"
    VISIT_UPDATED = "visit.updated"
    VISIT_TRANSITIONED = "visit.transitioned"
    VISIT_TEAM_CHANGED = "visit.team_changed"
    ACCESS_INCIDENT_RECORDED = "visit.access_incident_recorded"
    CHECKLIST_STARTED = "checklist.started"
    CHECKLIST_ANSWERED = "checklist.answered"
    CHECKLIST_TEMPLATES_LOADED = "checklist.templates_loaded"
    FINDING_CREATED = "finding.created"
    FINDING_UPDATED = "finding.updated"
    FINDING_DELETED = "finding.deleted"
    NOTE_CREATED = "note.created"
    REPORT_CREATED = "report.created"
    REPORT_UPDATED = "report.updated"
    REPORT_TRANSITIONED = "report.transitioned"
    REPORT_EXPORTED = "report.exported"
    INTERVIEW_CREATED = "interview.created"
    INTERVIEW_UPDATED = "interview.updated"
    INTERVIEW_CONSENT_WITHDRAWN = "interview.consent_withdrawn"
    ATTACHMENT_UPLOADED = "attachment.uploaded"
    ATTACHMENT_DELETED = "attachment.deleted"
    RECOMMENDATION_CREATED = "recommendation.created"
    RECOMMENDATION_UPDATED = "recommendation.updated"
    RECOMMENDATION_DELETED = "recommendation.deleted"
    RECOMMENDATION_TRANSITIONED = "recommendation.transitioned"
    RECOMMENDATIONS_ISSUED = "recommendation.issued"
    RECOMMENDATION_ASSESSED = "recommendation.assessed"
    RECOMMENDATION_RESPONDED = "recommendation.responded"
    RECOMMENDATION_REMINDERS_SENT = "recommendation.reminders_sent"
    RECOMMENDATION_ESCALATED = "recommendation.escalated"
    RECOMMENDATION_LETTER_EXPORTED = "recommendation.letter_exported"
    RECOMMENDATIONS_IMPORTED = "recommendation.imported"


class AccessKind(models.TextChoices):
    """Reads of sensitive data, written as AccessEvents by later features."""

    INTERVIEW_READ = "interview_read", _("Interview content read")
    IDENTITY_UNSEALED = "identity_unsealed", _("Sealed identity unsealed")
    ATTACHMENT_DOWNLOADED = "attachment_downloaded", _("Attachment downloaded")
    AUDIT_EXPORTED = "audit_exported", _("Audit log exported")
