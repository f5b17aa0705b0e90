"""Choices of the UN follow-up: which body, which kind of document, whose assessment."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Body(models.TextChoices):
    """The UN body that adopted a document (treaty bodies, the SPT, the UPR, special procedures)."""

    CAT = "CAT", _("Committee against Torture (CAT)")
    SPT = "SPT", _("Subcommittee on Prevention of Torture (SPT)")
    UPR = "UPR", _("Universal Periodic Review (UPR)")
    CCPR = "CCPR", _("Human Rights Committee (CCPR)")
    CRC = "CRC", _("Committee on the Rights of the Child (CRC)")
    CRPD = "CRPD", _("Committee on the Rights of Persons with Disabilities (CRPD)")
    CEDAW = "CEDAW", _("Committee on the Elimination of Discrimination against Women (CEDAW)")
    OTHER_TREATY = "treaty_body", _("Other treaty body")
    SPECIAL_PROCEDURE = "special_procedure", _("Special procedure")


class DocumentKind(models.TextChoices):
    CONCLUDING_OBSERVATIONS = "concluding_observations", _("Concluding observations")
    FOLLOW_UP = "follow_up", _("Follow-up letter or assessment")
    VISIT_REPORT = "visit_report", _("Visit report")
    UPR_RECOMMENDATIONS = "upr_recommendations", _("UPR working group report")
    COMMUNICATION = "communication", _("Report or communication of a special procedure")
    OTHER = "other", _("Other document")


class AssessmentSource(models.TextChoices):
    """Whose grade of a paragraph's implementation it is."""

    STATE = "state", _("State")
    NPM = "npm", _("NPM")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    COMMITTEE = "committee", _("The UN body's own follow-up")


class LinkKind(models.TextChoices):
    FINDING = "finding", _("Finding")
    RECOMMENDATION = "recommendation", _("Recommendation")
    SYSTEMIC = "systemic", _("Systemic issue")


class LinkStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected suggestion")


class LinkOrigin(models.TextChoices):
    SUGGESTED = "suggested", _("Suggested by similarity")
    MANUAL = "manual", _("Chosen by hand")


class EventKind(models.TextChoices):
    """What the timeline of a paragraph records."""

    CREATED = "created", _("Entered")
    IMPORTED = "imported", _("Imported")
    EDITED = "edited", _("Edited")
    LINKED = "linked", _("Evidence linked")
    LINK_REJECTED = "link_rejected", _("Suggestion rejected")
    UNLINKED = "unlinked", _("Link removed")
    ASSESSED = "assessed", _("Assessment recorded")
    PUBLISHED = "published", _("Document published")
