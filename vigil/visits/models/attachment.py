from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.core.files.custody import SealedCustody
from vigil.core.files.models import EncryptedFile

from ..enums import AttachmentKind


class Attachment(EncryptedFile):
    """A photo or document, checked by content, stripped of metadata and stored encrypted.
    Downloaded only through a permission-checked view that logs an AccessEvent."""

    storage_dir = "attachments"

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
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ("created_at", "id")

    def clean(self) -> None:
        super().clean()
        if self.finding_id and self.interview_id:
            raise ValidationError(_("Attach the file to a finding or to an interview, not both."))


class AttachmentCustody(SealedCustody):
    """The sealed chain of custody of an attachment: the original file's SHA-256 and size, a
    photo's capture time and place, the uploader and time (`vigil.core.files.custody`)."""

    attachment = models.OneToOneField(Attachment, on_delete=models.CASCADE, related_name="custody")

    class Meta:
        verbose_name = _("chain of custody record")
        verbose_name_plural = _("chain of custody records")

    def __str__(self) -> str:
        return str(_("Chain of custody record"))
