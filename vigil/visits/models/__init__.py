"""Monitoring visits: the plan, the visit and its team, checklists, findings, notes,
the visit report, confidential interviews and attachments."""

from .attachment import Attachment, AttachmentCustody
from .checklist import ChecklistAnswer, ChecklistQuestion, ChecklistResponse, ChecklistTemplate
from .finding import Finding, InternalNote
from .interview import Interview, SealedIdentity
from .report import ReportTransition, VisitReport
from .submission import DeviceSubmission, SubmissionSource
from .visit import AccessIncident, AnnualPlan, TeamMember, Visit, VisitTransition

__all__ = [
    "AccessIncident",
    "AnnualPlan",
    "Attachment",
    "AttachmentCustody",
    "ChecklistAnswer",
    "ChecklistQuestion",
    "ChecklistResponse",
    "ChecklistTemplate",
    "DeviceSubmission",
    "Finding",
    "InternalNote",
    "Interview",
    "ReportTransition",
    "SealedIdentity",
    "SubmissionSource",
    "TeamMember",
    "Visit",
    "VisitReport",
    "VisitTransition",
]
