"""A criminal case's victim protection measures, encrypted like an interview's content.

A relocation or a protection order can identify the victim, so the measures are stored as an
AES-256-GCM ciphertext bound to the case (`vigil.core.crypto`), read only through
`victim_protection_read` (its access event written first, `vigil.core.reveal`), and the audit
log records only that they changed.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.audit.enums import AccessKind
from vigil.core.crypto import keyring
from vigil.core.reveal import reveal_logged

from ..models import CriminalCase
from ..permissions import can_read_victim_protection

MAX_PROTECTION_CHARS = 10_000


def victim_protection_associated_data(case: CriminalCase) -> bytes:
    """Binds a case's protection measures ciphertext to its row."""
    return f"appeals.criminalcase.victim_protection:{case.public_id}".encode()


def victim_protection_encrypt(case: CriminalCase, measures: str) -> None:
    """The measures, encrypted with the field keys (empty: nothing stored)."""
    measures = measures.strip()
    if len(measures) > MAX_PROTECTION_CHARS:
        raise ValidationError(
            {
                "victim_protection": [
                    _("Keep this under %(limit)s characters.")
                    % {"limit": f"{MAX_PROTECTION_CHARS:,}"}
                ]
            }
        )
    case.victim_protection_ciphertext = (
        keyring().encrypt(measures.encode("utf-8"), victim_protection_associated_data(case))
        if measures
        else b""
    )


def victim_protection_read(
    *, actor: User, case: CriminalCase, context: RequestContext | None = None
) -> str:
    """The measures, for whoever may read them; logged before they are decrypted, a refused
    read as denied."""
    fresh = CriminalCase.objects.get(pk=case.pk)
    blob = bytes(fresh.victim_protection_ciphertext or b"")
    return reveal_logged(
        lambda: (
            keyring().decrypt(blob, victim_protection_associated_data(fresh)).decode("utf-8")
            if blob
            else ""
        ),
        actor=actor,
        kind=AccessKind.PERSON_DETAILS_READ,
        target=fresh,
        allowed=can_read_victim_protection(actor, fresh),
        data={"field": "victim_protection"},
        context=context,
    )
