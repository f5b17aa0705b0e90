"""Letters to the appellant — the acknowledgement and the answer — in kk, ru or en, as PDF
(WeasyPrint, local fonts only: `vigil.core.documents`) and DOCX (python-docx).

A letter is addressed to the appellant by name: the name comes from the sealed identity,
unsealed for the reason "letter to the appellant" by the service that exports it
(`..services.letters`). Build it inside `translation.override(language)`.
"""

import datetime
import io
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.core.documents import (
    FONT_DIR,
    DocumentFormat,
    document_date,
    docx_document,
    html_to_pdf,
)

from ..enums import AppealState
from ..models import Appeal, AppealEvent

LETTER_LANGUAGES = ("kk", "ru", "en")
FONT = "DejaVu Sans"


class LetterKind(StrEnum):
    ACKNOWLEDGEMENT = "acknowledgement"
    ANSWER = "answer"


LetterFormat = DocumentFormat

ANSWERED_STATES = frozenset(
    {
        AppealState.EXPLAINED,
        AppealState.OUT_OF_MANDATE,
        AppealState.RESPONSE_RECEIVED,
        AppealState.CLOSED_RESOLVED,
        AppealState.CLOSED_UNRESOLVED,
    }
)
"""States in which the appellant can be sent the answer."""


@dataclass(frozen=True)
class AppealLetter:
    language: str
    kind: str
    reference: str
    date: str
    organisation: str
    mechanism: str
    addressee: str
    contact: str
    title: str
    paragraphs: list[str]
    signatory_title: str
    signatory_name: str
    labels: dict[str, str]


def _date(value: datetime.date | None) -> str:
    return document_date(value, "SHORT_DATE_FORMAT")


def _answer_text(appeal: Appeal) -> str:
    """What the NPM answered: the outcome, else the note of the last move that answered."""
    if appeal.outcome.strip():
        return appeal.outcome.strip()
    event = (
        AppealEvent.objects.filter(appeal=appeal, to_state__in=ANSWERED_STATES)
        .exclude(note="")
        .order_by("-occurred_at", "-pk")
        .first()
    )
    return event.note if event is not None else ""


def appeal_letter(
    appeal: Appeal, *, kind: str, language: str, name: str, contact: str
) -> AppealLetter:
    """The letter, with texts in the active language."""
    due = appeal.extended_until or appeal.due_on
    if kind == LetterKind.ACKNOWLEDGEMENT:
        title = _("Acknowledgement of your appeal")
        paragraphs = [
            _(
                "Your appeal of %(received)s has been received and registered by the Office of "
                "the Human Rights Commissioner under the number %(reference)s."
            )
            % {"received": _date(appeal.received_on), "reference": appeal.reference},
            _(
                "It will be examined and you will receive an answer by %(due)s. Please quote "
                "the number %(reference)s in any further letter about it."
            )
            % {"due": _date(due), "reference": appeal.reference},
            _(
                "What you wrote is kept confidential; your name is passed to no one without "
                "your consent."
            ),
        ]
    else:
        title = _("Answer to your appeal")
        paragraphs = [
            _("You wrote to the Human Rights Commissioner on %(received)s (number %(reference)s).")
            % {"received": _date(appeal.received_on), "reference": appeal.reference},
        ]
        if appeal.state == AppealState.OUT_OF_MANDATE and appeal.forwarded_to:
            paragraphs.append(
                _(
                    "The matter is outside the Commissioner's mandate; your appeal was "
                    "forwarded on %(date)s to %(body)s, which will answer you."
                )
                % {"date": _date(appeal.forwarded_on), "body": appeal.forwarded_to}
            )
        answer = _answer_text(appeal)
        if answer:
            paragraphs.append(answer)
    return AppealLetter(
        language=language,
        kind=kind,
        reference=appeal.reference,
        date=_date(timezone.localdate()),
        organisation=_("Office of the Human Rights Commissioner"),
        mechanism=_("National Preventive Mechanism against torture"),
        addressee=name,
        contact=contact,
        title=title,
        paragraphs=paragraphs,
        signatory_title=_("Human Rights Commissioner"),
        signatory_name=str(getattr(settings, "VIGIL_LETTER_SIGNATORY", "") or ""),
        labels={"reference": _("Reference"), "date": _("Date"), "signature": _("(signature)")},
    )


def build_pdf(letter: AppealLetter) -> bytes:
    html = render_to_string(
        "appeals/letter_pdf.html", {"letter": letter, "font_dir": FONT_DIR.as_posix()}
    )
    return html_to_pdf(html, base_url=FONT_DIR.as_uri(), allowed=(FONT_DIR,))


def build_docx(letter: AppealLetter) -> bytes:
    document = docx_document(size=11)
    properties = document.core_properties
    properties.title = f"{letter.title} {letter.reference}"
    properties.author = letter.organisation
    properties.last_modified_by = "Vigil"
    properties.language = letter.language
    properties.comments = ""
    head = document.add_paragraph()
    head.add_run(letter.organisation).bold = True
    document.add_paragraph(letter.mechanism)
    document.add_paragraph(f"{letter.labels['reference']}: {letter.reference}")
    document.add_paragraph(f"{letter.labels['date']}: {letter.date}")
    to = document.add_paragraph()
    to.add_run(letter.addressee).bold = True
    if letter.contact:
        document.add_paragraph(letter.contact)
    document.add_heading(letter.title, level=1)
    for text in letter.paragraphs:
        document.add_paragraph(text)
    document.add_paragraph()
    document.add_paragraph(letter.signatory_title)
    if letter.signatory_name:
        document.add_paragraph(letter.signatory_name)
    document.add_paragraph(letter.labels["signature"])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
