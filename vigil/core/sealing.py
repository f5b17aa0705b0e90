"""Sealed identities: a person's real identity, encrypted and kept apart from the record that
names them by a pseudonym (an interviewee today, an appellant next).

The identity is sealed with the field encryption (AES-256-GCM, key version kept) bound to its
owner by the associated data, so a ciphertext copied onto another record does not open. It is
read only by an explicit unseal with a reason, and the access event (with the reason) is
written *before* anything is decrypted: if the event cannot be written, nothing is revealed.
Who may unseal is the owning app's policy; this module only keeps the rule of how.

A sealed identity also keeps a *fingerprint*: a keyed hash (HMAC-SHA-256 with
`IDENTITY_FINGERPRINT_KEY`, a key kept apart from the encryption keys, so that rotating those
changes no fingerprint) of the name written the same way whatever its case, spacing,
punctuation or Kazakh/Russian letters. Equal fingerprints say "the same person wrote again"
without unsealing anyone; the hash cannot be reversed without the key, and a guessed name
cannot be checked against it without the key either.
"""

import hashlib
import hmac
import re
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from vigil.audit.context import RequestContext
from vigil.audit.enums import AccessKind

from .crypto import fingerprint_key_check, keyring
from .models import BaseModel
from .reveal import reveal_logged
from .search import fold

if TYPE_CHECKING:
    from vigil.accounts.models import User

MAX_IDENTITY_CHARS = 1_000
MAX_REASON_CHARS = 1_000


class SealedIdentity(BaseModel):
    """The encrypted identity; the concrete model adds the one-to-one link to its owner."""

    ciphertext = models.BinaryField(editable=False)
    key_version = models.PositiveSmallIntegerField(editable=False)
    fingerprint = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    class Meta:
        abstract = True


def identity_seal(identity: str, *, associated_data: bytes) -> tuple[bytes, int]:
    """The ciphertext of `identity` and the key version that sealed it."""
    ring = keyring()
    return ring.encrypt(identity.encode("utf-8"), associated_data), ring.current_version


_NOT_A_LETTER = re.compile(r"[\W_]+")


def identity_fingerprint(name: str) -> str:
    """The keyed fingerprint of a person's name ("" for a blank one: no match on nothing).

    "Айгүл  Серікова", "айгул сериков-а" and "AЙГҮЛ СЕРІКОВА" give the same fingerprint: case,
    spacing and punctuation are dropped, Kazakh letters folded to their Russian look-alikes,
    and the words sorted (a surname first or last is the same person)."""
    words = sorted(w for w in _NOT_A_LETTER.split(fold(name or "")) if w)
    if not words:
        return ""
    message = " ".join(words).encode("utf-8")
    return hmac.new(
        fingerprint_key_check(settings.IDENTITY_FINGERPRINT_KEY), message, hashlib.sha256
    ).hexdigest()


def unseal_reason_clean(reason: str | None) -> str:
    """The reason given for an unseal, required and bounded (it is logged)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say why you need the real identity: the reason is logged.")}
        )
    if len(reason) > MAX_REASON_CHARS:
        raise ValidationError(
            {"reason": _("Keep this under %(limit)s characters.") % {"limit": MAX_REASON_CHARS}}
        )
    return reason


def identity_reveal(
    sealed: SealedIdentity,
    *,
    associated_data: bytes,
    actor: "User",
    target: models.Model,
    reason: str,
    context: RequestContext | None = None,
) -> str:
    """Log the unseal (who, what, why), then decrypt (`vigil.core.reveal`). Call after the
    permission check and `unseal_reason_clean`; an error writing the event reveals nothing."""
    return reveal_logged(
        lambda: keyring().decrypt(bytes(sealed.ciphertext), associated_data).decode("utf-8"),
        actor=actor,
        kind=AccessKind.IDENTITY_UNSEALED,
        target=target,
        reason=reason,
        context=context,
    )
