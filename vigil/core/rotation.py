"""Key rotation: re-encrypt every ciphertext of the field keys with the current key version.

What is encrypted comes from one registry (`vigil.core.encrypted`): the registered columns and
every encrypted-store file model. Rows are taken in batches of primary keys, each batch in its
own short transaction; a row is written only if its ciphertext is still the one that was read
(compare-and-swap on the old ciphertext, or on the old blob's name for a file), so an edit made
meanwhile by the running site wins and is never overwritten; rows already on the current
version are skipped, so an interrupted run is resumed by running it again. The associated data
of each ciphertext stays the same: only the key changes.
"""

import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, router, transaction

from .crypto import KeyRing, keyring
from .encrypted import EncryptedField, encrypted_fields, encrypted_file_models
from .files import transactions
from .files.models import EncryptedFile

DEFAULT_BATCH_SIZE = 200


@dataclass
class RotationCount:
    """What one column or file model had (`pending`) and what became of it."""

    label: str
    pending: int = 0
    rotated: int = 0
    changed_meanwhile: int = 0  # rewritten or deleted by the site during the run: left alone


Progress = Callable[[RotationCount], None]


def _batches(queryset: models.QuerySet[models.Model], size: int) -> Iterator[list[int]]:
    last = None
    while True:
        page = queryset.order_by("pk")
        if last is not None:
            page = page.filter(pk__gt=last)
        pks = list(page.values_list("pk", flat=True)[:size])
        if not pks:
            return
        yield pks
        last = pks[-1]


def _column_rows(entry: EncryptedField, current: int) -> models.QuerySet[models.Model]:
    rows = entry.model._base_manager.all()
    if entry.version_field:
        rows = rows.exclude(**{entry.version_field: current})
    return rows


def _column_needs(entry: EncryptedField, row: models.Model, current: int) -> bytes | None:
    """The row's old ciphertext when it must be rotated, else None."""
    blob = bytes(getattr(row, entry.field) or b"")
    if not blob or (entry.applies is not None and not entry.applies(row)):
        return None
    return blob if KeyRing.version_of(blob) != current else None


def _rotate_column(
    entry: EncryptedField, *, ring: KeyRing, dry_run: bool, batch_size: int, progress: Progress
) -> RotationCount:
    count = RotationCount(entry.label)
    manager = entry.model._base_manager
    for pks in _batches(_column_rows(entry, ring.current_version), batch_size):
        with transaction.atomic(using=router.db_for_write(entry.model)):
            for row in entry.rows().filter(pk__in=pks):
                old = _column_needs(entry, row, ring.current_version)
                if old is None:
                    continue
                count.pending += 1
                if dry_run:
                    continue
                data = entry.associated_data(row)
                changes: dict[str, object] = {
                    entry.field: ring.encrypt(ring.decrypt(old, data), data)
                }
                if entry.version_field:
                    changes[entry.version_field] = ring.current_version
                swapped = manager.filter(pk=row.pk, **{entry.field: old}).update(**changes)
                count.rotated += swapped
                count.changed_meanwhile += 1 - swapped
        progress(count)
    return count


def _rotate_file(file: EncryptedFile, ring: KeyRing, using: str) -> int:
    """Write `file`'s blob again under a new name with the current key; swap the row to it if
    it still names the old blob (1), else drop the new blob (0). The old blob goes on commit."""
    with default_storage.open(file.storage_name, "rb") as handle:
        data = ring.decrypt(handle.read(), file.associated_data())
    blob = ring.encrypt(data, file.associated_data())
    name = default_storage.save(f"{file.storage_dir}/{secrets.token_hex(20)}", ContentFile(blob))
    transactions.track(default_storage, name, using=using)
    old_name = file.storage_name
    swapped = (
        type(file)
        ._base_manager.filter(pk=file.pk, storage_name=old_name, key_version=file.key_version)
        .update(storage_name=name, key_version=ring.current_version)
    )
    if swapped:
        transaction.on_commit(lambda: default_storage.delete(old_name), using=using)
    else:
        default_storage.delete(name)
    return swapped


def _rotate_files(
    model: type[EncryptedFile],
    *,
    ring: KeyRing,
    dry_run: bool,
    batch_size: int,
    progress: Progress,
) -> RotationCount:
    count = RotationCount(f"{model._meta.label_lower} (files)")
    manager = model._base_manager
    using = router.db_for_write(model)
    for pks in _batches(manager.exclude(key_version=ring.current_version), batch_size):
        with transaction.atomic(using=using):
            for file in manager.filter(pk__in=pks).exclude(key_version=ring.current_version):
                count.pending += 1
                if dry_run:
                    continue
                swapped = _rotate_file(file, ring, using)
                count.rotated += swapped
                count.changed_meanwhile += 1 - swapped
        progress(count)
    return count


def keys_rotate(
    *,
    dry_run: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
) -> list[RotationCount]:
    """Re-encrypt with the current key version whatever is on an older one (with `dry_run`,
    only count it). `progress` is called after each batch."""
    ring = keyring()
    report = progress or (lambda count: None)
    counts = [
        _rotate_column(entry, ring=ring, dry_run=dry_run, batch_size=batch_size, progress=report)
        for entry in encrypted_fields()
    ]
    counts += [
        _rotate_files(model, ring=ring, dry_run=dry_run, batch_size=batch_size, progress=report)
        for model in encrypted_file_models()
    ]
    return counts
