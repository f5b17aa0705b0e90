"""Writing a backup archive (`backup_write`) and reading its members back (`archive_members`).

The tar (gzipped, then encrypted by `cipher`) holds `db/<model>.<part>.jsonl` members (a
header line naming the model and its columns, then up to `ROWS_PER_MEMBER` rows), the default
storage's files as `files/<name>`, and `manifest.json` last: the format, when and from which
database it was made, the applied migrations, each model's row count and content hash, and
the SHA-256 and size of every member.
"""

import hashlib
import io
import json
import os
import tarfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

from django.core.files.storage import Storage, default_storage
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from .cipher import BackupError, DecryptingReader, EncryptingWriter
from .tables import backed_up_models, columns, digest_line, row_line, rows

FORMAT = 1
MANIFEST = "manifest.json"
ROWS_PER_MEMBER = 5_000

Progress = Callable[[str], None]


def applied_migrations(using: str = DEFAULT_DB_ALIAS) -> list[list[str]]:
    recorder = MigrationRecorder(connections[using])
    return sorted([app, name] for app, name in recorder.applied_migrations())


def storage_names(storage: Storage, directory: str = "") -> Iterator[str]:
    """Every file in `storage`, by name, directories first."""
    try:
        directories, files = storage.listdir(directory)
    except (FileNotFoundError, NotADirectoryError):
        return
    for sub in sorted(directories):
        yield from storage_names(storage, f"{directory}{sub}/")
    for name in sorted(files):
        yield f"{directory}{name}"


def member_name_safe(name: str) -> bool:
    parts = name.split("/")
    return not name.startswith("/") and all(part not in {"", ".", ".."} for part in parts)


class _Members:
    """Adds members to the tar and keeps their checksums for the manifest."""

    def __init__(self, tar: tarfile.TarFile) -> None:
        self.tar = tar
        self.checksums: dict[str, dict[str, Any]] = {}

    def add(self, name: str, data: bytes) -> None:
        info = tarfile.TarInfo(name)
        info.size = len(data)
        info.mode = 0o600
        info.mtime = int(timezone.now().timestamp())
        self.tar.addfile(info, io.BytesIO(data))
        self.checksums[name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


@contextmanager
def _snapshot(using: str) -> Iterator[None]:
    """One transaction for the whole read: on PostgreSQL a repeatable-read snapshot, so the
    tables agree with each other while the site writes; SQLite's writers wait meanwhile."""
    connection = connections[using]
    fresh = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if fresh and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def _write_table(members: _Members, model: type[models.Model]) -> dict[str, Any]:
    label = model._meta.label_lower
    header = json.dumps({"model": label, "columns": [f.attname for f in columns(model)]})
    digest, count, part, lines = hashlib.sha256(), 0, 0, [header.encode() + b"\n"]
    for row in rows(model):
        digest.update(digest_line(row))
        lines.append(row_line(row))
        count += 1
        if len(lines) > ROWS_PER_MEMBER:
            members.add(f"db/{label}.{part:05d}.jsonl", b"".join(lines))
            part, lines = part + 1, lines[:1]
    if len(lines) > 1 or part == 0:
        members.add(f"db/{label}.{part:05d}.jsonl", b"".join(lines))
    return {"count": count, "sha256": digest.hexdigest()}


def _write_tables(members: _Members, progress: Progress) -> dict[str, dict[str, Any]]:
    tables: dict[str, dict[str, Any]] = {}
    for model in backed_up_models():
        label = model._meta.label_lower
        tables[label] = _write_table(members, model)
        progress(f"{label}: {tables[label]['count']}")
    return tables


def _write_files(members: _Members, storage: Storage) -> int:
    count = 0
    for name in storage_names(storage):
        try:
            with storage.open(name, "rb") as handle:
                data = handle.read()
        except FileNotFoundError:  # deleted since it was listed
            continue
        members.add(f"files/{name}", data)
        count += 1
    return count


def _write(target: BinaryIO, key: bytes, using: str, progress: Progress) -> dict[str, Any]:
    writer = EncryptingWriter(target, key)
    with tarfile.open(fileobj=writer, mode="w|gz") as tar, _snapshot(using):  # type: ignore[call-overload]
        members = _Members(tar)
        tables = _write_tables(members, progress)
        files = _write_files(members, default_storage)
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "database": connections[using].vendor,
            "migrations": applied_migrations(using),
            "tables": tables,
            "files": files,
            "members": members.checksums,
        }
        members.add(MANIFEST, json.dumps(manifest, indent=1, sort_keys=True).encode())
    writer.close()
    return manifest


def backup_write(
    path: Path, *, key: bytes, using: str = DEFAULT_DB_ALIAS, progress: Progress | None = None
) -> dict[str, Any]:
    """Write the archive to `path` (refused if it exists; readable by its owner only) and
    return its manifest. A failed run leaves no file."""
    if path.exists():
        raise BackupError(f"{path} already exists.")
    partial = path.with_name(path.name + ".part")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as target:
            manifest = _write(target, key, using, progress or (lambda line: None))
            target.flush()
            os.fsync(target.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return manifest


def archive_members(path: Path, key: bytes) -> Iterator[tuple[str, bytes]]:
    """Each member of the archive, decrypted, in order; `BackupError` for a wrong key, an
    altered, cut-off or malformed archive."""
    try:
        source = path.open("rb")
    except OSError as exc:
        raise BackupError(f"Cannot open {path}: {exc}") from exc
    with source:
        reader = DecryptingReader(source, key)
        try:
            with tarfile.open(fileobj=reader, mode="r|gz") as tar:  # type: ignore[call-overload]
                for info in tar:
                    if not info.isfile() or not member_name_safe(info.name):
                        raise BackupError(f"Unexpected member in the archive: {info.name!r}")
                    handle = tar.extractfile(info)
                    yield info.name, handle.read() if handle else b""
            reader.read()  # the last chunk authenticates the end of the archive
        except (tarfile.TarError, EOFError, zlib.error, json.JSONDecodeError) as exc:
            raise BackupError(f"The archive is damaged: {exc}") from exc
