"""What an escalation letter says: the addressee, the reference, the originals with the
authority's answers, the request, and the signature block of the Commissioner's office.

Every text is translated at build time: build it inside `translation.override(language)`.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from vigil.core.documents import document_date as _date

from ..enums import REASON_LABELS, EventKind, State
from ..models import Recommendation


@dataclass(frozen=True)
class LetterResponse:
    letter_number: str
    letter_date: str
    claimed: str
    measures: str
    on_time: bool


@dataclass(frozen=True)
class LetterOriginal:
    reference: str
    issued_on: str
    deadline: str
    addressee: str
    institution: str
    text: str
    status: str
    reasons: list[str]
    responses: list[LetterResponse] = field(default_factory=list)


@dataclass(frozen=True)
class EscalationLetter:
    language: str
    reference: str
    date: str
    organisation: str
    mechanism: str
    addressee: str
    title: str
    subject: str
    introduction: str
    originals: list[LetterOriginal]
    request_heading: str
    request: str
    indicator: str
    level: str
    closing: str
    signatory_title: str
    signatory_name: str
    labels: dict[str, str]


def _reason_labels(reasons: list[str]) -> list[str]:
    return [str(REASON_LABELS[r]) for r in reasons if r in REASON_LABELS]


def _reasons_by_reference(escalation: Recommendation) -> dict[str, list[str]]:
    event = (
        escalation.events.filter(kind=EventKind.ESCALATION).order_by("occurred_at", "id").first()
    )
    data = (event.data or {}) if event else {}
    reasons = data.get("reasons") or {}
    return reasons if isinstance(reasons, dict) else {}


def _state_when_escalated(rec: Recommendation, escalation: Recommendation) -> str:
    """The status the original had when it was escalated (it is ESCALATED since)."""
    wanted = str(escalation.public_id)
    for event in rec.events.all():
        matches = event.kind == EventKind.ESCALATION and (event.data or {}).get("escalation")
        if matches == wanted and event.from_state in State.values:
            return str(State(event.from_state).label)
    return str(rec.get_state_display())


def escalation_letter(escalation: Recommendation, language: str) -> EscalationLetter:
    """The letter of an escalation (source ESCALATION), in the active language."""
    reasons = _reasons_by_reference(escalation)
    originals_qs = (
        escalation.escalates.select_related("addressee", "institution")
        .prefetch_related("responses", "events")
        .order_by("issued_on", "id")
    )
    originals = [
        LetterOriginal(
            reference=rec.reference,
            issued_on=_date(rec.issued_on),
            deadline=_date(rec.deadline),
            addressee=rec.addressee.name,
            institution=rec.institution.name if rec.institution else "",
            text=rec.text,
            status=_state_when_escalated(rec, escalation),
            reasons=_reason_labels(reasons.get(rec.reference, [])),
            responses=[
                LetterResponse(
                    letter_number=resp.letter_number,
                    letter_date=_date(resp.letter_date),
                    claimed=str(resp.get_claimed_status_display()),
                    measures=resp.measures,
                    on_time=resp.on_time,
                )
                for resp in rec.responses.all()
            ],
        )
        for rec in originals_qs
    ]
    lower = sorted({o.addressee for o in originals})
    count = len(originals)
    introduction = ngettext(
        "The National Preventive Mechanism against torture issued the recommendation below to "
        "%(bodies)s, a body under your authority. It has not been complied with, as set out "
        "below. In accordance with the mandate of the Human Rights Commissioner, we bring the "
        "matter to your attention and ask you to take the measures within your competence.",
        "The National Preventive Mechanism against torture issued the %(count)s "
        "recommendations below to %(bodies)s, under your authority. They have not been "
        "complied with, as set out below. In accordance with the mandate of the Human Rights "
        "Commissioner, we bring the matter to your attention and ask you to take the measures "
        "within your competence.",
        count,
    ) % {"count": count, "bodies": ", ".join(lower) or "—"}
    deadline = _date(escalation.deadline)
    return EscalationLetter(
        language=language,
        reference=escalation.reference,
        date=_date(escalation.issued_on or escalation.created_at.date()),
        organisation=_("Office of the Human Rights Commissioner"),
        mechanism=_("National Preventive Mechanism against torture"),
        addressee=escalation.addressee.name,
        title=_("Individualised recommendation"),
        subject=ngettext(
            "On a recommendation of the National Preventive Mechanism that has not been "
            "complied with",
            "On recommendations of the National Preventive Mechanism that have not been "
            "complied with",
            count,
        ),
        introduction=introduction,
        originals=originals,
        request_heading=_("We recommend"),
        request=escalation.text,
        indicator=escalation.indicator,
        level=str(escalation.get_level_display()),
        closing=_(
            "Please inform the Human Rights Commissioner of the measures taken by %(deadline)s, "
            "quoting the reference %(reference)s."
        )
        % {"deadline": deadline, "reference": escalation.reference},
        signatory_title=_("Human Rights Commissioner"),
        signatory_name=str(getattr(settings, "VIGIL_LETTER_SIGNATORY", "") or ""),
        labels={
            "reference": _("Reference"),
            "date": _("Date"),
            "to": pgettext("addressee of a letter", "To"),
            "subject": _("Subject"),
            "originals": ngettext(
                "The recommendation not complied with",
                "The recommendations not complied with",
                count,
            ),
            "issued_on": _("Issued on"),
            "deadline": _("Deadline"),
            "addressee": _("Addressee"),
            "institution": _("Institution"),
            "action": _("Recommended action"),
            "status": _("Status"),
            "why": _("Why it is escalated"),
            "answers": _("Answers of the authority"),
            "no_answer": _("No answer was received."),
            "letter": _("Letter"),
            "late": _("late"),
            "indicator": _("Indicator of success"),
            "level": _("Level"),
            "signature": _("(signature)"),
        },
    )


def response_line(response: LetterResponse, labels: dict[str, str]) -> str:
    """One answer as a line, e.g. “Letter No. 12 of 3 March 2025 (late): Implemented.”"""
    head = _("Letter No. %(number)s of %(date)s") % {
        "number": response.letter_number,
        "date": response.letter_date,
    }
    if not response.on_time:
        head += f" ({labels['late']})"
    return f"{head}: {response.claimed}."
