"""Sealed identities: sealed to their owner, revealed only after the access event is written."""

from typing import Any
from unittest import mock

import pytest
from cryptography.exceptions import InvalidTag
from django.core.exceptions import ValidationError

from vigil.audit.enums import AccessKind
from vigil.audit.models import AccessEvent
from vigil.core import reveal, sealing
from vigil.core.crypto import DecryptionError


class _Row:
    """Stands for a concrete sealed-identity row (only its two stored fields are read)."""

    def __init__(self, ciphertext: bytes, key_version: int) -> None:
        self.ciphertext = ciphertext
        self.key_version = key_version


def _Sealed(ciphertext: bytes, key_version: int) -> Any:
    return _Row(ciphertext, key_version)


IDENTITY = "Сәкен Өмірзақов"


def test_seal_is_not_plaintext_and_is_bound_to_its_owner(users):
    blob, version = sealing.identity_seal(IDENTITY, associated_data=b"owner:1")
    assert IDENTITY.encode() not in blob
    sealed = _Sealed(blob, version)
    target = users["coordinator"]  # any saved row can be the target of the access event
    text = sealing.identity_reveal(
        sealed, associated_data=b"owner:1", actor=users["coordinator"], target=target,
        reason="referral",
    )  # fmt: skip
    assert text == IDENTITY
    with pytest.raises((DecryptionError, InvalidTag)):
        sealing.identity_reveal(
            sealed, associated_data=b"owner:2", actor=users["coordinator"], target=target,
            reason="copied onto another record",
        )  # fmt: skip


def test_the_access_event_is_written_before_anything_is_decrypted(users):
    blob, version = sealing.identity_seal(IDENTITY, associated_data=b"owner:1")
    event = AccessEvent.objects.filter(kind=AccessKind.IDENTITY_UNSEALED)
    with (
        mock.patch.object(reveal, "access_record", side_effect=RuntimeError("log down")),
        mock.patch.object(sealing, "keyring") as keyring,
        pytest.raises(reveal.AccessNotRecorded),
    ):
        sealing.identity_reveal(
            _Sealed(blob, version), associated_data=b"owner:1", actor=users["coordinator"],
            target=users["coordinator"], reason="referral",
        )  # fmt: skip
    keyring.assert_not_called()
    assert not event.exists()
    sealing.identity_reveal(
        _Sealed(blob, version), associated_data=b"owner:1", actor=users["coordinator"],
        target=users["coordinator"], reason="referral to the prosecutor",
    )  # fmt: skip
    assert event.get().reason == "referral to the prosecutor"


@pytest.mark.parametrize("reason", ["", "   ", None, "x" * (sealing.MAX_REASON_CHARS + 1)])
def test_an_unseal_needs_a_short_reason(reason):
    with pytest.raises(ValidationError) as error:
        sealing.unseal_reason_clean(reason)
    assert "reason" in error.value.message_dict


def test_a_reason_is_kept_trimmed():
    assert sealing.unseal_reason_clean("  referral  ") == "referral"
