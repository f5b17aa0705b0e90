from django.db import models
from django.utils.translation import gettext_lazy as _


class InstitutionStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    UNDER_RECONSTRUCTION = "under_reconstruction", _("Under reconstruction")
    SUSPENDED = "suspended", _("Temporarily closed")
    CLOSED = "closed", _("Closed")


class SecurityLevel(models.TextChoices):
    NONE = "", _("Not applicable")
    MINIMUM = "minimum", _("Minimum security")
    MEDIUM = "medium", _("Medium security")
    MAXIMUM = "maximum", _("Maximum security")
    EXTREME = "extreme", _("Extreme security")
    MIXED = "mixed", _("Mixed security")
    HIGH = "high", _("High security (non-penal)")
