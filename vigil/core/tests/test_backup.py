"""Backup and restore in the suite's database (SQLite or PostgreSQL): an archive restored into
an emptied instance gives every table back with the same rows (count and content hash per
table) and every ciphertext and file still decrypts; a tampered archive, a wrong key and a
non-empty instance are refused, and a failed restore leaves nothing behind."""

from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from vigil.core.backup.archive import backup_write, storage_names
from vigil.core.backup.cipher import HEADER_BYTES, BackupError, backup_key, new_backup_key
from vigil.core.backup.restore import archive_restore, archive_verify
from vigil.core.backup.tables import backed_up_models, table_digest
from vigil.core.crypto import keyring
from vigil.visits.models import Interview
from vigil.visits.services.interviews import _decrypt_content
from vigil.visits.tests.fixtures import INTERVIEW_CONTENT

from .backup_data import everything_decrypts, sensitive_data_made, storage_cleared

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def key(settings: Any) -> bytes:
    settings.VIGIL_BACKUP_KEY = new_backup_key()
    return backup_key()


@pytest.fixture
def archive(tmp_path: Path, key: bytes, users: dict[str, Any], interview: Any, appeal: Any) -> Path:
    storage_cleared()
    sensitive_data_made(users, interview, appeal)
    path = tmp_path / "vigil.backup"
    backup_write(path, key=key)
    return path


def _digests() -> dict[str, tuple[int, str]]:
    return {model._meta.label_lower: table_digest(model) for model in backed_up_models()}


def _emptied() -> None:
    call_command("flush", interactive=False, verbosity=0)
    storage_cleared()


def test_restore_into_an_empty_instance_gives_the_same_data(archive: Path, key: bytes) -> None:
    before, files_before = _digests(), sorted(storage_names(default_storage))
    assert before["visits.interview"][0] == 1
    assert before["appeals.appealidentity"][0] == 1
    assert before["visits.visit_institutions"][0] >= 1  # a many-to-many table
    _emptied()
    manifest = archive_restore(archive, key=key)
    assert _digests() == before
    assert {label: (t["count"], t["sha256"]) for label, t in manifest["tables"].items()} == before
    assert sorted(storage_names(default_storage)) == files_before
    assert everything_decrypts() == 6  # 2 contents, 2 identities, the batch, the file
    assert _decrypt_content(Interview.objects.get()) == INTERVIEW_CONTENT


def test_archive_reveals_nothing_without_its_key(archive: Path) -> None:
    data = archive.read_bytes()
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    for secret in (b"Witness K", "Сәкен".encode(), b"\x89PNG pixels", b"visits.interview"):
        assert secret not in data
    with pytest.raises(BackupError, match="wrong backup key"):
        archive_verify(archive, key=bytes(32))


def test_verify_accepts_an_intact_archive(archive: Path, key: bytes) -> None:
    manifest = archive_verify(archive, key=key)
    assert manifest["format"] == 1
    assert manifest["tables"]["visits.interview"]["count"] == 1
    assert any(name.startswith("files/attachments/") for name in manifest["members"])


@pytest.mark.parametrize("where", ["header", "middle", "end", "cut"])
def test_a_tampered_archive_is_refused_and_restores_nothing(
    archive: Path, key: bytes, where: str
) -> None:
    data = bytearray(archive.read_bytes())
    if where == "cut":
        data = data[:-20]
    else:
        index = {"header": HEADER_BYTES - 1, "middle": len(data) // 2, "end": len(data) - 1}
        data[index[where]] ^= 0x01
    archive.write_bytes(bytes(data))
    _emptied()
    with pytest.raises(BackupError):
        archive_restore(archive, key=key)
    assert not any(
        model._base_manager.exists()
        for model in backed_up_models()
        if model._meta.label_lower not in {"auth.permission", "contenttypes.contenttype"}
    )


def test_a_wrong_key_is_refused(archive: Path, settings: Any) -> None:
    settings.VIGIL_BACKUP_KEY = new_backup_key()
    _emptied()
    with pytest.raises(BackupError, match="wrong backup key"):
        archive_restore(archive, key=backup_key())


def test_a_database_with_data_is_refused(archive: Path, key: bytes) -> None:
    before = _digests()
    with pytest.raises(BackupError, match="database is not empty"):
        archive_restore(archive, key=key)
    assert _digests() == before


def test_a_failed_restore_writes_no_file_and_no_row(
    archive: Path, key: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    _emptied()

    def broken(*args: Any, **kwargs: Any) -> None:
        raise BackupError("disk full")

    monkeypatch.setattr("vigil.core.backup.restore.table_digest", broken)
    with pytest.raises(BackupError, match="disk full"):
        archive_restore(archive, key=key)
    assert list(storage_names(default_storage)) == []
    assert not Interview.objects.exists()


def test_the_backup_key_is_not_a_field_key(settings: Any) -> None:
    settings.VIGIL_BACKUP_KEY = settings.FIELD_ENCRYPTION_KEYS.split(":", 1)[1]
    assert keyring().keys
    with pytest.raises(BackupError, match="not be a field encryption key"):
        backup_key()


def test_an_existing_archive_is_not_overwritten(archive: Path, key: bytes) -> None:
    before = archive.read_bytes()
    with pytest.raises(BackupError, match="already exists"):
        backup_write(archive, key=key)
    assert archive.read_bytes() == before
