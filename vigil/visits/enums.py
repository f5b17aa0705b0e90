from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Theme(models.TextChoices):
    """The thematic taxonomy that structures checklists, findings and recommendations."""

    T1 = "T1", _("T1 Treatment")
    T2 = "T2", _("T2 Safeguards")
    T3 = "T3", _("T3 Material conditions")
    T4 = "T4", _("T4 Regime and activities")
    T5 = "T5", _("T5 Health care")
    T6 = "T6", _("T6 Personnel")
    T7 = "T7", _("T7 Groups in vulnerable situations")
    T8 = "T8", _("T8 Systemic issues")


class VisitType(models.TextChoices):
    # A visit of the annual plan (as against a special one); its state may be any.
    PLANNED = "planned", pgettext_lazy("visit type", "Planned")
    SPECIAL = "special", _("Special (reactive)")
    FOLLOW_UP = "follow_up", _("Follow-up")
    THEMATIC = "thematic", _("Thematic")
    JOINT = "joint", _("Joint (with the UN Subcommittee)")


class VisitMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    REMOTE = "remote", _("Remote (video call)")


class VisitState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    # Put in the plan with its dates, not yet prepared; "Scheduled" so that a planned visit's
    # header does not read "Planned · Planned".
    PLANNED = "planned", pgettext_lazy("visit state", "Scheduled")
    PREPARED = "prepared", _("Prepared")
    ON_SITE = "on_site", _("On site")
    DEBRIEFED = "debriefed", _("Debriefed")
    REPORT_DRAFT = "report_draft", _("Report being drafted")
    REPORT_REVIEW = "report_review", _("Report under review")
    REPORT_APPROVED = "report_approved", _("Report approved")
    SENT_TO_AUTHORITY = "sent_to_authority", _("Sent to the authority")
    RESPONSE_RECEIVED = "response_received", _("Response received")
    RESPONSE_OVERDUE = "response_overdue", _("Response overdue")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")
    POSTPONED = "postponed", _("Postponed")


# States in which a visit has not started: its date and target are embargoed.
NOT_STARTED_STATES = frozenset(
    {VisitState.DRAFT, VisitState.PLANNED, VisitState.PREPARED, VisitState.POSTPONED}
)


class TriggerKind(models.TextChoices):
    APPEAL = "appeal", _("An appeal")
    INCIDENT = "incident", _("An incident")
    MEDIA_REPORT = "media_report", _("A media report")
    OTHER = "other", _("Other information")


class AccessIncidentKind(models.TextChoices):
    DELAY = "delay", _("Delayed entry")
    REFUSAL = "refusal", _("Access refused")
    AREA_DENIED = "area_denied", _("Area denied")
    OBSTRUCTION = "obstruction", _("Obstruction")


class QuestionKind(models.TextChoices):
    YES_NO_PARTIAL = "yes_no_partial", _("Yes / no / partly")
    NUMBER = "number", _("Number")
    SINGLE_CHOICE = "single_choice", _("One choice")
    MULTIPLE_CHOICE = "multiple_choice", _("Several choices")
    TEXT = "text", _("Text")


class Severity(models.TextChoices):
    CRITICAL = "critical", _("Critical")
    SERIOUS = "serious", _("Serious")
    MODERATE = "moderate", _("Moderate")
    MINOR = "minor", _("Minor")
    GOOD_PRACTICE = "good_practice", _("Good practice")


class EvidenceKind(models.TextChoices):
    OBSERVATION = "observation", _("Observation")
    INTERVIEW = "interview", _("Interview")
    DOCUMENT = "document", _("Document")
    PHOTO = "photo", _("Photo")


class RootCause(models.TextChoices):
    LAW = "law", _("Law")
    POLICY = "policy", _("Policy")
    RESOURCES = "resources", _("Resources")
    PRACTICE = "practice", _("Practice")
    STAFF_CULTURE = "staff_culture", _("Staff culture")


class NoteKind(models.TextChoices):
    OBSERVATION = "observation", _("Observation")
    INTERVIEW_NOTE = "interview_note", _("Interview note")
    REGISTER_EXTRACT = "register_extract", _("Register extract")
    OTHER = "other", _("Other")


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("Under review")
    APPROVED = "approved", _("Approved")


class IntervieweeCategory(models.TextChoices):
    DETAINEE = "detainee", _("Detainee or resident")
    STAFF = "staff", _("Staff")
    MEDICAL = "medical", _("Medical staff")
    RELATIVE = "relative", _("Relative")
    LAWYER = "lawyer", _("Lawyer")
    OTHER = "other", _("Other")


class ConsentScope(models.TextChoices):
    ANONYMOUS_USE = "anonymous_use", _("Anonymous use of what was said")
    NAMED_USE = "named_use", _("Use with the person's name")
    REFERRAL = "referral", _("Referral to another body")
    CONTACT_BACK = "contact_back", _("Contact back")


class Vulnerability(models.TextChoices):
    MINOR = "minor", _("Child")
    WOMAN = "woman", _("Woman")
    DISABILITY = "disability", _("Person with disability")
    MENTAL_HEALTH = "mental_health", _("Mental health condition")
    FOREIGNER = "foreigner", _("Foreign national")
    OLDER = "older", _("Older person")
    LGBTI = "lgbti", _("LGBTI person")
    LIFE_SENTENCED = "life_sentenced", _("Life-sentenced")


class ReprisalRisk(models.TextChoices):
    NONE = "none", _("None seen")
    LOW = "low", _("Low")
    HIGH = "high", _("High")


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    DOCUMENT = "document", _("Document")
