"""The fields of a file stored encrypted, for a domain model to inherit; the files kept for a
form that came back with an error."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.core.models import BaseModel


class EncryptedFile(BaseModel):
    """A file checked on upload and stored encrypted (AES-256-GCM) under a random name that
    says nothing about it. Written, read and removed only through `vigil.core.files.store`;
    the associated data of its ciphertext names the model and the row, so a blob copied onto
    another row does not decrypt."""

    # Where the model's blobs are stored in the default storage.
    storage_dir: ClassVar[str] = "files"

    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64, editable=False)
    storage_name = models.CharField(max_length=255, editable=False, unique=True)
    key_version = models.PositiveSmallIntegerField(editable=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name

    def associated_data(self) -> bytes:
        return f"{self._meta.label_lower}:{self.public_id}".encode()


class PendingUpload(EncryptedFile):
    """A checked file kept for a form that came back with an error, so that it need not be
    chosen again (`vigil.core.files.pending`): bound to the user who sent it, named on the
    page by a signed token, and removed once the form is saved or after a day. The domain
    app that has such a form subclasses it."""

    storage_dir: ClassVar[str] = "pending"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True
