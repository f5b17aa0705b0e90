"""Letters to the appellant (acknowledgement, answer) exported from the appeal's page.

The letter names the appellant, so generating it unseals the sealed identity for the reason
"letter to the appellant" (the access event is written before anything is decrypted) and
needs `can_unseal_appellant`; an anonymous appeal gets no letter (there is no one to write
to). Each export is audited (APPEAL_LETTER_EXPORTED) and noted on the appeal's timeline.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record

from ..documents.letters import (
    ANSWERED_STATES,
    LETTER_LANGUAGES,
    LetterFormat,
    LetterKind,
    appeal_letter,
    build_docx,
    build_pdf,
)
from ..enums import EventKind
from ..models import Appeal, AppealIdentity
from ..permissions import can_unseal_appellant
from ..timeline import record_event
from .appeals import appellant_reveal

LETTER_REASON = "letter to the appellant"


def letter_refusal(appeal: Appeal, kind: str) -> str | None:
    """Why this letter cannot be written now (None: it can)."""
    if appeal.anonymous or not AppealIdentity.objects.filter(appeal=appeal).exists():
        return _(
            "This appeal is anonymous: there is no name or address to write to, so no letter "
            "is made. The appellant can follow the appeal with its number and secret."
        )
    if kind == LetterKind.ACKNOWLEDGEMENT and appeal.registered_on is None:
        return _("Register the appeal first: the acknowledgement gives its due date.")
    if kind == LetterKind.ANSWER and appeal.state not in ANSWERED_STATES:
        return _("The answer letter is written once the appeal is answered or forwarded.")
    return None


@transaction.atomic
def appeal_letter_export(
    *,
    actor: User,
    appeal: Appeal,
    kind: str,
    language: str,
    fmt: str,
    context: RequestContext | None = None,
) -> bytes:
    """The letter as PDF or DOCX bytes; unseals (logged), audits and notes it."""
    if not can_unseal_appellant(actor, appeal):
        raise PermissionDenied
    if kind not in LetterKind.__members__.values() or fmt not in LetterFormat.__members__.values():
        raise ValidationError({"kind": _("Unknown letter.")})
    if language not in LETTER_LANGUAGES:
        raise ValidationError({"language": _("Letters are written in Kazakh, Russian or English.")})
    refusal = letter_refusal(appeal, kind)
    if refusal is not None:
        raise ValidationError({"kind": refusal})
    person = appellant_reveal(actor=actor, appeal=appeal, reason=LETTER_REASON, context=context)
    with translation.override(language):
        letter = appeal_letter(
            appeal, kind=kind, language=language, name=person.name, contact=person.contact
        )
        content = build_pdf(letter) if fmt == LetterFormat.PDF else build_docx(letter)
    record_event(
        appeal,
        EventKind.LETTER,
        actor=actor,
        data={"letter": kind, "language": language, "format": fmt},
    )
    audit_record(
        actor=actor,
        action=AuditAction.APPEAL_LETTER_EXPORTED,
        target=appeal,
        data={"letter": kind, "language": language, "format": fmt},
        context=context,
    )
    return content
