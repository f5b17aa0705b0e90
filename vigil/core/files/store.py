"""The encrypted file store: write a checked file encrypted, read it back (each read logged
as an AccessEvent, written first), remove it.

Blobs are AES-256-GCM ciphertexts (`vigil.core.crypto`: key version, nonce, sealed bytes)
under a random name in the model's `storage_dir` of the default storage; the associated data
names the row (`EncryptedFile.associated_data`). Who may store, read or remove a file is the
domain app's decision, made before it calls these functions; the access event's kind and
target come from it too.
"""

import hashlib
import secrets
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, router, transaction

from vigil.audit.context import RequestContext
from vigil.audit.enums import AccessKind
from vigil.core.crypto import keyring
from vigil.core.reveal import reveal_logged

from . import transactions
from .models import EncryptedFile
from .types import CleanFile


@dataclass(frozen=True)
class FileContent:
    """A decrypted file, ready to be sent."""

    data: bytes
    filename: str
    content_type: str


def encrypted_file_store(file: EncryptedFile, clean: CleanFile) -> None:
    """Fill `file`'s stored-file fields from the checked `clean` file and write its bytes
    encrypted; the caller then saves the row. Called inside the transaction that saves it:
    when that transaction, or a savepoint opened before this call, is rolled back, the
    written blob is deleted."""
    using = router.db_for_write(type(file))
    transactions.ensure_atomic(using)
    ring = keyring()
    file.original_name = clean.name
    file.content_type = clean.content_type
    file.size = len(clean.data)
    file.sha256 = hashlib.sha256(clean.data).hexdigest()
    file.key_version = ring.current_version
    blob = ring.encrypt(clean.data, file.associated_data())
    name_wanted = f"{file.storage_dir}/{secrets.token_hex(20)}"
    file.storage_name = default_storage.save(name_wanted, ContentFile(blob))
    transactions.track(default_storage, file.storage_name, using=using)


def encrypted_file_read(
    *,
    actor: AbstractBaseUser,
    file: EncryptedFile,
    access_kind: AccessKind,
    access_target: models.Model | None = None,
    context: RequestContext | None = None,
) -> FileContent:
    """The decrypted file. The AccessEvent (`access_kind`, on `access_target`: by default the
    file's row) is written first (`vigil.core.reveal`): when it cannot be written, nothing is
    read and `AccessNotRecorded` is raised. A failed read (a missing or altered blob) keeps
    the event: the attempt was made."""

    def read() -> FileContent:
        with default_storage.open(file.storage_name, "rb") as handle:
            blob = handle.read()
        data = keyring().decrypt(blob, file.associated_data())
        return FileContent(data=data, filename=file.original_name, content_type=file.content_type)

    return reveal_logged(
        read,
        actor=actor,
        kind=access_kind,
        target=file if access_target is None else access_target,
        context=context,
    )


def encrypted_file_delete(file: EncryptedFile) -> None:
    """Delete the row, and its blob once the transaction commits (a rollback keeps both)."""
    storage_name = file.storage_name
    file.delete()
    transaction.on_commit(lambda: default_storage.delete(storage_name))
