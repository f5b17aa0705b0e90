"""Escalation: an individualised recommendation to the next level up, with its letter.

When an authority fails to comply — the deadline passed without an answer, it did not accept
the recommendation, or the issue keeps coming back unimplemented — a coordinator escalates the
recommendation (or several of the same addressee) in one action:

1. a new recommendation (source ESCALATION, the level chosen) is drafted and issued to the
   next level up (`escalation_targets`), linked to the originals (`escalates`); the new
   addressee's liaisons are notified like for any issued recommendation;
2. each original moves to ESCALATED through the life-cycle service
   (`recommendation_transition(via=Via.ESCALATION)`), its row locked;
3. both sides get an ESCALATION event on their timeline and one audit row is written;
4. the letter (PDF or DOCX, in kk / ru / en) is generated on demand from the escalation
   (`escalation_letter_export`), each download audited.

The next level up follows `Agency.parent` (institution's department → committee → ministry →
…). An agency without a parent escalates to the top: `settings.VIGIL_ESCALATION_TOP_AGENCY`
(default "GOV"), a code or several separated by commas ("GOV,PARLIAMENT"), the first being the
default; the coordinator may choose any higher level of the chain or any top agency.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record
from vigil.core.calendar import WorkingCalendar
from vigil.core.documents import CONTENT_TYPES, DocumentFormat
from vigil.reference.models import Agency

from .. import workflow
from ..deadlines import DeadlineWindow
from ..documents import build_letter_docx, build_letter_pdf, escalation_letter
from ..enums import EscalationReason as Reason
from ..enums import EventKind, Level, Source, State, Tally, Verdict
from ..models import Recommendation
from ..permissions import (
    can_download_escalation_letter,
    can_escalate_recommendation,
    recommendations_visible_to,
)
from ..tally import TALLY_OF_STATE
from ..timeline import record_event
from ..workflow import Via
from .drafts import recommendation_create
from .issuing import default_deadline, recommendation_issue
from .lifecycle import recommendation_transition

DEFAULT_TOP_AGENCY = "GOV"
LETTER_LANGUAGES = ("kk", "ru", "en")


DUE_ORDER = ("deadline", "pk")
"""The escalation queue's order: what has waited longest first, along the index `deadline,
id` (a recommendation without a deadline sorts where the database puts NULL)."""

_UNIMPLEMENTED_VERDICTS = (Verdict.DISPUTE, Verdict.NOT_VERIFIED, Verdict.REOPEN)
_DISPUTED_CLAIM = (Verdict.DISPUTE, Verdict.NOT_VERIFIED)


# ---------------------------------------------------------------- the chain of agencies


def top_agency_codes() -> list[str]:
    raw = getattr(settings, "VIGIL_ESCALATION_TOP_AGENCY", DEFAULT_TOP_AGENCY) or ""
    codes = raw if isinstance(raw, list | tuple) else str(raw).split(",")
    return [code.strip() for code in codes if code and code.strip()]


def top_agencies() -> list[Agency]:
    codes = top_agency_codes()
    found = {a.code: a for a in Agency.objects.filter(code__in=codes)}
    return [found[code] for code in codes if code in found]


def escalation_targets(addressee: Agency) -> list[Agency]:
    """The higher levels a recommendation to `addressee` may be escalated to, nearest first:
    its parent, the parent's parent, …, then the top agencies (government, parliament)."""
    chain: list[Agency] = []
    seen = {addressee.pk}
    current = addressee.parent if addressee.parent_id else None
    while current is not None and current.pk not in seen:
        chain.append(current)
        seen.add(current.pk)
        current = current.parent if current.parent_id else None
    for top in top_agencies():
        if top.pk not in seen:
            chain.append(top)
            seen.add(top.pk)
    return chain


def next_level_up(addressee: Agency) -> Agency | None:
    targets = escalation_targets(addressee)
    return targets[0] if targets else None


# ---------------------------------------------------------------- why a recommendation qualifies


def escalation_reasons(
    recommendation: Recommendation, window: DeadlineWindow | None = None
) -> list[str]:
    """Why this recommendation may be escalated (empty: it may not)."""
    if recommendation.state not in workflow.ESCALATABLE:
        return []
    window = window or DeadlineWindow.on()
    reasons: list[str] = []
    state = recommendation.state
    if state == State.NO_RESPONSE:
        reasons.append(Reason.NO_RESPONSE)
    if window.is_overdue(state, recommendation.deadline):
        reasons.append(Reason.OVERDUE)
    if state == State.NOT_ACCEPTED:
        reasons.append(Reason.NOT_ACCEPTED)
    implemented = TALLY_OF_STATE.get(state) == Tally.IMPLEMENTED
    verdict = recommendation.assessed_verdict
    disputed_claim = state == State.IMPLEMENTED_CLAIMED and verdict in _DISPUTED_CLAIM
    raised_again = (
        recommendation.repeat_of_id is not None
        or state == State.REOPENED
        or verdict in _UNIMPLEMENTED_VERDICTS
    )
    if disputed_claim or (raised_again and not implemented):
        reasons.append(Reason.REPEATEDLY_UNIMPLEMENTED)
    return reasons


def reason_q(reason: str, window: DeadlineWindow) -> Q:
    """The database form of `reason in escalation_reasons(...)` (escalatable states aside)."""
    if reason == Reason.OVERDUE:
        return window.overdue_q()
    if reason == Reason.NO_RESPONSE:
        return Q(state=State.NO_RESPONSE)
    if reason == Reason.NOT_ACCEPTED:
        return Q(state=State.NOT_ACCEPTED)
    not_implemented = ~Q(state__in=[s for s, t in TALLY_OF_STATE.items() if t == Tally.IMPLEMENTED])
    repeated = (
        Q(repeat_of__isnull=False)
        | Q(state=State.REOPENED)
        | Q(assessed_verdict__in=_UNIMPLEMENTED_VERDICTS)
    ) & not_implemented
    return repeated | Q(state=State.IMPLEMENTED_CLAIMED, assessed_verdict__in=_DISPUTED_CLAIM)


def escalation_candidates_q(window: DeadlineWindow) -> Q:
    """The database form of `escalation_reasons(...) != []`."""
    any_reason = Q()
    for reason in Reason:
        any_reason |= reason_q(reason, window)
    return Q(state__in=workflow.ESCALATABLE) & any_reason


def escalation_candidates(
    user: User | None, *, window: DeadlineWindow | None = None
) -> QuerySet[Recommendation]:
    """Recommendations the user may see that qualify for escalation, most overdue first (the
    earliest deadline; ties by id, so that pages are stable)."""
    window = window or DeadlineWindow.on()
    tops = top_agencies()
    qs = recommendations_visible_to(user).filter(escalation_candidates_q(window))
    if len(tops) <= 1:  # nothing above a top agency (or a parentless one without a top)
        stuck = Agency.objects.filter(parent__isnull=True)
        if tops:
            stuck = stuck.filter(pk__in=[top.pk for top in tops])
        qs = qs.exclude(addressee_id__in=list(stuck.values_list("pk", flat=True)))
    return qs.select_related("addressee", "institution", "repeat_of").order_by(*DUE_ORDER)


# ---------------------------------------------------------------- escalating


@dataclass(frozen=True)
class EscalationDefaults:
    target: Agency | None
    targets: list[Agency]
    theme: str
    institution_id: int | None
    deadline: datetime.date


def escalation_defaults(
    originals: Sequence[Recommendation], *, today: datetime.date | None = None
) -> EscalationDefaults:
    """What the escalation form proposes for these originals."""
    today = today or timezone.localdate()
    addressee = originals[0].addressee
    targets = escalation_targets(addressee)
    themes = {rec.theme for rec in originals}
    institutions = {rec.institution_id for rec in originals}
    return EscalationDefaults(
        target=targets[0] if targets else None,
        targets=targets,
        theme=themes.pop() if len(themes) == 1 else "T8",
        institution_id=institutions.pop() if len(institutions) == 1 else None,
        deadline=default_deadline(today, WorkingCalendar()),
    )


def _check_originals(
    actor: User, locked: list[Recommendation], window: DeadlineWindow
) -> dict[int, list[str]]:
    reasons: dict[int, list[str]] = {}
    for rec in locked:
        if not can_escalate_recommendation(actor, rec):
            raise PermissionDenied(_("You may not escalate this recommendation."))
    if len({rec.addressee_id for rec in locked}) > 1:
        raise ValidationError(
            {"recommendations": _("Escalate together only recommendations to the same addressee.")}
        )
    errors: list[str] = []
    for rec in locked:
        found = escalation_reasons(rec, window)
        if not found:
            errors.append(
                _(
                    "%(reference)s (status “%(state)s”) is not overdue, not refused and not "
                    "repeatedly unimplemented: it cannot be escalated."
                )
                % {"reference": rec.reference, "state": rec.get_state_display()}
            )
        reasons[rec.pk] = found
    if errors:
        raise ValidationError({"recommendations": errors})
    return reasons


def _source_document(references: list[str]) -> str:
    listed = ", ".join(references)
    if len(listed) <= 160:
        return _("Escalation of %(references)s") % {"references": listed}
    return ngettext(
        "Escalation of %(count)s recommendation",
        "Escalation of %(count)s recommendations",
        len(references),
    ) % {"count": len(references)}


@transaction.atomic
def recommendations_escalate(
    *,
    actor: User,
    recommendations: Sequence[Recommendation],
    text: str,
    level: str = Level.SYSTEMIC,
    target: Agency | None = None,
    indicator: str = "",
    deadline: datetime.date | None = None,
    language: str = "ru",
    note: str = "",
    link_base: str | None = None,
    context: RequestContext | None = None,
) -> Recommendation:
    """Escalate overdue, refused or repeatedly unimplemented recommendations of one addressee
    to a higher level (default: the next one up), all or nothing. Returns the individualised
    recommendation, issued today; the originals are ESCALATED."""
    if not recommendations:
        raise ValidationError({"recommendations": _("Choose the recommendations to escalate.")})
    locked = list(
        Recommendation.objects.select_for_update(of=("self",))
        .select_related("addressee", "institution")
        .filter(pk__in=[rec.pk for rec in recommendations])
        .order_by("pk")
    )
    window = DeadlineWindow.on()
    reasons = _check_originals(actor, locked, window)
    errors: dict[str, list[str]] = {}
    targets = escalation_targets(locked[0].addressee)
    if target is None:
        target = targets[0] if targets else None
    if target is None:
        errors["target"] = [
            _(
                "%(agency)s has no higher level to escalate to: give it a parent agency, or set "
                "VIGIL_ESCALATION_TOP_AGENCY to the code of the government or parliament."
            )
            % {"agency": locked[0].addressee.name}
        ]
    elif target.pk not in {t.pk for t in targets}:
        errors["target"] = [_("Choose a higher level than the addressee.")]
    if level not in Level.values:
        errors["level"] = [_("Choose the level of the recommendation.")]
    if language not in LETTER_LANGUAGES:
        errors["language"] = [_("Choose the language of the letter: kk, ru or en.")]
    if not text.strip():
        errors["text"] = [_("Write what the higher authority is asked to do.")]
    if errors:
        raise ValidationError(errors)
    assert target is not None  # noqa: S101 (checked above)
    defaults = escalation_defaults(locked)
    references = [rec.reference for rec in locked]
    escalation = recommendation_create(
        actor=actor,
        data={
            "source": Source.ESCALATION,
            "addressee": target,
            "institution": locked[0].institution if defaults.institution_id else None,
            "theme": defaults.theme,
            "level": level,
            "text": text.strip(),
            "indicator": indicator.strip(),
            "deadline": deadline or defaults.deadline,
            "source_document": _source_document(references),
        },
        context=context,
    )
    escalation.escalates.set(locked)
    recommendation_issue(
        actor=actor, recommendation=escalation, link_base=link_base, context=context
    )
    moved_note = note.strip() or _("Escalated to %(agency)s as %(reference)s.") % {
        "agency": target.name,
        "reference": escalation.reference,
    }
    for rec in locked:
        recommendation_transition(
            actor=actor,
            recommendation=rec,
            to_state=State.ESCALATED,
            note=moved_note,
            via=Via.ESCALATION,
            data={
                "escalation": str(escalation.public_id),
                "escalation_reference": escalation.reference,
                "to_agency": target.code,
                "reasons": reasons[rec.pk],
            },
            event_kind=EventKind.ESCALATION,
            context=context,
        )
    record_event(
        escalation,
        EventKind.ESCALATION,
        actor=actor,
        note=note.strip(),
        data={
            "originals": [str(rec.public_id) for rec in locked],
            "original_references": references,
            "from_agency": locked[0].addressee.code,
            "to_agency": target.code,
            "language": language,
            "reasons": {rec.reference: reasons[rec.pk] for rec in locked},
        },
    )
    audit_record(
        actor=actor,
        action=AuditAction.RECOMMENDATION_ESCALATED,
        target=escalation,
        data={
            "originals": references,
            "from_agency": locked[0].addressee.code,
            "to_agency": target.code,
            "level": level,
            "language": language,
            "deadline": escalation.deadline.isoformat() if escalation.deadline else None,
        },
        context=context,
    )
    return escalation


LetterFormat = DocumentFormat
LETTER_CONTENT_TYPES = CONTENT_TYPES


def letter_language(escalation: Recommendation) -> str:
    """The language chosen when escalating (kept on the escalation's event), else Russian."""
    events = sorted(
        (e for e in escalation.events.all() if e.kind == EventKind.ESCALATION),
        key=lambda e: (e.occurred_at, e.pk),
    )
    language = (events[0].data or {}).get("language") if events else None
    return language if language in LETTER_LANGUAGES else "ru"


@transaction.atomic
def escalation_letter_export(
    *,
    actor: User,
    escalation: Recommendation,
    fmt: str,
    language: str | None = None,
    context: RequestContext | None = None,
) -> bytes:
    """The escalation's letter as PDF or DOCX in kk, ru or en (default: the language chosen
    when escalating); each download is audited."""
    if not can_download_escalation_letter(actor, escalation):
        raise PermissionDenied(_("You may not download this letter."))
    if fmt not in LetterFormat.__members__.values():
        raise ValidationError({"format": _("Choose PDF or DOCX.")})
    language = language or letter_language(escalation)
    if language not in LETTER_LANGUAGES:
        raise ValidationError({"language": _("Choose the language of the letter: kk, ru or en.")})
    with translation.override(language):
        letter = escalation_letter(escalation, language)
        content = build_letter_pdf(letter) if fmt == LetterFormat.PDF else build_letter_docx(letter)
    audit_record(
        actor=actor,
        action=AuditAction.RECOMMENDATION_LETTER_EXPORTED,
        target=escalation,
        data={"format": fmt, "language": language, "bytes": len(content)},
        context=context,
    )
    return content
