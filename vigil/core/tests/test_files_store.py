"""The encrypted file store (`vigil.core.files.store`): stored bytes are ciphertext bound to
their row, a read writes its AccessEvent first and fails closed, a delete waits for the commit,
and a rolled-back transaction (or savepoint) leaves no stored file behind."""

from collections.abc import Callable, Iterator

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection, transaction
from django.test.utils import isolate_apps

from vigil.audit.enums import AccessKind
from vigil.audit.models import AccessEvent
from vigil.core import reveal as reveal_module
from vigil.core.crypto import DecryptionError, keyring
from vigil.core.files.models import EncryptedFile
from vigil.core.files.responses import file_download_response
from vigil.core.files.store import (
    FileContent,
    encrypted_file_delete,
    encrypted_file_read,
    encrypted_file_store,
)
from vigil.core.files.types import PDF, CleanFile
from vigil.core.reveal import AccessNotRecorded

SECRET = b"%PDF-1.4\nSECRET-MARKER medical certificate\n%%EOF\n"


@pytest.fixture
def evidence_model(transactional_db) -> Iterator[type[EncryptedFile]]:
    """A concrete stored-file model with its own table, for this module only. The tests run
    outside a test transaction, so commits and rollbacks are real."""
    with isolate_apps("vigil.core"):

        class Evidence(EncryptedFile):
            storage_dir = "test-evidence"

            class Meta:
                app_label = "core"

        with connection.schema_editor() as editor:
            editor.create_model(Evidence)
        try:
            yield Evidence
        finally:
            with connection.schema_editor() as editor:
                editor.delete_model(Evidence)
            for name in stored_names():  # committed files stay in storage: cleared here
                default_storage.delete(name)


def stored_names() -> set[str]:
    try:
        return {f"test-evidence/{name}" for name in default_storage.listdir("test-evidence")[1]}
    except FileNotFoundError:
        return set()


def blob(file: EncryptedFile) -> bytes:
    with default_storage.open(file.storage_name, "rb") as handle:
        return handle.read()


class Failure(Exception):
    pass


def fail_after(work: Callable[[], object]) -> None:
    """Run `work` in a transaction that then fails."""

    @transaction.atomic
    def failing() -> None:
        work()
        raise Failure

    with pytest.raises(Failure):
        failing()


def checked(data: bytes = SECRET, name: str = "a.pdf") -> CleanFile:
    return CleanFile(data, PDF, name)


def save(model: type[EncryptedFile], data: bytes = SECRET, name: str = "a.pdf") -> EncryptedFile:
    file = model()
    encrypted_file_store(file, checked(data, name))
    file.full_clean()
    file.save()
    return file


# ---------------------------------------------------------------------------- storing


def test_stored_bytes_are_not_plaintext(evidence_model):
    with transaction.atomic():
        file = save(evidence_model, name="Иванов_побои.pdf")
    stored = blob(file)
    assert b"SECRET-MARKER" not in stored
    assert b"%PDF" not in stored
    assert file.storage_name.startswith("test-evidence/")
    assert "Иванов" not in file.storage_name
    assert file.key_version == keyring().current_version
    assert stored[:2] == file.key_version.to_bytes(2, "big")
    assert file.size == len(SECRET)
    assert file.original_name == "Иванов_побои.pdf"
    assert keyring().decrypt(stored, file.associated_data()) == SECRET


def test_a_blob_is_bound_to_its_row(evidence_model, users):
    with transaction.atomic():
        first, second = save(evidence_model), save(evidence_model, SECRET + b"%")
    default_storage.delete(second.storage_name)
    default_storage.save(second.storage_name, ContentFile(blob(first)))
    with pytest.raises(DecryptionError):
        read(users["monitor"], second)
    assert AccessEvent.objects.count() == 1  # logged first: the attempt stays in the log


def test_storing_outside_a_transaction_is_refused(evidence_model):
    before = stored_names()
    with pytest.raises(transaction.TransactionManagementError):
        encrypted_file_store(evidence_model(), checked())
    assert stored_names() == before


# ---------------------------------------------------------------------------- reading


def read(actor, file: EncryptedFile) -> FileContent:
    return encrypted_file_read(
        actor=actor, file=file, access_kind=AccessKind.ATTACHMENT_DOWNLOADED, access_target=file
    )


