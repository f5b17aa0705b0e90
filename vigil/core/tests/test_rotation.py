"""Key rotation: everything encrypted with key 1 is re-encrypted by `keys_rotate` with key 2
(first in the ring), keeping its associated data, so that a ring with key 2 alone reads
everything; an interrupted run resumes; a row the site changes meanwhile is left to it."""

from typing import Any

import pytest
from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models

from vigil.core.backup.archive import storage_names
from vigil.core.crypto import DecryptionError, KeyRing, new_key_spec
from vigil.core.encrypted import NOT_ENCRYPTED, encrypted_fields, encrypted_file_models
from vigil.core.rotation import RotationCount, keys_rotate
from vigil.visits.models import Attachment, Interview
from vigil.visits.services.interviews import _decrypt_content, _encrypt_content

from .backup_data import everything_decrypts, sensitive_data_made, storage_cleared

ENCRYPTED = 6  # 2 contents, 2 sealed identities, the import batch, the attachment


@pytest.fixture
def key_1(settings: Any) -> str:
    settings.FIELD_ENCRYPTION_KEYS = new_key_spec(1)
    return settings.FIELD_ENCRYPTION_KEYS


@pytest.fixture
def old_key(key_1: str, users: dict[str, Any], interview: Any, appeal: Any) -> str:
    """Everything encrypted with key 1 alone (requested first, before the data is made)."""
    storage_cleared()
    sensitive_data_made(users, interview, appeal)
    return key_1


def _versions() -> list[int]:
    found = []
    for entry in encrypted_fields():
        for row in entry.rows():
            blob = bytes(getattr(row, entry.field))
            if blob and (entry.applies is None or entry.applies(row)):
                found.append(KeyRing.version_of(blob))
                if entry.version_field:
                    assert getattr(row, entry.version_field) == found[-1]
    for model in encrypted_file_models():
        found += list(model._base_manager.values_list("key_version", flat=True))
    return sorted(found)


def test_after_rotation_the_new_key_alone_reads_everything(
    settings: Any, old_key: str, django_capture_on_commit_callbacks: Any
) -> None:
    assert _versions() == [1] * ENCRYPTED
    new_key = new_key_spec(2)
    settings.FIELD_ENCRYPTION_KEYS = f"{new_key},{old_key}"
    assert sum(c.pending for c in keys_rotate(dry_run=True)) == ENCRYPTED
    assert _versions() == [1] * ENCRYPTED  # a dry run changes nothing
    with django_capture_on_commit_callbacks(execute=True):  # the old blob goes on commit
        counts = keys_rotate()
    assert sum(c.rotated for c in counts) == ENCRYPTED
    assert _versions() == [2] * ENCRYPTED
    settings.FIELD_ENCRYPTION_KEYS = new_key
    assert everything_decrypts() == ENCRYPTED  # same associated data, new key
    stored = list(storage_names(default_storage))
    assert stored == [Attachment.objects.get().storage_name]  # the old blob is gone
    settings.FIELD_ENCRYPTION_KEYS = old_key
    with pytest.raises(DecryptionError):
        _decrypt_content(Interview.objects.get())
    settings.FIELD_ENCRYPTION_KEYS = f"{new_key},{old_key}"
    assert sum(c.pending for c in keys_rotate()) == 0  # nothing left: a second run is a no-op


def test_an_interrupted_run_resumes(settings: Any, old_key: str) -> None:
    settings.FIELD_ENCRYPTION_KEYS = f"{new_key_spec(2)},{old_key}"

    def interrupted(count: RotationCount) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        keys_rotate(batch_size=1, progress=interrupted)
    assert _versions() == [1] * (ENCRYPTED - 1) + [2]  # the first batch was kept
    counts = keys_rotate(batch_size=1)
    assert sum(c.rotated for c in counts) == ENCRYPTED - 1
    assert _versions() == [2] * ENCRYPTED


def test_a_row_changed_meanwhile_is_left_to_the_site(
    settings: Any, old_key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vigil.core import rotation

    settings.FIELD_ENCRYPTION_KEYS = f"{new_key_spec(2)},{old_key}"
    needs = rotation._column_needs

    def edited_meanwhile(entry: Any, row: models.Model, current: int) -> bytes | None:
        old = needs(entry, row, current)
        if isinstance(row, Interview):  # the site saves new content with the new key
            fresh = Interview.objects.get(pk=row.pk)
            _encrypt_content(fresh, "edited meanwhile")
            fresh.save()
        return old

    monkeypatch.setattr(rotation, "_column_needs", edited_meanwhile)
    counts = {c.label: c for c in keys_rotate()}
    assert counts["visits.interview.content_ciphertext"].changed_meanwhile == 1
    assert _decrypt_content(Interview.objects.get()) == "edited meanwhile"


def test_every_binary_column_is_registered_as_encrypted() -> None:
    """A new encrypted column must be registered (`register_encrypted_field`), or rotation
    would miss it; a binary column that holds no ciphertext is listed in NOT_ENCRYPTED."""
    registered = {entry.label for entry in encrypted_fields()}
    file_models = set(encrypted_file_models())
    binary = {
        f"{model._meta.label_lower}.{field.name}"
        for model in apps.get_models()
        if model not in file_models
        for field in model._meta.concrete_fields
        if isinstance(field, models.BinaryField)
    }
    assert binary - NOT_ENCRYPTED == registered
    assert {m._meta.label_lower for m in file_models} >= {"visits.attachment"}
