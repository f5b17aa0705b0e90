"""The referral letter to the competent body, in kk, ru or en, as PDF or DOCX.

It contains only what the referral discloses: the person's identity only if disclosed (then
unsealed for the letter, the access logged with the reason "referral letter"), the
allegation (what the appellant wrote, or what the interviewee said; the read logged) only if
disclosed, and medical evidence only as a mention that it is available on request. Fonts are
DejaVu (every Kazakh, Russian and Latin letter), read from the local font folder only.
"""

import io
from dataclasses import dataclass, field

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.core.documents import (
    CONTENT_TYPES,
    FONT_DIR,
    DocumentFormat,
    docx_document,
    docx_facts,
    html_to_pdf,
)
from vigil.visits.services.interviews import identity_unseal, interview_read_content

from ..enums import Disclosure
from ..models import Referral
from .appeals import appeal_content_read, appellant_reveal
from .referrals import LETTER_REASON, referral_letter_recorded

LETTER_LANGUAGES = ("kk", "ru", "en")
LETTER_FORMATS = tuple(DocumentFormat)


@dataclass
class ReferralLetter:
    language: str
    reference: str
    organisation: str
    title: str
    addressee: str
    date: str
    intro: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    person: str = ""
    allegation: str = ""
    medical: str = ""
    closing: str = ""
    overridden_note: str = ""


def _build(
    *, actor: User, referral: Referral, language: str, context: RequestContext | None
) -> ReferralLetter:
    kinds = set(referral.discloses)
    appeal, interview = referral.appeal, referral.interview
    person = allegation = ""
    if Disclosure.IDENTITY in kinds:
        if appeal is not None:
            found = appellant_reveal(
                actor=actor, appeal=appeal, reason=LETTER_REASON, context=context
            )
            person = ", ".join(p for p in (found.name, found.contact) if p)
        elif interview is not None:
            person = identity_unseal(
                actor=actor, interview=interview, reason=LETTER_REASON, context=context
            )
    if Disclosure.ALLEGATION in kinds:
        if appeal is not None:
            allegation = appeal_content_read(actor=actor, appeal=appeal, context=context)
        elif interview is not None:
            allegation = interview_read_content(actor=actor, interview=interview, context=context)
    with translation.override(language):
        letter = ReferralLetter(
            language=language,
            reference=referral.reference,
            organisation=_("Office of the Human Rights Commissioner"),
            title=_("Referral"),
            addressee=referral.body_name,
            date=date_format(referral.sent_on, "DATE_FORMAT"),
            intro=_(
                "The National Preventive Mechanism refers to you the following information for "
                "examination within your competence, and asks to be informed of the outcome."
            ),
            facts=[
                (_("Reference"), referral.reference),
                (_("Outgoing letter number"), referral.letter_number or "—"),
                (_("Referred to"), str(referral.get_body_kind_display())),
                (
                    _("What the referral passes on"),
                    ", ".join(str(Disclosure(k).label) for k in referral.discloses),
                ),
            ],
            closing=_(
                "Please acknowledge receipt and tell us the number under which the report is "
                "registered in the pre-trial investigations register."
            ),
        )
        if Disclosure.IDENTITY in kinds:
            letter.person = person or _("The person did not give a name.")
        else:
            letter.person = _("The identity of the person is not disclosed.")
        if Disclosure.ALLEGATION in kinds:
            letter.allegation = allegation
        if Disclosure.MEDICAL in kinds:
            letter.medical = _(
                "Medical evidence (documentation under the Istanbul Protocol) is available to "
                "the investigating body on request."
            )
    return letter


def _pdf(letter: ReferralLetter) -> bytes:
    with translation.override(letter.language):
        html = render_to_string(
            "appeals/referrals/letter_pdf.html",
            {"letter": letter, "font_dir": FONT_DIR.as_posix()},
        )
    return html_to_pdf(html, base_url=FONT_DIR.as_uri(), allowed=(FONT_DIR,))


def _docx(letter: ReferralLetter) -> bytes:

    document = docx_document(size=11)
    document.add_paragraph(letter.organisation).runs[0].bold = True
    document.add_paragraph(letter.addressee)
    document.add_heading(f"{letter.title} {letter.reference}", level=1)
    document.add_paragraph(letter.date)
    document.add_paragraph(letter.intro)
    docx_facts(document, letter.facts)
    with translation.override(letter.language):
        document.add_heading(_("The person"), level=2)
        document.add_paragraph(letter.person)
        if letter.allegation:
            document.add_heading(_("The allegation"), level=2)
            document.add_paragraph(letter.allegation)
        if letter.medical:
            document.add_heading(_("Medical evidence"), level=2)
            document.add_paragraph(letter.medical)
    document.add_paragraph(letter.closing)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@transaction.atomic
def referral_letter(
    *,
    actor: User,
    referral: Referral,
    language: str,
    fmt: str,
    context: RequestContext | None = None,
) -> tuple[bytes, str, str]:
    """The letter's bytes, content type and file name; the reads it needs are logged first
    and the letter is recorded on the referral's timeline and in the audit log."""
    if language not in LETTER_LANGUAGES or fmt not in LETTER_FORMATS:
        raise ValueError("Unknown language or format.")
    letter = _build(actor=actor, referral=referral, language=language, context=context)
    content = _pdf(letter) if fmt == "pdf" else _docx(letter)
    referral_letter_recorded(
        actor=actor, referral=referral, language=language, fmt=fmt, context=context
    )
    return content, CONTENT_TYPES[fmt], f"{referral.reference}-{language}.{fmt}"