def test_read_writes_the_access_event_first(evidence_model, users, monkeypatch):
    with transaction.atomic():
        file = save(evidence_model)
    events_when_opened: list[int] = []
    open_blob = default_storage.open

    def spying_open(name: str, mode: str = "rb"):
        events_when_opened.append(AccessEvent.objects.count())
        return open_blob(name, mode)

    monkeypatch.setattr(default_storage, "open", spying_open)
    content = read(users["monitor"], file)
    assert content == FileContent(SECRET, "a.pdf", "application/pdf")
    assert events_when_opened == [1]
    event = AccessEvent.objects.get()
    assert event.kind == AccessKind.ATTACHMENT_DOWNLOADED
    assert event.target_type == "core.evidence"
    assert event.target_id == str(file.public_id)
    assert event.actor == users["monitor"]


def test_read_fails_closed_when_the_event_cannot_be_written(evidence_model, users, monkeypatch):
    with transaction.atomic():
        file = save(evidence_model)

    def broken_create(**kwargs):
        raise DatabaseError("audit table unavailable")

    def no_open(*args, **kwargs):
        raise AssertionError("the file was opened although its read was not logged")

    monkeypatch.setattr(AccessEvent.objects, "create", broken_create)
    monkeypatch.setattr(default_storage, "open", no_open)
    with pytest.raises(AccessNotRecorded):
        read(users["monitor"], file)
    monkeypatch.undo()
    assert not AccessEvent.objects.exists()


def test_read_fails_closed_whatever_stops_the_event(evidence_model, users, monkeypatch):
    with transaction.atomic():
        file = save(evidence_model)

    def refused(**kwargs):
        raise ValueError("unknown access kind")

    monkeypatch.setattr(reveal_module, "access_record", refused)
    with pytest.raises(AccessNotRecorded):
        read(users["monitor"], file)


def test_download_response():
    response = file_download_response(FileContent(SECRET, "акт №5.pdf", "application/pdf"))
    assert response.content == SECRET
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


# ---------------------------------------------------------------------------- deleting


def test_delete_removes_row_and_blob_on_commit(evidence_model):
    with transaction.atomic():
        file = save(evidence_model)
    name = file.storage_name
    with transaction.atomic():
        encrypted_file_delete(file)
        assert default_storage.exists(name)  # until the commit
    assert not evidence_model.objects.exists()
    assert not default_storage.exists(name)


def test_rolled_back_delete_keeps_row_and_blob(evidence_model):
    with transaction.atomic():
        file = save(evidence_model)
    fail_after(lambda: encrypted_file_delete(evidence_model.objects.get()))
    assert evidence_model.objects.get().storage_name == file.storage_name
    assert default_storage.exists(file.storage_name)


# ---------------------------------------------------------------------------- rollbacks


def test_committed_file_is_kept(evidence_model):
    with transaction.atomic():
        file = save(evidence_model)
    assert stored_names() == {file.storage_name}


def test_failed_outer_transaction_leaves_no_stored_file(evidence_model):
    before = stored_names()

    @transaction.atomic
    def service() -> None:  # the service's own block succeeds...
        save(evidence_model)
        save(evidence_model)
        assert len(stored_names()) == len(before) + 2

    fail_after(service)  # ...and the caller's transaction fails afterwards
    assert stored_names() == before
    assert not evidence_model.objects.exists()


def test_transaction_marked_for_rollback_leaves_no_stored_file(evidence_model):
    with transaction.atomic():
        save(evidence_model)
        transaction.set_rollback(True)
    assert stored_names() == set()


def test_rolled_back_savepoint_takes_only_its_own_files(evidence_model):
    def two_files() -> None:
        save(evidence_model)
        with transaction.atomic():
            save(evidence_model)

    with transaction.atomic():
        kept = save(evidence_model)
        fail_after(two_files)  # a savepoint inside the transaction
        later = save(evidence_model)
    assert stored_names() == {kept.storage_name, later.storage_name}
    assert set(evidence_model.objects.values_list("storage_name", flat=True)) == stored_names()


def test_a_rollback_after_a_commit_spares_the_committed_files(evidence_model):
    with transaction.atomic():
        kept = save(evidence_model)
    fail_after(lambda: save(evidence_model))
    assert stored_names() == {kept.storage_name}


def test_failed_save_of_the_row_leaves_no_stored_file(evidence_model):
    with transaction.atomic():
        first = save(evidence_model)
    duplicate = evidence_model(public_id=first.public_id)

    @transaction.atomic
    def store_and_save() -> None:
        encrypted_file_store(duplicate, checked(name="b.pdf"))
        duplicate.save()  # the public id is taken: the insert fails

    with pytest.raises(DatabaseError):
        store_and_save()
    assert stored_names() == {first.storage_name}
