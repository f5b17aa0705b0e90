"""Writes to recommendations: drafts, the life cycle, issuing, the NPM's assessments.

Every service checks the permission policy (`..permissions`), validates (errors name the
field), writes the recommendation's timeline (`RecommendationEvent`) and its audit row in the
same transaction. Status changes lock the recommendation's row and check the move against the
state read under the lock (`..workflow`), so that two concurrent changes never overwrite each
other silently: the second is applied after the first, or refused.

Other features call `recommendation_transition` for their moves (responses, the deadline
command, escalation, import), naming the channel with `via=`.
"""

import datetime
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from vigil.accounts.enums import Role
from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record, audit_records_bulk, diff, snapshot
from vigil.core.calendar import WorkingCalendar
from vigil.reference.models import Agency
from vigil.visits.enums import ReportState
from vigil.visits.models import Finding, Visit

from .. import workflow
from ..enums import EventKind, Source, State
from ..models import Recommendation, RecommendationEvent
from ..permissions import (
    can_create_recommendation,
    can_delete_recommendation,
    can_edit_recommendation,
    can_issue_for_visit,
    can_manage_recommendation,
)
from ..workflow import Via

log = logging.getLogger(__name__)

DRAFT_FIELDS = (
    "source",
    "visit",
    "source_document",
    "addressee",
    "institution",
    "theme",
    "level",
    "text",
    "indicator",
    "deadline",
    "repeat_of",
)
_AUDITED_FIELDS = (*DRAFT_FIELDS, "issued_on", "state")
REFERENCE_PREFIX = "REC"


def default_deadline_days() -> int:
    """Working days an addressee has to answer: `VIGIL_RECOMMENDATION_DEADLINE_DAYS` (30)."""
    return int(getattr(settings, "VIGIL_RECOMMENDATION_DEADLINE_DAYS", 30))


def default_deadline(
    issued_on: datetime.date, calendar: WorkingCalendar | None = None
) -> datetime.date:
    return (calendar or WorkingCalendar()).add_working_days(issued_on, default_deadline_days())


def _state_label(value: str) -> str:
    return str(State(value).label) if value in State.values else value


# ---------------------------------------------------------------- references


def allocate_references(year: int, count: int = 1) -> list[str]:
    """`count` new references `REC-<year>-<n>`, after the highest one of that year.

    Call inside the transaction that saves them; a concurrent writer that takes the same
    number makes the save fail on the unique reference (see `_save_new`)."""
    prefix = f"{REFERENCE_PREFIX}-{year}-"
    highest = 0
    last = (
        Recommendation.objects.filter(reference__startswith=prefix)
        .aggregate(top=Max("reference"))
        .get("top")
    )
    if last:
        # references are zero-padded to 6 digits; beyond that, look at all of them
        tail = last[len(prefix) :]
        if tail.isdigit():
            highest = int(tail)
        if len(tail) >= 6:
            for ref in Recommendation.objects.filter(reference__startswith=prefix).values_list(
                "reference", flat=True
            ):
                match = re.fullmatch(r"\d+", ref[len(prefix) :])
                if match:
                    highest = max(highest, int(match.group()))
    return [f"{prefix}{n:06d}" for n in range(highest + 1, highest + 1 + count)]


def _save_new(recommendation: Recommendation) -> None:
    """Save a new recommendation with a fresh reference, retrying on a concurrent clash."""
    year = timezone.localdate().year
    for _attempt in range(5):
        recommendation.reference = allocate_references(year)[0]
        try:
            with transaction.atomic():
                recommendation.save()
            return
        except IntegrityError:
            if Recommendation.objects.filter(reference=recommendation.reference).exists():
                continue
            raise
    raise ValidationError({"reference": _("Could not allocate a reference; try again.")})


# ---------------------------------------------------------------- the life cycle


def _lock(recommendation: Recommendation) -> Recommendation:
    return (
        Recommendation.objects.select_for_update(of=("self",))
        .select_related("addressee", "institution", "visit")
        .get(pk=recommendation.pk)
    )


def _refresh_from(target: Recommendation, source: Recommendation) -> None:
    """Keep the caller's object in step with what was saved."""
    for name in ("state", "state_changed_on", "deadline", "issued_on", "claimed_status"):
        setattr(target, name, getattr(source, name))
    target.assessed_verdict = source.assessed_verdict


def _move(
    locked: Recommendation,
    move: workflow.Transition,
    *,
    actor: User | None,
    note: str,
    data: Mapping[str, Any] | None,
    event_kind: str,
    context: RequestContext | None,
) -> RecommendationEvent:
    """Apply a checked move to a locked row: state, event, audit."""
    source = locked.state
    locked.state = move.target
    locked.state_changed_on = timezone.localdate()
    locked.full_clean()
    locked.save()
    payload = {"via": str(move.via), **dict(data or {})}
    event = RecommendationEvent.objects.create(
        recommendation=locked,
        kind=event_kind,
        from_state=source,
        to_state=move.target,
        actor=actor,
        note=note,
        data=payload,
    )
    audit_record(
        actor=actor,
        action=AuditAction.RECOMMENDATION_TRANSITIONED,
        target=locked,
        data={"from": source, "to": move.target, "via": str(move.via), "note": note},
        context=context,
    )
    return event


