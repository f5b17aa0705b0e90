"""Machine accounts that may only submit appeals: terminal operators and partner NGOs."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.core.models import BaseModel


class IntakePartner(BaseModel):
    """A terminal operator or a partner NGO, with a token scoped to submitting appeals (kept
    only as its SHA-256: the token itself is shown once, when it is made)."""

    class Kind(models.TextChoices):
        TERMINAL = "terminal", _("Terminal operator")
        NGO = "ngo", _("Partner NGO")
        OTHER = "other", _("Other partner")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_prefix = models.CharField(_("token starts with"), max_length=8, editable=False)
    active = models.BooleanField(_("active"), default=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("intake partner")
        verbose_name_plural = _("intake partners")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name
