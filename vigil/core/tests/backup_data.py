"""Demo-like data for the backup and rotation tests: an interview (encrypted content, sealed
identity), an appeal (encrypted content, sealed appellant), an encrypted attachment and an
import batch kept encrypted; and a check that every ciphertext still decrypts."""

from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction

from vigil.core.backup.archive import storage_names
from vigil.core.crypto import keyring
from vigil.core.encrypted import encrypted_fields, encrypted_file_models
from vigil.core.files.store import encrypted_file_store
from vigil.core.files.types import PNG, CleanFile
from vigil.core.importing.services import import_batch_create
from vigil.visits.enums import AttachmentKind
from vigil.visits.models import Attachment

APPEALS_CSV = "source_id,received_on,content\nH-1,2026-01-05,Ұрды\n".encode()


def storage_cleared() -> None:
    for name in list(storage_names(default_storage)):
        default_storage.delete(name)


def sensitive_data_made(users: dict[str, Any], interview: Any, appeal: Any) -> None:
    with transaction.atomic():
        attachment = Attachment(
            visit=interview.visit,
            interview=interview,
            kind=AttachmentKind.PHOTO,
            uploaded_by=users["monitor"],
        )
        encrypted_file_store(attachment, CleanFile(data=b"\x89PNG pixels", type=PNG, name="a.png"))
        attachment.save()
    import_batch_create(
        "appeals", actor=users["coordinator"], content=APPEALS_CSV, file_name="old.csv"
    )


def everything_decrypts() -> int:
    """Decrypt every registered ciphertext and every stored file with the configured keys
    (raises on the first that does not); how many were read."""
    ring, read = keyring(), 0
    for entry in encrypted_fields():
        for row in entry.rows():
            blob = bytes(getattr(row, entry.field))
            if blob and (entry.applies is None or entry.applies(row)):
                ring.decrypt(blob, entry.associated_data(row))
                read += 1
    for model in encrypted_file_models():
        for file in model._base_manager.all():
            with default_storage.open(file.storage_name, "rb") as handle:
                assert ring.decrypt(handle.read(), file.associated_data())
            read += 1
    return read
