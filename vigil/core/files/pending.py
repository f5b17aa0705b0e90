"""Files kept for a form that came back with an error. A browser never refills a file field,
so a form that is sent back to be corrected would lose the files chosen: they are checked
(the shared upload check), stored encrypted as rows of the user who sent them (a subclass of
`PendingUpload` that the domain app names), and named in the form by signed tokens (hidden or ticked fields, `KEPT_FIELD`). When
the form is sent again, the tokens give the files back; once the form is saved they are
removed. A token only opens its own user's file, and only for a day.
"""

from collections.abc import Sequence
from datetime import timedelta

from django.apps import apps
from django.contrib.auth.base_user import AbstractBaseUser
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from vigil.core.crypto import keyring

from .check import UploadCheck
from .models import PendingUpload
from .store import encrypted_file_delete, encrypted_file_store

KEPT_FIELD = "kept_files"
MAX_AGE = timedelta(days=1)
_SALT = "vigil.core.files.pending"


def pending_token(upload: PendingUpload) -> str:
    return signing.dumps(
        {"file": str(upload.public_id), "user": upload.user_id, "kind": upload._meta.label_lower},
        salt=_SALT,
    )


def pending_uploads[P: PendingUpload](
    model: type[P], user: AbstractBaseUser, tokens: Sequence[str]
) -> list[P]:
    """The user's kept files named by `tokens`, in their order; a token that is altered,
    too old, another user's or whose file is gone names nothing."""
    wanted = []
    for token in tokens:
        try:
            data = signing.loads(token, salt=_SALT, max_age=MAX_AGE)
        except signing.BadSignature:
            continue
        if (
            isinstance(data, dict)
            and data.get("user") == user.pk
            and data.get("kind") == model._meta.label_lower
            and data.get("file")
        ):
            wanted.append(str(data["file"]))
    found = {
        str(upload.public_id): upload
        for upload in model._default_manager.filter(user_id=user.pk, public_id__in=wanted)
    }
    return [found[key] for key in dict.fromkeys(wanted) if key in found]


@transaction.atomic
def pending_keep[P: PendingUpload](
    model: type[P],
    *,
    user: AbstractBaseUser,
    files: Sequence[File],  # type: ignore[type-arg]
    check: UploadCheck,
) -> tuple[list[P], list[str]]:
    """Checks `files` and keeps those accepted for the user; returns them and the refusals
    ("name: why"). Files kept more than a day ago, by anyone, are removed on the way."""
    _sweep(model)
    kept: list[P] = []
    refused: list[str] = []
    for file in files:
        try:
            clean = check.check(file)
        except ValidationError as exc:
            refused.extend(f"{file.name}: {message}" for message in exc.messages)
            continue
        upload = model(user_id=user.pk)
        encrypted_file_store(upload, clean)
        upload.save()
        kept.append(upload)
    return kept, refused


def _sweep(model: type[PendingUpload], *, dry_run: bool = False) -> int:
    stale = list(model._default_manager.filter(created_at__lt=timezone.now() - MAX_AGE))
    if not dry_run:
        for upload in stale:
            encrypted_file_delete(upload)
    return len(stale)


@transaction.atomic
def pending_sweep(*, dry_run: bool = False) -> int:
    """Removes, from every kind of kept file, those kept more than a day ago (their forms were
    never sent again); returns how many (with `dry_run`, only counts them)."""
    kinds = [
        model
        for model in apps.get_models()
        if issubclass(model, PendingUpload) and not model._meta.abstract
    ]
    return sum(_sweep(model, dry_run=dry_run) for model in kinds)


def pending_files(uploads: Sequence[PendingUpload]) -> list[File]:  # type: ignore[type-arg]
    """The kept files, decrypted, as uploads to hand to the service that saves the form (it
    checks them again like any other)."""
    ring = keyring()
    files: list[File] = []  # type: ignore[type-arg]
    for upload in uploads:
        with default_storage.open(upload.storage_name, "rb") as handle:
            data = ring.decrypt(handle.read(), upload.associated_data())
        files.append(ContentFile(data, name=upload.original_name))
    return files


@transaction.atomic
def pending_drop(uploads: Sequence[PendingUpload]) -> None:
    """Removes kept files (the form was saved)."""
    for upload in uploads:
        encrypted_file_delete(upload)