def _check_move(
    locked: Recommendation,
    to_state: str,
    *,
    actor: User | None,
    via: str,
    note: str,
    deadline: datetime.date | None,
) -> workflow.Transition:
    move = workflow.find(locked.state, to_state, via)
    if move is None:
        raise ValidationError(
            {
                "to_state": _(
                    "A recommendation cannot go from “%(source)s” to “%(target)s” "
                    "(its status is now “%(source)s”)."
                )
                % {"source": _state_label(locked.state), "target": _state_label(to_state)}
            }
        )
    if not move.who(actor, locked):
        raise PermissionDenied(_("You may not make this change."))
    if move.needs_note and not note.strip():
        raise ValidationError({"note": _("Give the reason for this step.")})
    if move.needs_deadline:
        if deadline is None:
            raise ValidationError({"deadline": _("Give the new deadline.")})
        if deadline <= timezone.localdate():
            raise ValidationError({"deadline": _("The new deadline must be in the future.")})
    return move


@transaction.atomic
def recommendation_transition(
    *,
    actor: User | None,
    recommendation: Recommendation,
    to_state: str,
    note: str = "",
    via: str = Via.MANUAL,
    expected_state: str | None = None,
    deadline: datetime.date | None = None,
    data: Mapping[str, Any] | None = None,
    event_kind: str = EventKind.STATE_CHANGED,
    context: RequestContext | None = None,
) -> Recommendation:
    """Move a recommendation along its life cycle, as the transition table allows.

    The row is locked and the move checked against the state read under the lock: a
    concurrent change that got there first makes this one either still valid (applied after
    it) or refused with a ValidationError on `to_state`. `expected_state` (the state the user
    saw) refuses the move when the state has changed meanwhile. `deadline` is required by
    moves that set a new one. `via` names the channel (`workflow.Via`); the actor is None for
    the system (the scheduled command, an import without an actor).
    """
    locked = _lock(recommendation)
    if expected_state and locked.state != expected_state:
        raise ValidationError(
            {
                "to_state": _(
                    "The status changed meanwhile (it is now “%(state)s”); "
                    "reload the page and try again."
                )
                % {"state": _state_label(locked.state)}
            }
        )
    move = _check_move(locked, to_state, actor=actor, via=via, note=note, deadline=deadline)
    if move.needs_deadline and deadline is not None:
        locked.deadline = deadline
    extra = dict(data or {})
    if deadline is not None and move.needs_deadline:
        extra.setdefault("deadline", deadline.isoformat())
    _move(locked, move, actor=actor, note=note, data=extra, event_kind=event_kind, context=context)
    _refresh_from(recommendation, locked)
    return locked


# ---------------------------------------------------------------- drafts


