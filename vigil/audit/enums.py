"""Audit action names: validated in code, not as `choices=` on the column; each has a
translated label (`AuditAction.label`) for the pages that show the log."""

from enum import StrEnum

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class AuditAction(StrEnum):
    USER_LOGGED_IN = "user.logged_in"
    USER_LOGIN_FAILED = "user.login_failed"
    USER_LOGIN_LOCKED = "user.login_locked"
    USER_LOGGED_OUT = "user.logged_out"
    USER_CREATED = "user.created"
    USER_UPDATED = "user.updated"
    PASSWORD_CHANGED = "user.password_changed"  # noqa: S105
    PASSWORD_RESET_REQUESTED = "user.password_reset_requested"  # noqa: S105
    PASSWORD_RESET_COMPLETED = "user.password_reset_completed"  # noqa: S105
    API_TOKEN_ISSUED = "user.api_token_issued"  # noqa: S105
    API_TOKEN_REVOKED = "user.api_token_revoked"  # noqa: S105
    API_TOKENS_REVOKED = "user.api_tokens_revoked"
    TWO_FACTOR_ENROLLED = "user.two_factor_enrolled"
    TWO_FACTOR_VERIFIED = "user.two_factor_verified"
    TWO_FACTOR_FAILED = "user.two_factor_failed"
    RECOVERY_CODE_USED = "user.recovery_code_used"
    RECOVERY_CODES_REGENERATED = "user.recovery_codes_regenerated"
    TWO_FACTOR_DISABLED = "user.two_factor_disabled"
    TWO_FACTOR_RESET = "user.two_factor_reset"
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
    ABSENCE_ADDED = "participant.absence_added"
    ABSENCE_REMOVED = "participant.absence_removed"
    ELIGIBILITY_RULE_ISSUED = "participant.eligibility_rule_issued"
    ELIGIBILITY_DECIDED = "participant.eligibility_decided"
    RISK_FACTOR_UPDATED = "planning.risk_factor_updated"
    COVERAGE_RULE_CREATED = "planning.coverage_rule_created"
    COVERAGE_RULE_UPDATED = "planning.coverage_rule_updated"
    PROPOSAL_SOLVED = "planning.proposal_solved"
    PROPOSAL_PIN_SET = "planning.proposal_pin_set"
    PROPOSAL_MOVED = "planning.proposal_moved"
    PROPOSAL_VISITS_CREATED = "planning.proposal_visits_created"
    PLAN_CREATED = "plan.created"
    PLAN_UPDATED = "plan.updated"
    VISIT_CREATED = "visit.created"
    VISIT_UPDATED = "visit.updated"
    VISIT_TRANSITIONED = "visit.transitioned"
    VISIT_TEAM_CHANGED = "visit.team_changed"
    ACCESS_INCIDENT_RECORDED = "visit.access_incident_recorded"
    CHECKLIST_STARTED = "checklist.started"
    CHECKLIST_ANSWERED = "checklist.answered"
    CHECKLIST_SUBMISSION_RECEIVED = "checklist.submission_received"
    CHECKLIST_SUBMISSIONS_IMPORTED = "checklist.submissions_imported"
    CHECKLIST_TEMPLATES_LOADED = "checklist.templates_loaded"
    CHECKLIST_TEMPLATE_IMPORTED = "checklist.template_imported"
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
    APPEAL_CREATED = "appeal.created"
    APPEAL_SUBMITTED = "appeal.submitted"
    APPEAL_UPDATED = "appeal.updated"
    APPEAL_TRANSITIONED = "appeal.transitioned"
    APPEAL_ASSIGNED = "appeal.assigned"
    APPEAL_EXTENDED = "appeal.extended"
    APPEAL_MERGED = "appeal.merged"
    APPEAL_LETTER_EXPORTED = "appeal.letter_exported"
    APPEAL_REMINDERS_SENT = "appeal.reminders_sent"
    APPEALS_IMPORTED = "appeal.imported"
    INTAKE_PARTNER_CREATED = "intake_partner.created"
    INTAKE_PARTNER_UPDATED = "intake_partner.updated"
    REFERRAL_CREATED = "referral.created"
    REFERRAL_CONSENT_OVERRIDDEN = "referral.consent_overridden"
    REFERRAL_TRANSITIONED = "referral.transitioned"
    REFERRAL_LETTER_EXPORTED = "referral.letter_exported"
    CASE_CREATED = "case.created"
    CASE_UPDATED = "case.updated"
    CASE_TRANSITIONED = "case.transitioned"
    CASE_RECLASSIFIED = "case.reclassified"
    CASES_IMPORTED = "case.imported"
    ACCOUNTABILITY_RECORDED = "accountability.recorded"
    ACCOUNTABILITY_UPDATED = "accountability.updated"
    ACCOUNTABILITY_IMPORTED = "accountability.imported"
    INCIDENT_RECORDED = "incident.recorded"
    INCIDENT_UPDATED = "incident.updated"
    FOLLOW_UP_SCHEDULED = "follow_up.scheduled"
    FOLLOW_UP_RECORDED = "follow_up.recorded"
    ANNUAL_REPORT_CREATED = "annual_report.created"
    ANNUAL_REPORT_UPDATED = "annual_report.updated"
    ANNUAL_REPORT_BUILD_REQUESTED = "annual_report.build_requested"
    ANNUAL_REPORT_BUILT = "annual_report.built"
    ANNUAL_REPORT_BUILD_FAILED = "annual_report.build_failed"
    LEGAL_HOLD_PLACED = "legal_hold.placed"
    LEGAL_HOLD_LIFTED = "legal_hold.lifted"
    RECORD_DISPOSED = "retention.disposed"
    UN_DOCUMENT_CREATED = "un_document.created"
    UN_DOCUMENT_UPDATED = "un_document.updated"
    UN_DOCUMENTS_IMPORTED = "un_document.imported"
    UN_PARAGRAPH_CREATED = "un_paragraph.created"
    UN_PARAGRAPH_UPDATED = "un_paragraph.updated"
    UN_PARAGRAPH_LINKED = "un_paragraph.linked"
    UN_LINK_REJECTED = "un_paragraph.link_rejected"
    UN_LINK_REMOVED = "un_paragraph.unlinked"
    UN_ASSESSMENT_RECORDED = "un_paragraph.assessed"
    UN_REPORT_EXPORTED = "un_document.report_exported"

    @property
    def label(self) -> Promise:
        """The action as people read it, in the active language."""
        return ACTION_LABELS[self]


