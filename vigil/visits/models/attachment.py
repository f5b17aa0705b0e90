from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.core.models import BaseModel

from ..enums import AttachmentKind


class Attachment(BaseModel):
    """A photo or document, checked by content, stripped of metadata and stored encrypted.
    Downloaded only through a permission-checked view that logs an AccessEvent."""

    visit = models.ForeignKey("visits.Visit", on_delete=models.CASCADE, related_name="attachments")
    finding = models.ForeignKey(
        "visits.Finding",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    interview = models.ForeignKey(
        "visits.Interview",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=AttachmentKind.choices)
    description = models.CharField(_("description"), max_length=300, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64, editable=False)
    storage_name = models.CharField(max_length=255, editable=False, unique=True)
    key_version = models.PositiveSmallIntegerField(editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return self.original_name

    def clean(self) -> None:
        super().clean()
        if self.finding_id and self.interview_id:
            raise ValidationError(_("Attach the file to a finding or to an interview, not both."))
