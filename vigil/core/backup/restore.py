"""Checking an archive (`archive_verify`) and restoring it into an empty instance
(`archive_restore`): every checksum first, then everything in one transaction, the files
written inside it (deleted again if it rolls back), the PostgreSQL sequences reset, and each
table's count and content hash compared with the manifest before the commit."""

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction

from ..files import transactions
from .archive import FORMAT, MANIFEST, applied_migrations, archive_members, storage_names
from .cipher import BackupError
from .tables import MADE_BY_MIGRATE, backed_up_models, columns, decode, table_digest

Progress = Callable[[str], None]
ROWS_PER_INSERT = 500


def _checksum(name: str, data: bytes) -> dict[str, Any]:
    return {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


def archive_verify(path: Path, *, key: bytes) -> dict[str, Any]:
    """The archive's manifest, once it decrypts and every member matches its checksum, every
    table part its row count; else `BackupError`."""
    seen: dict[str, dict[str, Any]] = {}
    row_counts: dict[str, int] = {}
    manifest: dict[str, Any] | None = None
    for name, data in archive_members(path, key):
        if manifest is not None:
            raise BackupError(f"Member after the manifest: {name}")
        if name == MANIFEST:
            manifest = json.loads(data)
            continue
        seen[name] = _checksum(name, data)
        if name.startswith("db/"):
            label = json.loads(data.split(b"\n", 1)[0])["model"]
            row_counts[label] = row_counts.get(label, 0) + data.count(b"\n") - 1
    if manifest is None:
        raise BackupError("The archive has no manifest.")
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown archive format {manifest.get('format')!r}.")
    if seen != manifest["members"]:
        wrong = sorted(set(seen).symmetric_difference(manifest["members"])) or sorted(
            name for name in seen if seen[name] != manifest["members"][name]
        )
        raise BackupError(f"Checksums do not match the manifest: {', '.join(wrong[:5])}")
    for label, table in manifest["tables"].items():
        if row_counts.get(label, 0) != table["count"]:
            raise BackupError(f"Row count of {label} does not match the manifest.")
    return manifest


def _models_check(manifest: dict[str, Any], using: str) -> dict[str, type[models.Model]]:
    if manifest["migrations"] != applied_migrations(using):
        raise BackupError(
            "The archive was made at another migration state: run the same version of Vigil "
            "and `manage.py migrate` before restoring."
        )
    found = {model._meta.label_lower: model for model in backed_up_models()}
    if set(found) != set(manifest["tables"]):
        raise BackupError("The archive's tables are not this instance's tables.")
    return found


def _emptiness_check(found: dict[str, type[models.Model]]) -> None:
    filled = [
        label
        for label, model in found.items()
        if label not in MADE_BY_MIGRATE and model._base_manager.exists()
    ]
    if filled:
        raise BackupError(
            f"The database is not empty ({', '.join(filled[:5])}): restore into a new, "
            "migrated database."
        )
    if next(storage_names(default_storage), None) is not None:
        raise BackupError("The file storage is not empty: restore into an empty one.")


def _insert(model: type[models.Model], data: bytes, using: str) -> None:
    lines = data.split(b"\n")
    fields = columns(model)
    if json.loads(lines[0])["columns"] != [f.attname for f in fields]:
        raise BackupError(f"The columns of {model._meta.label_lower} differ from this instance's.")
    objects = []
    for line in lines[1:]:
        if line:
            values = json.loads(line)
            objects.append(
                model(**{f.attname: decode(f, v) for f, v in zip(fields, values, strict=True)})
            )
    manager = model._base_manager
    for start in range(0, len(objects), ROWS_PER_INSERT):
        batch = objects[start : start + ROWS_PER_INSERT]
        size = max(1, connections[using].ops.bulk_batch_size(fields, batch))
        for offset in range(0, len(batch), size):
            # raw: the values as they were (no auto_now, no defaults)
            manager._insert(batch[offset : offset + size], fields=fields, using=using, raw=True)  # type: ignore[attr-defined]


def _file_store(name: str, data: bytes, using: str) -> None:
    saved = default_storage.save(name, ContentFile(data))
    transactions.track(default_storage, saved, using=using)
    if saved != name:
        raise BackupError(f"The file {name} could not be written under its name.")


def _restore(
    path: Path,
    key: bytes,
    manifest: dict[str, Any],
    found: dict[str, type[models.Model]],
    using: str,
    progress: Progress,
) -> None:
    for label in MADE_BY_MIGRATE:
        found[label]._base_manager.all().delete()
    for name, data in archive_members(path, key):
        if name == MANIFEST:
            continue
        if manifest["members"].get(name) != _checksum(name, data):
            raise BackupError(f"The archive changed while it was restored: {name}")
        if name.startswith("db/"):
            _insert(found[json.loads(data.split(b"\n", 1)[0])["model"]], data, using)
        elif name.startswith("files/"):
            _file_store(name.removeprefix("files/"), data, using)
    connection = connections[using]
    connection.check_constraints()
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(found.values())):
            cursor.execute(sql)
    for label, model in found.items():
        count, digest = table_digest(model)
        if (count, digest) != (
            manifest["tables"][label]["count"],
            manifest["tables"][label]["sha256"],
        ):
            raise BackupError(f"{label} does not read back as it was saved.")
        progress(f"{label}: {count}")


def archive_restore(
    path: Path, *, key: bytes, using: str = DEFAULT_DB_ALIAS, progress: Progress | None = None
) -> dict[str, Any]:
    """Restore the archive into this empty instance, all or nothing; its manifest."""
    manifest = archive_verify(path, key=key)
    found = _models_check(manifest, using)
    _emptiness_check(found)
    try:
        with transaction.atomic(using=using):
            _restore(path, key, manifest, found, using, progress or (lambda line: None))
    finally:
        ContentType.objects.clear_cache()
    return manifest