ACTION_LABELS: dict[AuditAction, Promise] = {
    AuditAction.USER_LOGGED_IN: _("Signed in"),
    AuditAction.USER_LOGIN_FAILED: _("Sign-in failed"),
    AuditAction.USER_LOGIN_LOCKED: _("Sign-in locked after repeated failures"),
    AuditAction.USER_LOGGED_OUT: _("Signed out"),
    AuditAction.USER_CREATED: _("Account created"),
    AuditAction.USER_UPDATED: _("Account updated"),
    AuditAction.PASSWORD_CHANGED: _("Password changed"),
    AuditAction.PASSWORD_RESET_REQUESTED: _("Password reset requested"),
    AuditAction.PASSWORD_RESET_COMPLETED: _("Password reset completed"),
    AuditAction.API_TOKEN_ISSUED: _("API token issued"),
    AuditAction.API_TOKEN_REVOKED: _("API token revoked"),
    AuditAction.API_TOKENS_REVOKED: _("All API tokens revoked"),
    AuditAction.TWO_FACTOR_ENROLLED: _("Two-factor sign-in turned on"),
    AuditAction.TWO_FACTOR_VERIFIED: _("Second factor accepted"),
    AuditAction.TWO_FACTOR_FAILED: _("Second factor refused"),
    AuditAction.RECOVERY_CODE_USED: _("Recovery code used"),
    AuditAction.RECOVERY_CODES_REGENERATED: _("Recovery codes replaced"),
    AuditAction.TWO_FACTOR_DISABLED: _("Two-factor sign-in turned off"),
    AuditAction.TWO_FACTOR_RESET: _("Two-factor sign-in reset by an administrator"),
    AuditAction.INSTITUTION_CREATED: _("Institution created"),
    AuditAction.INSTITUTION_UPDATED: _("Institution updated"),
    AuditAction.INSTITUTIONS_IMPORTED: _("Institutions imported"),
    AuditAction.INSTITUTIONS_EXPORTED: _("Institutions exported"),
    AuditAction.LIST_EXPORTED: _("List exported"),
    AuditAction.REFERENCE_DATA_SEEDED: _("Reference data loaded"),
    AuditAction.DEMO_DATA_GENERATED: _("Demo data generated"),
    AuditAction.PARTICIPANT_CREATED: _("Participant added"),
    AuditAction.PARTICIPANT_UPDATED: _("Participant updated"),
    AuditAction.TRAINING_RECORDED: _("Training recorded"),
    AuditAction.CONFLICT_DECLARED: _("Conflict of interest declared"),
    AuditAction.CONFLICT_UPDATED: _("Conflict of interest updated"),
    AuditAction.ABSENCE_ADDED: _("Unavailable period added"),
    AuditAction.ABSENCE_REMOVED: _("Unavailable period removed"),
    AuditAction.ELIGIBILITY_RULE_ISSUED: _("Eligibility rules issued by order"),
    AuditAction.ELIGIBILITY_DECIDED: _("Participant eligibility decided"),
    AuditAction.RISK_FACTOR_UPDATED: _("Risk factor weight changed"),
    AuditAction.COVERAGE_RULE_CREATED: _("Coverage rule added"),
    AuditAction.COVERAGE_RULE_UPDATED: _("Coverage rule changed"),
    AuditAction.PROPOSAL_SOLVED: _("Plan proposal computed"),
    AuditAction.PROPOSAL_PIN_SET: _("Institution pinned in or excluded from the plan proposal"),
    AuditAction.PROPOSAL_MOVED: _("Plan proposal state changed"),
    AuditAction.PROPOSAL_VISITS_CREATED: _("Planned visits created from the plan proposal"),
    AuditAction.PLAN_CREATED: _("Annual plan created"),
    AuditAction.PLAN_UPDATED: _("Annual plan updated"),
    AuditAction.VISIT_CREATED: _("Visit created"),
    AuditAction.VISIT_UPDATED: _("Visit updated"),
    AuditAction.VISIT_TRANSITIONED: _("Visit state changed"),
    AuditAction.VISIT_TEAM_CHANGED: _("Visit team changed"),
    AuditAction.ACCESS_INCIDENT_RECORDED: _("Access incident recorded"),
    AuditAction.CHECKLIST_STARTED: _("Checklist started"),
    AuditAction.CHECKLIST_ANSWERED: _("Checklist answered"),
    AuditAction.CHECKLIST_SUBMISSION_RECEIVED: _("Checklist received from a device"),
    AuditAction.CHECKLIST_SUBMISSIONS_IMPORTED: _("Checklist submissions imported"),
    AuditAction.CHECKLIST_TEMPLATES_LOADED: _("Checklist templates loaded"),
    AuditAction.CHECKLIST_TEMPLATE_IMPORTED: _("Checklist template imported"),
    AuditAction.FINDING_CREATED: _("Finding created"),
    AuditAction.FINDING_UPDATED: _("Finding updated"),
    AuditAction.FINDING_DELETED: _("Finding deleted"),
    AuditAction.NOTE_CREATED: _("Internal note added"),
    AuditAction.REPORT_CREATED: _("Report created"),
    AuditAction.REPORT_UPDATED: _("Report updated"),
    AuditAction.REPORT_TRANSITIONED: _("Report state changed"),
    AuditAction.REPORT_EXPORTED: _("Report exported"),
    AuditAction.INTERVIEW_CREATED: _("Interview recorded"),
    AuditAction.INTERVIEW_UPDATED: _("Interview updated"),
    AuditAction.INTERVIEW_CONSENT_WITHDRAWN: _("Interview consent withdrawn"),
    AuditAction.ATTACHMENT_UPLOADED: _("Attachment uploaded"),
    AuditAction.ATTACHMENT_DELETED: _("Attachment deleted"),
    AuditAction.RECOMMENDATION_CREATED: _("Recommendation created"),
    AuditAction.RECOMMENDATION_UPDATED: _("Recommendation updated"),
    AuditAction.RECOMMENDATION_DELETED: _("Recommendation deleted"),
    AuditAction.RECOMMENDATION_TRANSITIONED: _("Recommendation status changed"),
    AuditAction.RECOMMENDATIONS_ISSUED: _("Recommendations issued"),
    AuditAction.RECOMMENDATION_ASSESSED: _("Recommendation assessed"),
    AuditAction.RECOMMENDATION_RESPONDED: _("Authority response recorded"),
    AuditAction.RECOMMENDATION_REMINDERS_SENT: _("Reminders sent"),
    AuditAction.RECOMMENDATION_ESCALATED: _("Recommendation escalated"),
    AuditAction.RECOMMENDATION_LETTER_EXPORTED: _("Escalation letter exported"),
    AuditAction.RECOMMENDATIONS_IMPORTED: _("Recommendations imported"),
    AuditAction.APPEAL_CREATED: _("Appeal registered"),
    AuditAction.APPEAL_SUBMITTED: _("Appeal submitted from outside"),
    AuditAction.APPEAL_UPDATED: _("Appeal updated"),
    AuditAction.APPEAL_TRANSITIONED: _("Appeal status changed"),
    AuditAction.APPEAL_ASSIGNED: _("Appeal assigned"),
    AuditAction.APPEAL_EXTENDED: _("Appeal deadline extended"),
    AuditAction.APPEAL_MERGED: _("Appeals merged"),
    AuditAction.APPEAL_LETTER_EXPORTED: _("Letter to the appellant exported"),
    AuditAction.APPEAL_REMINDERS_SENT: _("Appeal reminders sent"),
    AuditAction.APPEALS_IMPORTED: _("Appeals imported"),
    AuditAction.INTAKE_PARTNER_CREATED: _("Intake partner created"),
    AuditAction.INTAKE_PARTNER_UPDATED: _("Intake partner updated"),
    AuditAction.REFERRAL_CREATED: _("Referral sent"),
    AuditAction.REFERRAL_CONSENT_OVERRIDDEN: _("Referral without consent"),
    AuditAction.REFERRAL_TRANSITIONED: _("Referral status changed"),
    AuditAction.REFERRAL_LETTER_EXPORTED: _("Referral letter exported"),
    AuditAction.CASE_CREATED: _("Criminal case recorded"),
    AuditAction.CASE_UPDATED: _("Criminal case updated"),
    AuditAction.CASE_TRANSITIONED: _("Criminal case status changed"),
    AuditAction.CASE_RECLASSIFIED: _("Criminal case reclassified"),
    AuditAction.CASES_IMPORTED: _("Criminal cases imported"),
    AuditAction.ACCOUNTABILITY_RECORDED: _("Accountability recorded"),
    AuditAction.ACCOUNTABILITY_UPDATED: _("Accountability record updated"),
    AuditAction.ACCOUNTABILITY_IMPORTED: _("Accountability records imported"),
    AuditAction.INCIDENT_RECORDED: _("Incident recorded"),
    AuditAction.INCIDENT_UPDATED: _("Incident updated"),
    AuditAction.FOLLOW_UP_SCHEDULED: _("Follow-up contact scheduled"),
    AuditAction.FOLLOW_UP_RECORDED: _("Follow-up contact recorded"),
    AuditAction.ANNUAL_REPORT_CREATED: _("Annual report created"),
    AuditAction.ANNUAL_REPORT_UPDATED: _("Annual report updated"),
    AuditAction.ANNUAL_REPORT_BUILD_REQUESTED: _("Annual report build requested"),
    AuditAction.ANNUAL_REPORT_BUILT: _("Annual report built"),
    AuditAction.ANNUAL_REPORT_BUILD_FAILED: _("Annual report build failed"),
    AuditAction.LEGAL_HOLD_PLACED: _("Legal hold placed"),
    AuditAction.LEGAL_HOLD_LIFTED: _("Legal hold lifted"),
    AuditAction.RECORD_DISPOSED: _("Disposed of at the end of its retention period"),
    AuditAction.UN_DOCUMENT_CREATED: _("UN document entered"),
    AuditAction.UN_DOCUMENT_UPDATED: _("UN document updated"),
    AuditAction.UN_DOCUMENTS_IMPORTED: _("UN documents imported"),
    AuditAction.UN_PARAGRAPH_CREATED: _("UN paragraph entered"),
    AuditAction.UN_PARAGRAPH_UPDATED: _("UN paragraph updated"),
    AuditAction.UN_PARAGRAPH_LINKED: _("UN paragraph linked to NPM evidence"),
    AuditAction.UN_LINK_REJECTED: _("Suggested link to a UN paragraph rejected"),
    AuditAction.UN_LINK_REMOVED: _("Link of a UN paragraph removed"),
    AuditAction.UN_ASSESSMENT_RECORDED: _("Assessment of a UN paragraph recorded"),
    AuditAction.UN_REPORT_EXPORTED: _("Follow-up report of a UN document downloaded"),
}


def action_label(code: str) -> str | Promise:
    """The label of a stored action code (a code no longer known shows as itself)."""
    try:
        return AuditAction(code).label
    except ValueError:
        return code


class AccessKind(models.TextChoices):
    """Reads of sensitive data, written as AccessEvents by later features."""

    INTERVIEW_READ = "interview_read", _("Interview content read")
    IDENTITY_UNSEALED = "identity_unsealed", _("Sealed identity unsealed")
    ATTACHMENT_DOWNLOADED = "attachment_downloaded", _("Attachment downloaded")
    AUDIT_EXPORTED = "audit_exported", _("Audit log exported")
    APPEAL_READ = "appeal_read", _("Appeal content read")
    CONSENT_OVERRIDDEN = "consent_overridden", _("Disclosed without consent")
    CUSTODY_READ = "custody_read", _("Chain of custody record read")
    RECORD_OPENED = "record_opened", _("Sensitive record opened")
    PERSON_DETAILS_READ = "person_details_read", _("Details that identify a person read")


class AccessOutcome(models.TextChoices):
    """Whether the read was let through (and logged before it was) or refused."""

    GRANTED = "granted", _("Granted")
    DENIED = "denied", _("Denied")
