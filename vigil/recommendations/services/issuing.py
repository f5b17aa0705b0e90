"""Issuing recommendations: one draft, or every draft of an approved visit report at once.

Issuing sets the issue date and the deadline, moves the draft along the life cycle
(`.lifecycle`) and tells the addressee's liaisons by e-mail once the transaction commits.
"""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_records_bulk
from vigil.core.calendar import WorkingCalendar
from vigil.visits.enums import ReportState
from vigil.visits.models import Visit

from .. import workflow
from ..enums import EventKind, Source, State
from ..models import Recommendation
from ..permissions import can_issue_for_visit, liaisons_of
from ..workflow import Via
from .lifecycle import apply_move, copy_saved_state, lock_for_change

log = logging.getLogger(__name__)


def default_deadline_days() -> int:
    """Working days an addressee has to answer: `VIGIL_RECOMMENDATION_DEADLINE_DAYS` (30)."""
    return int(getattr(settings, "VIGIL_RECOMMENDATION_DEADLINE_DAYS", 30))


def default_deadline(
    issued_on: datetime.date, calendar: WorkingCalendar | None = None
) -> datetime.date:
    return (calendar or WorkingCalendar()).add_working_days(issued_on, default_deadline_days())


def issue_readiness_errors(rec: Recommendation) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not rec.text.strip():
        errors.setdefault("text", []).append(_("Write the recommended action."))
    if rec.source == Source.VISIT_REPORT:
        visit = rec.visit
        report = getattr(visit, "report", None) if visit is not None else None
        if report is None or report.state != ReportState.APPROVED:
            errors.setdefault("visit", []).append(
                _("Recommendations of a visit are issued once its report is approved.")
            )
    return errors


def _issue_locked(
    recs: list[Recommendation],
    *,
    actor: User,
    issued_on: datetime.date,
    calendar: WorkingCalendar,
    context: RequestContext | None,
) -> dict[int, list[Recommendation]]:
    """Issue locked drafts; returns them by the pk of each liaison to notify."""
    errors: dict[str, list[str]] = {}
    for rec in recs:
        move = workflow.find(rec.state, State.ISSUED, Via.ISSUE)
        if move is None:
            raise ValidationError(
                {"state": _("%(reference)s is not a draft.") % {"reference": rec.reference}}
            )
        if not move.who(actor, rec):
            raise PermissionDenied(_("You may not issue this recommendation."))
        for field, messages in issue_readiness_errors(rec).items():
            errors.setdefault(field, []).extend(f"{rec.reference}: {m}" for m in messages)
        if rec.deadline is not None and rec.deadline < issued_on:
            errors.setdefault("deadline", []).append(
                _("%(reference)s: the deadline cannot be before the issue date.")
                % {"reference": rec.reference}
            )
    if errors:
        raise ValidationError(errors)
    to_notify: dict[int, list[Recommendation]] = {}
    liaisons_by_agency: dict[int, list[User]] = {}
    for rec in recs:
        rec.issued_on = issued_on
        if rec.deadline is None:
            rec.deadline = calendar.add_working_days(issued_on, default_deadline_days())
        if rec.addressee_id not in liaisons_by_agency:
            liaisons_by_agency[rec.addressee_id] = liaisons_of(rec.addressee)
        liaisons = liaisons_by_agency[rec.addressee_id]
        issue = workflow.find(State.DRAFT, State.ISSUED, Via.ISSUE)
        assert issue is not None  # noqa: S101 (checked above)
        apply_move(
            rec,
            issue,
            actor=actor,
            note="",
            data={"deadline": rec.deadline.isoformat(), "notified": len(liaisons)},
            event_kind=EventKind.STATE_CHANGED,
            context=context,
        )
        if liaisons:
            sent = workflow.find(State.ISSUED, State.AWAITING_RESPONSE, Via.SYSTEM)
            assert sent is not None  # noqa: S101 (in the table)
            apply_move(
                rec,
                sent,
                actor=None,
                note=_("Sent to the addressee's liaisons on the platform."),
                data={},
                event_kind=EventKind.STATE_CHANGED,
                context=context,
            )
        for user in liaisons:
            to_notify.setdefault(user.pk, []).append(rec)
    audit_records_bulk(
        actor=actor,
        action=AuditAction.RECOMMENDATIONS_ISSUED,
        entries=[
            (
                rec,
                {
                    "issued_on": issued_on.isoformat(),
                    "deadline": rec.deadline.isoformat() if rec.deadline else None,
                    "addressee": rec.addressee.code,
                    "visit": str(rec.visit.public_id) if rec.visit is not None else None,
                },
            )
            for rec in recs
        ],
        context=context,
    )
    return to_notify


