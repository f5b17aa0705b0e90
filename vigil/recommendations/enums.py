from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    VISIT_REPORT = "visit_report", _("Visit report")
    THEMATIC_REPORT = "thematic_report", _("Thematic report")
    ANNUAL_REPORT = "annual_report", _("Annual report")
    UN_BODY = "un_body", _("UN body (CAT, SPT, UPR)")
    ESCALATION = "escalation", _("Individualised recommendation (escalation)")


class Level(models.TextChoices):
    URGENT_INDIVIDUAL = "urgent_individual", _("Urgent, individual")
    INSTITUTIONAL = "institutional", _("Institutional")
    SYSTEMIC = "systemic", _("Systemic")
    LEGISLATIVE = "legislative", _("Legislative")


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")
    AWAITING_RESPONSE = "awaiting_response", _("Awaiting response")
    ACCEPTED = "accepted", _("Accepted")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    NO_RESPONSE = "no_response", _("No response")
    IN_IMPLEMENTATION = "in_implementation", _("In implementation")
    PARTIALLY_IMPLEMENTED = "partially_implemented", _("Partially implemented")
    IMPLEMENTED_CLAIMED = "implemented_claimed", _("Implemented (claimed)")
    IMPLEMENTED_VERIFIED = "implemented_verified", _("Implemented (verified)")
    REOPENED = "reopened", _("Reopened")
    ESCALATED = "escalated", _("Escalated")
    OBSOLETE = "obsolete", _("Obsolete")


class ClaimedStatus(models.TextChoices):
    """What the authority says in its response."""

    ACCEPTED = "accepted", _("Accepted, measures planned")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    IN_IMPLEMENTATION = "in_implementation", _("In implementation")
    PARTIALLY_IMPLEMENTED = "partially_implemented", _("Partially implemented")
    IMPLEMENTED = "implemented", _("Implemented")


class Verdict(models.TextChoices):
    """The NPM's assessment of a response or of the situation on the ground."""

    ACCEPT_CLAIM = "accept_claim", _("Claim accepted")
    DISPUTE = "dispute", _("Claim disputed")
    VERIFIED = "verified", _("Implementation verified")
    NOT_VERIFIED = "not_verified", _("Implementation not found")
    REOPEN = "reopen", _("Reopened")


class Tally(models.TextChoices):
    """The official three-way tally used in the NPM's published reports."""

    IMPLEMENTED = "implemented", _("Implemented")
    IN_IMPLEMENTATION = "in_implementation", _("In implementation")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")


class EventKind(models.TextChoices):
    STATE_CHANGED = "state_changed", _("Status changed")
    RESPONSE = "response", _("Response received")
    ASSESSMENT = "assessment", _("Assessment")
    REMINDER = "reminder", _("Reminder sent")
    ESCALATION = "escalation", _("Escalated")
    IMPORTED = "imported", _("Imported")


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Deadline approaching")
    OVERDUE = "overdue", _("Deadline passed")


class EscalationReason(models.TextChoices):
    """Why a recommendation is due for escalation (shown on the queue and in the letter)."""

    OVERDUE = "overdue", _("Deadline passed")
    NO_RESPONSE = "no_response", _("No response")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    REPEATEDLY_UNIMPLEMENTED = "repeatedly_unimplemented", _("Raised again, still not implemented")


REASON_LABELS = dict(EscalationReason.choices)
