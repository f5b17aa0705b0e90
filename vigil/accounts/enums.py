from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    COORDINATOR = "coordinator", _("Coordinator")
    REGIONAL = "regional", _("Regional representative")
    MONITOR = "monitor", _("Monitor (NPM participant)")
    LIAISON = "liaison", _("Agency liaison")
    AUDITOR = "auditor", _("Auditor")