def _notify(pairs: list[tuple[User, list[Recommendation]]], link_base: str) -> None:
    """One e-mail to each liaison, in their language, listing what was issued to them."""
    for user, recs in pairs:
        language = user.preferred_language or settings.LANGUAGE_CODE
        with translation.override(language):
            items = [
                {
                    "reference": rec.reference,
                    "text": rec.text,
                    "deadline": rec.deadline,
                    "addressee": rec.addressee.name,
                    "url": link_base.rstrip("/")
                    + reverse("recommendations:detail", kwargs={"public_id": rec.public_id}),
                }
                for rec in recs
            ]
            context = {"user": user, "items": items, "count": len(items)}
            subject = render_to_string("recommendations/email/issued_subject.txt", context)
            body = render_to_string("recommendations/email/issued_body.txt", context)
        try:
            EmailMessage(" ".join(subject.split()), body, to=[user.email]).send()
        except Exception:  # a mail server down must not undo an issue already committed
            log.exception("could not notify %s of issued recommendations", user.pk)


def _schedule_notifications(
    to_notify: dict[int, list[Recommendation]], link_base: str | None
) -> None:
    if not to_notify:
        return
    users = {u.pk: u for u in User.objects.filter(pk__in=to_notify)}
    pairs = [(users[pk], recs) for pk, recs in to_notify.items() if pk in users]
    base = link_base if link_base is not None else str(getattr(settings, "VIGIL_SITE_URL", ""))
    transaction.on_commit(lambda: _notify(pairs, base))


@transaction.atomic
def recommendation_issue(
    *,
    actor: User,
    recommendation: Recommendation,
    link_base: str | None = None,
    context: RequestContext | None = None,
) -> Recommendation:
    """Issue one draft: its issue date is today, its deadline (if none) today plus the
    default number of working days; the addressee's liaisons are told by e-mail."""
    locked = lock_for_change(recommendation)
    to_notify = _issue_locked(
        [locked],
        actor=actor,
        issued_on=timezone.localdate(),
        calendar=WorkingCalendar(),
        context=context,
    )
    _schedule_notifications(to_notify, link_base)
    copy_saved_state(recommendation, locked)
    return locked


@transaction.atomic
def recommendations_issue_for_visit(
    *,
    actor: User,
    visit: Visit,
    link_base: str | None = None,
    context: RequestContext | None = None,
) -> list[Recommendation]:
    """Issue every draft of an approved visit report in one action (all or nothing); each
    addressee's liaisons get one e-mail listing theirs."""
    if not can_issue_for_visit(actor, visit.region_id):
        raise PermissionDenied(_("You may not issue recommendations of this visit."))
    report = getattr(visit, "report", None)
    if report is None or report.state != ReportState.APPROVED:
        raise ValidationError(
            {"visit": _("Recommendations of a visit are issued once its report is approved.")}
        )
    recs = list(
        Recommendation.objects.select_for_update(of=("self",))
        .select_related("addressee", "institution", "visit")
        .filter(visit=visit, state=State.DRAFT)
        .order_by("id")
    )
    if not recs:
        raise ValidationError({"visit": _("This visit has no draft recommendations to issue.")})
    to_notify = _issue_locked(
        recs,
        actor=actor,
        issued_on=timezone.localdate(),
        calendar=WorkingCalendar(),
        context=context,
    )
    _schedule_notifications(to_notify, link_base)
    return recs
