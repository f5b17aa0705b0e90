from django.db import models
from django.utils.translation import gettext_lazy as _


class TokenKind(models.TextChoices):
    """What a token opens: the API (`Authorization: Token …`) or, as an app password with
    the account's e-mail, the OpenRosa server of ODK Collect and Enketo (nothing else)."""

    API = "api", _("API token")
    COLLECT = "collect", _("ODK Collect app password")


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    COORDINATOR = "coordinator", _("Coordinator")
    REGIONAL = "regional", _("Regional representative")
    MONITOR = "monitor", _("Monitor (NPM participant)")
    LIAISON = "liaison", _("Agency liaison")
    AUDITOR = "auditor", _("Auditor")