def _clean_links(
    recommendation: Recommendation, findings: Sequence[Finding] | None
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    visit = recommendation.visit
    if recommendation.source == Source.VISIT_REPORT and visit is None:
        errors.setdefault("visit", []).append(
            _("A recommendation from a visit report must name its visit.")
        )
    if findings:
        if visit is None:
            errors.setdefault("findings", []).append(
                _("Findings can be linked only to a recommendation of a visit.")
            )
        elif any(f.visit_id != visit.pk for f in findings):
            errors.setdefault("findings", []).append(
                _("Link only findings of visit %(reference)s.") % {"reference": visit.reference}
            )
    if (
        visit is not None
        and recommendation.institution_id is not None
        and not visit.institutions.filter(pk=recommendation.institution_id).exists()
    ):
        errors.setdefault("institution", []).append(
            _("Choose one of the institutions of visit %(reference)s.")
            % {"reference": visit.reference}
        )
    if recommendation.repeat_of_id is not None and recommendation.repeat_of_id == (
        recommendation.pk or -1
    ):
        errors.setdefault("repeat_of", []).append(_("A recommendation cannot repeat itself."))
    if (
        recommendation.deadline
        and recommendation.issued_on is None
        and recommendation.deadline < timezone.localdate()
    ):
        errors.setdefault("deadline", []).append(_("The deadline cannot be in the past."))
    return errors


def _validate(recommendation: Recommendation, findings: Sequence[Finding] | None) -> None:
    errors: dict[str, list[str]] = {}
    try:
        recommendation.full_clean(exclude=["reference"])
    except ValidationError as exc:
        errors.update({k: [str(m) for m in v] for k, v in exc.message_dict.items()})
    for key, messages in _clean_links(recommendation, findings).items():
        errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def recommendation_create(
    *,
    actor: User,
    data: Mapping[str, Any],
    findings: Iterable[Finding] = (),
    context: RequestContext | None = None,
) -> Recommendation:
    """A new draft. `data` holds fields of `DRAFT_FIELDS`."""
    unknown = set(data) - set(DRAFT_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    recommendation = Recommendation(state=State.DRAFT, created_by=actor, **dict(data))
    if not recommendation.source:
        recommendation.source = (
            Source.VISIT_REPORT if recommendation.visit_id else Source.THEMATIC_REPORT
        )
    if recommendation.visit_id is not None and recommendation.institution_id is None:
        only = list(recommendation.visit.institutions.all()[:2])  # type: ignore[union-attr]
        if len(only) == 1:
            recommendation.institution = only[0]
    if not can_create_recommendation(
        actor,
        institution=recommendation.institution,
        addressee=recommendation.addressee if recommendation.addressee_id else None,
    ):
        raise PermissionDenied(_("You may not draft this recommendation."))
    linked = list(findings)
    _validate(recommendation, linked)
    _save_new(recommendation)
    if linked:
        recommendation.findings.set(linked)
    audit_record(
        actor=actor,
        action=AuditAction.RECOMMENDATION_CREATED,
        target=recommendation,
        data={
            **snapshot(recommendation, _AUDITED_FIELDS),
            "findings": [str(f.public_id) for f in linked],
        },
        context=context,
    )
    return recommendation


@transaction.atomic
def recommendation_update(
    *,
    actor: User,
    recommendation: Recommendation,
    data: Mapping[str, Any],
    findings: Iterable[Finding] | None = None,
    context: RequestContext | None = None,
) -> Recommendation:
    """Change a draft (issued recommendations are never edited; they move on or are closed)."""
    unknown = set(data) - set(DRAFT_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    locked = _lock(recommendation)
    if not can_edit_recommendation(actor, locked):
        if locked.state != State.DRAFT and can_manage_recommendation(actor, locked):
            raise ValidationError(
                {"state": _("Only a draft can be changed; this one has been issued.")}
            )
        raise PermissionDenied(_("You may not change this recommendation."))
    before = snapshot(locked, _AUDITED_FIELDS)
    before_findings = sorted(str(f) for f in locked.findings.values_list("public_id", flat=True))
    for name, value in data.items():
        setattr(locked, name, value)
    if not can_create_recommendation(
        actor, institution=locked.institution, addressee=locked.addressee
    ):
        raise PermissionDenied(_("You may not move this recommendation out of your scope."))
    linked = list(findings) if findings is not None else None
    _validate(locked, linked if linked is not None else list(locked.findings.all()))
    locked.save()
    if linked is not None:
        locked.findings.set(linked)
    after_findings = sorted(str(f) for f in locked.findings.values_list("public_id", flat=True))
    changes = diff(before, snapshot(locked, _AUDITED_FIELDS))
    if before_findings != after_findings:
        changes["findings"] = [before_findings, after_findings]
    if changes:
        audit_record(
            actor=actor,
            action=AuditAction.RECOMMENDATION_UPDATED,
            target=locked,
            data={"changes": changes},
            context=context,
        )
    return locked


@transaction.atomic
def recommendation_delete(
    *, actor: User, recommendation: Recommendation, context: RequestContext | None = None
) -> None:
    """Discard a draft (nothing issued is ever deleted)."""
    locked = _lock(recommendation)
    if not can_delete_recommendation(actor, locked):
        if locked.state != State.DRAFT and can_manage_recommendation(actor, locked):
            raise ValidationError({"state": _("Only a draft can be deleted.")})
        raise PermissionDenied(_("You may not delete this recommendation."))
    audit_record(
        actor=actor,
        action=AuditAction.RECOMMENDATION_DELETED,
        target=locked,
        data=snapshot(locked, _AUDITED_FIELDS),
        context=context,
    )
    locked.delete()


# ---------------------------------------------------------------- issuing


def liaisons_of(agency: Agency) -> list[User]:
    """Active liaisons who see recommendations addressed to `agency`: those of the agency
    itself and of every agency above it."""
    ancestors: list[int] = []
    seen: set[int] = set()
    current: Agency | None = agency
    while current is not None and current.pk not in seen:
        ancestors.append(current.pk)
        seen.add(current.pk)
        current = current.parent if current.parent_id else None
    return list(
        User.objects.filter(role=Role.LIAISON, is_active=True, agency_id__in=ancestors).order_by(
            "email"
        )
    )


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
        _move(
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
            _move(
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
    locked = _lock(recommendation)
    to_notify = _issue_locked(
        [locked],
        actor=actor,
        issued_on=timezone.localdate(),
        calendar=WorkingCalendar(),
        context=context,
    )
    _schedule_notifications(to_notify, link_base)
    _refresh_from(recommendation, locked)
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
