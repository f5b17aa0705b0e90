from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionKind(models.TextChoices):
    REGION = "region", _("Region")
    CITY = "city", _("City of national significance")


class AgencyLevel(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    MINISTRY = "ministry", _("Ministry")
    COMMITTEE = "committee", _("Committee")
    REGIONAL_DEPARTMENT = "regional_department", _("Regional department")
    OTHER = "other", _("Other body")


class InstitutionCategory(models.TextChoices):
    POLICE = "police", _("Police custody")
    PRE_TRIAL = "pre_trial", _("Pre-trial detention")
    PENAL = "penal", _("Penal institution")
    MEDICAL = "medical", _("Medical institution")
    SOCIAL = "social", _("Social-care institution")
    EDUCATION = "education", _("Educational institution")
    MILITARY = "military", _("Military")
    MIGRATION = "migration", _("Migration")
