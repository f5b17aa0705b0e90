"""The registry of what is stored encrypted with the field keys (`vigil.core.crypto`), so that
`manage.py rotate_keys` (`vigil.core.rotation`) finds every ciphertext in one place.

A model's encrypted column is registered once, in its app's `AppConfig.ready()`, with the
function that gives a row's associated data (the same one the app encrypts with):

    register_encrypted_field(Interview, "content_ciphertext",
                             associated_data=content_associated_data,
                             version_field="content_key_version")

Files in the encrypted store need no line: every concrete `EncryptedFile` model is found by
`encrypted_file_models()`. A test fails for a `BinaryField` that is neither registered nor
listed in `NOT_ENCRYPTED`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models

from .files.models import EncryptedFile

# Binary columns that hold no field-key ciphertext (label.field): none today.
NOT_ENCRYPTED: frozenset[str] = frozenset()


@dataclass(frozen=True)
class EncryptedField:
    """A column holding `vigil.core.crypto` ciphertexts.

    `associated_data(row)` gives the row's associated data; `version_field`, when the model
    keeps the key version beside the ciphertext, is updated with it; `related` are the
    relations `associated_data` follows (fetched with the rows); `applies(row)` says whether
    the row's column is encrypted at all (e.g. only the import batches of a sealed kind)."""

    model: type[models.Model]
    field: str
    associated_data: Callable[[Any], bytes]
    version_field: str | None = None
    related: tuple[str, ...] = ()
    applies: Callable[[Any], bool] | None = None

    @property
    def label(self) -> str:
        return f"{self.model._meta.label_lower}.{self.field}"

    def rows(self) -> "models.QuerySet[Any]":
        """The model's rows, with the relations `associated_data` follows."""
        rows = self.model._base_manager.all()
        return rows.select_related(*self.related) if self.related else rows


_REGISTRY: dict[str, EncryptedField] = {}


def register_encrypted_field(
    model: type[models.Model],
    field: str,
    *,
    associated_data: Callable[[Any], bytes],
    version_field: str | None = None,
    related: tuple[str, ...] = (),
    applies: Callable[[Any], bool] | None = None,
) -> None:
    """Register `model.field` as encrypted with the field keys (idempotent per column)."""
    model._meta.get_field(field)  # a typo fails at start, not at the next rotation
    if version_field is not None:
        model._meta.get_field(version_field)
    entry = EncryptedField(model, field, associated_data, version_field, related, applies)
    _REGISTRY[entry.label] = entry


def encrypted_fields() -> list[EncryptedField]:
    """Every registered encrypted column, in a stable order."""
    return [_REGISTRY[label] for label in sorted(_REGISTRY)]


def encrypted_file_models() -> list[type[EncryptedFile]]:
    """Every concrete model of the encrypted file store."""
    found = [
        model
        for model in apps.get_models()
        if issubclass(model, EncryptedFile) and not model._meta.abstract
    ]
    return sorted(found, key=lambda model: model._meta.label_lower)
