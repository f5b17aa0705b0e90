from django.db import models
from django.utils.translation import gettext_lazy as _


class Profession(models.TextChoices):
    LAWYER = "lawyer", _("Lawyer")
    DOCTOR = "doctor", _("Medical doctor")
    PSYCHIATRIST = "psychiatrist", _("Psychiatrist")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    NGO_MEMBER = "ngo_member", _("NGO member")
    OTHER = "other", _("Other")


class ConflictKind(models.TextChoices):
    WORKED_AT_INSTITUTION = "worked_at_institution", _("Worked at the institution")
    WORKED_FOR_AGENCY = "worked_for_agency", _("Worked for the agency")
    RELATIVE_AT_INSTITUTION = "relative_at_institution", _("A relative works or is held there")
    RELATIVE_AT_AGENCY = "relative_at_agency", _("A relative works for the agency")
    OTHER = "other", _("Other conflict of interest")


class Occupation(models.TextChoices):
    """A post that may bar a person from being an NPM participant (by the rules in force)."""

    NONE = "", _("None of these")
    JUDGE = "judge", _("Judge")
    ADVOCATE = "advocate", _("Advocate")
    CIVIL_SERVANT = "civil_servant", _("Civil servant")
    MILITARY = "military", _("Military service")
    LAW_ENFORCEMENT = "law_enforcement", _("Law-enforcement or special service")
