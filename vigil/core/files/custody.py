"""The chain of custody of an uploaded file: what the original was (its SHA-256 and size, a
photo's capture time and GPS position from its EXIF) and who uploaded it when, kept sealed
beside the cleaned copy that is served. Every served copy carries no metadata; the record
lets the NPM show later, to a prosecutor or a UN body, that a photo it holds is the one taken
(`custody_matches`: the SHA-256 of a candidate original compared with the sealed one).

The record is encrypted with the field encryption (`vigil.core.crypto`) bound to its file by
the associated data, and read only through `custody_reveal`, with a reason: the access event
is written first, and if it cannot be, nothing is decrypted. Who may read it is the owning
app's policy.
"""

import datetime
import hashlib
import hmac
import json
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from django.db import models

from vigil.audit.context import RequestContext
from vigil.audit.enums import AccessKind
from vigil.core.crypto import keyring
from vigil.core.models import BaseModel
from vigil.core.reveal import reveal_logged

from .types import Original

if TYPE_CHECKING:
    from vigil.accounts.models import User


class SealedCustody(BaseModel):
    """The encrypted custody record; the concrete model adds the one-to-one link to its file."""

    ciphertext = models.BinaryField(editable=False)
    key_version = models.PositiveSmallIntegerField(editable=False)

    class Meta:
        abstract = True


@dataclass(frozen=True)
class CustodyRecord:
    """What a sealed custody record says."""

    original_sha256: str
    original_size: int
    captured_at: str | None  # the camera's local time, "YYYY-MM-DD HH:MM:SS"
    latitude: float | None
    longitude: float | None
    uploaded_by: str  # the uploader's e-mail address
    uploaded_at: str  # ISO 8601, with its time zone

    @property
    def has_position(self) -> bool:
        return self.latitude is not None and self.longitude is not None


def custody_seal(
    original: Original,
    *,
    uploaded_by: str,
    uploaded_at: datetime.datetime,
    associated_data: bytes,
) -> tuple[bytes, int]:
    """The ciphertext of the custody record of `original` and the key version that sealed it."""
    record = CustodyRecord(
        original_sha256=original.sha256,
        original_size=original.size,
        captured_at=original.captured_at,
        latitude=original.latitude,
        longitude=original.longitude,
        uploaded_by=uploaded_by,
        uploaded_at=uploaded_at.isoformat(),
    )
    ring = keyring()
    text = json.dumps(asdict(record), sort_keys=True).encode("utf-8")
    return ring.encrypt(text, associated_data), ring.current_version


def custody_reveal(
    sealed: SealedCustody,
    *,
    associated_data: bytes,
    actor: "User",
    target: models.Model,
    reason: str,
    context: RequestContext | None = None,
) -> CustodyRecord:
    """Log the read (who, which file, why), then decrypt (`reveal_logged`: an event that
    cannot be written reveals nothing). Call after the permission check and
    `unseal_reason_clean`. The one place a custody record is decrypted."""
    text = reveal_logged(
        lambda: keyring().decrypt(bytes(sealed.ciphertext), associated_data),
        actor=actor,
        kind=AccessKind.CUSTODY_READ,
        target=target,
        reason=reason,
        context=context,
    )
    return CustodyRecord(**json.loads(text))


def custody_matches(record: CustodyRecord, candidate: bytes) -> bool:
    """Whether `candidate` is, byte for byte, the original the record was made from."""
    digest = hashlib.sha256(candidate).hexdigest()
    return hmac.compare_digest(digest, record.original_sha256)
