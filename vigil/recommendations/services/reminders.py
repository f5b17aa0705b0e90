"""Deadline reminders and the move to NO_RESPONSE: the scheduled run.

`reminders_run(today=...)` (the command `send_recommendation_reminders`, run daily by cron,
calls it):

1. reminds the addressee's liaisons (those of the addressee and of the agencies above it, as
   at issuing) of each pending recommendation whose deadline is near (due soon: within
   `VIGIL_RECOMMENDATION_DUE_SOON_DAYS` working days) or has passed (overdue): one e-mail per
   liaison and addressee, in the liaison's language, listing them;
2. moves each recommendation still unanswered (issued, awaiting a response, reopened) to
   NO_RESPONSE once the grace period after its deadline is over
   (`VIGIL_RECOMMENDATION_GRACE_DAYS` working days), through `recommendation_transition`
   as the system (actor None).

Idempotent: a reminder is recorded in `Reminder`, unique per (recommendation, kind,
deadline), in the transaction that sends it; a second run — even a concurrent one, which
waits on the row locks — finds it and sends nothing again. A new deadline (given after no
response) gets its own reminders. A liaison-less addressee gets no reminder and none is
recorded, so it is sent once a liaison exists. When the mail server fails, the group's
reminders are not recorded and the next run tries again.
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record
from vigil.core.calendar import WorkingCalendar
from vigil.reference.models import Agency

from .. import workflow
from ..deadlines import PENDING_STATES, DeadlineWindow, grace_end, local_today
from ..enums import EventKind, ReminderKind, State
from ..models import Recommendation, Reminder
from ..permissions import liaisons_of
from ..timeline import new_event, record_events
from ..workflow import Via
from .lifecycle import recommendation_transition

log = logging.getLogger(__name__)

MAX_ITEMS_PER_EMAIL = 50


@dataclass
class ReminderRun:
    today: datetime.date
    due_soon: int = 0
    overdue: int = 0
    emails: int = 0
    moved_to_no_response: int = 0
    without_recipients: int = 0
    failed_groups: int = 0
    references_moved: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "today": self.today.isoformat(),
            "due_soon": self.due_soon,
            "overdue": self.overdue,
            "emails": self.emails,
            "moved_to_no_response": self.moved_to_no_response,
            "without_recipients": self.without_recipients,
            "failed_groups": self.failed_groups,
        }


def _link_base() -> str:
    return str(getattr(settings, "VIGIL_SITE_URL", "")).rstrip("/")


def _kind(window: DeadlineWindow, deadline: datetime.date) -> str:
    return ReminderKind.OVERDUE if deadline <= window.overdue_until else ReminderKind.DUE_SOON


def due_reminders(window: DeadlineWindow) -> dict[int, list[tuple[Recommendation, str]]]:
    """Pending recommendations due soon or overdue on `window.today` that have not had this
    reminder for their current deadline, by addressee."""
    candidates = (
        Recommendation.objects.filter(
            state__in=PENDING_STATES,
            deadline__isnull=False,
            deadline__lte=window.due_soon_until,
        )
        .select_related("addressee")
        .order_by("addressee_id", "deadline", "pk")
    )
    sent = set(
        Reminder.objects.filter(
            recommendation__in=candidates.values("pk"),
        ).values_list("recommendation_id", "kind", "deadline")
    )
    groups: dict[int, list[tuple[Recommendation, str]]] = defaultdict(list)
    for rec in candidates:
        assert rec.deadline is not None  # noqa: S101 (filtered)
        kind = _kind(window, rec.deadline)
        if (rec.pk, kind, rec.deadline) not in sent:
            groups[rec.addressee_id].append((rec, kind))
    return groups


def _render(user: User, addressee: Agency, items: list[tuple[Recommendation, str]]) -> EmailMessage:
    language = user.preferred_language or settings.LANGUAGE_CODE
    base = _link_base()
    with translation.override(language):

        def entry(rec: Recommendation) -> dict[str, object]:
            return {
                "reference": rec.reference,
                "text": rec.text,
                "deadline": rec.deadline,
                "url": base
                + reverse("recommendations:portal_detail", kwargs={"public_id": rec.public_id}),
            }

        overdue = [entry(r) for r, kind in items if kind == ReminderKind.OVERDUE]
        due_soon = [entry(r) for r, kind in items if kind == ReminderKind.DUE_SOON]
        context = {
            "user": user,
            "addressee": addressee.name,
            "count": len(items),
            "overdue": overdue[:MAX_ITEMS_PER_EMAIL],
            "overdue_more": max(0, len(overdue) - MAX_ITEMS_PER_EMAIL),
            "due_soon": due_soon[:MAX_ITEMS_PER_EMAIL],
            "due_soon_more": max(0, len(due_soon) - MAX_ITEMS_PER_EMAIL),
            "portal_url": base + reverse("recommendations:portal_list"),
        }
        subject = render_to_string("recommendations/email/reminder_subject.txt", context)
        body = render_to_string("recommendations/email/reminder_body.txt", context)
    return EmailMessage(" ".join(subject.split()), body, to=[user.email])


@transaction.atomic
def _remind_group(
    addressee: Agency,
    items: list[tuple[Recommendation, str]],
    recipients: list[User],
    context: RequestContext | None,
) -> list[tuple[Recommendation, str]]:
    """Record and send one addressee's reminders; returns those sent (none twice)."""
    current = {
        pk: (deadline, state)
        for pk, deadline, state in Recommendation.objects.select_for_update()
        .filter(pk__in=[rec.pk for rec, _kind in items])
        .order_by("pk")
        .values_list("pk", "deadline", "state")
    }
    sent = set(
        Reminder.objects.filter(recommendation__in=list(current)).values_list(
            "recommendation_id", "kind", "deadline"
        )
    )
    # Re-checked under the row locks: still pending, same deadline, not reminded meanwhile.
    todo = [
        (rec, kind)
        for rec, kind in items
        if current.get(rec.pk, (None, None))[0] == rec.deadline
        and current[rec.pk][1] in PENDING_STATES
        and (rec.pk, kind, rec.deadline) not in sent
    ]
    if not todo:
        return []
    emails = [u.email for u in recipients]
    Reminder.objects.bulk_create(
        [
            Reminder(recommendation=rec, kind=kind, deadline=rec.deadline, recipients=emails)  # type: ignore[misc]
            for rec, kind in todo
        ]
    )
    record_events(
        [
            new_event(
                rec,
                EventKind.REMINDER,
                note=str(ReminderKind(kind).label),
                data={
                    "reminder": kind,
                    "deadline": rec.deadline.isoformat() if rec.deadline else None,
                    "recipients": len(emails),
                },
            )
            for rec, kind in todo
        ]
    )
    audit_record(
        actor=None,
        action=AuditAction.RECOMMENDATION_REMINDERS_SENT,
        target=addressee,
        data={
            "due_soon": [r.reference for r, k in todo if k == ReminderKind.DUE_SOON],
            "overdue": [r.reference for r, k in todo if k == ReminderKind.OVERDUE],
            "recipients": emails,
        },
        context=context,
    )
    for user in recipients:
        _render(user, addressee, todo).send()
    return todo


