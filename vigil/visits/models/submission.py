from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.core.models import BaseModel


class SubmissionSource(models.TextChoices):
    OPENROSA = "openrosa", _("ODK Collect or Enketo")
    KOBO = "kobo", _("KoBoToolbox export")
    ODK_CENTRAL = "odk_central", _("ODK Central export")


class DeviceSubmission(BaseModel):
    """One filled form received from a device (OpenRosa) or an export of submissions (KoBo,
    ODK Central), identified by its instance id (`uuid:…`): a second copy of the same instance
    changes nothing. An edited instance (its `deprecatedID` names the one it replaces) is a
    new revision: its answers are saved where the saved answer is still the one the previous
    revision wrote, and recorded as conflicts, never written, where someone changed it since.

    `bases` keeps, per question code, the answer revision this submission left (or, for a
    conflict, the one it was made from), and per finding entry the finding it wrote: what
    the next revision is compared with. `pending_files` are the photos the instance names
    that have not arrived yet (a device sends a large submission in several parts)."""

    instance_id = models.CharField(_("instance id"), max_length=120, unique=True)
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("replaces"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
    )
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    response = models.ForeignKey(
        "visits.ChecklistResponse", on_delete=models.CASCADE, related_name="submissions"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("source"), max_length=20, choices=SubmissionSource.choices)
    form_version = models.CharField(_("form version"), max_length=60, blank=True)
    answers_saved = models.PositiveIntegerField(_("answers saved"), default=0)
    answers_unchanged = models.PositiveIntegerField(_("answers unchanged"), default=0)
    findings_created = models.PositiveIntegerField(_("findings created"), default=0)
    findings_updated = models.PositiveIntegerField(_("findings updated"), default=0)
    files_received = models.PositiveIntegerField(_("files received"), default=0)
    conflicts = models.JSONField(_("conflicts"), default=list, blank=True)
    bases = models.JSONField(default=dict, blank=True)
    pending_files = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("submission from a device")
        verbose_name_plural = _("submissions from devices")
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return self.instance_id