def _send_reminders(
    window: DeadlineWindow, run: ReminderRun, context: RequestContext | None
) -> None:
    recipients_of: dict[int, list[User]] = {}
    for addressee_id, items in due_reminders(window).items():
        addressee = items[0][0].addressee
        if addressee_id not in recipients_of:
            recipients_of[addressee_id] = liaisons_of(addressee)
        recipients = recipients_of[addressee_id]
        if not recipients:
            run.without_recipients += len(items)
            continue
        try:
            sent = _remind_group(addressee, items, recipients, context)
        except Exception:  # a mail server down: nothing recorded, the next run tries again
            log.exception("reminders to %s failed", addressee.code)
            run.failed_groups += 1
            continue
        if sent:
            run.emails += len(recipients)
        run.due_soon += sum(1 for _r, kind in sent if kind == ReminderKind.DUE_SOON)
        run.overdue += sum(1 for _r, kind in sent if kind == ReminderKind.OVERDUE)


def _move_unanswered(
    window: DeadlineWindow,
    calendar: WorkingCalendar,
    run: ReminderRun,
    context: RequestContext | None,
) -> None:
    candidates = Recommendation.objects.filter(
        state__in=workflow.NO_RESPONSE_FROM,
        deadline__isnull=False,
        deadline__lte=window.overdue_until,
    ).order_by("deadline", "pk")
    for rec in candidates:
        assert rec.deadline is not None  # noqa: S101 (filtered)
        end = grace_end(calendar, rec.deadline)
        if window.today <= end:
            continue
        try:
            recommendation_transition(
                actor=None,
                recommendation=rec,
                to_state=State.NO_RESPONSE,
                via=Via.SYSTEM,
                expected_state=rec.state,
                note=_("No response by the deadline (%(deadline)s) and the grace period.")
                % {"deadline": rec.deadline.isoformat()},
                data={"deadline": rec.deadline.isoformat(), "grace_end": end.isoformat()},
                context=context,
            )
        except ValidationError as exc:  # changed meanwhile (an answer arrived): leave it
            log.warning("%s not moved to no response: %s", rec.reference, exc.messages)
            continue
        run.moved_to_no_response += 1
        run.references_moved.append(rec.reference)


def reminders_run(
    *, today: datetime.date | None = None, context: RequestContext | None = None
) -> ReminderRun:
    """Send the reminders due on `today` (default: the local date) and move unanswered
    recommendations past their grace period to NO_RESPONSE. Safe to run any number of times."""
    today = today or local_today()
    calendar = WorkingCalendar()
    window = DeadlineWindow.on(today, calendar)
    run = ReminderRun(today=today)
    _send_reminders(window, run, context)
    _move_unanswered(window, calendar, run, context)
    return run
